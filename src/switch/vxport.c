/*
 * vxport.c: VXLAN ports (RFC 7348).  A VXLAN port is a switch port whose
 * only cable is a UDP socket: the frames the switch sends to the port go
 * out as VXLAN datagrams of the port's VNI, the datagrams that arrive are
 * checked, decapsulated and forwarded like frames from any other port.
 *
 * Where a frame goes is decided like the kernel's vxlan device does: a
 * unicast frame to the VTEP its destination address was learned from
 * (vxfdb.c), everything else to the multicast group when the port has
 * one, else a copy to every configured remote (head-end replication).  A
 * frame that came from the overlay is never sent back into it: the
 * switch never forwards a frame to the port it came from, so a full mesh
 * of switches needs no spanning tree and cannot loop.
 *
 * In unicast mode (no group) datagrams from addresses that are not
 * configured remotes are dropped, unless learnsrc is on.  Every datagram
 * the port refuses is counted (struct vxstats) and nothing else: no
 * reply, no log line.  A frame too large for the underlay is dropped,
 * counted and logged once; it is never fragmented.
 *
 * Options, on the command line (--vxlan) and the console (vxlan/create),
 * are KEY=VALUE pairs separated by commas; see vde_switch(8), OVERLAY.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "vxlan.h"
#include "xmalloc.h"
#include "switch.h"
#include "vxport.h"

#define VX_READS	16	/* reads per wake-up, at most */
#define VX_DGRAMS	256	/* datagrams per wake-up, at most */
#define VX_READMAX	65536	/* one read: several datagrams of a flow */
#define VX_SEGMAX	GRO_MAXSEGS	/* datagrams laid out to send */
#define VX_GCINT	2000	/* ms between sweeps of the tables */
#define VX_RECVMAX	(VXLAN_HDRLEN + VDE_ETHBUFSIZE)
#define VX_OVERHEAD4	(20 + 8 + VXLAN_HDRLEN)	/* IPv4, UDP, VXLAN */
#define VX_OVERHEAD6	(40 + 8 + VXLAN_HDRLEN)
#define VX_SOCKBUF	(4 << 20)	/* socket buffers each way */

struct vxport {
	struct vxport	*vx_next;
	struct endpoint	*vx_ep;
	int		 vx_port;	/* switch port */
	int		 vx_fd;
	int		 vx_sfds[VX_SPORTS_MAX];	/* srcport=LO-HI */
	int		 vx_nsfd;
	int		 vx_sportlo, vx_sporthi;
	uint32_t	 vx_vni;
	int		 vx_family;
	int		 vx_udpport;
	int		 vx_ttl;	/* -1: the system's default */
	int		 vx_mtu;
	int		 vx_learnsrc;
	int		 vx_udpcsum;
	int		 vx_hasgroup;
	struct vxaddr	 vx_group;
	int		 vx_haslocal;
	struct vxaddr	 vx_local;
	char		 vx_ifname[IF_NAMESIZE];
	unsigned int	 vx_ifindex;
	struct vxaddr	*vx_remotes;
	int		 vx_nremotes;
	struct vxfdb	 vx_fdb;
	struct vxstats	 vx_st;
	int		 vx_toobig_logged;
	int		 vx_nogso;	/* segmentation offload refused */
};

static struct vxport	*vx_list;
static struct timer	 vx_gctimer;
static int		 vx_gcon;
/* Reads (room to pad the last frame), merged segments, sends, runts. */
static unsigned char	 vx_rbuf[FWD_HEADROOM + VX_READMAX + VDE_ETHMIN];
static unsigned char	 vx_grobuf[FWD_HEADROOM + OS_TAP_FRAMEMAX];
static struct gro	 vx_gro;
static unsigned char	 vx_sbuf[2 * VX_READMAX + VXLAN_HDRLEN + VDE_FRAMEBUF];
static size_t		 vx_slens[VX_SEGMAX];
static unsigned char	 vx_runt[FWD_HEADROOM + VDE_FRAMEBUF];

static int	vxport_write(struct endpoint *, const void *, size_t);
static void	vxport_close(struct endpoint *);

static int	vxport_write_segs(struct endpoint *, struct gso_iter *);

static const struct ep_ops vxport_ops = {
	"vxlan", vxport_write, vxport_close, vxport_write_segs
};

/* Is a a multicast address? */
static int
vxport_ismcast(const struct vxaddr *a)
{
	if (a->va_ss.ss_family == AF_INET)
		return ((ntohl(((const struct sockaddr_in *)&a->va_ss)->
		    sin_addr.s_addr) >> 28) == 0xe);
	return (((const struct sockaddr_in6 *)&a->va_ss)->sin6_addr.
	    s6_addr[0] == 0xff);
}

