/*
 * ctl.c: the ctl socket and the handshake that turns a client's control
 * connection into an endpoint (spec sections 1.1, 1.4, 1.5 and 1.7); the
 * directory and its socket files are swdir.c's.
 *
 * Every defect of a request (bad magic or version, truncation, oversize,
 * a port out of range, a client socket that is not the client's own)
 * closes that one connection with a log line and nothing else.
 *
 * The switch often runs as root while other users talk to it: the path a
 * client names for its own socket is connected to with that client's
 * credentials, and unfinished handshakes are bounded per user.
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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "ring.h"
#include "xmalloc.h"
#include "switch.h"

#define CTL_BACKLOG	128
#define CTL_MAXPENDING	256	/* unfinished handshakes at once */
#define CTL_TIMEOUT	10000	/* ms for a client to send its request */
/*
 * Data socket buffers.  On FreeBSD 13 the send buffer is also the largest
 * datagram the socket may send (EMSGSIZE above it; later releases use the
 * sysctl net.local.dgram.maxdgram instead, sys/kern/uipc_usrreq.c).
 */
#define CTL_SOCKBUF	(1 << 20)
#define CTL_LOGMAX	10	/* refusals logged a second */

/* A control connection whose request is not complete yet. */
struct ctl_conn {
	int		 cc_fd;
	uid_t		 cc_uid;	/* peer, UID_NONE when unknown */
	size_t		 cc_len;
	uint64_t	 cc_start;	/* loop_msec() at accept */
	struct ctl_conn	*cc_next;
	unsigned char	 cc_buf[VDE_REQ_MAX + 1];
};

static int		 ctl_fd = -1;
static char		 ctl_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static dev_t		 ctl_dev;
static ino_t		 ctl_ino;
static struct ctl_conn	*ctl_conns;
static int		 ctl_npending;
static struct timer	 ctl_timer;	/* handshake timeouts */
static struct timer	 ctl_resume;	/* accept() again after EMFILE */
static uint64_t		 ctl_refused_at;	/* the second of ctl_logged */
static int		 ctl_logged;	/* refusals logged in that second */
static unsigned long	 ctl_unlogged;	/* refusals not logged since */
static struct timer	 ctl_logtimer;	/* says how many were not logged */
static int		 ctl_logarmed;

static void	ctl_accept(int, int, void *);
static int	ctl_accept_one(int);
static void	ctl_refused_count(void *);
static void	ctl_refuse(const char *, ...)
		    __attribute__((__format__(printf, 1, 2)));

/*
 * Is anybody listening on the socket at path?  A refused connection means
 * a stale socket left by a dead switch.
 */
static int
ctl_alive(const char *path)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	int			fd, r;

	if ((len = os_sun_set(&sun, path)) == 0)
		return (0);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		fatal("socket");
	r = connect(fd, (struct sockaddr *)&sun, len);
	close(fd);
	return (r == 0 || errno != ECONNREFUSED);
}

