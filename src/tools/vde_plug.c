/*
 * vde_plug: join a byte stream to a VDE switch.  Frames from the switch
 * are written to stdout and records read from stdin are sent to the switch,
 * in the 2-byte big-endian length framing of spec section 3, so that two
 * plugs joined by dpipe or ssh make a cable between two switches.
 *
 * Both command-line styles are accepted (spec 12.1): the seed era's
 * "vde_plug [-p port] [-g group] [-m mode] [-s sock] [DIR]" (also DIR[N])
 * and vdeplug4's "vde_plug [--port N] [-p|--pidfile F] [-d] [-D descr]
 * [VNL [VNL2]]" and "vde_plug [VNL] = command args...".
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "proto.h"
#include "libvdeplug.h"
#include "lib.h"
#include "outq.h"
#include "pidfile.h"
#include "tool.h"
#include "version.h"

#define PLUG_READSZ	65536	/* stdin read size: many records a call */

struct plug_opts {
	const char		*po_vnl[2];
	struct vde_open_args	 po_args[2];
	const char		*po_descr;
	const char		*po_pidfile;
	int			 po_daemon;
	int			 po_log;
	char			**po_cmd;	/* "= cmd args": run cmd */
};

static struct outq		 plug_out;
static unsigned char		 plug_inbuf[PLUG_READSZ];
static unsigned char		 plug_frame[VDE_FRAMEBUF];
static VDECONN			*plug_conn;
static struct pidfile		 plug_pidfile;
static unsigned long		 plug_oversize;
static volatile sig_atomic_t	 plug_quit;

static __dead void plug_usage(void);
static __dead void plug_refuse(const char *, ...)
		    __attribute__((__format__(printf, 1, 2)));
static void	plug_args(int, char **, struct plug_opts *, int);
static void	plug_shell(char *, int *, char ***);
static void	plug_shellvnl(const char *);
static pid_t	plug_spawn(char **, int *, int *);
static void	plug_signal(int);
static ssize_t	plug_tosw(void *, void *, size_t);
static void	plug_lenerr(void *, int, char *, ...);
static int	plug_stream(VDECONN *, int, int);
static int	plug_cross(VDECONN *, VDECONN *);

/* Print the usage and exit 1. */
static __dead void
plug_usage(void)
{
	fprintf(stderr,
	    "usage: vde_plug [-d] [-D descr] [-g group] [-m mode] [-p port]\n"
	    "                [--pidfile file] [-s dir] [dir[N] | VNL [VNL2]]\n"
	    "       vde_plug [options] [VNL] = command [args ...]\n"
	    "       vde_plug -v\n");
	exit(1);
}

/*
 * A login shell was asked for more than a plug into a switch: say what
 * and exit 1, before anything has been run, opened or connected.
 */
static __dead void
plug_refuse(const char *fmt, ...)
{
	va_list	ap;
	char	what[512];

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fatalx("this is the login shell of a VDE cable: %s is refused; it "
	    "only runs \"vde_plug [options] [switch]\"", what);
}

/*
 * Both option styles.  "-p" is a port when its argument is a number (seed
 * era) and a pidfile otherwise (vdeplug4); "--pidfile" is always a file.
 * Parsing stops at the first operand, so "= ssh -o ..." keeps its options.
 * In a login shell (shell set) only what plugs into one switch is taken:
 * no command, pidfile, daemon or second switch.
 */
