/*
 * portq.c: sending a frame to one cable without ever blocking: the
 * cable's output queue, the staging of a batch of sends, and the frames
 * with offloads that a cable without them must get whole (gso.c).
 *
 * What happens to a frame is told by the caller in a struct sendctx:
 * whether it may be staged in a batch (it stays valid and unchanged until
 * portq_batch_end()) and which offloads it comes with.  Nothing here
 * allocates per frame: a queue is allocated once per congestion episode.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "xmalloc.h"
#include "switch.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0	/* SIGPIPE is ignored anyway */
#endif

/*
 * A cable that cannot take a frame right now (its socket queue is full)
 * gets a bounded queue of copies, sent when the socket is writable again.
 * It absorbs bursts; when it is full, frames are dropped and counted.  It
 * is allocated when the cable gets congested and freed when it has drained
 * (or with the cable).  All queues together hold at most
 * sw_conf.c_queuemem bytes: a cable that gets no queue within that budget
 * loses the frame instead, counted like any other drop.
 */
#define EPQ_BYTES	(256 * 1024)
#define EPQ_FRAMES	512

/*
 * A full socket says EAGAIN on Linux, and poll() reports POLLOUT when the
 * receiver's queue has room again.  FreeBSD's local datagram sockets may
 * say ENOBUFS instead, and there POLLOUT looks at the sender's own send
 * buffer, which datagrams never fill (sys/kern/uipc_usrreq.c: the data go
 * straight to the receiver's buffer), so waiting for POLLOUT would not
 * wait at all: the loop would spin.  After ENOBUFS the queue is retried
 * from a timer instead, EPQ_RETRY_MIN ms later, doubling up to
 * EPQ_RETRY_MAX ms while the socket keeps refusing.
 */
#define EPQ_RETRY_MIN	1
#define EPQ_RETRY_MAX	128

struct epq {
	size_t		 q_head;	/* offset of the oldest record */
	size_t		 q_tail;	/* where the next record goes */
	size_t		 q_used;	/* bytes held, wasted tail included */
	int		 q_n;		/* records held */
	unsigned int	 q_backoff;	/* ms to the next retry, 0: none */
	struct timer	 q_retry;	/* the retry after ENOBUFS */
	unsigned char	 q_buf[EPQ_BYTES];
};

/* A record: its length, then the frame, 4-byte aligned. */
#define EPQ_HDR		sizeof(uint32_t)
#define EPQ_RECLEN(n)	((EPQ_HDR + (n) + 3) & ~(size_t)3)
#define EPQ_WRAP	0xffffffffU	/* "continue at offset 0" */

/*
 * Staging: while forward.c or tapport.c handles one batch of received
 * frames that no one changes after sending (no 802.1Q rewriting), it
 * passes a struct portq_batch in its sendctx: portq_send() then only
 * notes (pointer, length) per cable, and portq_batch_end() sends each
 * cable's frames with one os_send_batch().  Fewer system calls and
 * wake-ups on Linux; FreeBSD's libc sends a batch one sendmsg at a time
 * (os/mmsg.c), which keeps the order and the wake-ups but not the saving.
 */
#define STAGE_MAX	64

struct epstage {
	int		 st_n;
	struct portq_batch *st_batch;	/* the batch it is listed in */
	struct endpoint	*st_next;	/* cables with staged frames */
	struct os_frame	 st_f[STAGE_MAX];
};

/*
 * Offloads: a frame read from a tap with offloads comes with a sendctx
 * whose sc_off describes it as it was sc_offlen bytes long.  An egress
 * form with a tag more or less moves the headers, not the payload's end,
 * so the offsets move with the length.  Frames a cable without offloads
 * must get whole are made in off_buf: to a socket they go out in batches
 * like staged frames, to a tap without offloads one at a time.
 */
#define OFF_BUF		(96 * 1024)

static unsigned char	 off_buf[OFF_BUF];
static const struct os_offload off_none;	/* a plain, complete frame */
static time_t		 off_warned;		/* one warning a second */

