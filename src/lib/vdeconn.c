/*
 * vdeconn.c: a connection to a VDE switch (spec sections 1.2, 11.2 and
 * 11.3): the control-socket handshake, the client's datagram socket and
 * the per-frame calls.
 *
 * The client binds its data socket as DIR/.PPPPP-SSSSS (or in a private
 * directory when DIR is closed to it or not safe: see clisock.c), sends
 * the request with that address, connects to the data socket the switch
 * answers with and then removes its own name at once: nothing is left
 * behind whatever happens to the process afterwards.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"
#include "proto.h"
#include "ring.h"
#include "libvdeplug.h"
#include "lib.h"

#define VDECONN_REPLY_MS	10000	/* how long the switch may take */
#define VDECONN_DEFMODE		0700

/*
 * The data socket's buffers, as the switch sizes its own (ctl.c).  On
 * FreeBSD the defaults are small (net.local.dgram.recvspace and
 * sendspace), a full receive buffer loses datagrams instead of making the
 * sender wait, and on FreeBSD 13 the send buffer is also the largest
 * datagram (EMSGSIZE above it; later releases use the sysctl
 * net.local.dgram.maxdgram, sys/kern/uipc_usrreq.c).  Linux caps what is
 * asked at net.core.wmem_max and rmem_max; a refusal is harmless.
 */
#define VDECONN_SOCKBUF		(1 << 20)

/* What one open needs to know, gathered from the name and the arguments. */
struct vdeconn_req {
	int		 cr_type;	/* VDE_REQ_NEW_CONTROL or _PORT0 */
	int		 cr_port;
	const char	*cr_group;	/* NULL: none */
	mode_t		 cr_mode;
	char		 cr_descr[VDE_DESCR_MAX];
};

static int	vdeconn_socket(int);
static int	vdeconn_handshake(struct vdeconn *, const char *,
		    const char *, const struct vdeconn_req *);
static int	vdeconn_reply(int, struct sockaddr_un *);
static int	vdeconn_try(struct vdeconn *, const char *, const char *,
		    const struct vdeconn_req *);
static void	vdeconn_descr(char *, size_t, const char *);
static char	*vdeconn_abspath(const char *);

/* Tell the user why a name was refused: errno alone cannot say it. */
void
vdeconn_error(const char *msg)
{
	if (msg != NULL && *msg != '\0')
		fprintf(stderr, "libvdeplug: %s\n", msg);
}

/*
 * The switch directory as an absolute path: the switch resolves the
 * client's socket name from its own working directory, not ours.
 */
static char *
vdeconn_abspath(const char *path)
{
	char	cwd[PATH_MAX], *abs;
	size_t	len;

	if (path[0] == '/')
		return (strdup(path));
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return (NULL);
	len = strlen(cwd) + 1 + strlen(path) + 1;
	if ((abs = malloc(len)) == NULL)
		return (NULL);
	snprintf(abs, len, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path);
	return (abs);
}

/* A socket of the given type that is not inherited across exec. */
static int
vdeconn_socket(int type)
{
	int	fd, saved;

	if ((fd = socket(AF_UNIX, type, 0)) == -1)
		return (-1);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return (-1);
	}
	return (fd);
}

/* "DESCR user=NAME pid=N[ SSH=ADDR]", as port/print shows it. */
static void
vdeconn_descr(char *buf, size_t len, const char *descr)
{
	struct passwd	*pw;
	const char	*ssh;
	char		 user[64], addr[64];

	if ((pw = getpwuid(geteuid())) != NULL)
		snprintf(user, sizeof(user), "%s", pw->pw_name);
	else
		snprintf(user, sizeof(user), "%lu", (unsigned long)geteuid());
	addr[0] = '\0';
	if ((ssh = getenv("SSH_CLIENT")) != NULL && *ssh != '\0')
		snprintf(addr, sizeof(addr), " SSH=%.*s",
		    (int)strcspn(ssh, " "), ssh);
	snprintf(buf, len, "%s%suser=%s pid=%ld%s",
	    descr != NULL ? descr : "",
	    descr != NULL && *descr != '\0' ? " " : "", user, (long)getpid(),
	    addr);
}

