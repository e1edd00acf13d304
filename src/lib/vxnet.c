/*
 * vxnet.c: the vxvde:// and vxlan:// networks.  Frames travel as VXLAN
 * datagrams (RFC 7348; the header is src/common/vxlan.c's) between the
 * members of a network, with no switch: each member floods broadcast,
 * multicast and unknown unicast frames to the network's multicast group
 * and learns from the datagrams it receives where each station is
 * (vxtab.c), so that later frames to it go to that address alone.
 *
 * vxvde: several members may share a host.  Each receives the group on
 * its port (14789) through a socket bound to the group address, and sends
 * everything, and receives its unicast, through a second socket with a
 * port of its own; stations are learned with the address and port they
 * were sent from.  The group's datagrams come back to their sender, which
 * knows its own address and port and drops them.
 *
 * vxlan: as the kernel's vxlan device, one socket on the network's port
 * (4789) for everything, so one member per host; stations are learned
 * with the sender's address and the network's port, since other VXLAN
 * implementations send from a port of their choice but receive on 4789.
 * The address may also be a unicast one: the one remote that floods go
 * to (an extension of vdeplug4's syntax).
 *
 * Datagrams that are short, truncated, without the I flag, for another
 * VNI or from ourselves are dropped without a word.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <netinet/in.h>
#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"
#include "vxlan.h"
#include "lib.h"

#define VXNET_DROPMAX	64	/* bad datagrams skipped by one vxnet_recv */

struct vxnet {
	int			vx_kind;	/* VNL_VXVDE or VNL_VXLAN */
	int			vx_fd[2];	/* sender/unicast; group or -1 */
	int			vx_turn;	/* which to read first */
	int			vx_family;
	uint32_t		vx_vni;
	unsigned int		vx_port;
	struct sockaddr_in6	vx_group;	/* or a sockaddr_in */
	socklen_t		vx_grouplen;
	struct sockaddr_in6	vx_self;	/* vxvde: our sending address */
	socklen_t		vx_selflen;
	struct vxtab		vx_tab;
};

static int	vxnet_socket(int);
static int	vxnet_ismcast(const struct sockaddr *);
static int	vxnet_sameaddr(const struct sockaddr *, const struct sockaddr *,
		    int);
static void	vxnet_setport(struct sockaddr *, unsigned int);
static int	vxnet_resolve(struct vxnet *, const struct vxurl *,
		    unsigned int, char *, size_t);
static int	vxnet_self(struct vxnet *, unsigned int);
static int	vxnet_sockets(struct vxnet *, const struct vxurl *,
		    unsigned int);
static int	vxnet_accept(struct vxnet *, const unsigned char *, size_t,
		    unsigned char *, struct sockaddr *, socklen_t);

/* A non-blocking datagram socket, not inherited across exec. */
static int
vxnet_socket(int family)
{
	int	fd, fl, saved;

	if ((fd = socket(family, SOCK_DGRAM, 0)) == -1)
		return (-1);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 ||
	    (fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return (-1);
	}
	return (fd);
}

static int
vxnet_ismcast(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6)
		return (((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr[0]
		    == 0xff);
	return ((ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) &
	    0xf0000000U) == 0xe0000000U);
}

/* Whether a and b are the same address (and port, if port is set). */
static int
vxnet_sameaddr(const struct sockaddr *a, const struct sockaddr *b, int port)
{
	const struct sockaddr_in	*a4, *b4;
	const struct sockaddr_in6	*a6, *b6;

	if (a->sa_family != b->sa_family)
		return (0);
	if (a->sa_family == AF_INET6) {
		a6 = (const struct sockaddr_in6 *)a;
		b6 = (const struct sockaddr_in6 *)b;
		return (memcmp(&a6->sin6_addr, &b6->sin6_addr,
		    sizeof(a6->sin6_addr)) == 0 &&
		    (!port || a6->sin6_port == b6->sin6_port));
	}
	a4 = (const struct sockaddr_in *)a;
	b4 = (const struct sockaddr_in *)b;
	return (a4->sin_addr.s_addr == b4->sin_addr.s_addr &&
	    (!port || a4->sin_port == b4->sin_port));
}

static void
vxnet_setport(struct sockaddr *sa, unsigned int port)
{
	if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)sa)->sin_port = htons(port);
}

/*
 * The network's address into vx_group: the given one or the default group
 * of the family, with grp='s id in its last three bytes.
 */