/* The bound of --queue-memory and what it refused. */
#define LIMIT_WARN	10	/* seconds between warnings */

static size_t		 epq_used;	/* bytes of all queues */
static uint64_t		 epq_refused;	/* frames lost: no queue in budget */
static time_t		 epq_warned = -LIMIT_WARN;

static void	epq_retry(void *);

/* Queue a copy of frame on ep; 0, or -1 when the queue is full. */
static int
epq_put(struct endpoint *ep, const void *frame, size_t len)
{
	struct epq	*q = ep->ep_q;
	size_t		 rec = EPQ_RECLEN(len), waste = 0;
	uint32_t	 v;

	if (q == NULL) {
		/* Not the per-frame path: once per congestion episode. */
		if (epq_used > sw_conf.c_queuemem ||
		    sw_conf.c_queuemem - epq_used < sizeof(*q)) {
			epq_refused++;
			if (loop_sec() - epq_warned >= LIMIT_WARN) {
				epq_warned = loop_sec();
				log_warnx("port %d: output queues hold their "
				    "maximum of %zu bytes (--queue-memory), "
				    "frames to congested cables are dropped",
				    ep->ep_port->p_num, sw_conf.c_queuemem);
			}
			return (-1);
		}
		epq_used += sizeof(*q);
		q = ep->ep_q = xmalloc(sizeof(*q));
		q->q_head = q->q_tail = q->q_used = 0;
		q->q_n = 0;
		q->q_backoff = 0;
		timer_set(&q->q_retry, epq_retry, ep);
	}
	if (q->q_n >= EPQ_FRAMES)
		return (-1);
	/*
	 * Records run from head to tail, perhaps wrapping once.  tail never
	 * catches up with head while records are held, so "tail >= head"
	 * always means "not wrapped".
	 */
	if (q->q_n > 0 && q->q_tail < q->q_head) {
		if (q->q_tail + rec >= q->q_head)
			return (-1);
	} else if (q->q_tail + rec > EPQ_BYTES) {
		/* No room at the end: continue at the start. */
		if (q->q_n > 0 && rec >= q->q_head)
			return (-1);
		waste = EPQ_BYTES - q->q_tail;
		if (waste >= EPQ_HDR) {
			v = EPQ_WRAP;
			memcpy(q->q_buf + q->q_tail, &v, EPQ_HDR);
		}
		q->q_used += waste;
		q->q_tail = 0;
	}
	v = (uint32_t)len;
	memcpy(q->q_buf + q->q_tail, &v, EPQ_HDR);
	memcpy(q->q_buf + q->q_tail + EPQ_HDR, frame, len);
	q->q_tail += rec;
	q->q_used += rec;
	q->q_n++;
	return (0);
}

/* Drop the oldest record of a non-empty queue. */
static void
epq_pop(struct epq *q)
{
	uint32_t	v;

	memcpy(&v, q->q_buf + q->q_head, EPQ_HDR);
	q->q_head += EPQ_RECLEN(v);
	q->q_used -= EPQ_RECLEN(v);
	if (--q->q_n == 0)
		q->q_head = q->q_tail = q->q_used = 0;
}

/* The oldest record of a non-empty queue. */
static unsigned char *
epq_peek(struct epq *q, size_t *len)
{
	uint32_t	v;

	if (EPQ_BYTES - q->q_head < EPQ_HDR) {
		q->q_used -= EPQ_BYTES - q->q_head;
		q->q_head = 0;
	}
	memcpy(&v, q->q_buf + q->q_head, EPQ_HDR);
	if (v == EPQ_WRAP) {
		q->q_used -= EPQ_BYTES - q->q_head;
		q->q_head = 0;
		memcpy(&v, q->q_buf, EPQ_HDR);
	}
	*len = v;
	return (q->q_buf + q->q_head + EPQ_HDR);
}

/* Free ep's queue: its memory goes back to the budget of all queues. */
static void
epq_free(struct endpoint *ep)
{
	struct epq	*q = ep->ep_q;

	if (q == NULL)
		return;
	timer_del(&q->q_retry);
	free(q);
	ep->ep_q = NULL;
	epq_used -= sizeof(*q);
}