/* The IP address of sa, for the console. */
void
vxport_fmtaddr(const struct sockaddr *sa, char *buf, size_t len)
{
	socklen_t	sl = sa->sa_family == AF_INET6 ?
			    sizeof(struct sockaddr_in6) :
			    sizeof(struct sockaddr_in);

	if (getnameinfo(sa, sl, buf, (socklen_t)len, NULL, 0,
	    NI_NUMERICHOST) != 0)
		strlcpy(buf, "?", len);
}

/* A console argument as an address of the port's family and UDP port. */
int
vxport_parseaddr(const struct vxport *vx, const char *s,
    struct sockaddr_storage *ss, socklen_t *len)
{
	struct vxaddr	a;
	int		err;

	if ((err = vxconf_addr(s, vx->vx_family, vx->vx_udpport, &a)) != 0)
		return (err);
	memcpy(ss, &a.va_ss, sizeof(*ss));
	*len = a.va_len;
	return (0);
}

/* --- life cycle ----------------------------------------------------- */

/* A UDP socket of the port's family bound to bind (its port included). */
static int
vxport_socket(struct vxport *vx, const struct vxaddr *bindto, char *err,
    size_t errlen)
{
	int	fd, on = 1;

	if ((fd = socket(vx->vx_family, SOCK_DGRAM, 0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return (-1);
	}
	if (loop_nonblock(fd) == -1 ||
	    (vx->vx_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)) {
		snprintf(err, errlen, "socket options: %s", strerror(errno));
		goto fail;
	}
	if (vx->vx_ifname[0] != '\0' &&
	    os_inet_bindif(fd, vx->vx_ifname) == -1) {
		snprintf(err, errlen, "bind to interface %s: %s",
		    vx->vx_ifname, strerror(errno));
		goto fail;
	}
	os_inet_bufs(fd, VX_SOCKBUF);
	if (bind(fd, (const struct sockaddr *)&bindto->va_ss,
	    bindto->va_len) == -1) {
		snprintf(err, errlen, "bind: %s", strerror(errno));
		goto fail;
	}
	if (vx->vx_ttl > 0 && os_inet_ttl(fd, vx->vx_family, vx->vx_ttl) ==
	    -1) {
		snprintf(err, errlen, "ttl: %s", strerror(errno));
		goto fail;
	}
	if (vx->vx_hasgroup && os_inet_mcast(fd, vx->vx_family,
	    vx->vx_ifindex, vx->vx_ttl > 0 ? vx->vx_ttl : 1) == -1) {
		snprintf(err, errlen, "multicast options: %s",
		    strerror(errno));
		goto fail;
	}
	if (!vx->vx_udpcsum && vx->vx_family == AF_INET &&
	    os_inet_nocsum(fd) == -1) {
		snprintf(err, errlen, "udpcsum=0: %s", strerror(errno));
		goto fail;
	}
	return (fd);
fail:
	close(fd);
	return (-1);
}

/* The wildcard address of the port's family, or its local address. */
static int
vxport_bindaddr(struct vxport *vx, int port, int wildcard, struct vxaddr *a)
{
	if (vx->vx_haslocal && !wildcard) {
		*a = vx->vx_local;
		if (a->va_ss.ss_family == AF_INET)
			((struct sockaddr_in *)&a->va_ss)->sin_port =
			    htons((uint16_t)port);
		else
			((struct sockaddr_in6 *)&a->va_ss)->sin6_port =
			    htons((uint16_t)port);
		return (0);
	}
	return (vxconf_addr(vx->vx_family == AF_INET6 ? "::" : "0.0.0.0",
	    vx->vx_family, port, a));
}

static void
vxport_free(struct vxport *vx)
{
	int	i;

	if (vx->vx_fd != -1)
		close(vx->vx_fd);
	for (i = 0; i < vx->vx_nsfd; i++)
		close(vx->vx_sfds[i]);
	vxfdb_free(&vx->vx_fdb);
	free(vx->vx_remotes);
	free(vx);
}

static void
vxport_gc(void *arg)
{
	struct vxport	*vx;

	for (vx = vx_list; vx != NULL; vx = vx->vx_next)
		vxfdb_gc(&vx->vx_fdb, loop_sec());
	timer_add(&vx_gctimer, VX_GCINT);
}

static void	vxport_input(int, int, void *);

/* Open what c describes; the port is not attached yet. */
static struct vxport *
vxport_open(const struct vxconf *c, char *err, size_t errlen)
{
	struct vxport	*vx;
	struct vxaddr	 a;
	int		 i, fam = c->c_family;

	if (vx_gro.g_buf == NULL)
		gro_init(&vx_gro, vx_grobuf + FWD_HEADROOM, OS_TAP_FRAMEMAX,
		    (size_t)sw_conf.c_minsegment);
	vx = xcalloc(1, sizeof(*vx));
	vx->vx_fd = -1;
	vx->vx_vni = (uint32_t)c->c_vni;
	vx->vx_udpport = (int)c->c_udpport;
	vx->vx_ttl = (int)c->c_ttl;
	vx->vx_mtu = (int)c->c_mtu;
	vx->vx_learnsrc = (int)c->c_learnsrc;
	vx->vx_udpcsum = (int)c->c_udpcsum;
	vxfdb_init(&vx->vx_fdb, (int)c->c_fdbmax, (int)c->c_expire,
	    (int)c->c_rate);
	/* The first address fixes the family; the others must have it. */
	if (c->c_group != NULL) {
		if (vxconf_addr(c->c_group, fam, vx->vx_udpport,
		    &vx->vx_group) != 0 || !vxport_ismcast(&vx->vx_group)) {
			snprintf(err, errlen, "group=%s: not a multicast "
			    "address%s", c->c_group, fam != AF_UNSPEC ?
			    " of the port's family" : "");
			goto fail;
		}
		vx->vx_hasgroup = 1;
		fam = vx->vx_group.va_ss.ss_family;
	}
	if (c->c_local != NULL) {
		if (vxconf_addr(c->c_local, fam, vx->vx_udpport,
		    &vx->vx_local) != 0 || vxport_ismcast(&vx->vx_local)) {
			snprintf(err, errlen, "local=%s: not a unicast "
			    "address of the port's family", c->c_local);
			goto fail;
		}
		vx->vx_haslocal = 1;
		fam = vx->vx_local.va_ss.ss_family;
	}
	if (c->c_nremotes > 0)
		vx->vx_remotes = xcalloc((size_t)c->c_nremotes,
		    sizeof(*vx->vx_remotes));
	for (i = 0; i < c->c_nremotes; i++) {
		if (vxconf_addr(c->c_remotes[i], fam, vx->vx_udpport,
		    &vx->vx_remotes[i]) != 0 ||
		    vxport_ismcast(&vx->vx_remotes[i])) {
			snprintf(err, errlen, "remote=%s: not a unicast "
			    "address of the port's family", c->c_remotes[i]);
			goto fail;
		}
		fam = vx->vx_remotes[i].va_ss.ss_family;
		vx->vx_nremotes++;
	}
	vx->vx_family = fam == AF_UNSPEC ? AF_INET : fam;
	if (c->c_ifname != NULL) {
		strlcpy(vx->vx_ifname, c->c_ifname, sizeof(vx->vx_ifname));
		if ((vx->vx_ifindex = if_nametoindex(c->c_ifname)) == 0) {
			snprintf(err, errlen, "if=%s: no such interface",
			    c->c_ifname);
			goto fail;
		}
	}
	/* With a group, the socket listens on the wildcard address. */
	if (vxport_bindaddr(vx, vx->vx_udpport, vx->vx_hasgroup, &a) != 0 ||
	    (vx->vx_fd = vxport_socket(vx, &a, err, errlen)) == -1)
		goto fail;
	/* Several datagrams of a flow per read, where the system can. */
	(void)os_udpseg_enable(vx->vx_fd);
	if (vx->vx_hasgroup && os_mcast_join(vx->vx_fd,
	    (const struct sockaddr *)&vx->vx_group.va_ss,
	    vx->vx_group.va_len, vx->vx_ifindex) == -1) {
		snprintf(err, errlen, "join group %s: %s", c->c_group,
		    strerror(errno));
		goto fail;
	}
	vx->vx_sportlo = (int)c->c_sportlo;
	vx->vx_sporthi = (int)c->c_sporthi;
	for (i = vx->vx_sportlo; i > 0 && i <= vx->vx_sporthi; i++) {
		if (vxport_bindaddr(vx, i, 0, &a) != 0 ||
		    (vx->vx_sfds[vx->vx_nsfd] = vxport_socket(vx, &a, err,
		    errlen)) == -1)
			goto fail;
		vx->vx_nsfd++;
	}
	return (vx);
fail:
	vxport_free(vx);
	return (NULL);
}

/* The port's one-line description (its endpoint's, for port/print). */
void
vxport_describe(const struct vxport *vx, char *buf, size_t len)
{
	char	a[INET6_ADDRSTRLEN + 8];

	a[0] = '\0';
	if (vx->vx_hasgroup)
		vxport_fmtaddr((const struct sockaddr *)&vx->vx_group.va_ss,
		    a, sizeof(a));
	snprintf(buf, len, "vxlan vni %lu %s udp %d %s%s", (unsigned long)
	    vx->vx_vni, vx->vx_family == AF_INET6 ? "ipv6" : "ipv4",
	    vx->vx_udpport, vx->vx_hasgroup ? "group " : "unicast",
	    a);
}

/*
 * Make a VXLAN port from opts: 0 and its number in *np, or an errno value
 * and why in err.
 */
int
vxport_create(const char *opts, int *np, char *err, size_t errlen)
{
	struct vxconf	*c;
	struct vxport	*vx = NULL;
	struct port	*p;
	char		*copy, descr[VDE_DESCR_MAX + 1];
	int		 n, e;

	err[0] = '\0';
	c = xcalloc(1, sizeof(*c));
	c->c_vni = 1;
	c->c_udpport = VXLAN_PORT;
	c->c_ttl = -1;
	c->c_mtu = VX_DEF_MTU;
	c->c_udpcsum = 1;
	c->c_fdbmax = VX_DEF_FDBMAX;
	c->c_expire = VX_DEF_EXPIRE;
	c->c_rate = VX_DEF_RATE;
	c->c_family = AF_UNSPEC;
	copy = xstrdup(opts);
	if ((e = vxconf_parse(c, copy, 1, err, errlen)) != 0)
		goto out;
	if (c->c_swport > 0) {
		n = (int)c->c_swport;
		if (n > sw_numports()) {
			snprintf(err, errlen, "swport=%d: no such port", n);
			e = EINVAL;
			goto out;
		}
		if ((p = port_get(n)) != NULL && p->p_neps > 0) {
			snprintf(err, errlen, "swport=%d: in use", n);
			e = EADDRINUSE;
			goto out;
		}
	} else if ((e = port_select(0, 0, UID_NONE, &n)) != 0) {
		snprintf(err, errlen, "no free port");
		goto out;
	}
	if ((vx = vxport_open(c, err, errlen)) == NULL) {
		e = EINVAL;
		goto out;
	}
	vx->vx_port = n;
	vxport_describe(vx, descr, sizeof(descr));
	vx->vx_ep = port_attach_ops(n, &vxport_ops, vx, vx->vx_fd, UID_NONE,
	    descr);
	loop_add(vx->vx_fd, POLLIN, vxport_input, vx->vx_ep);
	vx->vx_next = vx_list;
	vx_list = vx;
	if (!vx_gcon) {
		vx_gcon = 1;
		timer_set(&vx_gctimer, vxport_gc, NULL);
		timer_add(&vx_gctimer, VX_GCINT);
	}
	log_info("port %d: %s", n, descr);
	*np = n;
	e = 0;
out:
	free(copy);
	free(c);
	return (e);
}

/* port_detach() through eo_close: the port's socket and state go. */
static void
vxport_close(struct endpoint *ep)
{
	struct vxport	*vx = ep->ep_priv, **l;

	for (l = &vx_list; *l != NULL; l = &(*l)->vx_next)
		if (*l == vx) {
			*l = vx->vx_next;
			break;
		}
	loop_del(vx->vx_fd);
	vxport_free(vx);
}

int
vxport_remove(int port)
{
	struct vxport	*vx;

	if ((vx = vxport_get(port)) == NULL)
		return (ENXIO);
	port_detach(vx->vx_ep);
	return (0);
}

struct vxport *
vxport_get(int port)
{
	struct vxport	*vx;

	for (vx = vx_list; vx != NULL; vx = vx->vx_next)
		if (vx->vx_port == port)
			return (vx);
	return (NULL);
}

struct vxport *
vxport_next(struct vxport *vx)
{
	return (vx == NULL ? vx_list : vx->vx_next);
}

int
vxport_num(const struct vxport *vx)
{
	return (vx->vx_port);
}

const struct vxstats *
vxport_stats(const struct vxport *vx)
{
	return (&vx->vx_st);
}

struct vxfdb *
vxport_fdb(struct vxport *vx)
{
	return (&vx->vx_fdb);
}

void
vxport_resetstats(struct vxport *vx)
{
	memset(&vx->vx_st, 0, sizeof(vx->vx_st));
	vx->vx_fdb.vf_limited = 0;
	vx->vx_fdb.vf_full = 0;
	vx->vx_toobig_logged = 0;
}

/* --- remotes -------------------------------------------------------- */

static int
vxport_findremote(const struct vxport *vx, const struct sockaddr *sa)
{
	int	i;

	for (i = 0; i < vx->vx_nremotes; i++)
		if (vxconf_sameip((const struct sockaddr *)
		    &vx->vx_remotes[i].va_ss, sa))
			return (i);
	return (-1);
}

int
vxport_addremote(struct vxport *vx, const char *s)
{
	struct vxaddr	a;

	if (vxconf_addr(s, vx->vx_family, vx->vx_udpport, &a) != 0 ||
	    vxport_ismcast(&a))
		return (EINVAL);
	if (vxport_findremote(vx, (struct sockaddr *)&a.va_ss) != -1)
		return (EEXIST);
	if (vx->vx_nremotes == VX_REMOTES_MAX)
		return (ENOSPC);
	vx->vx_remotes = xreallocarray(vx->vx_remotes,
	    (size_t)vx->vx_nremotes + 1, sizeof(*vx->vx_remotes));
	vx->vx_remotes[vx->vx_nremotes++] = a;
	return (0);
}

int
vxport_delremote(struct vxport *vx, const char *s)
{
	struct vxaddr	a;
	int		i;

	if (vxconf_addr(s, vx->vx_family, vx->vx_udpport, &a) != 0)
		return (EINVAL);
	if ((i = vxport_findremote(vx, (struct sockaddr *)&a.va_ss)) == -1)
		return (ENOENT);
	vx->vx_remotes[i] = vx->vx_remotes[--vx->vx_nremotes];
	return (0);
}

int
vxport_nremotes(const struct vxport *vx)
{
	return (vx->vx_nremotes);
}

void
vxport_remote(const struct vxport *vx, int i, char *buf, size_t len)
{
	vxport_fmtaddr((const struct sockaddr *)&vx->vx_remotes[i].va_ss,
	    buf, len);
}

/*
 * vxlan/set: the options that may change while the port runs.  fdbmax
 * makes a new, empty table (static entries included).
 */
int
vxport_set(struct vxport *vx, const char *opts, char *err, size_t errlen)
{
	struct vxconf	 c;
	char		*copy;
	int		 e, i, fd;

	err[0] = '\0';
	memset(&c, 0, sizeof(c));
	c.c_ttl = c.c_mtu = c.c_learnsrc = c.c_expire = c.c_rate = -1;
	c.c_fdbmax = -1;
	copy = xstrdup(opts);
	e = vxconf_parse(&c, copy, 0, err, errlen);
	free(copy);
	if (e != 0)
		return (e);
	if (c.c_ttl > 0) {
		for (i = -1; i < vx->vx_nsfd; i++) {
			fd = i == -1 ? vx->vx_fd : vx->vx_sfds[i];
			if (os_inet_ttl(fd, vx->vx_family, (int)c.c_ttl) ==
			    -1 || (vx->vx_hasgroup && os_inet_mcast(fd,
			    vx->vx_family, vx->vx_ifindex, (int)c.c_ttl) ==
			    -1)) {
				snprintf(err, errlen, "ttl: %s",
				    strerror(errno));
				return (errno);
			}
		}
		vx->vx_ttl = (int)c.c_ttl;
	}
	if (c.c_mtu > 0)
		vx->vx_mtu = (int)c.c_mtu;
	if (c.c_learnsrc >= 0)
		vx->vx_learnsrc = (int)c.c_learnsrc;
	if (c.c_expire > 0)
		vx->vx_fdb.vf_expire = (int)c.c_expire;
	if (c.c_rate > 0)
		vx->vx_fdb.vf_rate = (int)c.c_rate;
	if (c.c_fdbmax > 0) {
		e = vx->vx_fdb.vf_expire;
		i = vx->vx_fdb.vf_rate;
		vxfdb_free(&vx->vx_fdb);
		vxfdb_init(&vx->vx_fdb, (int)c.c_fdbmax, e, i);
	}
	return (0);
}

/* --- the data path -------------------------------------------------- */

/* Send one datagram (header, frame) to a. */
static int
vxport_sendto(struct vxport *vx, int fd, const unsigned char *hdr,
    const void *frame, size_t len, const struct vxaddr *a)
{
	struct msghdr	msg;
	struct iovec	iov[2];

	iov[0].iov_base = (void *)(uintptr_t)hdr;
	iov[0].iov_len = VXLAN_HDRLEN;
	iov[1].iov_base = (void *)(uintptr_t)frame;
	iov[1].iov_len = len;
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = (void *)(uintptr_t)&a->va_ss;
	msg.msg_namelen = a->va_len;
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	if (sendmsg(fd, &msg, MSG_DONTWAIT) == -1) {
		vx->vx_st.vs_txerr++;
		return (-1);
	}
	vx->vx_st.vs_txdgrams++;
	return (0);
}

/*
 * Send n datagrams laid end to end in d (total bytes, each of size bytes
 * but the last, which may be shorter) to a: with segmentation offload
 * where the system has it, else one by one.  The datagrams sent.
 */
static int
vxport_sendrun(struct vxport *vx, int fd, const unsigned char *d,
    size_t size, size_t total, const struct vxaddr *a)
{
	size_t	chunk, max, off, at;
	int	n, sent = 0, ok;

	max = OS_UDPSEG_BYTES / size;
	if (max > OS_UDPSEG_MAX)
		max = OS_UDPSEG_MAX;
	max *= size;
	for (off = 0; off < total; off += chunk) {
		chunk = total - off < max ? total - off : max;
		n = (int)((chunk + size - 1) / size);
		if (n > 1 && !vx->vx_nogso) {
			if (os_udpseg_send(fd, d + off, chunk, size,
			    (const struct sockaddr *)&a->va_ss, a->va_len) !=
			    -1) {
				vx->vx_st.vs_txdgrams += (uint64_t)n;
				vx->vx_st.vs_txgso++;
				sent += n;
				continue;
			}
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == ENOBUFS) {
				vx->vx_st.vs_txerr += (uint64_t)n;
				continue;
			}
		}
		/*
		 * One by one.  When that works where the offload did not,
		 * the offload is of no use on this port (a route or socket
		 * that cannot take it): it is not tried again.
		 */
		ok = 0;
		for (at = off; at < off + chunk; at += size)
			if (vxport_sendto(vx, fd, d + at, d + at +
			    VXLAN_HDRLEN, (off + chunk - at < size ?
			    off + chunk - at : size) - VXLAN_HDRLEN, a) == 0)
				ok++;
		if (n > 1 && ok == n && !vx->vx_nogso) {
			vx->vx_nogso = 1;
			log_debug("port %d: UDP segmentation offload "
			    "refused; datagrams go one by one", vx->vx_port);
		}
		sent += ok;
	}
	return (sent);
}

/*
 * n datagrams of lens[] bytes laid end to end in d, to a: each run of
 * equal sizes (and one shorter datagram after it) goes in one call.
 */
static int
vxport_senddgrams(struct vxport *vx, int fd, const unsigned char *d,
    const size_t *lens, int n, const struct vxaddr *a)
{
	size_t	total;
	int	i, j, sent = 0;

	for (i = 0; i < n; i = j) {
		total = lens[i];
		for (j = i + 1; j < n && lens[j] == lens[i]; j++)
			total += lens[j];
		if (j < n && lens[j] < lens[i])
			total += lens[j++];
		sent += vxport_sendrun(vx, fd, d, lens[i], total, a);
		d += total;
	}
	return (sent);
}

/* Is a frame of len bytes too large for the underlay?  Counted, logged once. */
static int
vxport_toobig(struct vxport *vx, size_t len)
{
	size_t	over;

	over = vx->vx_family == AF_INET6 ? VX_OVERHEAD6 : VX_OVERHEAD4;
	if (len + over <= (size_t)vx->vx_mtu)
		return (0);
	vx->vx_st.vs_toobig++;
	if (!vx->vx_toobig_logged) {
		vx->vx_toobig_logged = 1;
		log_warnx("port %d: a frame of %zu bytes does not fit the "
		    "underlay MTU %d with VXLAN over %s (%zu bytes more): "
		    "dropped; such frames are counted, not logged again",
		    vx->vx_port, len, vx->vx_mtu,
		    vx->vx_family == AF_INET6 ? "IPv6" : "IPv4", over);
	}
	return (1);
}

/*
 * Where a frame to f's destination goes: the VTEP the address was learned
 * from (copied into *one), else the group, else every remote.  The number
 * of addresses in *to (0: none, counted).
 */
static int
vxport_dests(struct vxport *vx, const unsigned char *f, size_t len,
    struct vxaddr *one, const struct vxaddr **to)
{
	const struct vxfdb_ent	*e;

	if ((f[0] & 1) == 0 && (e = vxfdb_lookup(&vx->vx_fdb, f,
	    vxlan_innervid(f, len), loop_sec())) != NULL) {
		memcpy(&one->va_ss, &e->ve_addr, e->ve_alen);
		one->va_len = e->ve_alen;
		*to = one;
		return (1);
	}
	if (vx->vx_hasgroup) {
		*to = &vx->vx_group;
		return (1);
	}
	if (vx->vx_nremotes == 0)
		vx->vx_st.vs_nodest++;
	*to = vx->vx_remotes;
	return (vx->vx_nremotes);
}

/* The socket a flow leaves from (its source port: entropy for ECMP). */
static int
vxport_txfd(const struct vxport *vx, const unsigned char *f, size_t len)
{
	if (vx->vx_nsfd > 0)
		return (vx->vx_sfds[vxlan_flowhash(f, len) %
		    (uint32_t)vx->vx_nsfd]);
	return (vx->vx_fd);
}

/*
 * eo_write: one complete frame from the switch into the overlay.  -1 (a
 * drop for the caller to count) when nothing went.
 */
static int
vxport_write(struct endpoint *ep, const void *frame, size_t len)
{
	struct vxport		*vx = ep->ep_priv;
	const unsigned char	*f = frame;
	const struct vxaddr	*to;
	unsigned char		 hdr[VXLAN_HDRLEN];
	struct vxaddr		 one;
	int			 fd, i, n, sent = 0;

	if (vxport_toobig(vx, len))
		return (-1);
	vxlan_encap(hdr, vx->vx_vni);
	fd = vxport_txfd(vx, f, len);
	vx->vx_st.vs_tx++;
	if ((n = vxport_dests(vx, f, len, &one, &to)) == 0)
		return (0);
	for (i = 0; i < n; i++)
		if (vxport_sendto(vx, fd, hdr, f, len, &to[i]) == 0)
			sent++;
	return (sent > 0 ? 0 : -1);
}

/*
 * eo_write_segs: a frame with offloads (a TCP segment of up to 64 KiB),
 * cut here (gi, gso.c) into datagrams laid end to end, which go to each
 * destination in as few system calls as the system allows.
 */
static int
vxport_write_segs(struct endpoint *ep, struct gso_iter *gi)
{
	struct vxport		*vx = ep->ep_priv;
	const unsigned char	*f = gi->gi_frame;
	const struct vxaddr	*to;
	struct vxaddr		 one;
	size_t			 pos = 0, n;
	int			 fd, i, nd, nseg = 0, sent = 0;

	fd = vxport_txfd(vx, f, gi->gi_len);
	nd = vxport_dests(vx, f, gi->gi_len, &one, &to);
	for (;;) {
		n = gso_next(gi, vx_sbuf + pos + VXLAN_HDRLEN,
		    sizeof(vx_sbuf) - pos - VXLAN_HDRLEN);
		if (n > 0 && !vxport_toobig(vx, n)) {
			vxlan_encap(vx_sbuf + pos, vx->vx_vni);
			vx->vx_st.vs_tx++;
			vx_slens[nseg++] = n + VXLAN_HDRLEN;
			pos += n + VXLAN_HDRLEN;
		}
		/* Send what is laid out when it is all, or room runs out. */
		if (nseg > 0 && (n == 0 || nseg == VX_SEGMAX ||
		    sizeof(vx_sbuf) - pos < VXLAN_HDRLEN + VDE_FRAMEBUF)) {
			for (i = 0; i < nd; i++)
				sent += vxport_senddgrams(vx, fd, vx_sbuf,
				    vx_slens, nseg, &to[i]);
			pos = 0;
			nseg = 0;
		}
		if (n == 0)
			break;
	}
	return (sent > 0 || nd == 0 ? 0 : -1);
}

/*
 * The station learned last from one read: the datagrams of a coalesced
 * read come from one VTEP, and mostly from one station, which is then
 * learned once.
 */
struct vxlast {
	int		vl_vid;		/* -1: none yet */
	unsigned char	vl_mac[ETHER_ADDR_LEN];
};

/*
 * Check one datagram d of n bytes from sa: the inner frame's length, or
 * 0 when it is refused (counted).  Learns where its source lives, unless
 * it is the station last learned from this read.
 */
static size_t
vxport_accept(struct vxport *vx, const unsigned char *d, size_t n,
    struct sockaddr_storage *ss, socklen_t sl, struct vxlast *last)
{
	uint32_t		 vni;
	const unsigned char	*f = d + VXLAN_HDRLEN;
	int			 vid;

	if (n > VX_RECVMAX) {
		vx->vx_st.vs_big++;
		return (0);
	}
	switch (vxlan_decap(d, n, &vni)) {
	case VXLAN_OK:
		break;
	case VXLAN_ESHORT:
		vx->vx_st.vs_short++;
		return (0);
	case VXLAN_EFLAGS:
		vx->vx_st.vs_flags++;
		return (0);
	default:
		vx->vx_st.vs_runt++;
		return (0);
	}
	if (vni != vx->vx_vni) {
		vx->vx_st.vs_vni++;
		return (0);
	}
	if (ss->ss_family != vx->vx_family || (!vx->vx_hasgroup &&
	    !vx->vx_learnsrc &&
	    vxport_findremote(vx, (struct sockaddr *)ss) == -1)) {
		vx->vx_st.vs_unknown++;
		return (0);
	}
	/* Frames to the source go to the VTEP's VXLAN port, not its own. */
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port =
		    htons((uint16_t)vx->vx_udpport);
	else
		((struct sockaddr_in6 *)ss)->sin6_port =
		    htons((uint16_t)vx->vx_udpport);
	vid = vxlan_innervid(f, n - VXLAN_HDRLEN);
	if (vid != last->vl_vid ||
	    memcmp(last->vl_mac, f + ETHER_ADDR_LEN, ETHER_ADDR_LEN) != 0) {
		(void)vxfdb_learn(&vx->vx_fdb, f + ETHER_ADDR_LEN, vid,
		    (struct sockaddr *)ss, sl, loop_sec());
		last->vl_vid = vid;
		memcpy(last->vl_mac, f + ETHER_ADDR_LEN, ETHER_ADDR_LEN);
	}
	vx->vx_st.vs_rx++;
	return (n - VXLAN_HDRLEN);
}

/* Forward the segment the port has merged so far, if any. */
static void
vxport_gro_flush(struct port *in, struct vxport *vx)
{
	struct os_offload	off;
	size_t			len;

	if (vx_gro.g_n > 1)
		vx->vx_st.vs_rxmerged += vx_gro.g_n;
	if ((len = gro_take(&vx_gro, &off)) > 0)
		forward_frame(in, vx_grobuf + FWD_HEADROOM, len, &off, NULL);
}

/*
 * One inner frame f of len bytes, received: merged into the TCP segment
 * held (gro.c) when it continues it, else forwarded now, after it.  A runt that is not the last datagram of its read
 * is copied first: padding it in place would overwrite the next one.
 */
static void
vxport_inner(struct port *in, struct vxport *vx, unsigned char *f,
    size_t len, int last, struct portq_batch *bp)
{
	switch (gro_add(&vx_gro, f, len)) {
	case GRO_HELD:
		return;
	case GRO_FLUSH:
		vxport_gro_flush(in, vx);
		if (gro_add(&vx_gro, f, len) == GRO_HELD)
			return;
		break;
	default:
		vxport_gro_flush(in, vx);
		break;
	}
	if (len < VDE_ETHMIN && !last) {
		memcpy(vx_runt + FWD_HEADROOM, f, len);
		forward_frame(in, vx_runt + FWD_HEADROOM, len, NULL, NULL);
		return;
	}
	forward_frame(in, f, len, NULL, bp);
}

/*
 * loop callback: read the socket (one read may hold several datagrams of
 * one flow, os_udpseg_recv) for at most VX_READS reads and VX_DGRAMS
 * datagrams, and forward what passes vxport_accept().  Each read lands
 * FWD_HEADROOM bytes into the buffer: every inner frame has its own
 * datagram's VXLAN header (8 bytes) in front of it to write a tag into.
 */
static void
vxport_input(int fd, int revents, void *arg)
{
	struct endpoint		*ep = arg;
	struct vxport		*vx = ep->ep_priv;
	struct port		*in = ep->ep_port;
	struct portq_batch	 batch = { NULL }, *bp;
	struct sockaddr_storage	 ss;
	struct vxlast		 last;
	socklen_t		 sl;
	unsigned char		*d;
	ssize_t			 n;
	size_t			 seg, off, dl, len;
	int			 reads, dgrams = 0;

	for (reads = 0; reads < VX_READS && dgrams < VX_DGRAMS; reads++) {
		sl = sizeof(ss);
		n = os_udpseg_recv(fd, vx_rbuf + FWD_HEADROOM, VX_READMAX,
		    &ss, &sl, &seg);
		if (n == -1)
			break;
		if (seg == 0)
			seg = (size_t)n;
		else
			vx->vx_st.vs_rxgro++;
		bp = vlan_aware() ? NULL : &batch;
		last.vl_vid = -1;
		for (off = 0; off < (size_t)n; off += dl) {
			dgrams++;
			dl = (size_t)n - off < seg ? (size_t)n - off : seg;
			d = vx_rbuf + FWD_HEADROOM + off;
			if ((len = vxport_accept(vx, d, dl, &ss, sl,
			    &last)) == 0)
				continue;
			vxport_inner(in, vx, d + VXLAN_HDRLEN, len,
			    off + dl == (size_t)n, bp);
		}
		/* The read buffer is reused: nothing of it may stay staged. */
		portq_batch_end(bp);
	}
	/*
	 * A segment may go on in the next read (the far side's sends are
	 * at most 64 KiB each): it is held until the wake-up ends.
	 */
	vxport_gro_flush(in, vx);
}

/* The --vxlan ports, once the switch is up; a failure is fatal. */
void
vxport_init(void)
{
	char	err[256];
	int	i, n, e;

	for (i = 0; i < sw_conf.c_nvxlans; i++)
		if ((e = vxport_create(sw_conf.c_vxlans[i], &n, err,
		    sizeof(err))) != 0)
			fatalx("--vxlan %s: %s", sw_conf.c_vxlans[i],
			    err[0] != '\0' ? err : strerror(e));
}