static int
vxnet_resolve(struct vxnet *vx, const struct vxurl *u, unsigned int ifindex,
    char *err, size_t errlen)
{
	struct addrinfo		 hints, *res;
	struct sockaddr_in6	*s6;
	unsigned char		*last;
	const char		*host = u->vu_host;
	int			 r;

	if (*host == '\0')
		host = u->vu_family == AF_INET6 ? VXURL_GROUP6 : VXURL_GROUP4;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = u->vu_family;
	hints.ai_socktype = SOCK_DGRAM;
	if ((r = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s: %s", host, gai_strerror(r));
		errno = EADDRNOTAVAIL;
		return (-1);
	}
	if ((size_t)res->ai_addrlen > sizeof(vx->vx_group)) {
		freeaddrinfo(res);
		errno = EAFNOSUPPORT;
		return (-1);
	}
	memset(&vx->vx_group, 0, sizeof(vx->vx_group));
	memcpy(&vx->vx_group, res->ai_addr, res->ai_addrlen);
	vx->vx_grouplen = (socklen_t)res->ai_addrlen;
	vx->vx_family = res->ai_family;
	freeaddrinfo(res);
	if (vx->vx_family == AF_INET6) {
		s6 = &vx->vx_group;
		last = &s6->sin6_addr.s6_addr[13];
		if (s6->sin6_scope_id == 0)
			s6->sin6_scope_id = ifindex;
	} else
		last = (unsigned char *)
		    &((struct sockaddr_in *)&vx->vx_group)->sin_addr + 1;
	if (u->vu_grpset) {
		last[0] = (u->vu_grp >> 16) & 0xff;
		last[1] = (u->vu_grp >> 8) & 0xff;
		last[2] = u->vu_grp & 0xff;
	}
	vxnet_setport((struct sockaddr *)&vx->vx_group, vx->vx_port);
	if (!vxnet_ismcast((struct sockaddr *)&vx->vx_group) &&
	    vx->vx_kind == VNL_VXVDE) {
		snprintf(err, errlen, "vxvde://%s: not a multicast address",
		    host);
		errno = EINVAL;
		return (-1);
	}
	return (0);
}

/*
 * The address and port our group datagrams leave from, to know them when
 * they loop back: the port of vx_fd[0], the address the system picks for
 * the group (a socket connected there says which).
 */
static int
vxnet_self(struct vxnet *vx, unsigned int ifindex)
{
	struct sockaddr_in6	me;
	socklen_t		len;
	int			fd, r, saved;

	len = sizeof(vx->vx_self);
	if (getsockname(vx->vx_fd[0], (struct sockaddr *)&vx->vx_self,
	    &len) == -1)
		return (-1);
	vx->vx_selflen = len;
	if ((fd = vxnet_socket(vx->vx_family)) == -1)
		return (-1);
	len = sizeof(me);
	r = os_mcast_sender(fd, vx->vx_family, ifindex, 1, 0);
	if (r == 0)
		r = connect(fd, (struct sockaddr *)&vx->vx_group,
		    vx->vx_grouplen);
	if (r == 0)
		r = getsockname(fd, (struct sockaddr *)&me, &len);
	saved = errno;
	close(fd);
	errno = saved;
	if (r == -1)
		return (-1);
	if (vx->vx_family == AF_INET6)
		vx->vx_self.sin6_addr = me.sin6_addr;
	else
		((struct sockaddr_in *)&vx->vx_self)->sin_addr =
		    ((struct sockaddr_in *)&me)->sin_addr;
	return (0);
}

/* Open, bind and join the sockets of the network. */
static int
vxnet_sockets(struct vxnet *vx, const struct vxurl *u, unsigned int ifindex)
{
	struct sockaddr_in6	any;
	struct sockaddr		*grp = (struct sockaddr *)&vx->vx_group;
	int			one = 1, mcast = vxnet_ismcast(grp);

	memset(&any, 0, sizeof(any));
	any.sin6_family = (sa_family_t)vx->vx_family;
	if ((vx->vx_fd[0] = vxnet_socket(vx->vx_family)) == -1)
		return (-1);
	if (vx->vx_kind == VNL_VXLAN) {
		/* One socket on the network's port, as the kernel's. */
		vxnet_setport((struct sockaddr *)&any, vx->vx_port);
		if (bind(vx->vx_fd[0], (struct sockaddr *)&any,
		    vx->vx_grouplen) == -1)
			return (-1);
		if (mcast && os_mcast_join(vx->vx_fd[0], grp, vx->vx_grouplen,
		    ifindex) == -1)
			return (-1);
		return (os_mcast_sender(vx->vx_fd[0], vx->vx_family, ifindex,
		    u->vu_ttl, 0));
	}
	/* vxvde: a port of our own, and the group shared with the host. */
	if (bind(vx->vx_fd[0], (struct sockaddr *)&any, vx->vx_grouplen) == -1 ||
	    os_mcast_sender(vx->vx_fd[0], vx->vx_family, ifindex, u->vu_ttl,
	    1) == -1 || vxnet_self(vx, ifindex) == -1)
		return (-1);
	if ((vx->vx_fd[1] = vxnet_socket(vx->vx_family)) == -1)
		return (-1);
	if (setsockopt(vx->vx_fd[1], SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 ||
	    bind(vx->vx_fd[1], grp, vx->vx_grouplen) == -1 ||
	    os_mcast_join(vx->vx_fd[1], grp, vx->vx_grouplen, ifindex) == -1)
		return (-1);
	return (0);
}

/* Join the network spec names. */
int
vxnet_open(struct vdeconn *vc, const char *spec, int kind, char *err,
    size_t errlen)
{
	struct vxnet	*vx;
	struct vxurl	 u;
	unsigned int	 ifindex = 0;
	int		 saved;

	vc->vc_kind = kind;
	vc->vc_ctl = -1;
	vc->vc_data = -1;
	if (vxurl_parse(spec, kind, &u, err, errlen) == -1)
		return (-1);
	if (u.vu_if[0] != '\0' && (ifindex = if_nametoindex(u.vu_if)) == 0) {
		snprintf(err, errlen, "no such interface \"%s\"", u.vu_if);
		errno = ENXIO;
		return (-1);
	}
	if ((vx = calloc(1, sizeof(*vx))) == NULL)
		return (-1);
	vx->vx_kind = kind;
	vx->vx_fd[0] = vx->vx_fd[1] = -1;
	vx->vx_vni = (uint32_t)u.vu_vni;
	vx->vx_port = u.vu_port;
	if (vxnet_resolve(vx, &u, ifindex, err, errlen) == -1)
		goto fail;
	if (vxtab_init(&vx->vx_tab, u.vu_hashsize, u.vu_expire) == -1)
		goto fail;
	if (vxnet_sockets(vx, &u, ifindex) == -1) {
		saved = errno;
		snprintf(err, errlen, "%s://%s: %s", kind == VNL_VXVDE ?
		    "vxvde" : "vxlan", spec, strerror(saved));
		errno = saved;
		goto fail;
	}
	if (vx->vx_fd[1] == -1)
		vc->vc_data = vx->vx_fd[0];
	else if ((vc->vc_data = os_mux_open(vx->vx_fd, 2)) == -1)
		goto fail;
	vc->vc_vx = vx;
	return (0);
fail:
	saved = errno;
	if (vx->vx_fd[0] != -1)
		close(vx->vx_fd[0]);
	if (vx->vx_fd[1] != -1)
		close(vx->vx_fd[1]);
	vxtab_free(&vx->vx_tab);
	free(vx);
	errno = saved;
	return (-1);
}

/*
 * Whether a received datagram (its header hdr, n bytes in all, the frame
 * in frame) is a frame of the network, learning its sender if so.
 */
static int
vxnet_accept(struct vxnet *vx, const unsigned char *hdr, size_t n,
    unsigned char *frame, struct sockaddr *from, socklen_t fromlen)
{
	uint32_t	vni;

	if (vxlan_decap(hdr, n, &vni) != VXLAN_OK || vni != vx->vx_vni)
		return (0);
	if (from->sa_family != vx->vx_family)
		return (0);
	if (vx->vx_kind == VNL_VXVDE &&
	    vxnet_sameaddr(from, (struct sockaddr *)&vx->vx_self, 1))
		return (0);
	/* A group address as a source is not a station's. */
	if ((frame[6] & 0x01) == 0) {
		if (vx->vx_kind == VNL_VXLAN)
			vxnet_setport(from, vx->vx_port);
		vxtab_learn(&vx->vx_tab, frame + 6, from, fromlen,
		    vxtab_now());
	}
	return (1);
}

/*
 * One frame from the network.  Datagrams that are not frames of it are
 * skipped; when only such datagrams were waiting the result is -1 with
 * EAGAIN, and when nothing was waiting at all the call waits for a frame.
 */
ssize_t
vxnet_recv(struct vdeconn *vc, void *buf, size_t len)
{
	struct vxnet		*vx = vc->vc_vx;
	struct sockaddr_in6	 from;
	struct pollfd		 pfd[2];
	struct msghdr		 msg;
	struct iovec		 iov[2];
	unsigned char		 hdr[VXLAN_HDRLEN];
	ssize_t			 n;
	int			 dropped = 0, nfd, i, fd, idle;

	nfd = vx->vx_fd[1] == -1 ? 1 : 2;
	for (;;) {
		idle = 0;
		for (i = 0; i < nfd; i++) {
			fd = vx->vx_fd[(vx->vx_turn + i) % nfd];
			memset(&msg, 0, sizeof(msg));
			iov[0].iov_base = hdr;
			iov[0].iov_len = sizeof(hdr);
			iov[1].iov_base = buf;
			iov[1].iov_len = len;
			msg.msg_name = &from;
			msg.msg_namelen = sizeof(from);
			msg.msg_iov = iov;
			msg.msg_iovlen = 2;
			if ((n = recvmsg(fd, &msg, 0)) == -1) {
				if (errno != EAGAIN && errno != EWOULDBLOCK)
					return (-1);
				idle++;
				continue;
			}
			vx->vx_turn = (vx->vx_turn + i + 1) % nfd;
			if ((msg.msg_flags & MSG_TRUNC) == 0 &&
			    vxnet_accept(vx, hdr, (size_t)n, buf,
			    (struct sockaddr *)&from, msg.msg_namelen))
				return (n - VXLAN_HDRLEN);
			if (++dropped >= VXNET_DROPMAX) {
				errno = EAGAIN;
				return (-1);
			}
			break;
		}
		if (idle < nfd)
			continue;
		if (dropped > 0) {
			errno = EAGAIN;
			return (-1);
		}
		for (i = 0; i < nfd; i++) {
			pfd[i].fd = vx->vx_fd[i];
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, (nfds_t)nfd, -1) == -1)
			return (-1);
	}
}

/*
 * One frame to the network: to the station's address when it was learned,
 * else to the group.  Unreachable members are not our failure.
 */
ssize_t
vxnet_send(struct vdeconn *vc, const void *buf, size_t len)
{
	struct vxnet		*vx = vc->vc_vx;
	const struct vxtab_ent	*e = NULL;
	const unsigned char	*frame = buf;
	struct msghdr		 msg;
	struct iovec		 iov[2];
	unsigned char		 hdr[VXLAN_HDRLEN];
	ssize_t			 n;

	if (len < 14) {
		errno = EINVAL;
		return (-1);
	}
	if ((frame[0] & 0x01) == 0)
		e = vxtab_lookup(&vx->vx_tab, frame, vxtab_now());
	vxlan_encap(hdr, vx->vx_vni);
	memset(&msg, 0, sizeof(msg));
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = (void *)(uintptr_t)buf;
	iov[1].iov_len = len;
	if (e != NULL) {
		msg.msg_name = (void *)(uintptr_t)&e->ve_addr;
		msg.msg_namelen = e->ve_len;
	} else {
		msg.msg_name = &vx->vx_group;
		msg.msg_namelen = vx->vx_grouplen;
	}
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	n = sendmsg(vx->vx_fd[0], &msg, 0);
	if (n == -1 && (errno == ECONNREFUSED || errno == EHOSTUNREACH ||
	    errno == ENETUNREACH))
		return ((ssize_t)len);
	if (n == -1)
		return (-1);
	return (n - VXLAN_HDRLEN);
}

/* Close what vde_close does not: the sockets behind vc_data. */
void
vxnet_close(struct vdeconn *vc)
{
	struct vxnet	*vx = vc->vc_vx;
	int		 i;

	if (vx == NULL)
		return;
	for (i = 0; i < 2; i++)
		if (vx->vx_fd[i] != -1 && vx->vx_fd[i] != vc->vc_data)
			close(vx->vx_fd[i]);
	vxtab_free(&vx->vx_tab);
	free(vx);
	vc->vc_vx = NULL;
}
