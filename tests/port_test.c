/*
 * port_test: the output path of port.c and portq.c through their own
 * interface.  A
 * cable is one end of an AF_UNIX datagram socketpair with a small send
 * buffer; the test holds the other end and reads it when it chooses, so
 * that frames pile up in the cable's output queue (struct epq, a ring of
 * records) and drain from it as the loop would drain them (portq_flush on
 * POLLOUT).  Every frame carries a sequence number and a pattern made
 * from it: what arrives must be in order, intact, never twice, and every
 * frame missing must be counted as a drop.  The loop and the MAC table are
 * the smallest stubs that record what port.c asks of them.  Staged sends
 * go through a struct portq_batch in a struct sendctx, as forward.c
 * passes them.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "switch.h"

#define T_FRAMEMAX	1514
#define T_HDR		14		/* Ethernet header, then the number */

struct sw_config	 sw_conf;

/* What port.c asked of the loop. */
static int		 t_events_fd = -1;
static int		 t_events;

void
loop_events(int fd, int events)
{
	t_events_fd = fd;
	t_events = events;
}

void
loop_del(int fd)
{
	if (fd == t_events_fd)
		t_events_fd = -1;
}

time_t
loop_sec(void)
{
	return (1000);
}

void
fdb_flush_port(int n)
{
}

/* Capture and mirroring: no port here has either (p_watch stays 0). */
void
capture_frame(struct capture *c, const unsigned char *frame, size_t len,
    unsigned int dir)
{
}

void
mirror_frame(struct port *p, const unsigned char *frame, size_t len,
    const struct sendctx *sc, unsigned int dir)
{
}

/* The retry timer of a queue after ENOBUFS (Linux does not give it here). */
void
timer_set(struct timer *t, void (*fn)(void *), void *arg)
{
}

void
timer_add(struct timer *t, uint64_t msec)
{
}

void
timer_del(struct timer *t)
{
}

/* A cable: port.c's end and ours, and what arrived so far. */
struct tcable {
	int		 tc_fd[2];	/* [0] port.c's, [1] ours */
	struct endpoint	*tc_ep;
	struct port	*tc_port;
	uint32_t	 tc_next;	/* the next number port_send gets */
	uint32_t	 tc_expect;	/* numbers below arrived or were lost */
	uint64_t	 tc_got;
	uint64_t	 tc_lost;	/* numbers skipped on arrival */
};

static void
t_setup(int numports)
{
	memset(&sw_conf, 0, sizeof(sw_conf));
	sw_conf.c_queuemem = DEF_QUEUEMEM;
	sw_conf.c_portcables = DEF_PORTCABLES;
	sw_conf.c_usercables = DEF_USERCABLES;
	port_init(numports);
}

/* A cable on port n; sndbuf 0 keeps the system's default. */
static void
t_cable(struct tcable *c, int n, int sndbuf)
{
	memset(c, 0, sizeof(*c));
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_DGRAM, 0, c->tc_fd) == 0);
	ATF_REQUIRE(fcntl(c->tc_fd[0], F_SETFL, O_NONBLOCK) == 0);
	ATF_REQUIRE(fcntl(c->tc_fd[1], F_SETFL, O_NONBLOCK) == 0);
	if (sndbuf > 0)
		ATF_REQUIRE(setsockopt(c->tc_fd[0], SOL_SOCKET, SO_SNDBUF,
		    &sndbuf, sizeof(sndbuf)) == 0);
	/* A data socket's ID is its control fd: any other number will do. */
	c->tc_ep = port_attach(n, c->tc_fd[0], 1000 + n, 0, "test", "t", "");
	ATF_REQUIRE(c->tc_ep != NULL);
	c->tc_port = port_get(n);
	ATF_REQUIRE(c->tc_port != NULL);
}

