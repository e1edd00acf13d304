/*
 * ringc.c: the client's side of the shared-memory rings (ring.h; the
 * switch's side is src/switch/ringport.c).
 *
 * vdeconn.c offers rings in the request unless VDE_RINGS is "0", "no" or
 * "off"; the switch accepts them with the same mark in its reply, followed
 * by one struct ring_msg carrying the memory object and two descriptors: our
 * wake-up socket (vde_datafd) and a second descriptor of the switch's end
 * of the same pair, so that we can make our own wake-up socket readable.
 *
 * vde_datafd() must poll readable exactly when vde_recv() has a frame, as
 * for a datagram socket, so that event loops such as QEMU's work
 * unchanged:
 *  - a wake-up is consumed only when the ring is found empty, so while
 *    frames wait the socket stays readable;
 *  - taking the last frame drains the wake-ups and sets the sleeping flag
 *    at once; a frame that arrived meanwhile gets a wake-up from us;
 *  - a wake-up already on its way for a frame we took by ourselves can
 *    still make the socket readable with nothing to read: vde_recv() then
 *    answers EAGAIN instead of blocking (it blocks only when it was not
 *    woken up, as a blocking recv on a datagram socket would).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"
#include "ring.h"
#include "libvdeplug.h"
#include "lib.h"

#define RINGC_MSG_MS	10000	/* the ring message follows the reply */
#define RINGC_KICKS	64	/* wake-ups drained at a time, at most */
#define RINGC_SPINS	1000	/* sched_yield()s on a full ring, then 1 ms */

struct ringc {
	struct ring	 rc_tosw;	/* we produce */
	struct ring	 rc_tocl;	/* we consume */
	void		*rc_mem;
	size_t		 rc_size;
	int		 rc_wake;	/* ours: vde_datafd() */
	int		 rc_self;	/* the switch's end, to wake ourselves */
};

/* Does the user want rings?  VDE_RINGS=0 (or "no", "off") says no. */
int
ringc_wanted(void)
{
	const char	*s = getenv("VDE_RINGS");

	return (s == NULL || (strcmp(s, "0") != 0 && strcmp(s, "no") != 0 &&
	    strcmp(s, "off") != 0));
}

/* Wait for the ring message on the control connection and take it. */
static int
ringc_msg(int ctl, struct ring_msg *rm, int *fds)
{
	union {
		struct cmsghdr	hdr;
		unsigned char	buf[CMSG_SPACE(RING_NFDS * sizeof(int))];
	}		 cbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	struct pollfd	 pfd;
	ssize_t		 n;
	int		 i, nfds = 0, r;

	for (i = 0; i < RING_NFDS; i++)
		fds[i] = -1;
	pfd.fd = ctl;
	pfd.events = POLLIN;
	while ((r = poll(&pfd, 1, RINGC_MSG_MS)) == -1 && errno == EINTR)
		;
	if (r <= 0) {
		if (r == 0)
			errno = ETIMEDOUT;
		return (-1);
	}
	memset(&msg, 0, sizeof(msg));
	memset(&cbuf, 0, sizeof(cbuf));
	iov.iov_base = rm;
	iov.iov_len = sizeof(*rm);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof(cbuf.buf);
	do
		n = recvmsg(ctl, &msg, 0);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return (-1);
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
	    cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS)
			continue;
		r = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (i = 0; i < r; i++) {
			int	fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int),
			    sizeof(fd));
			if (nfds < RING_NFDS)
				fds[nfds++] = fd;
			else
				close(fd);
		}
	}
	for (i = 0; i < nfds; i++)
		(void)fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	if (n != (ssize_t)sizeof(*rm) || nfds != RING_NFDS ||
	    (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0 ||
	    rm->rm_magic != RING_MSGMAGIC ||
	    rm->rm_version != RING_MSGVERSION ||
	    rm->rm_nslots == 0 || rm->rm_nslots > RING_MAXSLOTS ||
	    rm->rm_slotsize != RING_SLOTSIZE ||
	    rm->rm_size != ring_size(rm->rm_nslots)) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		errno = EPROTO;
		return (-1);
	}
	return (0);
}

/*
 * The switch accepted rings: take them from the control connection.  On
 * success vc uses them from now on (vc_ring; vc_data, the data socket,
 * is closed and replaced by the wake-up socket).  -1 with errno when the switch's message was wrong.
 */
int
ringc_open(struct vdeconn *vc)
{
	struct ring_msg	 rm;
	struct ringc	*rc = NULL;
	int		 fds[RING_NFDS], saved;

	if (ringc_msg(vc->vc_ctl, &rm, fds) == -1)
		return (-1);
	if ((rc = calloc(1, sizeof(*rc))) == NULL)
		goto fail;
	/* Sealed at its size: the switch cannot make us fault on it. */
	if (os_shm_check(fds[0], (size_t)rm.rm_size) == -1)
		goto fail;
	rc->rc_size = (size_t)rm.rm_size;
	rc->rc_mem = mmap(NULL, rc->rc_size, PROT_READ | PROT_WRITE,
	    MAP_SHARED, fds[0], 0);
	if (rc->rc_mem == MAP_FAILED)
		goto fail;
	close(fds[0]);
	ring_init(&rc->rc_tosw, rc->rc_mem, RING_TOSW, rm.rm_nslots);
	ring_init(&rc->rc_tocl, rc->rc_mem, RING_TOCL, rm.rm_nslots);
	rc->rc_wake = fds[1];
	rc->rc_self = fds[2];
	/* Asleep from the start: the first frame wakes us. */
	(void)ring_sleep(&rc->rc_tocl);
	vc->vc_ring = rc;
	close(vc->vc_data);
	vc->vc_data = rc->rc_wake;
	return (0);
fail:
	saved = errno;
	free(rc);
	close(fds[0]);
	close(fds[1]);
	close(fds[2]);
	errno = saved;
	return (-1);
}