/*
 * The socket of ep, whose queue holds frames, refused one with error:
 * wait for POLLOUT after EAGAIN, retry from the timer after ENOBUFS (see
 * EPQ_RETRY_MIN).
 */
static void
epq_wait(struct endpoint *ep, int error)
{
	struct epq	*q = ep->ep_q;

	if (error != ENOBUFS) {
		q->q_backoff = 0;
		timer_del(&q->q_retry);
		loop_events(ep->ep_fd, POLLIN | POLLOUT);
		return;
	}
	if (q->q_backoff == 0)
		q->q_backoff = EPQ_RETRY_MIN;
	else if (q->q_backoff < EPQ_RETRY_MAX)
		q->q_backoff *= 2;
	loop_events(ep->ep_fd, POLLIN);
	timer_add(&q->q_retry, q->q_backoff);
}

/* The retry timer of a queue: try its socket again. */
static void
epq_retry(void *arg)
{
	portq_flush(arg);
}


/*
 * The cable's socket is writable again (or the retry timer ran): send
 * what waits, in order, until it is full again or the queue is empty.
 */
void
portq_flush(struct endpoint *ep)
{
	struct epq	*q = ep->ep_q;
	unsigned char	*f;
	size_t		 len;
	ssize_t		 n;

	while (q != NULL && q->q_n > 0) {
		f = epq_peek(q, &len);
		n = send(ep->ep_fd, f, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == ENOBUFS || errno == EINTR)) {
			epq_wait(ep, errno);
			return;
		}
		if (n != (ssize_t)len) {
			ep->ep_drops++;
			ep->ep_port->p_drop_out++;
		}
		epq_pop(q);
	}
	/* Drained. */
	epq_free(ep);
	loop_events(ep->ep_fd, POLLIN);
}

/* The output queues' part of the limits' counters, for the console. */
void
portq_getlimits(struct port_limits *lim)
{
	lim->lim_queue_used = epq_used;
	lim->lim_queue_refused = epq_refused;
}

/*
 * Send ep's staged frames in one batch, after the frames already queued
 * for it; what the socket does not take is queued or dropped.
 */
static void
stage_send(struct endpoint *ep)
{
	struct epstage	*st = ep->ep_stage;
	int		 i, sent = 0, error = EAGAIN, waiting;

	waiting = ep->ep_q != NULL && ep->ep_q->q_n > 0;
	if (!waiting) {
		sent = os_send_batch(ep->ep_fd, st->st_f, st->st_n);
		error = errno;
		if (sent == -1) {
			/* A hard error: every frame is lost. */
			ep->ep_drops += (uint64_t)st->st_n;
			ep->ep_port->p_drop_out += (uint64_t)st->st_n;
			st->st_n = 0;
			return;
		}
		/* Frames too large for the socket were dropped alone. */
		for (i = 0; i < sent; i++)
			if (st->st_f[i].of_trunc) {
				ep->ep_drops++;
				ep->ep_port->p_drop_out++;
			}
	}
	for (i = sent; i < st->st_n; i++) {
		if (epq_put(ep, st->st_f[i].of_buf, st->st_f[i].of_len) == -1) {
			ep->ep_drops++;
			ep->ep_port->p_drop_out++;
		}
	}
	/* A queue that was waiting already goes on waiting as it was. */
	if (!waiting && sent < st->st_n && ep->ep_q != NULL &&
	    ep->ep_q->q_n > 0)
		epq_wait(ep, error);
	st->st_n = 0;
}

/* Take ep off the list of cables with staged frames of its batch. */
static void
stage_unlink(struct endpoint *ep)
{
	struct endpoint	**sp;

	for (sp = &ep->ep_stage->st_batch->b_eps; *sp != NULL;
	    sp = &(*sp)->ep_stage->st_next)
		if (*sp == ep) {
			*sp = ep->ep_stage->st_next;
			break;
		}
	ep->ep_stage->st_next = NULL;
	ep->ep_stage->st_batch = NULL;
}