/* Bind, mode and listen on DIR/ctl, replacing a stale socket. */
static void
ctl_listen(void)
{
	struct stat	st;

	(void)snprintf(ctl_path, sizeof(ctl_path), "%s/ctl", sw_conf.c_sock);
	if ((ctl_fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		fatal("socket");
	if (swdir_bind(ctl_fd, "ctl", sw_conf.c_mode) == -1) {
		if (errno != EADDRINUSE)
			fatal("cannot bind %s", ctl_path);
		if (swdir_stat("ctl", &st) == 0 &&
		    !S_ISSOCK(st.st_mode))
			fatalx("%s exists and is not a socket", ctl_path);
		if (ctl_alive(ctl_path))
			fatalx("another switch is running on %s "
			    "(its ctl socket answers)", sw_conf.c_sock);
		log_info("removing stale socket %s", ctl_path);
		if (swdir_unlink("ctl") == -1)
			fatal("unlink %s", ctl_path);
		if (swdir_bind(ctl_fd, "ctl", sw_conf.c_mode) == -1)
			fatal("cannot bind %s", ctl_path);
	}
	if (swdir_stat("ctl", &st) == -1)
		fatal("%s", ctl_path);
	ctl_dev = st.st_dev;
	ctl_ino = st.st_ino;
	if (swdir_chown("ctl", (uid_t)-1, sw_conf.c_gid == GID_NONE ?
	    (gid_t)-1 : sw_conf.c_gid) == -1)
		fatal("chown %s", ctl_path);
	if (listen(ctl_fd, CTL_BACKLOG) == -1)
		fatal("listen %s", ctl_path);
	if (loop_nonblock(ctl_fd) == -1)
		fatal("fcntl");
}

static void
ctl_conn_close(struct ctl_conn *cc)
{
	struct ctl_conn	**ccp;

	for (ccp = &ctl_conns; *ccp != NULL; ccp = &(*ccp)->cc_next) {
		if (*ccp == cc) {
			*ccp = cc->cc_next;
			break;
		}
	}
	loop_del(cc->cc_fd);
	close(cc->cc_fd);
	free(cc);
	ctl_npending--;
}

/* Close handshakes that did not complete in time. */
static void
ctl_expire(void *arg)
{
	struct ctl_conn	*cc, *next;
	uint64_t	 now = loop_msec();

	for (cc = ctl_conns; cc != NULL; cc = next) {
		next = cc->cc_next;
		if (now - cc->cc_start >= CTL_TIMEOUT) {
			log_warnx("ctl: no complete request after %d s, "
			    "closing", CTL_TIMEOUT / 1000);
			ctl_conn_close(cc);
		}
	}
	timer_add(&ctl_timer, 1000);
}

static void
ctl_accept_again(void *arg)
{
	loop_events(ctl_fd, POLLIN);
}

/* Create the switch directory and start listening on its ctl socket. */
void
ctl_init(void)
{
	swdir_open();
	ctl_listen();
	loop_add(ctl_fd, POLLIN, ctl_accept, NULL);
	timer_set(&ctl_timer, ctl_expire, NULL);
	timer_add(&ctl_timer, 1000);
	timer_set(&ctl_resume, ctl_accept_again, NULL);
	timer_set(&ctl_logtimer, ctl_refused_count, NULL);
}

/*
 * After the handshake: the switch never writes on a control connection
 * again.  Its end (EOF or error) ends the endpoint; stray bytes are read
 * and ignored.
 */
static void
ctl_established(int fd, int revents, void *arg)
{
	struct endpoint	*ep = arg;
	char		 buf[256];
	ssize_t		 n;

	n = read(fd, buf, sizeof(buf));
	if (n > 0) {
		log_debug("port %d: %zd stray bytes on control connection "
		    "%d ignored", ep->ep_port->p_num, n, fd);
		return;
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	log_debug("port %d: control connection %d closed",
	    ep->ep_port->p_num, fd);
	port_detach(ep);
}

/*
 * The security check: the client's data socket must be a socket owned by
 * the user at the other end of the control connection, so that a client
 * can never make the switch (perhaps root) send frames into somebody
 * else's socket such as /dev/log.  A root switch also connects to it with
 * the client's credentials (ctl_connect): the check is for a switch that
 * cannot, and for the log.  uid is UID_NONE when the system did not tell
 * who the client is: a root switch then trusts only root's own sockets.
 */
static int
ctl_checkpath(const char *path, const struct os_peercred *cred,
    struct stat *st)
{
	uid_t	uid = cred->uid;
	int	asuser, r, saved;

	/*
	 * Looked at with the client's credentials too, so that a root switch
	 * tells a client nothing about paths the client cannot search.
	 */
	asuser = geteuid() == 0 && uid != UID_NONE && uid != 0;
	if (asuser && os_asuser(cred) == -1) {
		log_warn("ctl: cannot take the credentials of uid %lu",
		    (unsigned long)uid);
		return (-1);
	}
	r = lstat(path, st);
	saved = errno;
	if (asuser && os_asself() == -1)
		fatal("cannot return to the switch's own credentials");
	if (r == -1) {
		log_warnx("ctl: client socket %s: %s", path, strerror(saved));
		return (-1);
	}
	if (!S_ISSOCK(st->st_mode)) {
		log_warnx("ctl: client path %s is not a socket, refused",
		    path);
		return (-1);
	}
	if (uid == UID_NONE && geteuid() == 0 && st->st_uid != 0) {
		log_warnx("ctl: client socket %s belongs to uid %lu and the "
		    "system does not say who the client is: refused", path,
		    (unsigned long)st->st_uid);
		return (-1);
	}
	if (uid != UID_NONE && uid != 0 && st->st_uid != uid) {
		log_warnx("ctl: client socket %s belongs to uid %lu, not to "
		    "the requesting uid %lu, refused", path,
		    (unsigned long)st->st_uid, (unsigned long)uid);
		return (-1);
	}
	return (0);
}

/*
 * The data socket for port n: bound as DIR/NNN.F with its mode (spec
 * section 1.4 step 6) and, on a root switch, owned by the client with the
 * mode's user bits only.  Its name goes to path.  Returns the descriptor,
 * or -1 (logged).
 */
static int
ctl_datasock(int n, int port0, uid_t uid, char *path, size_t pathlen)
{
	mode_t	 mode = port0 ? sw_conf.c_mgmtmode : sw_conf.c_mode;
	gid_t	 gid = port0 ? sw_conf.c_mgmtgid : sw_conf.c_gid;
	uid_t	 owner = (uid_t)-1;
	char	*name;
	int	 fd, sz;

	if (geteuid() == 0 && uid != UID_NONE && uid != 0) {
		mode &= 0700;
		owner = uid;
	}
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1) {
		log_warn("ctl: socket");
		return (-1);
	}
	if (loop_nonblock(fd) == -1) {
		log_warn("ctl: fcntl");
		goto fail;
	}
	sz = CTL_SOCKBUF;
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (snprintf(path, pathlen, "%s/%03d.%d", sw_conf.c_sock, n,
	    fd) >= (int)pathlen) {
		log_warnx("ctl: data socket name too long for port %d", n);
		goto fail;
	}
	name = strrchr(path, '/') + 1;
	/* A leftover of the same name, or something planted: unlink
	 * removes a name, never what a link points to. */
	(void)swdir_unlink(name);
	if (swdir_bind(fd, name, mode) == -1) {
		log_warn("ctl: bind %s", path);
		goto fail;
	}
	if (swdir_chown(name, owner, gid == GID_NONE ? (gid_t)-1 : gid) == -1) {
		log_warn("ctl: chown %s", path);
		(void)swdir_unlink(name);
		goto fail;
	}
	return (fd);
fail:
	close(fd);
	return (-1);
}

/*
 * Connect the data socket fd to the client's socket.  A root switch does
 * it as the client (cred), so the path, resolved anew by connect,
 * reaches only what the client itself could reach.  A path must still be
 * the socket ctl_checkpath saw (st).
 */
static int
ctl_connect(int fd, const struct vde_req *rq, const struct os_peercred *cred,
    const struct stat *st)
{
	struct stat	st2;
	int		asuser, r, saved;

	asuser = !rq->rq_abstract && geteuid() == 0 && cred->uid != UID_NONE &&
	    cred->uid != 0;
	if (asuser && os_asuser(cred) == -1) {
		log_warn("ctl: cannot take the credentials of uid %lu",
		    (unsigned long)cred->uid);
		return (-1);
	}
	/* Full length always: abstract names use every byte. */
	r = connect(fd, (const struct sockaddr *)&rq->rq_sock,
	    sizeof(rq->rq_sock));
	saved = errno;
	if (asuser && os_asself() == -1)
		fatal("cannot return to the switch's own credentials");
	if (r == -1) {
		errno = saved;
		log_warn("ctl: connect to client socket %s",
		    rq->rq_abstract ? "(abstract)" : rq->rq_sock.sun_path);
		return (-1);
	}
	if (!rq->rq_abstract && (lstat(rq->rq_sock.sun_path, &st2) == -1 ||
	    st2.st_dev != st->st_dev || st2.st_ino != st->st_ino)) {
		log_warnx("ctl: client socket %s changed during the "
		    "handshake, refused", rq->rq_sock.sun_path);
		return (-1);
	}
	return (0);
}

/*
 * Turn a parsed request into an endpoint: check the client, choose the
 * port, make and connect the data socket, reply with its address in one
 * write, and watch both descriptors.  Returns -1 when the connection must
 * be closed (already logged).
 */
static int
ctl_newendpoint(struct ctl_conn *cc, const struct vde_req *rq)
{
	struct os_peercred	 cred;
	struct sockaddr_un	 sun;
	struct stat		 st;
	struct endpoint		*ep;
	struct ringport		*rp = NULL;
	char			 path[sizeof(sun.sun_path)];
	uid_t			 uid;
	int			 dfd, n, err, port0;

	port0 = rq->rq_type == VDE_REQ_NEW_PORT0;
	if (os_peercred(cc->cc_fd, &cred) == -1)
		cred.uid = UID_NONE;
	uid = cred.uid;
	memset(&st, 0, sizeof(st));
	if (!rq->rq_abstract) {
		if (ctl_checkpath(rq->rq_sock.sun_path, &cred, &st) == -1)
			return (-1);
		if (uid == UID_NONE)
			uid = st.st_uid;
	}
	if ((err = port_select(rq->rq_port, port0, uid, &n)) != 0) {
		ctl_refuse("request for port %d from uid %ld refused: %s",
		    port0 ? 0 : rq->rq_port,
		    uid == UID_NONE ? -1L : (long)uid,
		    err == EINVAL ? "port out of range" :
		    err == ENOSPC ? "no free port" :
		    err == EMLINK ? "the port has its maximum of cables "
		    "(--port-cables)" :
		    err == EDQUOT ? "the user has its maximum of cables "
		    "(--user-cables)" : strerror(err));
		return (-1);
	}
	if ((dfd = ctl_datasock(n, port0, uid, path, sizeof(path))) == -1)
		return (-1);
	if (ctl_connect(dfd, rq, &cred, &st) == -1)
		goto fail;
	/* The reply: the whole sockaddr_un in one write. */
	(void)os_sun_set(&sun, path);
	/* Rings offered and affordable: the mark says yes (ringport.c). */
	if (ringport_offered(rq) && strlen(path) < RING_MARKOFF &&
	    (rp = ringport_new(n)) != NULL)
		memcpy(sun.sun_path + RING_MARKOFF, RING_MARK, RING_MARKLEN);
	if (write(cc->cc_fd, &sun, sizeof(sun)) != (ssize_t)sizeof(sun)) {
		log_warnx("ctl: port %d: could not send the reply", n);
		goto fail;
	}
	if (rp != NULL) {
		if (ringport_send(rp, cc->cc_fd) == -1)
			goto fail;
		/* The data socket stays, unused, as the endpoint's name. */
		ep = ringport_attach(n, rp, cc->cc_fd, dfd, path, uid,
		    rq->rq_descr);
		log_info("port %d: new endpoint %d on rings, uid %ld, \"%s\"",
		    n, cc->cc_fd, uid == UID_NONE ? -1L : (long)uid,
		    ep->ep_descr);
		return (0);
	}
	ep = port_attach(n, dfd, cc->cc_fd, uid, "vde", rq->rq_descr, path);
	/* A listener may already have queued frames for it. */
	loop_add(dfd, ep->ep_q != NULL ? POLLIN | POLLOUT : POLLIN,
	    forward_input, ep);
	loop_add(cc->cc_fd, POLLIN, ctl_established, ep);
	log_info("port %d: new endpoint %d, uid %ld, \"%s\"", n, cc->cc_fd,
	    uid == UID_NONE ? -1L : (long)uid, ep->ep_descr);
	return (0);

fail:
	if (rp != NULL)
		ringport_free(rp);
	(void)swdir_unlink(strrchr(path, '/') + 1);
	close(dfd);
	return (-1);
}

/* Bytes of a request: buffer them until the header is complete. */
static void
ctl_read(int fd, int revents, void *arg)
{
	struct ctl_conn	*cc = arg;
	struct vde_req	 rq;
	const char	*why;
	ssize_t		 n;
	int		 r;

	n = read(fd, cc->cc_buf + cc->cc_len, sizeof(cc->cc_buf) - cc->cc_len);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (cc->cc_len > 0)
			log_warnx("ctl: connection closed after %zu bytes, "
			    "request truncated", cc->cc_len);
		ctl_conn_close(cc);
		return;
	}
	cc->cc_len += (size_t)n;
	r = ctlreq_parse(cc->cc_buf, cc->cc_len, &rq, &why);
	if (r == CTLREQ_MORE && cc->cc_len < sizeof(cc->cc_buf))
		return;
	if (r != CTLREQ_DONE) {
		log_warnx("ctl: %s, closing connection",
		    why != NULL ? why : "oversized request");
		ctl_conn_close(cc);
		return;
	}
	loop_del(fd);
	if (ctl_newendpoint(cc, &rq) == -1) {
		ctl_conn_close(cc);
		return;
	}
	/* The descriptor now belongs to the endpoint. */
	{
		struct ctl_conn	**ccp;

		for (ccp = &ctl_conns; *ccp != NULL; ccp = &(*ccp)->cc_next)
			if (*ccp == cc) {
				*ccp = cc->cc_next;
				break;
			}
	}
	free(cc);
	ctl_npending--;
}

/* New control connections: a few per wake-up. */
static void
ctl_accept(int fd, int revents, void *arg)
{
	int	i;

	for (i = 0; i < 16 && ctl_accept_one(fd) == 0; i++)
		;
}

/*
 * May a new control connection from uid wait for its request?  Root and
 * the switch's own user always may; any other user (those the system does
 * not name count as one) only while it has fewer than --user-handshakes
 * unfinished and all of them together fewer than CTL_MAXPENDING, so that
 * idle connections of one user cannot lock the others out.  NULL, or why
 * not.
 */
static const char *
ctl_admit(uid_t uid)
{
	struct ctl_conn	*cc;
	int		 mine = 0;

	if (uid == 0 || uid == geteuid())
		return (NULL);
	if (ctl_npending >= CTL_MAXPENDING)
		return ("too many unfinished handshakes");
	for (cc = ctl_conns; cc != NULL; cc = cc->cc_next)
		if (cc->cc_uid == uid)
			mine++;
	if (mine >= sw_conf.c_userhs)
		return ("too many unfinished handshakes of this user");
	return (NULL);
}

/*
 * Log a refusal.  Under a flood (another user reconnecting as fast as it
 * can) at most CTL_LOGMAX lines a second are written; a second later one
 * more line says how many were left out.
 */
static void
ctl_refuse(const char *fmt, ...)
{
	char		msg[256];
	va_list		ap;
	uint64_t	now = loop_msec() / 1000;

	if (now != ctl_refused_at) {
		ctl_refused_at = now;
		ctl_logged = 0;
	}
	if (ctl_logged >= CTL_LOGMAX) {
		if (ctl_unlogged++ == 0 && !ctl_logarmed) {
			ctl_logarmed = 1;
			timer_add(&ctl_logtimer, 1000);
		}
		return;
	}
	ctl_logged++;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("ctl: %s", msg);
}

/* A second after refusals were left out of the log: how many. */
static void
ctl_refused_count(void *arg)
{
	ctl_logarmed = 0;
	if (ctl_unlogged == 0)
		return;
	log_warnx("ctl: %lu more refusals not logged one by one",
	    ctl_unlogged);
	ctl_unlogged = 0;
}

/* Accept one connection; -1 when there is none (or no room) now. */
static int
ctl_accept_one(int fd)
{
	struct os_peercred	 cred;
	struct ctl_conn		*cc;
	const char		*why;
	int			 s;

	if ((s = accept(fd, NULL, NULL)) == -1) {
		if (errno == EMFILE || errno == ENFILE) {
			/* Out of descriptors: stop accepting for a while. */
			log_warn("ctl: accept");
			loop_events(ctl_fd, 0);
			timer_add(&ctl_resume, 1000);
		} else if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("ctl: accept");
		return (-1);
	}
	if (os_peercred(s, &cred) == -1)
		cred.uid = UID_NONE;
	if ((why = ctl_admit(cred.uid)) != NULL) {
		ctl_refuse("connection from uid %ld refused: %s",
		    cred.uid == UID_NONE ? -1L : (long)cred.uid, why);
		close(s);
		return (0);
	}
	if (loop_nonblock(s) == -1) {
		log_warn("ctl: fcntl");
		close(s);
		return (0);
	}
	cc = xcalloc(1, sizeof(*cc));
	cc->cc_fd = s;
	cc->cc_uid = cred.uid;
	cc->cc_start = loop_msec();
	cc->cc_next = ctl_conns;
	ctl_conns = cc;
	ctl_npending++;
	loop_add(s, POLLIN, ctl_read, cc);
	return (0);
}

/*
 * At exit: drop unfinished handshakes, remove our ctl socket (only if it
 * is still ours), dead clients' sockets and the directory; live leftovers
 * of clients make the rmdir fail, which is only a warning.
 */
void
ctl_cleanup(void)
{
	struct stat	st;

	while (ctl_conns != NULL)
		ctl_conn_close(ctl_conns);
	if (ctl_fd == -1)
		return;
	loop_del(ctl_fd);
	close(ctl_fd);
	ctl_fd = -1;
	if (lstat(ctl_path, &st) == 0 && st.st_dev == ctl_dev &&
	    st.st_ino == ctl_ino && unlink(ctl_path) == -1)
		log_warn("unlink %s", ctl_path);
	swdir_remove();
}
