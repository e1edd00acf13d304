/*
 * ringport.c: clients on shared-memory rings (issue 18; ring.h has the
 * layout).  A client of our libvdeplug offers rings in its request; when
 * the switch can afford them (--ring-memory) it answers with the same
 * mark in its reply and then, on the control connection, one struct
 * ring_msg with the memory object and the wake-up descriptors.  The
 * endpoint is then of kind "ring" (struct ep_ops): frames to the client go
 * into its RING_TOCL ring, frames from it come out of RING_TOSW.
 *
 * The client can write anything into the memory at any time.  Nothing
 * read from it is trusted (ring.c checks each index and length once); a
 * ring found corrupt closes that client with one log line, from a timer,
 * never in the middle of a forwarding pass.  The memory of all rings
 * together is bounded by --ring-memory; beyond it clients get datagrams.
 *
 * Wake-ups: one datagram socket pair per client.  The switch polls its
 * end and writes on it with MSG_DONTWAIT, so a client that changes the
 * flags of the descriptors it was given cannot make the switch block
 * (an eventfd or a pipe end would be shared with the client).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "ring.h"
#include "xmalloc.h"
#include "switch.h"

#define RP_BATCH	32	/* frames forwarded as one batch */
#define RP_BUDGET	RING_DEFSLOTS	/* frames per wake-up: one ring */
#define RP_KICKS	64	/* wake-up datagrams drained per wake-up */

struct ringport {
	struct ring	 rp_tosw;	/* we consume */
	struct ring	 rp_tocl;	/* we produce */
	void		*rp_mem;
	size_t		 rp_size;
	int		 rp_shm;	/* until sent */
	int		 rp_wake;	/* our end of the wake-up pair */
	int		 rp_peer;	/* the client's end, until sent */
	int		 rp_ctl;	/* the control connection */
	int		 rp_dfd;	/* the data socket, kept as a name */
	int		 rp_dead;	/* corrupt: close from the timer */
	struct timer	 rp_timer;	/* more to drain, or the close */
	struct timer	 rp_kick;	/* the client's wake-up, deferred */
	struct endpoint	*rp_ep;
};

static int	ringport_write(struct endpoint *, const void *, size_t);
static void	ringport_close(struct endpoint *);

static const struct ep_ops ringport_ops = {
	"ring", ringport_write, ringport_close, NULL
};

static size_t		 rp_used;	/* bytes of all rings */
static uint64_t		 rp_refused;	/* offers declined for the budget */
static uint64_t		 rp_corrupt;	/* clients closed for their rings */
static unsigned char	 rp_buf[RP_BATCH][FWD_HEADROOM + VDE_FRAMEBUF];

/*
 * For the console: bytes of ring memory in use, offers declined for
 * --ring-memory, clients closed for corrupt rings.
 */
size_t
ringport_memory(uint64_t *refused, uint64_t *corrupt)
{
	*refused = rp_refused;
	*corrupt = rp_corrupt;
	return (rp_used);
}

/*
 * Does the request offer rings?  The mark after the client's path (ring.h);
 * an abstract address (UML) has no room for one.
 */
int
ringport_offered(const struct vde_req *rq)
{
	const char	*path = rq->rq_sock.sun_path;

	if (rq->rq_abstract || sw_conf.c_ringmem == 0)
		return (0);
	if (memchr(path, '\0', RING_MARKOFF) == NULL)
		return (0);
	return (memcmp(path + RING_MARKOFF, RING_MARK, RING_MARKLEN) == 0);
}

/*
 * The rings for a client that offered them, or NULL (logged when it is
 * not simply the budget) if it gets datagrams instead.
 */
struct ringport *
ringport_new(int n)
{
	struct ringport	*rp;
	size_t		 size = ring_size(RING_DEFSLOTS);
	int		 sv[2];

	if (rp_used > sw_conf.c_ringmem || sw_conf.c_ringmem - rp_used < size) {
		rp_refused++;
		log_info("port %d: no rings within --ring-memory (%zu bytes "
		    "in use), datagrams instead", n, rp_used);
		return (NULL);
	}
	rp = xcalloc(1, sizeof(*rp));
	rp->rp_wake = rp->rp_peer = rp->rp_ctl = rp->rp_dfd = -1;
	rp->rp_size = size;
	if ((rp->rp_shm = os_shm_create(size)) == -1) {
		if (errno != ENOSYS)
			log_warn("port %d: ring memory", n);
		free(rp);
		return (NULL);
	}
	rp->rp_mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
	    rp->rp_shm, 0);
	if (rp->rp_mem == MAP_FAILED) {
		log_warn("port %d: mmap ring memory", n);
		close(rp->rp_shm);
		free(rp);
		return (NULL);
	}
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == -1) {
		log_warn("port %d: socketpair", n);
		goto fail;
	}
	rp->rp_wake = sv[0];
	rp->rp_peer = sv[1];
	if (loop_nonblock(sv[0]) == -1 ||
	    fcntl(sv[1], F_SETFD, FD_CLOEXEC) == -1) {
		log_warn("port %d: fcntl", n);
		goto fail;
	}
	ring_init(&rp->rp_tosw, rp->rp_mem, RING_TOSW, RING_DEFSLOTS);
	ring_init(&rp->rp_tocl, rp->rp_mem, RING_TOCL, RING_DEFSLOTS);
	rp_used += size;
	return (rp);
