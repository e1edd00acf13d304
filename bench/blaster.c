/*
 * blaster.c: a frame blaster for benchmarking a VDE switch through the
 * libvdeplug API.
 *
 * One process opens a receiving connection (and, on request, any number of
 * idle ones), then forks a sender that opens its own connection.  The
 * receiver broadcasts "hello" frames until the sender sees one, so the
 * switch has learned the receiver's MAC before the run and every measured
 * frame is a known unicast (never flooded to idle ports).  The sender then
 * sends a fixed count of numbered frames, unpaced (as fast as the switch
 * accepts them) or paced at a given rate; the receiver counts what arrives
 * and prints one line of key=value figures:
 *
 *   len=64 sent=N received=N lost=N loss_pct=P secs=S fps=F mbps=M send_fps=F
 *
 * fps and mbps are the rates delivered at the receiver, measured from the
 * first to the last frame received; mbps counts the whole datagram
 * (Ethernet header included, no FCS).  With -H it opens -i connections,
 * prints "ready N" and holds them until killed or -w seconds pass (for
 * memory measurements with connected ports).  With a second switch the
 * receiver (and the idle connections) join that one: the frames cross
 * whatever joins the two (a cable, a wirefilter).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libvdeplug.h"

#define BL_ETHERTYPE	0x88b5		/* IEEE local experimental */
#define BL_HDRLEN	14
#define BL_MINLEN	(BL_HDRLEN + 9)	/* header, magic, kind, sequence */
#define BL_MAXLEN	9234
#define BL_BUFLEN	(BL_MAXLEN + 64)
#define BL_KIND_HELLO	'H'
#define BL_KIND_DATA	'D'
#define BL_DRAIN_MS	300		/* quiet time that ends a run */

static const unsigned char bl_magic[4] = { 'V', 'B', 'L', 'T' };

struct bl_opts {
	char		*o_sock;
	char		*o_rsock;	/* the receiver's: o_sock or a 2nd */
	unsigned long	 o_count;
	size_t		 o_len;
	unsigned long	 o_rate;	/* frames/s, 0 = unpaced */
	int		 o_idle;	/* extra idle connections */
	int		 o_hold;
	int		 o_randmac;
	int		 o_wait;	/* overall bound, seconds */
};

/* What the sender reports to the receiver through a pipe at its end. */
struct bl_report {
	unsigned long	 r_sent;
	double		 r_secs;
	int		 r_err;
};

static void	usage(void) __attribute__((__noreturn__));
static double	now(void);
static void	die(const char *, ...)
		    __attribute__((__noreturn__, __format__(printf, 1, 2)));
static VDECONN	*conn_open(const char *, const char *);
static void	frame_fill(unsigned char *, size_t, const unsigned char *,
		    const unsigned char *, int);
static int	frame_kind(const unsigned char *, ssize_t);
static void	mac_set(unsigned char *, unsigned int, unsigned int);
static void	pace(double, unsigned long, unsigned long);
static int	wait_fd(int, int, int);
static void	sender(const struct bl_opts *, const unsigned char *, int,
		    int);
static int	receiver(const struct bl_opts *, VDECONN *,
		    const unsigned char *, pid_t, int, int);
static int	hold(const struct bl_opts *);

static void
usage(void)
{
	fprintf(stderr, "usage: blaster [-Hm] [-i idle] [-l len] [-n count] "
	    "[-r rate] [-w secs] switch [rswitch]\n");
	exit(2);
}

