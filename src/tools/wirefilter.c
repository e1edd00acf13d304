/*
 * wirefilter: a VDE cable with faults on purpose (loss, delay, duplicates,
 * limited bandwidth, noise...), VDE 2's command line and console.
 *
 *	dpipe vde_plug S1 = wirefilter -l 10 = vde_plug S2
 *	wirefilter -v S1:S2 -d 100+20N
 *
 * In the first form the left side is stdin/stdout and the right side the
 * two descriptors dpipe names in ALTERNATE_STDIN and ALTERNATE_STDOUT,
 * all in the stream framing of vde_plug; in the second both sides are
 * switches joined through libvdeplug.  Left to right is "LR", the other
 * way "RL".  One poll loop moves the frames, runs the console and wakes
 * up when the next held frame is due or the Markov chain's next step
 * comes (wfmodel.c has the model, wfmarkov.c the chain).
 *
 * With --blink, each frame leaving the cable is told to a PF_UNIX
 * datagram socket as "ID LR|RL LENGTH\n"; the message is sent without
 * waiting, and one the reader does not take (absent, or too slow) is
 * dropped and counted: the cable never waits for it.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "proto.h"
#include "libvdeplug.h"
#include "lib.h"
#include "outq.h"
#include "pidfile.h"
#include "tool.h"
#include "version.h"
#include "wfmgmt.h"
#include "wfmodel.h"
#include "wfrand.h"

#define WF_READSZ	65536	/* a stream read: many records */
#define WF_RECVMAX	64	/* frames taken from a switch per wake-up */
#define WF_EARLY_NS	500000	/* half the resolution of poll's timeout */
#define WF_BLINKIDMAX	64	/* --blinkid: bytes at most */

/* One side of the cable. */
struct wfside {
	int			 w_in;		/* stream in or data fd */
	int			 w_ctl;		/* -v: the control fd, or -1 */
	VDECONN			*w_conn;	/* -v */
	int			 w_batch;	/* -v to a switch: batched I/O */
	int			 w_head;	/* first frame not yet sent */
	int			 w_sn;		/* frames in w_sfr */
	struct os_frame		 w_sfr[WF_RECVMAX];
	unsigned char		 w_sbuf[WF_RECVMAX][VDE_FRAMEBUF];
	struct stream_dec	 w_dec;
	struct outq		 w_out;
};

static struct wfside		 wf_side[2];
static struct wfmodel		 wf_model;
static struct pidfile		 wf_pidfile;
static unsigned char		 wf_buf[WF_READSZ];
static unsigned char		 wf_rbuf[WF_RECVMAX][VDE_FRAMEBUF];
static struct os_frame		 wf_rfr[WF_RECVMAX];
static int			 wf_stream;	/* 1: stdin/stdout mode */
static int			 wf_blinkfd = -1;
static struct sockaddr_un	 wf_blinkaddr;
static socklen_t		 wf_blinklen;
static char			 wf_blinkid[WF_BLINKIDMAX + 1];
static volatile sig_atomic_t	 wf_quit;

static __dead void wf_usage(void);
static void	wf_signal(int);
static void	wf_out(void *, int, const unsigned char *, size_t);
static void	wf_fromstream(void *, const unsigned char *, size_t);
static int	wf_fd(const char *);
static void	wf_opt(int, const char *);
static int	wf_input(int);
static void	wf_flush(int);
static int	wf_pending(int);
static void	wf_loop(void);
static void	wf_blink(int, size_t);
static void	wf_blinkopen(const char *, const char *);

static __dead void
wf_usage(void)
{
	fprintf(stderr,
	    "usage: wirefilter [-N] [-b bandwidth] [-c chanbufsize] "
	    "[-D dup] [-d delay]\n"
	    "                  [-f rcfile] [-L lostburst] [-l loss] "
	    "[-M mgmtsocket]\n"
	    "                  [-m mtu] [-n noise] [-S seed] [-s speed] "
	    "[-v plug1:plug2]\n"
	    "                  [--blink socket] [--blinkid id] [--daemon]\n"
	    "                  [--mgmtmode mode] [--pidfile file]\n");
	exit(1);
}

static void
wf_signal(int sig)
{
	wf_quit = 1;
}