fail:
	if (rp->rp_wake != -1)
		close(rp->rp_wake);
	if (rp->rp_peer != -1)
		close(rp->rp_peer);
	munmap(rp->rp_mem, size);
	close(rp->rp_shm);
	free(rp);
	return (NULL);
}

/* Give up rings that were never attached (the handshake failed). */
void
ringport_free(struct ringport *rp)
{
	if (rp->rp_shm != -1)
		close(rp->rp_shm);
	if (rp->rp_peer != -1)
		close(rp->rp_peer);
	close(rp->rp_wake);
	munmap(rp->rp_mem, rp->rp_size);
	rp_used -= rp->rp_size;
	free(rp);
}

/*
 * After the reply: the ring message with its three descriptors on the
 * control connection, in one sendmsg.  -1 (logged) on failure.
 */
int
ringport_send(struct ringport *rp, int ctl)
{
	struct ring_msg	 rm;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	union {
		struct cmsghdr	hdr;
		unsigned char	buf[CMSG_SPACE(RING_NFDS * sizeof(int))];
	}		 cbuf;
	int		 fds[RING_NFDS];
	ssize_t		 n;

	memset(&rm, 0, sizeof(rm));
	rm.rm_magic = RING_MSGMAGIC;
	rm.rm_version = RING_MSGVERSION;
	rm.rm_nslots = RING_DEFSLOTS;
	rm.rm_slotsize = RING_SLOTSIZE;
	rm.rm_size = rp->rp_size;
	fds[0] = rp->rp_shm;
	fds[1] = rp->rp_peer;
	fds[2] = rp->rp_wake;
	memset(&msg, 0, sizeof(msg));
	memset(&cbuf, 0, sizeof(cbuf));
	iov.iov_base = &rm;
	iov.iov_len = sizeof(rm);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = CMSG_SPACE(sizeof(fds));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	n = sendmsg(ctl, &msg, MSG_NOSIGNAL);
	if (n != (ssize_t)sizeof(rm)) {
		log_warn("ctl: could not send the ring descriptors");
		return (-1);
	}
	/* The client has them now; ours are only rp_wake and the map. */
	close(rp->rp_shm);
	close(rp->rp_peer);
	rp->rp_shm = rp->rp_peer = -1;
	return (0);
}

/*
 * The timer that wakes the client up (it said it sleeps); a full socket
 * is awake enough.
 */