/* Frame number seq of length len in f. */
static void
t_frame(unsigned char *f, uint32_t seq, size_t len)
{
	size_t	i;

	memset(f, 0xff, 6);
	memset(f + 6, 0x02, 6);
	f[12] = 0x88;
	f[13] = 0xb5;
	memcpy(f + T_HDR, &seq, sizeof(seq));
	for (i = T_HDR + sizeof(seq); i < len; i++)
		f[i] = (unsigned char)(seq * 7 + i);
}

/* A length for frame seq: all sizes from 60 to 1514, mixed. */
static size_t
t_len(uint32_t seq)
{
	return (60 + (seq * 389) % (T_FRAMEMAX - 60 + 1));
}

/* port_send frame number c->tc_next of length len. */
static void
t_send(struct tcable *c, size_t len)
{
	unsigned char	f[T_FRAMEMAX];

	t_frame(f, c->tc_next++, len);
	port_send(c->tc_port, f, len, NULL);
}

/*
 * Read up to max frames that arrived (max < 0: all); check each: numbers
 * rise, no frame twice, contents intact.  Returns how many were read.
 */
static int
t_read(struct tcable *c, int max)
{
	unsigned char	f[T_FRAMEMAX + 1], want[T_FRAMEMAX];
	uint32_t	seq;
	ssize_t		n;
	int		got = 0;

	while (max < 0 || got < max) {
		n = recv(c->tc_fd[1], f, sizeof(f), 0);
		if (n == -1) {
			ATF_REQUIRE_MSG(errno == EAGAIN || errno == EWOULDBLOCK,
			    "recv: %s", strerror(errno));
			break;
		}
		ATF_REQUIRE_MSG(n >= 60 && n <= T_FRAMEMAX, "a frame of %zd "
		    "bytes", n);
		memcpy(&seq, f + T_HDR, sizeof(seq));
		ATF_REQUIRE_MSG(seq >= c->tc_expect, "frame %u after %u: out "
		    "of order or twice", seq, c->tc_expect - 1);
		ATF_REQUIRE_MSG(seq < c->tc_next, "frame %u was never sent",
		    seq);
		t_frame(want, seq, (size_t)n);
		ATF_REQUIRE_MSG(memcmp(f, want, (size_t)n) == 0,
		    "frame %u (%zd bytes) damaged", seq, n);
		c->tc_lost += seq - c->tc_expect;
		c->tc_expect = seq + 1;
		c->tc_got++;
		got++;
	}
	return (got);
}

/* Everything sent arrived or was counted as a drop, and nothing else. */
static void
t_accounted(struct tcable *c)
{
	c->tc_lost += c->tc_next - c->tc_expect;
	c->tc_expect = c->tc_next;
	ATF_CHECK_EQ_MSG(c->tc_got + c->tc_lost, c->tc_next, "%ju + %ju of "
	    "%u", (uintmax_t)c->tc_got, (uintmax_t)c->tc_lost, c->tc_next);
	ATF_CHECK_EQ_MSG(c->tc_lost, c->tc_ep->ep_drops, "%ju missing, %ju "
	    "counted as drops", (uintmax_t)c->tc_lost,
	    (uintmax_t)c->tc_ep->ep_drops);
	ATF_CHECK_EQ(c->tc_lost, c->tc_port->p_drop_out);
}

/* Drain the cable as the loop would: read, flush, until nothing waits. */
static void
t_drain(struct tcable *c)
{
	int	i;

	for (i = 0; i < 100000 && c->tc_ep->ep_q != NULL; i++) {
		(void)t_read(c, -1);
		portq_flush(c->tc_ep);
	}
	ATF_REQUIRE_MSG(c->tc_ep->ep_q == NULL, "the queue never drained");
	(void)t_read(c, -1);
	ATF_CHECK_MSG(t_events_fd != c->tc_fd[0] || t_events == POLLIN,
	    "drained, but the loop still waits for POLLOUT");
}

/*
 * Many rounds of: read a few frames at the far end, flush, send a few
 * more, keeping the queue between half and nearly full, with frame sizes
 * of len(seq).  Every kind of wrap of the ring happens many times.
 */