/* A frame leaves the cable in direction dir. */
static void
wf_out(void *arg, int dir, const unsigned char *frame, size_t len)
{
	struct wfside	*s = &wf_side[dir == WF_LR ? 1 : 0];
	unsigned long	 drops;

	if (wf_blinkfd != -1)
		wf_blink(dir, len);
	if (wf_stream) {
		drops = s->w_out.oq_drops;
		if (outq_put(&s->w_out, frame, len) == -1)
			wf_quit = 1;
		if (s->w_out.oq_drops != drops)
			wf_model.m_dir[dir].d_outdrop++;
	} else if (s->w_batch) {
		/* Sent by wf_flush, many frames a system call. */
		if (s->w_sn == WF_RECVMAX)
			wf_flush(dir == WF_LR ? 1 : 0);
		if (s->w_sn == WF_RECVMAX || len > VDE_FRAMEBUF) {
			wf_model.m_dir[dir].d_outdrop++;
			return;
		}
		memcpy(s->w_sbuf[s->w_sn], frame, len);
		s->w_sfr[s->w_sn].of_buf = s->w_sbuf[s->w_sn];
		s->w_sfr[s->w_sn++].of_len = len;
	} else if (vde_send(s->w_conn, frame, len, 0) == -1)
		wf_model.m_dir[dir].d_outdrop++;
}

/* Tell the --blink socket about a frame; never wait for it. */
static void
wf_blink(int dir, size_t len)
{
	char	msg[WF_BLINKIDMAX + 32];
	int	n;

	n = snprintf(msg, sizeof(msg), "%s %s %zu\n", wf_blinkid,
	    dir == WF_LR ? "LR" : "RL", len);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return;
	if (sendto(wf_blinkfd, msg, (size_t)n, MSG_DONTWAIT,
	    (struct sockaddr *)&wf_blinkaddr, wf_blinklen) == n)
		wf_model.m_dir[dir].d_blink++;
	else
		wf_model.m_dir[dir].d_blinkdrop++;
}

/*
 * The socket for --blink: unconnected, so that a reader that comes (or
 * comes back) later is reached.
 */