/* One wake-up datagram to fd; a full socket is awake already. */
static void
ringc_kick(int fd)
{
	char	c = 0;

	(void)send(fd, &c, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* Take the wake-ups waiting on our socket; how many there were. */
static int
ringc_drain(struct ringc *rc)
{
	char	buf[16];
	int	i;

	for (i = 0; i < RINGC_KICKS; i++)
		if (recv(rc->rc_wake, buf, sizeof(buf), MSG_DONTWAIT) == -1)
			break;
	return (i);
}

/*
 * The ring is empty: drain the wake-ups and sleep.  1 when a frame came
 * meanwhile (we are awake, and our socket readable again).
 */
static int
ringc_sleep(struct ringc *rc, int *woken)
{
	*woken += ringc_drain(rc);
	if (!ring_sleep(&rc->rc_tocl))
		return (0);
	ring_awake(&rc->rc_tocl);
	ringc_kick(rc->rc_self);
	return (1);
}

/* vde_recv() on rings. */
ssize_t
ringc_recv(struct vdeconn *vc, void *buf, size_t len, int flags)
{
	struct ringc	*rc = vc->vc_ring;
	struct pollfd	 pfd[2];
	unsigned char	 bounce[RING_DATAMAX];
	ssize_t		 n;
	int		 fl, woken = 0;

	for (;;) {
		if (len >= RING_DATAMAX)
			n = ring_get(&rc->rc_tocl, buf, len);
		else
			n = ring_get(&rc->rc_tocl, bounce, sizeof(bounce));
		if (n == RING_CORRUPT) {
			errno = EPROTO;
			return (-1);
		}
		if (n > 0) {
			if (len < RING_DATAMAX) {
				if ((size_t)n > len)
					n = (ssize_t)len;	/* truncated */
				memcpy(buf, bounce, (size_t)n);
			}
			/* The last one: sleep now, not at the next call. */
			if (!ring_more(&rc->rc_tocl))
				(void)ringc_sleep(rc, &woken);
			return (n);
		}
		if (ringc_sleep(rc, &woken))
			continue;
		if ((flags & MSG_DONTWAIT) != 0 || woken > 0 ||
		    ((fl = fcntl(rc->rc_wake, F_GETFL)) != -1 &&
		    (fl & O_NONBLOCK) != 0)) {
			errno = EAGAIN;
			return (-1);
		}
		pfd[0].fd = rc->rc_wake;
		pfd[0].events = POLLIN;
		pfd[1].fd = vc->vc_ctl;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno != EINTR)
				return (-1);
			continue;
		}
		if (pfd[1].revents != 0 && pfd[0].revents == 0) {
			errno = ECONNRESET;	/* the switch is gone */
			return (-1);
		}
	}
}

/*
 * vde_send() on rings.  A full ring waits for room like a full blocking
 * socket (EAGAIN at once when our socket is non-blocking or with
 * MSG_DONTWAIT), until the switch is gone.
 */
ssize_t
ringc_send(struct vdeconn *vc, const void *buf, size_t len, int flags)
{
	struct ringc	*rc = vc->vc_ring;
	struct pollfd	 pfd;
	int		 r, fl, spins = 0;

	if (len == 0)
		return (0);
	if (len > RING_DATAMAX) {
		errno = EMSGSIZE;
		return (-1);
	}
	while ((r = ring_put(&rc->rc_tosw, buf, len)) == RING_FULL) {
		ringc_kick(rc->rc_wake);
		if ((flags & MSG_DONTWAIT) != 0 ||
		    ((fl = fcntl(rc->rc_wake, F_GETFL)) != -1 &&
		    (fl & O_NONBLOCK) != 0)) {
			errno = EAGAIN;
			return (-1);
		}
		/*
		 * The switch frees slots without telling: give it the
		 * processor, and after a while look only every millisecond
		 * (and whether it is gone).
		 */
		if (++spins < RINGC_SPINS) {
			(void)sched_yield();
			continue;
		}
		pfd.fd = vc->vc_ctl;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1) == 1) {
			errno = ECONNRESET;
			return (-1);
		}
	}
	if (r == RING_CORRUPT) {
		errno = EPROTO;
		return (-1);
	}
	if (ring_wake(&rc->rc_tosw))
		ringc_kick(rc->rc_wake);
	return ((ssize_t)len);
}

/* vde_close() on rings: the switch frees its side on the control EOF. */
void
ringc_close(struct vdeconn *vc)
{
	struct ringc	*rc = vc->vc_ring;

	munmap(rc->rc_mem, rc->rc_size);
	close(rc->rc_self);
	free(rc);
	vc->vc_ring = NULL;
}