static void
t_rounds(struct tcable *c, size_t (*len)(uint32_t), int rounds)
{
	int	r, k, queued;

	for (r = 0; r < rounds; r++) {
		(void)t_read(c, 1 + r % 7);
		portq_flush(c->tc_ep);
		queued = c->tc_ep->ep_q != NULL ? 1 : 0;
		for (k = 0; k < 1 + (r * 5) % 9; k++)
			t_send(c, len(c->tc_next));
		if (queued || c->tc_ep->ep_q != NULL)
			ATF_REQUIRE_MSG(t_events_fd == c->tc_fd[0] &&
			    (t_events & POLLOUT) != 0, "frames wait, but the "
			    "loop was not asked for POLLOUT");
	}
	t_drain(c);
	t_accounted(c);
}

ATF_TC_WITHOUT_HEAD(queue_order_and_drops);
ATF_TC_BODY(queue_order_and_drops, tc)
{
	struct tcable	c;
	int		i;

	t_setup(8);
	t_cable(&c, 1, 4096);
	/* A burst the socket cannot take: queued up to the limit, then lost. */
	for (i = 0; i < 2000; i++)
		t_send(&c, 1514);
	ATF_REQUIRE(c.tc_ep->ep_q != NULL);
	ATF_CHECK((t_events & POLLOUT) != 0);
	ATF_CHECK_MSG(c.tc_ep->ep_drops > 0, "2000 frames of 1514 bytes "
	    "held without a drop");
	t_drain(&c);
	t_accounted(&c);
	ATF_CHECK_MSG(c.tc_got >= 100, "only %ju frames arrived",
	    (uintmax_t)c.tc_got);
	port_cleanup();
}

ATF_TC_WITHOUT_HEAD(queue_ring_wraps);
ATF_TC_BODY(queue_ring_wraps, tc)
{
	struct tcable	c;
	int		i;

	t_setup(8);
	t_cable(&c, 1, 4096);
	/* Fill the queue to a few hundred frames, then keep it there. */
	for (i = 0; i < 300; i++)
		t_send(&c, t_len(c.tc_next));
	t_rounds(&c, t_len, 20000);
	ATF_CHECK_MSG(c.tc_got > 20000, "only %ju frames arrived",
	    (uintmax_t)c.tc_got);
	port_cleanup();
}

/* Records of 1024 bytes: the ring's end is reached exactly, no room left. */
static size_t
t_len1020(uint32_t seq)
{
	return (1020);
}

/* Records of 1028 bytes: 4 bytes are left at the end, just a marker. */
static size_t
t_len1024(uint32_t seq)
{
	return (1024);
}

/* Records that leave less than a frame but more than a marker. */
static size_t
t_len1500(uint32_t seq)
{
	return (1500);
}

ATF_TC_WITHOUT_HEAD(queue_ring_exact_ends);
ATF_TC_BODY(queue_ring_exact_ends, tc)
{
	size_t		(*lens[])(uint32_t) = { t_len1020, t_len1024,
			    t_len1500 };
	struct tcable	c;
	size_t		j;
	int		i;

	for (j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
		t_setup(8);
		t_cable(&c, 1, 4096);
		for (i = 0; i < 300; i++)
			t_send(&c, lens[j](0));
		t_rounds(&c, lens[j], 5000);
		ATF_CHECK_MSG(c.tc_got > 5000, "%zu: only %ju frames arrived",
		    j, (uintmax_t)c.tc_got);
		port_cleanup();
	}
}