static void
wf_blinkopen(const char *path, const char *id)
{
	if ((wf_blinklen = os_sun_set(&wf_blinkaddr, path)) == 0)
		fatalx("--blink %s: path too long", path);
	if (id != NULL)
		strlcpy(wf_blinkid, id, sizeof(wf_blinkid));
	if ((wf_blinkfd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
		fatal("--blink socket");
	if (fcntl(wf_blinkfd, F_SETFL, O_NONBLOCK |
	    fcntl(wf_blinkfd, F_GETFL)) == -1 ||
	    fcntl(wf_blinkfd, F_SETFD, FD_CLOEXEC) == -1)
		fatal("fcntl");
}

/*
 * Send what wf_out batched for side i, as far as its switch takes it.
 * What is left waits (the loop then polls for room and stops reading the
 * side that feeds it, so the cable pushes back as a plain one does); an
 * error other than a full socket drops the batch, counted.
 */
static void
wf_flush(int i)
{
	struct wfside	*s = &wf_side[i];
	int		 n;

	if (s->w_head == s->w_sn)
		return;
	n = os_send_batch(s->w_in, s->w_sfr + s->w_head, s->w_sn - s->w_head);
	if (n < 0) {
		wf_model.m_dir[i == 1 ? WF_LR : WF_RL].d_outdrop +=
		    (unsigned long)(s->w_sn - s->w_head);
		n = s->w_sn - s->w_head;
	}
	s->w_head += n;
	if (s->w_head == s->w_sn)
		s->w_head = s->w_sn = 0;
}

/* Whether frames for side i wait for room in its switch's socket. */
static int
wf_pending(int i)
{
	return (wf_side[i].w_head < wf_side[i].w_sn);
}

/* A record from a stream side (arg) enters the cable. */
static void
wf_fromstream(void *arg, const unsigned char *frame, size_t len)
{
	struct wfside	*s = arg;

	if (len < VDE_ETHHDRLEN)
		return;
	wfmodel_frame(&wf_model, s == &wf_side[0] ? WF_LR : WF_RL,
	    wfmodel_now(), frame, len, wf_out, NULL);
}

/* A descriptor number dpipe gave in the environment. */
static int
wf_fd(const char *var)
{
	const char	*v, *errstr;
	int		 fd;

	if ((v = getenv(var)) == NULL)
		fatalx("%s is not set: run wirefilter between two commands "
		    "of dpipe (a = wirefilter = b), or use -v plug1:plug2",
		    var);
	fd = (int)strtonum(v, 0, INT_MAX, &errstr);
	if (errstr != NULL)
		fatalx("%s=%s: %s", var, v, errstr);
	return (fd);
}

/* A parameter option: the same syntax and checks as the console. */
static void
wf_opt(int param, const char *val)
{
	char	err[512];

	if (wfmodel_set(&wf_model.m_conf, param, val, err, sizeof(err)) == -1)
		fatalx("%s", err);
}

/* Read from side i; -1 when it is gone. */
static int
wf_input(int i)
{
	struct wfside	*s = &wf_side[i];
	ssize_t		 n;
	int		 k, dir = i == 0 ? WF_LR : WF_RL;

	if (wf_stream) {
		n = read(s->w_in, wf_buf, sizeof(wf_buf));
		if (n == 0)
			return (-1);
		if (n == -1)
			return (errno == EINTR || errno == EAGAIN ? 0 : -1);
		stream_dec_feed(&s->w_dec, wf_buf, (size_t)n,
		    wf_fromstream, NULL, s);
		return (0);
	}
	if (s->w_batch) {
		for (k = 0; k < WF_RECVMAX; k++) {
			wf_rfr[k].of_buf = wf_rbuf[k];
			wf_rfr[k].of_len = sizeof(wf_rbuf[k]);
		}
		if ((n = os_recv_batch(s->w_in, wf_rfr, WF_RECVMAX)) == -1)
			return (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR ? 0 : -1);
		for (k = 0; k < n; k++)
			if (!wf_rfr[k].of_trunc &&
			    wf_rfr[k].of_len >= VDE_ETHHDRLEN)
				wfmodel_frame(&wf_model, dir, wfmodel_now(),
				    wf_rbuf[k], wf_rfr[k].of_len, wf_out,
				    NULL);
		return (0);
	}
	for (k = 0; k < WF_RECVMAX; k++) {
		n = vde_recv(s->w_conn, wf_buf, sizeof(wf_buf), 0);
		if (n == -1)
			return (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR ? 0 : -1);
		if (n >= VDE_ETHHDRLEN)
			wfmodel_frame(&wf_model, dir, wfmodel_now(), wf_buf,
			    (size_t)n, wf_out, NULL);
		if (wfmodel_inputbusy(&wf_model, dir, wfmodel_now()))
			break;
	}
	return (0);
}

static void
wf_loop(void)
{
	struct pollfd	 pfd[6 + WFMGMT_NFDS];
	uint64_t	 now, next, t;
	int		 n, i, k, timeout, where[6];

	while (!wf_quit && !wfmgmt_shutdown()) {
		/*
		 * poll() counts in milliseconds: frames due within half of
		 * one leave now, so they leave within +-0.5 ms of their
		 * time instead of up to 1 ms late.
		 */
		now = wfmodel_now() + WF_EARLY_NS;
		wfmarkov_run(&wf_model, now, wfmgmt_trace);
		wfmodel_run(&wf_model, now, wf_out, NULL);
		next = wfmodel_next(&wf_model);
		wf_flush(0);
		wf_flush(1);
		n = 0;
		for (i = 0; i < 2; i++) {
			pfd[n].events = 0;
			t = wf_model.m_dir[i].d_ifbusy;
			if (t > now) {
				if (t < next)
					next = t;
			} else if (!wf_pending(1 - i))
				pfd[n].events = POLLIN;
			if (wf_pending(i))
				pfd[n].events |= POLLOUT;
			if (pfd[n].events != 0) {
				pfd[n].fd = wf_side[i].w_in;
				where[n++] = i;
			}
			if (wf_stream && outq_pending(&wf_side[i].w_out)) {
				pfd[n].fd = wf_side[i].w_out.oq_fd;
				pfd[n].events = POLLOUT;
				where[n++] = 2 + i;
			}
			if (wf_side[i].w_ctl != -1) {
				pfd[n].fd = wf_side[i].w_ctl;
				pfd[n].events = POLLIN;
				where[n++] = 4 + i;
			}
		}
		k = wfmgmt_pollfds(pfd + n);
		if (next == UINT64_MAX)
			timeout = -1;
		else if (next <= now)
			timeout = 0;
		else if (next - now > 60000000000ULL)
			timeout = 60000;
		else
			timeout = (int)((next - now + 999999) / 1000000);
		if (poll(pfd, (nfds_t)(n + k), timeout) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		for (i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (where[i] >= 4)
				return;		/* a switch went away */
			if (where[i] >= 2) {
				if (pfd[i].revents & (POLLERR | POLLNVAL) ||
				    outq_flush(&wf_side[where[i] - 2].w_out)
				    == -1)
					return;
				continue;
			}
			if (pfd[i].revents & POLLNVAL)
				return;
			if (pfd[i].revents & POLLOUT)
				wf_flush(where[i]);
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR) &&
			    wf_input(where[i]) == -1)
				return;
		}
		wfmgmt_events(pfd + n, k);
	}
}

int
main(int argc, char **argv)
{
	enum { O_DAEMON = 256, O_PIDFILE, O_MGMTMODE, O_SEED, O_VERSION,
	    O_BLINK, O_BLINKID };
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL,	'h' },
		{ "rcfile",	required_argument,	NULL,	'f' },
		{ "loss",	required_argument,	NULL,	'l' },
		{ "lostburst",	required_argument,	NULL,	'L' },
		{ "delay",	required_argument,	NULL,	'd' },
		{ "dup",	required_argument,	NULL,	'D' },
		{ "band",	required_argument,	NULL,	'b' },
		{ "speed",	required_argument,	NULL,	's' },
		{ "chanbufsize", required_argument,	NULL,	'c' },
		{ "noise",	required_argument,	NULL,	'n' },
		{ "mtu",	required_argument,	NULL,	'm' },
		{ "nofifo",	no_argument,		NULL,	'N' },
		{ "mgmt",	required_argument,	NULL,	'M' },
		{ "mgmtmode",	required_argument,	NULL,	O_MGMTMODE },
		{ "vde-plug",	required_argument,	NULL,	'v' },
		{ "daemon",	no_argument,		NULL,	O_DAEMON },
		{ "pidfile",	required_argument,	NULL,	O_PIDFILE },
		{ "seed",	required_argument,	NULL,	'S' },
		{ "blink",	required_argument,	NULL,	O_BLINK },
		{ "blinkid",	required_argument,	NULL,	O_BLINKID },
		/* Long only: -v is VDE 2's --vde-plug. */
		{ "version",	no_argument,		NULL,	O_VERSION },
		{ NULL,		0,			NULL,	0 }
	};
	struct vde_open_args	 args;
	const char		*rcfile = NULL, *mgmt = NULL, *plugs = NULL;
	const char		*pidfile = NULL, *errstr, *blink = NULL;
	const char		*blinkid = NULL;
	char			*colon, *p1, *p2, err[PATH_MAX + 512];
	mode_t			 mgmtmode = 0600;
	uint64_t		 seed;
	int			 ch, daemonize = 0, i;

	log_procname("wirefilter");
	log_init(1, 0);
	if (wfmodel_init(&wf_model) == -1)
		fatal("wirefilter");
	seed = (uint64_t)wfmodel_now() ^ ((uint64_t)getpid() << 32);
	while ((ch = getopt_long(argc, argv, "b:c:D:d:f:hL:l:M:m:Nn:S:s:v:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			wf_opt(WF_LOSS, optarg);
			break;
		case 'L':
			wf_opt(WF_LOSTBURST, optarg);
			break;
		case 'd':
			wf_opt(WF_DELAY, optarg);
			break;
		case 'D':
			wf_opt(WF_DUP, optarg);
			break;
		case 'b':
			wf_opt(WF_BAND, optarg);
			break;
		case 's':
			wf_opt(WF_SPEED, optarg);
			break;
		case 'c':
			wf_opt(WF_CHANBUF, optarg);
			break;
		case 'n':
			wf_opt(WF_NOISE, optarg);
			break;
		case 'm':
			wf_opt(WF_MTU, optarg);
			break;
		case 'N':
			wf_model.m_conf.c_fifo = 0;
			break;
		case 'f':
			rcfile = optarg;
			break;
		case 'M':
			mgmt = optarg;
			break;
		case O_MGMTMODE:
			mgmtmode = tool_mode(optarg);
			break;
		case 'v':
			plugs = optarg;
			break;
		case O_DAEMON:
			daemonize = 1;
			break;
		case O_VERSION:
			version_exit();
		case O_PIDFILE:
			pidfile = optarg;
			break;
		case O_BLINK:
			blink = optarg;
			break;
		case O_BLINKID:
			if (strlen(optarg) > WF_BLINKIDMAX ||
			    strcspn(optarg, " \t\n") != strlen(optarg) ||
			    *optarg == '\0')
				fatalx("--blinkid %s: an id is 1 to %d bytes "
				    "without blanks", optarg, WF_BLINKIDMAX);
			blinkid = optarg;
			break;
		case 'S':
			seed = (uint64_t)strtonum(optarg, 0, LLONG_MAX,
			    &errstr);
			if (errstr != NULL)
				fatalx("seed %s: %s", optarg, errstr);
			break;
		default:
			wf_usage();
		}
	}
	if (optind != argc)
		wf_usage();
	/* A daemon's stdin and stdout are /dev/null: no stream is left. */
	if (daemonize && plugs == NULL)
		fatalx("--daemon needs -v: without it the cable is stdin and "
		    "stdout");
	if (blinkid != NULL && blink == NULL)
		fatalx("--blinkid needs --blink");
	wfrand_seed(seed);
	wfmgmt_init(&wf_model, seed);
	if (rcfile != NULL && wfmgmt_script(rcfile, err, sizeof(err)) == -1)
		fatalx("rc file %s", err);

	memset(&args, 0, sizeof(args));
	if (plugs != NULL) {
		if ((p1 = strdup(plugs)) == NULL)
			fatal("strdup");
		if ((colon = strchr(p1, ':')) == NULL)
			fatalx("-v %s: two switches are needed, as plug1:plug2",
			    plugs);
		*colon = '\0';
		p2 = colon + 1;
		if (*p1 == '\0' || *p2 == '\0')
			fatalx("-v %s: two switches are needed, as plug1:plug2",
			    plugs);
		/*
		 * No shared-memory rings: the cable batches and pushes back
		 * (stops reading the side that feeds a full one) on the data
		 * sockets; a ring that fills drops frames instead.
		 */
		if (setenv("VDE_RINGS", "0", 1) == -1)
			fatal("setenv");
		for (i = 0; i < 2; i++) {
			wf_side[i].w_conn = vde_open(i == 0 ? p1 : p2,
			    (char *)"wirefilter", &args);
			if (wf_side[i].w_conn == NULL)
				fatal("cannot connect to the switch %s",
				    i == 0 ? p1 : p2);
			wf_side[i].w_in = vde_datafd(wf_side[i].w_conn);
			/* Batches only where the frames travel on it. */
			wf_side[i].w_batch =
			    wf_side[i].w_conn->vc_kind == VNL_SWITCH &&
			    wf_side[i].w_conn->vc_ring == NULL;
			/* Read until EAGAIN; a full switch costs a frame. */
			if (fcntl(wf_side[i].w_in, F_SETFL, O_NONBLOCK |
			    fcntl(wf_side[i].w_in, F_GETFL)) == -1)
				fatal("fcntl");
			wf_side[i].w_ctl = vde_ctlfd(wf_side[i].w_conn);
		}
	} else {
		wf_stream = 1;
		wf_side[0].w_in = STDIN_FILENO;
		wf_side[1].w_in = wf_fd("ALTERNATE_STDIN");
		wf_side[0].w_ctl = wf_side[1].w_ctl = -1;
		if (outq_init(&wf_side[0].w_out, STDOUT_FILENO) == -1 ||
		    outq_init(&wf_side[1].w_out, wf_fd("ALTERNATE_STDOUT"))
		    == -1)
			fatal("stream output");
		stream_dec_init(&wf_side[0].w_dec);
		stream_dec_init(&wf_side[1].w_dec);
	}
	if (mgmt != NULL)
		wfmgmt_listen(mgmt, mgmtmode);
	if (blink != NULL)
		wf_blinkopen(blink, blinkid);
	tool_signals(wf_signal);
	tool_detach(daemonize, pidfile, &wf_pidfile);
	/* The id is the pid, the daemon's, unless --blinkid. */
	if (blink != NULL && blinkid == NULL)
		snprintf(wf_blinkid, sizeof(wf_blinkid), "%ld",
		    (long)getpid());
	if (!wf_stream && !daemonize)
		wfmgmt_console(STDIN_FILENO, STDOUT_FILENO);

	wf_loop();

	if (wf_stream) {
		outq_fini(&wf_side[0].w_out);
		outq_fini(&wf_side[1].w_out);
	} else {
		vde_close(wf_side[0].w_conn);
		vde_close(wf_side[1].w_conn);
	}
	wfmgmt_close();
	wfmodel_fini(&wf_model);
	pidfile_unlink(&wf_pidfile);
	return (0);
}