/*
 * End of a batch: send everything staged in it.  The batch is empty
 * afterwards and may be used again; NULL is no batch, nothing to do.
 */
void
portq_batch_end(struct portq_batch *b)
{
	struct endpoint	*ep;

	if (b == NULL)
		return;
	while ((ep = b->b_eps) != NULL) {
		b->b_eps = ep->ep_stage->st_next;
		ep->ep_stage->st_next = NULL;
		ep->ep_stage->st_batch = NULL;
		stage_send(ep);
	}
}

/* Send what is staged for ep now, ahead of what comes next. */
static void
stage_flush(struct endpoint *ep)
{
	if (ep->ep_stage != NULL && ep->ep_stage->st_n > 0) {
		stage_unlink(ep);
		stage_send(ep);
	}
}

/*
 * Note a frame for ep's next send of batch b; 0, or -1 when ep's batch is
 * full or ep has frames staged in another batch.
 */
static int
stage_add(struct portq_batch *b, struct endpoint *ep, const void *frame,
    size_t len)
{
	struct epstage	*st = ep->ep_stage;

	if (st->st_n == STAGE_MAX)
		return (-1);
	if (st->st_n == 0) {
		st->st_batch = b;
		st->st_next = b->b_eps;
		b->b_eps = ep;
	} else if (st->st_batch != b)
		return (-1);
	st->st_f[st->st_n].of_buf = (void *)(uintptr_t)frame;
	st->st_f[st->st_n].of_len = len;
	st->st_f[st->st_n++].of_trunc = 0;
	return (0);
}

/*
 * One frame to one cable, never blocking: staged in batch b (NULL: sent
 * now).  A tap with offloads takes it with its description off (NULL: a
 * plain frame).
 */
static void
portq_send_raw(struct endpoint *ep, const void *frame, size_t len,
    struct portq_batch *b, const struct os_offload *off)
{
	ssize_t		 n;
	int		 error;

	if (b != NULL && ep->ep_stage != NULL &&
	    stage_add(b, ep, frame, len) == 0)
		return;
	/* Anything staged for this cable goes before this frame. */
	stage_flush(ep);
	if (ep->ep_ops != NULL) {
		if (ep->ep_ops->eo_write(ep, frame, len) == -1)
			goto drop;
		return;
	}
	if (ep->ep_tap) {
		if (ep->ep_offload && off == NULL)
			off = &off_none;
		if (os_tap_write(ep->ep_fd, frame, len,
		    ep->ep_offload ? off : NULL) != (ssize_t)len)
			goto drop;
		return;
	}
	/* Frames already waiting go first. */
	if (ep->ep_q != NULL && ep->ep_q->q_n > 0) {
		if (epq_put(ep, frame, len) == -1)
			goto drop;
		return;
	}
	n = send(ep->ep_fd, frame, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n == (ssize_t)len)
		return;
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == ENOBUFS)) {
		error = errno;
		if (epq_put(ep, frame, len) == 0) {
			epq_wait(ep, error);
			return;
		}
	}
drop:
	ep->ep_drops++;
	ep->ep_port->p_drop_out++;
}

/*
 * Check a frame with offloads against its description and set up gi to
 * cut it for ep; -1 when they do not match (warned about once a second at
 * most): the frame is lost.
 */
static int
portq_gso_init(struct endpoint *ep, struct gso_iter *gi, const void *frame,
    size_t len, const struct os_offload *off)
{
	const char	*why;

	if (gso_init(gi, frame, len, off, VDE_ETHBUFSIZE, &why) == 0)
		return (0);
	if (off_warned != loop_sec()) {
		off_warned = loop_sec();
		log_warnx("port %d: offloaded frame of %zu bytes dropped: %s",
		    ep->ep_port->p_num, len, why);
	}
	return (-1);
}