/* Read the switch's reply: one whole sockaddr_un, or EOF on refusal. */
static int
vdeconn_reply(int ctl, struct sockaddr_un *sun)
{
	struct pollfd	 pfd;
	unsigned char	*p = (unsigned char *)sun;
	size_t		 have = 0;
	ssize_t		 n;
	int		 r;

	memset(sun, 0, sizeof(*sun));
	while (have < sizeof(*sun)) {
		pfd.fd = ctl;
		pfd.events = POLLIN;
		if ((r = poll(&pfd, 1, VDECONN_REPLY_MS)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		if (r == 0) {
			errno = ETIMEDOUT;
			return (-1);
		}
		n = recv(ctl, p + have, sizeof(*sun) - have, 0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		if (n == 0) {
			/* The switch closes without a word when it refuses. */
			errno = have == 0 ? ECONNREFUSED : EPROTO;
			return (-1);
		}
		have += (size_t)n;
	}
	if (sun->sun_family != AF_UNIX || (sun->sun_path[0] != '\0' &&
	    memchr(sun->sun_path, '\0', sizeof(sun->sun_path)) == NULL)) {
		errno = EPROTO;
		return (-1);
	}
	return (0);
}

/*
 * With the control connection up, bind the data socket, send the request,
 * connect to the switch's data socket and remove our own name.
 */
static int
vdeconn_handshake(struct vdeconn *vc, const char *dir, const char *ctlpath,
    const struct vdeconn_req *cr)
{
	struct sockaddr_un	 me, sw;
	struct clisock		 cs;
	unsigned char		 req[VDE_REQ_MAX];
	char			 swpath[sizeof(sw.sun_path)];
	size_t			 len;
	socklen_t		 slen;
	ssize_t			 n;
	int			 offer;

	if (clisock_bind(vc->vc_data, dir, &cs) == -1)
		return (-1);
	if (clisock_perms(&cs, ctlpath, cr->cr_group, cr->cr_mode) == -1)
		goto fail;
	memset(&me, 0, sizeof(me));
	(void)os_sun_set(&me, cs.cs_path);
	/* The offer of rings, where only our switch looks (ring.h). */
	offer = ringc_wanted() && strlen(cs.cs_path) < RING_MARKOFF;
	if (offer)
		memcpy(me.sun_path + RING_MARKOFF, RING_MARK, RING_MARKLEN);
	len = ctlreq_build(req, sizeof(req), cr->cr_type, cr->cr_port, &me,
	    cr->cr_descr);
	if (len == 0) {
		errno = EINVAL;
		goto fail;
	}
	do
		n = send(vc->vc_ctl, req, len, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)len) {
		if (n >= 0)
			errno = EPROTO;
		goto fail;
	}
	if (vdeconn_reply(vc->vc_ctl, &sw) == -1)
		goto fail;
	if (offer && memcmp(sw.sun_path + RING_MARKOFF, RING_MARK,
	    RING_MARKLEN) == 0) {
		/* Accepted: the rings replace the data socket. */
		if (ringc_open(vc) == -1)
			goto fail;
		clisock_close(&cs);
		return (0);
	}
	if (sw.sun_path[0] != '\0') {
		memcpy(swpath, sw.sun_path, sizeof(swpath));
		slen = os_sun_set(&sw, swpath);
	} else
		slen = sizeof(sw);	/* abstract: the whole address counts */
	if (slen == 0 || connect(vc->vc_data, (struct sockaddr *)&sw,
	    slen) == -1)
		goto fail;
	clisock_close(&cs);
	return (0);
fail:
	clisock_close(&cs);
	return (-1);
}

/* Open both sockets and run the handshake with the switch in dir. */
static int
vdeconn_try(struct vdeconn *vc, const char *dir, const char *ctlpath,
    const struct vdeconn_req *cr)
{
	struct sockaddr_un	sun;
	socklen_t		slen;
	int			saved, bufsz;

	vc->vc_kind = VNL_SWITCH;
	vc->vc_ctl = vc->vc_data = -1;
	if ((slen = os_sun_set(&sun, ctlpath)) == 0)
		return (-1);
	if ((vc->vc_ctl = vdeconn_socket(SOCK_STREAM)) == -1)
		return (-1);
	if (connect(vc->vc_ctl, (struct sockaddr *)&sun, slen) == -1)
		goto fail;
	if ((vc->vc_data = vdeconn_socket(SOCK_DGRAM)) == -1)
		goto fail;
	bufsz = VDECONN_SOCKBUF;
	(void)setsockopt(vc->vc_data, SOL_SOCKET, SO_SNDBUF, &bufsz,
	    sizeof(bufsz));
	(void)setsockopt(vc->vc_data, SOL_SOCKET, SO_RCVBUF, &bufsz,
	    sizeof(bufsz));
	if (vdeconn_handshake(vc, dir, ctlpath, cr) == -1)
		goto fail;
	return (0);
fail:
	saved = errno;
	if (vc->vc_data != -1)
		close(vc->vc_data);
	close(vc->vc_ctl);
	vc->vc_ctl = vc->vc_data = -1;
	errno = saved;
	return (-1);
}

/*
 * Open a connection to the switch named by vnl.  Returns NULL with errno
 * set on failure; names this library cannot handle also get a line on
 * stderr, since errno alone would not tell the user what was wrong.
 */
LIB_EXPORT VDECONN *
vde_open_real(char *vnl, char *descr, int interface_version,
    struct vde_open_args *open_args)
{
	static const char *const defaults[][2] = {
		{ "/var/run/vde.ctl", "/var/run/vde.ctl/ctl" },
		{ "/tmp/vde.ctl", "/tmp/vde.ctl/ctl" },
		{ "/tmp/vde.ctl", "/tmp/vde.ctl" },	/* old layout */
	};
	struct vdeconn		*vc;
	struct vdeconn_req	 cr;
	struct vnl		 v;
	struct stat		 st;
	char			 err[PATH_MAX + 128], *dir = NULL;
	char			 ctlpath[PATH_MAX + 8];
	size_t			 i;
	int			 port = 0, r, saved;

	if (open_args != NULL) {
		if (interface_version != LIBVDEPLUG_INTERFACE_VERSION) {
			errno = EINVAL;
			return (NULL);
		}
		port = open_args->port;
	}
	if (port < -1) {
		errno = EINVAL;
		return (NULL);
	}
	if (vnl_parse(vnl, &v, err, sizeof(err)) == -1 ||
	    (v.v_default && vnl_default(&v, err, sizeof(err)) == -1)) {
		saved = errno;
		vdeconn_error(err);
		errno = saved;
		return (NULL);
	}

	memset(&cr, 0, sizeof(cr));
	if (v.v_portset)
		port = v.v_port == 0 ? -1 : v.v_port;
	cr.cr_type = port == -1 ? VDE_REQ_NEW_PORT0 : VDE_REQ_NEW_CONTROL;
	cr.cr_port = port == -1 ? 0 : port;
	if (v.v_group[0] != '\0')
		cr.cr_group = v.v_group;
	else if (open_args != NULL && open_args->group != NULL &&
	    *open_args->group != '\0')
		cr.cr_group = open_args->group;
	cr.cr_mode = v.v_modeset ? v.v_mode :
	    open_args != NULL ? open_args->mode : 0;
	if (cr.cr_mode == 0)
		cr.cr_mode = VDECONN_DEFMODE;
	vdeconn_descr(cr.cr_descr, sizeof(cr.cr_descr), descr);

	if ((vc = calloc(1, sizeof(*vc))) == NULL)
		return (NULL);
	if (v.v_kind == VNL_UDP) {
		if (udp_open(vc, v.v_path, err, sizeof(err)) == -1) {
			saved = errno;
			vdeconn_error(err);
			errno = saved;
			goto fail;
		}
	} else if (v.v_kind == VNL_VXVDE || v.v_kind == VNL_VXLAN) {
		if (vxnet_open(vc, v.v_path, v.v_kind, err, sizeof(err)) == -1) {
			saved = errno;
			vdeconn_error(err);
			errno = saved;
			goto fail;
		}
	} else if (v.v_kind == VNL_PTP) {
		if (ptp_open(vc, v.v_path, 1) == -1)
			goto fail;
	} else if (!v.v_default && stat(v.v_path, &st) == 0 &&
	    S_ISSOCK(st.st_mode)) {
		/*
		 * A socket: a switch's ctl named directly, or else (a
		 * datagram socket refuses a stream) the female end of a
		 * point-to-point cable, which makes us the male end.
		 */
		if ((dir = vdeconn_abspath(v.v_path)) == NULL)
			goto fail;
		strlcpy(ctlpath, dir, sizeof(ctlpath));
		*strrchr(dir, '/') = '\0';
		if (vdeconn_try(vc, *dir != '\0' ? dir : "/", ctlpath,
		    &cr) == -1) {
			if (errno != EPROTOTYPE ||
			    ptp_open(vc, v.v_path, 0) == -1)
				goto fail;
		}
	} else if (!v.v_default) {
		if ((dir = vdeconn_abspath(v.v_path)) == NULL)
			goto fail;
		r = snprintf(ctlpath, sizeof(ctlpath), "%s/ctl", dir);
		if (r < 0 || (size_t)r >= sizeof(ctlpath)) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		if (vdeconn_try(vc, dir, ctlpath, &cr) == -1)
			goto fail;
	} else {
		errno = ENOENT;
		for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			if (vdeconn_try(vc, defaults[i][0], defaults[i][1],
			    &cr) == 0)
				break;
		if (i == sizeof(defaults) / sizeof(defaults[0]))
			goto fail;
	}
	free(dir);
	return (vc);
fail:
	saved = errno;
	free(dir);
	free(vc);
	errno = saved;
	return (NULL);
}

/* Receive one frame; returns its length, 0 or -1 when the link failed. */
LIB_EXPORT ssize_t
vde_recv(VDECONN *vc, void *buf, size_t len, int flags)
{
	if (vc == NULL) {
		errno = EBADF;
		return (-1);
	}
	switch (vc->vc_kind) {
	case VNL_PTP:
		return (ptp_recv(vc, buf, len));
	case VNL_UDP:
		return (udp_recv(vc, buf, len));
	case VNL_VXVDE:
	case VNL_VXLAN:
		return (vxnet_recv(vc, buf, len));
	}
	if (vc->vc_ring != NULL)
		return (ringc_recv(vc, buf, len, flags));
	return (recv(vc->vc_data, buf, len, 0));
}

/* Send one frame; returns the bytes sent or -1. */
LIB_EXPORT ssize_t
vde_send(VDECONN *vc, const void *buf, size_t len, int flags)
{
	if (vc == NULL) {
		errno = EBADF;
		return (-1);
	}
	switch (vc->vc_kind) {
	case VNL_PTP:
		return (ptp_send(vc, buf, len));
	case VNL_UDP:
		return (udp_send(vc, buf, len));
	case VNL_VXVDE:
	case VNL_VXLAN:
		return (vxnet_send(vc, buf, len));
	}
	if (vc->vc_ring != NULL)
		return (ringc_send(vc, buf, len, flags));
	return (send(vc->vc_data, buf, len, 0));
}

/* The fd to poll for incoming frames. */
LIB_EXPORT int
vde_datafd(VDECONN *vc)
{
	if (vc == NULL) {
		errno = EBADF;
		return (-1);
	}
	return (vc->vc_data);
}

/*
 * The control stream: readable or at EOF once the switch has gone; -1 for
 * cables, which have none.
 */
LIB_EXPORT int
vde_ctlfd(VDECONN *vc)
{
	if (vc == NULL) {
		errno = EBADF;
		return (-1);
	}
	return (vc->vc_ctl);
}

/* Close the connection; the switch frees the endpoint on the EOF. */
LIB_EXPORT int
vde_close(VDECONN *vc)
{
	if (vc == NULL) {
		errno = EBADF;
		return (-1);
	}
	if (vc->vc_kind == VNL_PTP)
		ptp_close(vc);
	vxnet_close(vc);
	if (vc->vc_ring != NULL)
		ringc_close(vc);
	close(vc->vc_data);
	if (vc->vc_ctl != -1)
		close(vc->vc_ctl);
	free(vc);
	return (0);
}