ATF_TC_WITHOUT_HEAD(staging_batches_in_order);
ATF_TC_BODY(staging_batches_in_order, tc)
{
	static unsigned char	batch[100][T_FRAMEMAX];
	unsigned char		f[T_FRAMEMAX];
	struct portq_batch	b = { NULL };
	struct sendctx		sc = { &b, NULL, 0 };
	struct tcable		c;
	uint32_t		i;

	t_setup(8);
	t_cable(&c, 1, 0);
	/* Frames in the batch are only noted until the batch ends. */
	for (i = 0; i < 10; i++) {
		t_frame(batch[i], c.tc_next++, 100 + i);
		port_send(c.tc_port, batch[i], 100 + i, &sc);
	}
	ATF_CHECK_EQ_MSG(t_read(&c, -1), 0, "staged frames were sent before "
	    "the batch ended");
	/* A frame sent without the batch goes after what is staged, at once. */
	t_frame(f, c.tc_next++, 200);
	port_send(c.tc_port, f, 200, NULL);
	t_drain(&c);
	ATF_CHECK_EQ(c.tc_got, 11);
	/* More than a batch holds: still every frame, in order. */
	for (i = 11; i < 100; i++) {
		t_frame(batch[i], c.tc_next++, 60 + i * 7);
		port_send(c.tc_port, batch[i], 60 + i * 7, &sc);
	}
	portq_batch_end(&b);
	t_drain(&c);
	t_accounted(&c);
	ATF_CHECK_EQ(c.tc_got, 100);
	ATF_CHECK_EQ(c.tc_lost, 0);
	/* Without a batch, frames in that memory go out at once. */
	t_frame(batch[0], c.tc_next++, 80);
	port_send(c.tc_port, batch[0], 80, NULL);
	ATF_CHECK_EQ(t_read(&c, -1), 1);
	port_cleanup();
}

ATF_TC_WITHOUT_HEAD(staging_behind_queue);
ATF_TC_BODY(staging_behind_queue, tc)
{
	static unsigned char	batch[64][T_FRAMEMAX];
	struct portq_batch	b = { NULL };
	struct sendctx		sc = { &b, NULL, 0 };
	struct tcable		c;
	size_t			len;
	int			i, r;

	t_setup(8);
	t_cable(&c, 1, 4096);
	/* Frames wait in the queue; staged ones must go after them. */
	for (i = 0; i < 50; i++)
		t_send(&c, 1000);
	ATF_REQUIRE(c.tc_ep->ep_q != NULL);
	for (r = 0; r < 200; r++) {
		for (i = 0; i < 64; i++) {
			len = t_len(c.tc_next);
			t_frame(batch[i], c.tc_next++, len);
			port_send(c.tc_port, batch[i], len, &sc);
		}
		portq_batch_end(&b);
		(void)t_read(&c, 40);
		portq_flush(c.tc_ep);
	}
	t_drain(&c);
	t_accounted(&c);
	port_cleanup();
}

ATF_TC_WITHOUT_HEAD(staging_cable_closed);
ATF_TC_BODY(staging_cable_closed, tc)
{
	static unsigned char	batch[8][T_FRAMEMAX];
	struct portq_batch	pb = { NULL };
	struct sendctx		sc = { &pb, NULL, 0 };
	struct tcable		a, b;
	int			i;

	t_setup(8);
	t_cable(&a, 1, 0);
	t_cable(&b, 2, 0);
	for (i = 0; i < 4; i++) {
		t_frame(batch[i], a.tc_next++, 100);
		port_send(a.tc_port, batch[i], 100, &sc);
		t_frame(batch[4 + i], b.tc_next++, 100);
		port_send(b.tc_port, batch[4 + i], 100, &sc);
	}
	/* Cable a goes while frames are staged for it: b's still go. */
	port_detach(a.tc_ep);
	close(a.tc_fd[1]);
	portq_batch_end(&pb);
	ATF_CHECK_EQ(t_read(&b, -1), 4);
	port_cleanup();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, queue_order_and_drops);
	ATF_TP_ADD_TC(tp, queue_ring_wraps);
	ATF_TP_ADD_TC(tp, queue_ring_exact_ends);
	ATF_TP_ADD_TC(tp, staging_batches_in_order);
	ATF_TP_ADD_TC(tp, staging_behind_queue);
	ATF_TP_ADD_TC(tp, staging_cable_closed);
	return (atf_no_error());
}