static void
plug_args(int argc, char **argv, struct plug_opts *po, int shell)
{
	enum { O_PORT = 256, O_PORT2, O_PIDFILE };
	static const struct option longopts[] = {
		{ "port",	required_argument,	NULL,	O_PORT },
		{ "port2",	required_argument,	NULL,	O_PORT2 },
		{ "pidfile",	required_argument,	NULL,	O_PIDFILE },
		{ "daemon",	no_argument,		NULL,	'd' },
		{ "descr",	required_argument,	NULL,	'D' },
		{ "group",	required_argument,	NULL,	'g' },
		{ "group2",	required_argument,	NULL,	'G' },
		{ "mod",	required_argument,	NULL,	'm' },
		{ "mode",	required_argument,	NULL,	'm' },
		{ "mod2",	required_argument,	NULL,	'M' },
		{ "sock",	required_argument,	NULL,	's' },
		{ "vdesock",	required_argument,	NULL,	's' },
		{ "unix",	required_argument,	NULL,	's' },
		{ "log",	no_argument,		NULL,	'l' },
		{ "iplog",	no_argument,		NULL,	'L' },
		{ "help",	no_argument,		NULL,	'h' },
		{ "version",	no_argument,		NULL,	'v' },
		{ NULL,		0,			NULL,	0 }
	};
	int	ch;

	memset(po, 0, sizeof(*po));
	po->po_descr = "vde_plug:";
	while ((ch = getopt_long(argc, argv, "+dD:g:G:hlLm:M:p:s:v", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'p':
			if (optarg[0] < '0' || optarg[0] > '9') {
				if (shell)
					plug_refuse("a pidfile (-p %s)",
					    optarg);
				po->po_pidfile = optarg;
				break;
			}
			/* FALLTHROUGH */
		case O_PORT:
		case O_PORT2:
			if (shell && ch == O_PORT2)
				plug_refuse("a second switch (--port2)");
			po->po_args[ch == O_PORT2].port = tool_port(optarg);
			break;
		case O_PIDFILE:
			if (shell)
				plug_refuse("a pidfile (--pidfile %s)",
				    optarg);
			po->po_pidfile = optarg;
			break;
		case 'd':
			if (shell)
				plug_refuse("running as a daemon (-d)");
			po->po_daemon = 1;
			break;
		case 'D':
			po->po_descr = optarg;
			break;
		case 'g':
		case 'G':
			if (shell && ch == 'G')
				plug_refuse("a second switch (-G)");
			po->po_args[ch == 'G'].group = optarg;
			break;
		case 'm':
		case 'M':
			if (shell && ch == 'M')
				plug_refuse("a second switch (-M)");
			po->po_args[ch == 'M'].mode = tool_mode(optarg);
			break;
		case 's':
			po->po_vnl[0] = optarg;
			break;
		case 'l':
		case 'L':
			po->po_log = 1;
			break;
		case 'v':
			version_exit();
		default:
			plug_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0 && strcmp(argv[0], "=") != 0) {
		if (po->po_vnl[0] != NULL) {
			if (shell)
				plug_refuse("a second switch (%s)", argv[0]);
			plug_usage();
		}
		po->po_vnl[0] = argv[0];
		argc--;
		argv++;
	}
	if (shell) {
		if (argc > 0 && strcmp(argv[0], "=") == 0)
			plug_refuse("running a command (\"=\")");
		if (argc > 0)
			plug_refuse("a second switch (%s)", argv[0]);
		plug_shellvnl(po->po_vnl[0]);
		return;
	}
	if (argc > 0 && strcmp(argv[0], "=") == 0) {
		if (argc < 2)
			plug_usage();
		po->po_cmd = argv + 1;
	} else if (argc == 1)
		po->po_vnl[1] = argv[0];
	else if (argc > 1)
		plug_usage();
}

/*
 * Used as a login shell, the plug gets its command line as one string.
 * Only vde_plug itself may be run that way: split the string into words
 * (no quoting: switch names have no blanks) and check the first.
 */
static void
plug_shell(char *cmd, int *argcp, char ***argvp)
{
	static char	*words[64];
	char		*w, *base;
	int		 n = 0;

	for (w = strtok(cmd, " \t\n"); w != NULL; w = strtok(NULL, " \t\n")) {
		if (n == 63)
			plug_refuse("a command of more than 63 words");
		words[n++] = w;
	}
	words[n] = NULL;
	base = n > 0 ? strrchr(words[0], '/') : NULL;
	base = base != NULL ? base + 1 : n > 0 ? words[0] : NULL;
	if (base == NULL || strcmp(base, "vde_plug") != 0)
		fatalx("this is the login shell of a VDE cable: it only runs "
		    "\"vde_plug [options] [switch]\" commands");
	*argcp = n;
	*argvp = words;
}

/*
 * In a login shell the name must designate a switch: a directory, the
 * vde:// form of one, or the user's default switch when that is one.
 * Point-to-point and UDP cables (and any other scheme) are refused.
 */
static void
plug_shellvnl(const char *name)
{
	struct vnl	v;
	char		err[256];

	if (vnl_parse(name, &v, err, sizeof(err)) == -1)
		plug_refuse("the name %s (%s)", name, err);
	if (v.v_default && vnl_default(&v, err, sizeof(err)) == -1)
		plug_refuse("the default switch (%s)", err);
	if (v.v_kind != VNL_SWITCH)
		plug_refuse("%s that is not a switch (%s)",
		    name != NULL ? "a cable" : "a default", name != NULL ?
		    name : v.v_path);
}

/* Run cmd with its stdin and stdout on two pipes; return the child. */
static pid_t
plug_spawn(char **cmd, int *in, int *out)
{
	struct sigaction	sa;
	sigset_t		quit, old;
	int			tocmd[2], fromcmd[2];
	pid_t			pid;

	if (pipe(tocmd) == -1 || pipe(fromcmd) == -1)
		fatal("pipe");
	/*
	 * Until the child has the default actions back, a SIGTERM for it
	 * must wait: caught by the plug's handler before exec, it would be
	 * lost, and the plug would wait for a command that never got it.
	 */
	sigemptyset(&quit);
	sigaddset(&quit, SIGTERM);
	sigaddset(&quit, SIGINT);
	sigaddset(&quit, SIGHUP);
	sigprocmask(SIG_BLOCK, &quit, &old);
	switch (pid = fork()) {
	case -1:
		fatal("fork");
	case 0:
		/*
		 * The plug ignores SIGPIPE (tool_signals); the command gets
		 * the default back, or a pipeline in it (yes | head) would
		 * never end by SIGPIPE.  So do the signals the plug catches,
		 * before they are let through.
		 */
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = SIG_DFL;
		(void)sigaction(SIGPIPE, &sa, NULL);
		(void)sigaction(SIGTERM, &sa, NULL);
		(void)sigaction(SIGINT, &sa, NULL);
		(void)sigaction(SIGHUP, &sa, NULL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (dup2(tocmd[0], STDIN_FILENO) == -1 ||
		    dup2(fromcmd[1], STDOUT_FILENO) == -1)
			_exit(127);
		close(tocmd[0]);
		close(tocmd[1]);
		close(fromcmd[0]);
		close(fromcmd[1]);
		execvp(cmd[0], cmd);
		fprintf(stderr, "vde_plug: %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(tocmd[0]);
	close(fromcmd[1]);
	*in = fromcmd[0];
	*out = tocmd[1];
	return (pid);
}

/* SIGTERM, SIGINT, SIGHUP: end the main loop and clean up. */
static void
plug_signal(int sig)
{
	plug_quit = 1;
}

/* A record from the stream: one frame for the switch. */
static ssize_t
plug_tosw(void *opaque, void *buf, size_t len)
{
	ssize_t	n;

	n = vde_send(opaque, buf, len, 0);
	/* A full switch socket costs this frame only. */
	if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != ENOBUFS && errno != EINTR && errno != EMSGSIZE)
		plug_quit = 1;
	return (n);
}

/* An oversize record: the decoder skips it and stays in sync. */
static void
plug_lenerr(void *opaque, int type, char *fmt, ...)
{
	if (plug_oversize++ == 0)
		log_warnx("oversize stream record skipped (first of possibly "
		    "several)");
}

/*
 * The stream main loop: stdin records to the switch, switch frames to
 * stdout.  It ends on EOF or error of either side: EOF on in, an error on
 * out, or any event on the control connection (the switch never writes
 * on it, so readability means it went away).
 */
static int
plug_stream(VDECONN *conn, int in, int out)
{
	struct pollfd	 pfd[4];
	VDESTREAM	*vs;
	ssize_t		 n;

	if ((vs = vdestream_open(conn, out, plug_tosw, plug_lenerr)) == NULL)
		fatal("vdestream_open");
	if (outq_init(&plug_out, out) == -1)
		fatal("stdout");
	while (!plug_quit) {
		pfd[0].fd = in;
		pfd[0].events = POLLIN;
		pfd[1].fd = vde_datafd(conn);
		pfd[1].events = POLLIN;
		pfd[2].fd = vde_ctlfd(conn);
		pfd[2].events = POLLIN;
		pfd[3].fd = out;
		pfd[3].events = outq_pending(&plug_out) ? POLLOUT : 0;
		if (poll(pfd, 4, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[2].revents != 0)
			break;
		if (pfd[1].revents & (POLLHUP | POLLERR | POLLNVAL))
			break;
		if (pfd[3].revents & (POLLERR | POLLNVAL))
			break;
		if ((pfd[3].revents & POLLOUT) && outq_flush(&plug_out) == -1)
			break;
		if (pfd[1].revents & POLLIN) {
			n = vde_recv(conn, plug_frame, sizeof(plug_frame), 0);
			if (n >= VDE_ETHHDRLEN &&
			    outq_put(&plug_out, plug_frame, (size_t)n) == -1)
				break;
		}
		if (pfd[3].revents & POLLHUP && !(pfd[3].revents & POLLOUT))
			break;
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(in, plug_inbuf, sizeof(plug_inbuf));
			if (n == 0 || (n == -1 && errno != EINTR &&
			    errno != EAGAIN))
				break;
			if (n > 0)
				vdestream_recv(vs, plug_inbuf, (size_t)n);
		}
	}
	/* What is still queued for a live peer is worth a last try. */
	outq_fini(&plug_out);
	vdestream_close(vs);
	return (0);
}

/* Two switches joined directly: each frame from one goes to the other. */
static int
plug_cross(VDECONN *a, VDECONN *b)
{
	struct pollfd	 pfd[4];
	VDECONN		*from, *to;
	ssize_t		 n;
	int		 i;

	while (!plug_quit) {
		pfd[0].fd = vde_datafd(a);
		pfd[1].fd = vde_datafd(b);
		pfd[2].fd = vde_ctlfd(a);
		pfd[3].fd = vde_ctlfd(b);
		for (i = 0; i < 4; i++)
			pfd[i].events = POLLIN;
		if (poll(pfd, 4, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[2].revents != 0 || pfd[3].revents != 0)
			break;
		for (i = 0; i < 2; i++) {
			if (pfd[i].revents & (POLLHUP | POLLERR | POLLNVAL))
				return (0);
			if (!(pfd[i].revents & POLLIN))
				continue;
			from = i == 0 ? a : b;
			to = i == 0 ? b : a;
			n = vde_recv(from, plug_frame, sizeof(plug_frame), 0);
			if (n >= VDE_ETHHDRLEN)
				(void)vde_send(to, plug_frame, (size_t)n, 0);
		}
	}
	return (0);
}

int
main(int argc, char **argv)
{
	struct plug_opts	 po;
	VDECONN			*conn2 = NULL;
	pid_t			 child = -1;
	int			 in = STDIN_FILENO, out = STDOUT_FILENO;

	log_procname("vde_plug");
	if (argc == 3 && strcmp(argv[1], "-c") == 0) {
		/* A login shell: sshd runs "vde_plug -c 'vde_plug ARGS'". */
		plug_shell(argv[2], &argc, &argv);
		plug_args(argc, argv, &po, 1);
		po.po_log = 1;
	} else if (argv[0] != NULL && argv[0][0] == '-')
		fatalx("this is the login shell of a VDE cable: it only runs "
		    "\"vde_plug [options] [switch]\" commands");
	else
		plug_args(argc, argv, &po, 0);

	if ((plug_conn = vde_open((char *)po.po_vnl[0], (char *)po.po_descr,
	    &po.po_args[0])) == NULL)
		fatal("cannot connect to the switch %s",
		    po.po_vnl[0] != NULL ? po.po_vnl[0] : "(default)");
	if (po.po_vnl[1] != NULL && (conn2 = vde_open((char *)po.po_vnl[1],
	    (char *)po.po_descr, &po.po_args[1])) == NULL)
		fatal("cannot connect to the switch %s", po.po_vnl[1]);

	tool_signals(plug_signal);
	tool_detach(po.po_daemon, po.po_pidfile, &plug_pidfile);
	if (po.po_log) {
		openlog("vde_plug", LOG_PID, LOG_USER);
		syslog(LOG_INFO, "started, switch %s",
		    po.po_vnl[0] != NULL ? po.po_vnl[0] : "(default)");
	}
	if (po.po_cmd != NULL)
		child = plug_spawn(po.po_cmd, &in, &out);

	if (conn2 != NULL)
		plug_cross(plug_conn, conn2);
	else
		plug_stream(plug_conn, in, out);

	if (plug_out.oq_drops > 0)
		log_info("%lu frames dropped: the stream peer was too slow",
		    plug_out.oq_drops);
	vde_close(plug_conn);
	if (conn2 != NULL)
		vde_close(conn2);
	if (child != -1) {
		close(in);
		close(out);
		kill(child, SIGTERM);
		while (waitpid(child, NULL, 0) == -1 && errno == EINTR)
			;
	}
	if (po.po_log)
		syslog(LOG_INFO, "stopped");
	pidfile_unlink(&plug_pidfile);
	return (0);
}