static void
ringport_kick(void *arg)
{
	struct ringport	*rp = arg;
	char		 c = 0;

	(void)send(rp->rp_wake, &c, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* Mark the client's rings corrupt: it goes from the timer, not now. */
static void
ringport_corrupt(struct ringport *rp, const char *which)
{
	if (rp->rp_dead)
		return;
	rp->rp_dead = 1;
	rp_corrupt++;
	log_warnx("port %d: endpoint %d: corrupt %s ring, closing",
	    rp->rp_ep->ep_port->p_num, rp->rp_ep->ep_id, which);
	timer_add(&rp->rp_timer, 0);
}

/* ep_ops eo_write: one frame into the client's ring, never waiting. */
static int
ringport_write(struct endpoint *ep, const void *frame, size_t len)
{
	struct ringport	*rp = ep->ep_priv;
	int		 r;

	if (rp->rp_dead || len == 0 || len > RING_DATAMAX)
		return (-1);
	/* Already while attaching (listeners send): corrupt logs with it. */
	rp->rp_ep = ep;
	if ((r = ring_put(&rp->rp_tocl, frame, len)) != 0) {
		if (r == RING_CORRUPT)
			ringport_corrupt(rp, "outgoing");
		return (-1);
	}
	/*
	 * The client sleeps: wake it once the loop has dispatched this
	 * round, so that a batch of frames costs one wake-up, not one each.
	 */
	if (ring_wake(&rp->rp_tocl))
		timer_add(&rp->rp_kick, 0);
	return (0);
}

/*
 * Forward what the client has put in its ring: up to RP_BUDGET frames in
 * batches of RP_BATCH, each copied out of the shared memory before the
 * switch looks at it.  Then either sleep (the client wakes us) or, with
 * frames left, come back from the timer after the other descriptors had
 * their turn.
 */
static void
ringport_drain(struct endpoint *ep)
{
	struct ringport		*rp = ep->ep_priv;
	struct port		*in = ep->ep_port;
	struct portq_batch	 batch = { NULL }, *bp;
	ssize_t			 n;
	int			 i, total = 0;

	ring_awake(&rp->rp_tosw);
	while (total < RP_BUDGET) {
		bp = vlan_aware() ? NULL : &batch;
		for (i = 0; i < RP_BATCH; i++) {
			n = ring_get(&rp->rp_tosw, rp_buf[i] + FWD_HEADROOM,
			    RING_DATAMAX);
			if (n <= 0)
				break;
			if ((size_t)n > VDE_ETHBUFSIZE) {
				in->p_drop_in++;
				continue;
			}
			forward_frame(in, rp_buf[i] + FWD_HEADROOM,
			    (size_t)n, NULL, bp);
		}
		portq_batch_end(bp);
		total += i;
		if (n == RING_CORRUPT) {
			ringport_corrupt(rp, "incoming");
			return;
		}
		if (i < RP_BATCH)
			break;
	}
	if (total >= RP_BUDGET || ring_sleep(&rp->rp_tosw)) {
		ring_awake(&rp->rp_tosw);
		timer_add(&rp->rp_timer, 0);
	}
}

/* The timer: drain more, or close a corrupt client. */
static void
ringport_timer(void *arg)
{
	struct ringport	*rp = arg;
	struct endpoint	*ep = rp->rp_ep;

	if (rp->rp_dead)
		port_detach(ep);
	else
		ringport_drain(ep);
}

/* loop callback: the client woke us up. */
static void
ringport_input(int fd, int revents, void *arg)
{
	struct endpoint	*ep = arg;
	struct ringport	*rp = ep->ep_priv;
	char		 buf[16];
	int		 i;

	for (i = 0; i < RP_KICKS; i++)
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) == -1)
			break;
	if (!rp->rp_dead)
		ringport_drain(ep);
}

/*
 * loop callback for the control connection, as for a datagram client:
 * its end ends the endpoint, stray bytes are ignored.
 */
static void
ringport_ctl(int fd, int revents, void *arg)
{
	struct endpoint	*ep = arg;
	struct ringport	*rp = ep->ep_priv;
	char		 buf[256];
	ssize_t		 n;

	n = read(fd, buf, sizeof(buf));
	if (n > 0 || (n == -1 && (errno == EAGAIN || errno == EINTR)))
		return;
	log_debug("port %d: control connection %d of a ring client closed",
	    ep->ep_port->p_num, fd);
	/*
	 * What the client sent before it closed still goes, as datagrams
	 * left in a socket would: at most one ring of frames.
	 */
	if (!rp->rp_dead)
		ringport_drain(ep);
	port_detach(ep);
}

/*
 * Make the endpoint: port n, identified by its control connection ctl,
 * whose loop slot the caller has given up.  The data socket dfd, bound as
 * path, is kept (not watched: nobody sends there) so that the switch
 * directory names each endpoint as usual; it goes with the endpoint.
 */
struct endpoint *
ringport_attach(int n, struct ringport *rp, int ctl, int dfd,
    const char *path, uid_t uid, const char *descr)
{
	struct endpoint	*ep;

	rp->rp_ctl = ctl;
	rp->rp_dfd = dfd;
	/*
	 * Timers first: attaching tells the port's listeners, which may
	 * send at once (a BPDU, a flood) and so arm rp_kick; setting a timer
	 * that is on the loop's list would cut the list there.
	 */
	timer_set(&rp->rp_timer, ringport_timer, rp);
	timer_set(&rp->rp_kick, ringport_kick, rp);
	ep = port_attach_ops(n, &ringport_ops, rp, ctl, uid, descr);
	/* port_detach() removes the name. */
	strlcpy(ep->ep_path, path, sizeof(ep->ep_path));
	rp->rp_ep = ep;
	loop_add(ctl, POLLIN, ringport_ctl, ep);
	loop_add(rp->rp_wake, POLLIN, ringport_input, ep);
	/* Frames the client put before we watched its wake-ups. */
	timer_add(&rp->rp_timer, 0);
	return (ep);
}

/* ep_ops eo_close (from port_detach). */
static void
ringport_close(struct endpoint *ep)
{
	struct ringport	*rp = ep->ep_priv;

	timer_del(&rp->rp_timer);
	timer_del(&rp->rp_kick);
	loop_del(rp->rp_ctl);
	close(rp->rp_ctl);
	close(rp->rp_dfd);
	loop_del(rp->rp_wake);
	rp->rp_shm = rp->rp_peer = -1;
	ringport_free(rp);
	ep->ep_priv = NULL;
}