/* Print a message and leave with status 2 (a setup failure, not a result). */
static void
die(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	fprintf(stderr, "blaster: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (saved != 0)
		fprintf(stderr, ": %s", strerror(saved));
	fprintf(stderr, "\n");
	exit(2);
}

/* Monotonic time in seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Open one connection to the switch, any port. */
static VDECONN *
conn_open(const char *sock, const char *descr)
{
	struct vde_open_args args;
	VDECONN *c;

	memset(&args, 0, sizeof(args));
	args.port = 0;
	args.group = NULL;
	args.mode = 0700;
	errno = 0;
	if ((c = vde_open((char *)sock, (char *)descr, &args)) == NULL)
		die("cannot connect to %s", sock);
	return (c);
}

/* A locally administered unicast MAC: 02:62:<tag>:<id, 3 bytes>. */
static void
mac_set(unsigned char *mac, unsigned int tag, unsigned int id)
{
	mac[0] = 0x02;
	mac[1] = 0x62;
	mac[2] = tag & 0xff;
	mac[3] = (id >> 16) & 0xff;
	mac[4] = (id >> 8) & 0xff;
	mac[5] = id & 0xff;
}

/* Build a blaster frame of len bytes; the sequence number is set later. */
static void
frame_fill(unsigned char *buf, size_t len, const unsigned char *dst,
    const unsigned char *src, int kind)
{
	memset(buf, 0, len);
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = BL_ETHERTYPE >> 8;
	buf[13] = BL_ETHERTYPE & 0xff;
	memcpy(buf + BL_HDRLEN, bl_magic, sizeof(bl_magic));
	buf[BL_HDRLEN + 4] = (unsigned char)kind;
}

/* The kind of a received blaster frame, or 0 for anything else. */
static int
frame_kind(const unsigned char *buf, ssize_t n)
{
	if (n < BL_MINLEN ||
	    buf[12] != (BL_ETHERTYPE >> 8) || buf[13] != (BL_ETHERTYPE & 0xff) ||
	    memcmp(buf + BL_HDRLEN, bl_magic, sizeof(bl_magic)) != 0)
		return (0);
	return (buf[BL_HDRLEN + 4]);
}

/*
 * Sleep until frame number "sent" is due at "rate" frames/s from t0.  The
 * sleep is skipped when less than 50 us are left, so short gaps become
 * small bursts instead of oversleeping on every frame.
 */
static void
pace(double t0, unsigned long sent, unsigned long rate)
{
	struct timespec ts;
	double due, gap;

	due = t0 + (double)sent / (double)rate;
	gap = due - now();
	if (gap < 50e-6)
		return;
	ts.tv_sec = (time_t)gap;
	ts.tv_nsec = (long)((gap - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

/* poll one fd for events with a timeout; returns poll's result. */
static int
wait_fd(int fd, int events, int ms)
{
	struct pollfd pfd;
	int rv;

	pfd.fd = fd;
	pfd.events = (short)events;
	pfd.revents = 0;
	while ((rv = poll(&pfd, 1, ms)) == -1 && errno == EINTR)
		;
	return (rv);
}

/*
 * The sending child: open a connection, wait for a hello from the receiver
 * (the switch has then learned where the receiver is), tell the parent,
 * wait for "go", send the frames and report.
 */
static void
sender(const struct bl_opts *o, const unsigned char *rmac, int tofd,
    int fromfd)
{
	unsigned char buf[BL_BUFLEN], smac[6];
	struct bl_report rep;
	VDECONN *c;
	uint32_t seq;
	unsigned long i;
	double t0;
	ssize_t n;
	char go;
	int fd;

	c = conn_open(o->o_sock, "blaster sender");
	fd = vde_datafd(c);
	/* Wait for the receiver's hello, bounded by the overall limit. */
	t0 = now();
	for (;;) {
		if (now() - t0 > o->o_wait)
			die("no hello from the receiver through the switch");
		if (wait_fd(fd, POLLIN, 100) <= 0)
			continue;
		n = vde_recv(c, buf, sizeof(buf), 0);
		if (n <= 0)
			die("sender connection closed");
		if (frame_kind(buf, n) == BL_KIND_HELLO &&
		    memcmp(buf + 6, rmac, 6) == 0)
			break;
	}
	if (write(tofd, "R", 1) != 1)
		die("pipe");
	if (read(fromfd, &go, 1) != 1)
		die("no go from the receiver");

	mac_set(smac, 0x53, (unsigned int)getpid());
	frame_fill(buf, o->o_len, rmac, smac, BL_KIND_DATA);
	memset(&rep, 0, sizeof(rep));
	t0 = now();
	for (i = 0; i < o->o_count; ) {
		if (o->o_rate != 0)
			pace(t0, i, o->o_rate);
		/* The time bound ends the run early; the report says so. */
		if ((i & 255) == 0 && now() - t0 > o->o_wait)
			break;
		seq = (uint32_t)i;
		memcpy(buf + BL_HDRLEN + 5, &seq, sizeof(seq));
		if (o->o_randmac) {
			/*
			 * A distinct, scattered source per frame: the
			 * multiplication by an odd constant is a bijection
			 * on 32 bits.
			 */
			seq = (uint32_t)i * 2654435761u;
			buf[6] = 0x0a;
			buf[7] = 0x00;
			memcpy(buf + 8, &seq, sizeof(seq));
		}
		n = vde_send(c, buf, o->o_len, 0);
		if (n == (ssize_t)o->o_len) {
			i++;
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == ENOBUFS || errno == EINTR)) {
			/* The switch is behind: wait for room, do not drop. */
			wait_fd(fd, POLLOUT, 10);
			if (now() - t0 > o->o_wait)
				break;
			continue;
		}
		rep.r_err = errno != 0 ? errno : EIO;
		break;
	}
	rep.r_secs = now() - t0;
	rep.r_sent = i;
	if (write(tofd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
		die("pipe");
	_exit(0);
}

/*
 * The receiving parent: announce itself until the sender has heard it,
 * then count data frames until all arrived or the sender is done and the
 * line has been quiet for BL_DRAIN_MS.  Print the figures.
 */
static int
receiver(const struct bl_opts *o, VDECONN *c, const unsigned char *rmac,
    pid_t child, int fromfd, int tofd)
{
	unsigned char buf[BL_BUFLEN], hello[BL_MINLEN + 64];
	unsigned char bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct bl_report rep;
	unsigned long got, ooo;
	uint32_t seq, last;
	double t0, tfirst, tlast, secs, fps;
	ssize_t n;
	int fd, done, flags, status;
	char ready;

	fd = vde_datafd(c);
	/* Non-blocking, so one wake-up can drain everything waiting. */
	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		die("fcntl");
	frame_fill(hello, 64, bcast, rmac, BL_KIND_HELLO);
	t0 = now();
	for (;;) {
		if (now() - t0 > o->o_wait)
			die("the sender never heard the receiver");
		if (vde_send(c, hello, 64, 0) == -1 && errno != EAGAIN &&
		    errno != EWOULDBLOCK && errno != ENOBUFS)
			die("send hello");
		if (wait_fd(fromfd, POLLIN, 50) > 0)
			break;
		/* Hellos flooded back to us are not data; drop them. */
		while (vde_recv(c, buf, sizeof(buf), 0) > 0)
			;
	}
	if (read(fromfd, &ready, 1) != 1)
		die("sender failed before the run");
	while (vde_recv(c, buf, sizeof(buf), 0) > 0)
		;

	got = ooo = 0;
	last = 0;
	tfirst = tlast = 0;
	done = 0;
	memset(&rep, 0, sizeof(rep));
	t0 = now();
	if (write(tofd, "G", 1) != 1)
		die("pipe");
	while (got < o->o_count) {
		n = vde_recv(c, buf, sizeof(buf), 0);
		if (n > 0) {
			if (frame_kind(buf, n) != BL_KIND_DATA)
				continue;
			tlast = now();
			if ((got & 4095) == 0 && tlast - t0 > o->o_wait + 10)
				break;
			if (got == 0)
				tfirst = tlast;
			memcpy(&seq, buf + BL_HDRLEN + 5, sizeof(seq));
			if (got != 0 && seq <= last)
				ooo++;
			last = seq;
			got++;
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR))
			die("receiver connection closed");
		/* Nothing waiting: wait for a frame or the sender's end. */
		if (!done) {
			struct pollfd pfd[2];

			pfd[0].fd = fd;
			pfd[0].events = POLLIN;
			pfd[1].fd = fromfd;
			pfd[1].events = POLLIN;
			pfd[0].revents = pfd[1].revents = 0;
			if (poll(pfd, 2, 1000) == -1 && errno != EINTR)
				die("poll");
			if (pfd[1].revents != 0) {
				if (read(fromfd, &rep, sizeof(rep)) !=
				    (ssize_t)sizeof(rep))
					die("sender died");
				done = 1;
			}
		} else if (wait_fd(fd, POLLIN, BL_DRAIN_MS) == 0)
			break;
		if (now() - t0 > o->o_wait + 10)
			break;
	}
	if (!done) {
		/* A sender stuck in a blocking send past its own bound. */
		if (wait_fd(fromfd, POLLIN, 1000) <= 0) {
			kill(child, SIGKILL);
			die("the sender is stuck");
		}
		if (read(fromfd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
			die("sender died");
	}
	while (waitpid(child, &status, 0) == -1 && errno == EINTR)
		;
	if (rep.r_err != 0) {
		errno = rep.r_err;
		die("sender failed after %lu frames", rep.r_sent);
	}

	secs = tlast - tfirst;
	fps = (got > 1 && secs > 0) ? (double)(got - 1) / secs : 0;
	printf("len=%zu sent=%lu received=%lu lost=%lu loss_pct=%.3f "
	    "secs=%.4f fps=%.0f mbps=%.2f send_fps=%.0f ooo=%lu complete=%d\n",
	    o->o_len, rep.r_sent, got,
	    rep.r_sent > got ? rep.r_sent - got : 0,
	    rep.r_sent > 0 ? 100.0 * (double)(rep.r_sent - got) /
	    (double)rep.r_sent : 0.0,
	    secs, fps, fps * (double)o->o_len * 8 / 1e6,
	    rep.r_secs > 0 ? (double)rep.r_sent / rep.r_secs : 0, ooo,
	    rep.r_sent == o->o_count);
	fflush(stdout);
	return (got > 0 ? 0 : 1);
}

/* Hold -i connections open until killed or -w seconds have passed. */
static int
hold(const struct bl_opts *o)
{
	unsigned char buf[BL_BUFLEN];
	struct pollfd *pfd;
	VDECONN **c;
	double t0;
	int i;

	if ((c = calloc((size_t)o->o_idle + 1, sizeof(*c))) == NULL ||
	    (pfd = calloc((size_t)o->o_idle + 1, sizeof(*pfd))) == NULL)
		die("calloc");
	for (i = 0; i < o->o_idle; i++) {
		c[i] = conn_open(o->o_sock, "blaster idle");
		pfd[i].fd = vde_datafd(c[i]);
		pfd[i].events = POLLIN;
	}
	printf("ready %d\n", o->o_idle);
	fflush(stdout);
	/* Read and discard whatever is flooded to us, so no queue fills. */
	t0 = now();
	while (now() - t0 < o->o_wait) {
		if (poll(pfd, (nfds_t)o->o_idle, 200) <= 0)
			continue;
		for (i = 0; i < o->o_idle; i++)
			if (pfd[i].revents & POLLIN)
				(void)vde_recv(c[i], buf, sizeof(buf), 0);
			else if (pfd[i].revents != 0)
				die("connection %d closed by the switch", i);
	}
	for (i = 0; i < o->o_idle; i++)
		vde_close(c[i]);
	free(pfd);
	free(c);
	return (0);
}

int
main(int argc, char *argv[])
{
	struct bl_opts o;
	unsigned char rmac[6];
	VDECONN *rc, **idle = NULL;
	int up[2], down[2], ch, i, rv;
	pid_t pid;
	char *ep;

	memset(&o, 0, sizeof(o));
	o.o_count = 100000;
	o.o_len = 64;
	o.o_wait = 60;
	while ((ch = getopt(argc, argv, "Hi:l:mn:r:w:")) != -1) {
		errno = 0;
		switch (ch) {
		case 'H':
			o.o_hold = 1;
			break;
		case 'i':
			o.o_idle = (int)strtol(optarg, &ep, 10);
			if (*ep != '\0' || o.o_idle < 0 || o.o_idle > 4096)
				usage();
			break;
		case 'l':
			o.o_len = (size_t)strtoul(optarg, &ep, 10);
			if (*ep != '\0' || o.o_len < BL_MINLEN ||
			    o.o_len > BL_MAXLEN)
				usage();
			break;
		case 'm':
			o.o_randmac = 1;
			break;
		case 'n':
			o.o_count = strtoul(optarg, &ep, 10);
			if (*ep != '\0' || o.o_count == 0 || errno != 0 ||
			    o.o_count > UINT32_MAX)
				usage();
			break;
		case 'r':
			o.o_rate = strtoul(optarg, &ep, 10);
			if (*ep != '\0' || errno != 0)
				usage();
			break;
		case 'w':
			o.o_wait = (int)strtol(optarg, &ep, 10);
			if (*ep != '\0' || o.o_wait <= 0)
				usage();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 && argc != 2)
		usage();
	o.o_sock = argv[0];
	/* A second switch: the receiver is there, a cable between them. */
	o.o_rsock = argc == 2 ? argv[1] : argv[0];
	signal(SIGPIPE, SIG_IGN);
	if (o.o_hold)
		return (hold(&o));

	/* The receiver's connection and the idle ones exist before the run. */
	rc = conn_open(o.o_rsock, "blaster receiver");
	if (o.o_idle > 0 &&
	    (idle = calloc((size_t)o.o_idle, sizeof(*idle))) == NULL)
		die("calloc");
	for (i = 0; i < o.o_idle; i++)
		idle[i] = conn_open(o.o_rsock, "blaster idle");
	mac_set(rmac, 0x52, (unsigned int)getpid());
	if (pipe(up) == -1 || pipe(down) == -1)
		die("pipe");
	fflush(stdout);
	if ((pid = fork()) == -1)
		die("fork");
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		sender(&o, rmac, up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	rv = receiver(&o, rc, rmac, pid, up[0], down[1]);
	vde_close(rc);
	return (rv);
}