/*
 * A frame with offloads to a cable that cannot take them: the complete
 * frames it stands for, batched to a socket (in order after what is staged
 * for it in b, or in a batch of their own).  A description that does not
 * match the frame loses it (warned about once a second at most).
 */
static void
portq_send_soft(struct endpoint *ep, const void *frame, size_t len,
    struct portq_batch *b, const struct os_offload *off)
{
	struct portq_batch	 own = { NULL };
	struct gso_iter		 gi;
	size_t			 n, pos = 0;
	int			 made = 0;

	if (portq_gso_init(ep, &gi, frame, len, off) == -1)
		goto drop;
	if (b == NULL)
		b = &own;
	while ((n = gso_next(&gi, off_buf + pos, OFF_BUF - pos)) > 0) {
		made++;
		if (ep->ep_stage == NULL) {
			portq_send_raw(ep, off_buf, n, NULL, NULL);
			continue;
		}
		/* After what is staged already, in order. */
		if (stage_add(b, ep, off_buf + pos, n) == -1) {
			stage_flush(ep);
			(void)stage_add(b, ep, off_buf + pos, n);
		}
		pos += (n + 15) & ~(size_t)15;
		if (OFF_BUF - pos < VDE_FRAMEBUF) {
			stage_flush(ep);
			pos = 0;
		}
	}
	/* off_buf is reused by the next frame: nothing may stay staged. */
	stage_flush(ep);
	if (made > 0)
		return;
drop:
	ep->ep_drops++;
	ep->ep_port->p_drop_out++;
}

/*
 * One frame to one cable, as sc tells (see struct sendctx).  With
 * offloads, its description's offsets are moved by what a tag added or
 * took away in front.
 */
void
portq_send(struct endpoint *ep, const void *frame, size_t len,
    const struct sendctx *sc)
{
	struct os_offload	o;
	struct gso_iter		gi;
	long			delta;

	if (sc == NULL) {
		portq_send_raw(ep, frame, len, NULL, NULL);
		return;
	}
	if (sc->sc_off == NULL) {
		portq_send_raw(ep, frame, len, sc->sc_batch, NULL);
		return;
	}
	o = *sc->sc_off;
	delta = (long)len - (long)sc->sc_offlen;
	if (delta != 0) {
		if ((long)o.oo_csumstart + delta < 0) {
			ep->ep_drops++;
			ep->ep_port->p_drop_out++;
			return;
		}
		o.oo_csumstart = (uint16_t)(o.oo_csumstart + delta);
		if (o.oo_hdrlen != 0 && (long)o.oo_hdrlen + delta > 0)
			o.oo_hdrlen = (uint16_t)(o.oo_hdrlen + delta);
	}
	if (ep->ep_offload)
		portq_send_raw(ep, frame, len, sc->sc_batch, &o);
	else if (ep->ep_ops != NULL && ep->ep_ops->eo_write_segs != NULL) {
		if (portq_gso_init(ep, &gi, frame, len, &o) == -1 ||
		    ep->ep_ops->eo_write_segs(ep, &gi) == -1) {
			ep->ep_drops++;
			ep->ep_port->p_drop_out++;
		}
	} else if (o.oo_gso != OS_GSO_NONE || (o.oo_flags & OS_OFF_CSUM) != 0)
		portq_send_soft(ep, frame, len, sc->sc_batch, &o);
	else
		portq_send_raw(ep, frame, len, sc->sc_batch, NULL);
}

/* A new cable: a client's socket gets room to stage frames. */
void
portq_attach(struct endpoint *ep)
{
	if (!ep->ep_tap && ep->ep_ops == NULL)
		ep->ep_stage = xcalloc(1, sizeof(*ep->ep_stage));
}

/*
 * A cable goes: what is staged for it is forgotten (it leaves its batch),
 * its queue is freed and its memory goes back to the budget.
 */
void
portq_detach(struct endpoint *ep)
{
	if (ep->ep_stage != NULL && ep->ep_stage->st_n > 0)
		stage_unlink(ep);
	free(ep->ep_stage);
	ep->ep_stage = NULL;
	epq_free(ep);
}
