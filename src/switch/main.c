/*
 * main.c: vde_switch's command line (spec section 5), start-up order,
 * signals and exit.  main() is the table of contents of the switch; each
 * part of the switch adds its *_init() call there.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "pidfile.h"
#include "version.h"
#include "xmalloc.h"
#include "switch.h"

#define DEF_NUMPORTS	32
#define DEF_HASHSIZE	128
#define DEF_USERHS	8	/* unfinished handshakes per user */

struct sw_config	 sw_conf;

static int		 sw_sigpipe[2] = { -1, -1 };
static struct pidfile	 sw_pidf;
static int		 sw_started;
static int		 sw_verbose;	/* --verbose, once or more */

/* Long options with no short form. */
enum {
	OPT_MACADDR = 256, OPT_PRIORITY, OPT_HASHSIZE, OPT_DIRMODE,
	OPT_MGMTMODE, OPT_MGMTGROUP, OPT_NOSTDIN, OPT_USERHS,
	OPT_PORTCABLES, OPT_USERCABLES, OPT_QUEUEMEM, OPT_MINSEGMENT,
	OPT_VERBOSE, OPT_VXLAN, OPT_RINGMEM
};

static const struct option sw_longopts[] = {
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'v' },
	{ "numports",	required_argument,	NULL, 'n' },
	{ "hub",	no_argument,		NULL, 'x' },
	{ "fstp",	no_argument,		NULL, 'F' },
	{ "macaddr",	required_argument,	NULL, OPT_MACADDR },
	{ "priority",	required_argument,	NULL, OPT_PRIORITY },
	{ "hashsize",	required_argument,	NULL, OPT_HASHSIZE },
	{ "sock",	required_argument,	NULL, 's' },
	{ "vdesock",	required_argument,	NULL, 's' },
	{ "unix",	required_argument,	NULL, 's' },
	{ "mod",	required_argument,	NULL, 'm' },
	{ "mode",	required_argument,	NULL, 'm' },
	{ "dirmode",	required_argument,	NULL, OPT_DIRMODE },
	{ "group",	required_argument,	NULL, 'g' },
	{ "daemon",	no_argument,		NULL, 'd' },
	{ "pidfile",	required_argument,	NULL, 'p' },
	{ "rcfile",	required_argument,	NULL, 'f' },
	{ "mgmt",	required_argument,	NULL, 'M' },
	{ "mgmtmode",	required_argument,	NULL, OPT_MGMTMODE },
	{ "mgmtgroup",	required_argument,	NULL, OPT_MGMTGROUP },
	{ "nostdin",	no_argument,		NULL, OPT_NOSTDIN },
	{ "tap",	required_argument,	NULL, 't' },
	{ "debugclients", required_argument,	NULL, 'D' },
	{ "user-handshakes", required_argument,	NULL, OPT_USERHS },
	{ "port-cables", required_argument,	NULL, OPT_PORTCABLES },
	{ "user-cables", required_argument,	NULL, OPT_USERCABLES },
	{ "queue-memory", required_argument,	NULL, OPT_QUEUEMEM },
	{ "min-segment", required_argument,	NULL, OPT_MINSEGMENT },
	{ "vxlan",	required_argument,	NULL, OPT_VXLAN },
	{ "ring-memory", required_argument,	NULL, OPT_RINGMEM },
	/*
	 * OpenBSD daemons spell this -v, which VDE 2 gave to --version:
	 * compatibility keeps -v, so the debug log is long-only.
	 */
	{ "verbose",	no_argument,		NULL, OPT_VERBOSE },
	{ NULL,		0,			NULL, 0 }
};

static void __dead
usage(void)
{
	fprintf(stderr,
	    "usage: %s [-dFhvx] [-D n] [-f rcfile] [-g group] [-M mgmtsock]\n"
	    "\t[-m mode] [-n numports] [-p pidfile] [-s dir] [-t tap[,tap...]]\n"
	    "\t[--dirmode mode] [--hashsize n] [--macaddr mac]\n"
	    "\t[--mgmtgroup group] [--mgmtmode mode] [--nostdin]\n"
	    "\t[--priority n] [--port-cables n] [--user-cables n]\n"
	    "\t[--queue-memory bytes[K|M|G]] [--min-segment bytes]\n"
	    "\t[--ring-memory bytes[K|M|G]] [--user-handshakes n] [--verbose]\n"
	    "\t[--vxlan key=value[,...]]\n"
	    "Long options also work with one dash (-sock, -tap, -daemon).\n",
	    getprogname());
	exit(1);
}

/* An octal mode 0..07777, or usage. */
static mode_t
sw_mode(const char *s, const char *what)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 8);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 0 || v > 07777) {
		fprintf(stderr, "%s: invalid %s: %s\n", getprogname(), what, s);
		usage();
	}
	return ((mode_t)v);
}

/* An integer in the %i forms (decimal, 0x hex, 0 octal), or usage. */
static long long
sw_int(const char *s, long long min, long long max, const char *what)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		fprintf(stderr, "%s: invalid %s: %s\n", getprogname(), what, s);
		usage();
	}
	return (v);
}

/* A size in bytes with an optional K, M or G suffix (1024s), or usage. */
static size_t
sw_size(const char *s, const char *what)
{
	unsigned long long	 v, mul = 1;
	char			*end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		mul = 1ULL << 10;
	else if (*end == 'M' || *end == 'm')
		mul = 1ULL << 20;
	else if (*end == 'G' || *end == 'g')
		mul = 1ULL << 30;
	if (mul != 1)
		end++;
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 ||
	    v > (SIZE_MAX / 2) / mul) {
		fprintf(stderr, "%s: invalid %s: %s\n", getprogname(), what, s);
		usage();
	}
	return ((size_t)(v * mul));
}

/* A group given by name (numbers are not accepted, as in VDE 2). */
static gid_t
sw_group(const char *name)
{
	struct group	*gr;

	if ((gr = getgrnam(name)) == NULL)
		fatalx("No such group '%s'", name);
	return (gr->gr_gid);
}

/* A MAC address as a:b:c:d:e:f or a.b.c.d.e.f (hex). */
static void
sw_macaddr(const char *s, unsigned char *mac)
{
	const char	*p = s;
	char		*end;
	unsigned long	 v;
	int		 i;

	for (i = 0; i < ETHER_ADDR_LEN; i++) {
		errno = 0;
		v = strtoul(p, &end, 16);
		if (end == p || errno != 0 || v > 0xff ||
		    (i < ETHER_ADDR_LEN - 1 && *end != ':' && *end != '.') ||
		    (i == ETHER_ADDR_LEN - 1 && *end != '\0')) {
			fprintf(stderr, "%s: invalid MAC address: %s\n",
			    getprogname(), s);
			usage();
		}
		mac[i] = (unsigned char)v;
		p = end + 1;
	}
}

/* path made absolute against the start directory (daemons chdir /). */
static char *
sw_abspath(const char *path)
{
	char	 cwd[PATH_MAX];
	char	*abs;

	if (path[0] == '/')
		return (xstrdup(path));
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		fatal("getcwd");
	xasprintf(&abs, "%s/%s", cwd, path);
	return (abs);
}

/* -t tap[,tap...]: the taps to open once the switch is up. */
static void
sw_addtaps(const char *arg)
{
	const char	*p, *comma;
	size_t		 len;

	/* Repeated -t and comma-separated lists both work. */
	for (p = arg; *p != '\0'; p = *comma != '\0' ? comma + 1 : comma) {
		if ((comma = strchr(p, ',')) == NULL)
			comma = p + strlen(p);
		if ((len = (size_t)(comma - p)) == 0)
			continue;
		sw_conf.c_taps = xreallocarray(sw_conf.c_taps,
		    (size_t)sw_conf.c_ntaps + 1, sizeof(char *));
		sw_conf.c_taps[sw_conf.c_ntaps] = xmalloc(len + 1);
		memcpy(sw_conf.c_taps[sw_conf.c_ntaps], p, len);
		sw_conf.c_taps[sw_conf.c_ntaps++][len] = '\0';
	}
}

/*
 * Mode and directory mode derive from each other when only one is given
 * (spec section 1.7).
 */
static void
sw_modes(int modeset, int dirmodeset)
{
	mode_t	m = sw_conf.c_mode, d = 02000;
	int	shift;

	if (modeset && !dirmodeset) {
		for (shift = 0; shift <= 6; shift += 3) {
			mode_t	rw = (m >> shift) & 06;

			if (rw != 0)
				d |= (rw | 01) << shift;
		}
		sw_conf.c_dirmode = d;
	} else if (!modeset && dirmodeset)
		sw_conf.c_mode = sw_conf.c_dirmode & 0666;
}

/* Random bytes for the default MAC: /dev/urandom, else time and pid. */
static void
sw_randmac(unsigned char *p, size_t n)
{
	uint32_t	x;
	size_t		i;
	int		fd;

	if ((fd = open("/dev/urandom", O_RDONLY)) != -1) {
		if (read(fd, p, n) == (ssize_t)n) {
			close(fd);
			return;
		}
		close(fd);
	}
	x = (uint32_t)time(NULL) ^ ((uint32_t)getpid() << 16);
	for (i = 0; i < n; i++) {
		x = x * 1103515245U + 12345U;
		p[i] = (unsigned char)(x >> 16);
	}
}

/* Parse the command line into sw_conf. */
static void
sw_options(int argc, char *argv[])
{
	long long	v;
	int		ch, modeset = 0, dirmodeset = 0, h;

	sw_conf.c_mode = 0600;
	sw_conf.c_dirmode = 02700;
	sw_conf.c_gid = GID_NONE;
	sw_conf.c_numports = DEF_NUMPORTS;
	sw_conf.c_mgmtmode = 0600;
	sw_conf.c_mgmtgid = GID_NONE;
	sw_conf.c_priority = 0x8000;
	sw_conf.c_hashsize = DEF_HASHSIZE;
	sw_conf.c_userhs = DEF_USERHS;
	sw_conf.c_portcables = DEF_PORTCABLES;
	sw_conf.c_usercables = DEF_USERCABLES;
	sw_conf.c_queuemem = DEF_QUEUEMEM;
	sw_conf.c_minsegment = DEF_MINSEGMENT;
	sw_conf.c_ringmem = DEF_RINGMEM;
	sw_conf.c_debugclients = -1;
	sw_conf.c_macaddr[0] = 0x00;
	sw_conf.c_macaddr[1] = 0xff;
	sw_randmac(sw_conf.c_macaddr + 2, ETHER_ADDR_LEN - 2);

	while ((ch = getopt_long_only(argc, argv, "hvn:xFs:m:g:dp:f:M:t:D:",
	    sw_longopts, NULL)) != -1) {
		switch (ch) {
		case 'v':
			version_exit();
		case 'n':
			v = sw_int(optarg, 1, LLONG_MAX, "number of ports");
			if (v > PORT_MAX) {
				fprintf(stderr, "%s: -n %s: a switch has at "
				    "most %d ports\n", getprogname(), optarg,
				    PORT_MAX);
				usage();
			}
			sw_conf.c_numports = (int)v;
			break;
		case 'x':
			sw_conf.c_hub = 1;
			break;
		case 'F':
			sw_conf.c_fstp = 1;
			break;
		case OPT_MACADDR:
			sw_macaddr(optarg, sw_conf.c_macaddr);
			break;
		case OPT_PRIORITY:
			sw_conf.c_priority = (int)(sw_int(optarg, LLONG_MIN,
			    LLONG_MAX, "priority") & 0xffff);
			break;
		case OPT_HASHSIZE:
			h = (int)sw_int(optarg, 1, 1 << 20, "hash size");
			sw_conf.c_hashsize = 1;
			while (sw_conf.c_hashsize < h)
				sw_conf.c_hashsize <<= 1;
			if (sw_conf.c_hashsize != h)
				log_warnx("hash size %d rounded up to %d", h,
				    sw_conf.c_hashsize);
			break;
		case 's':
			free(sw_conf.c_sock);
			sw_conf.c_sock = xstrdup(optarg);
			break;
		case 'm':
			sw_conf.c_mode = sw_mode(optarg, "mode");
			modeset = 1;
			break;
		case OPT_DIRMODE:
			sw_conf.c_dirmode = sw_mode(optarg, "directory mode");
			dirmodeset = 1;
			break;
		case 'g':
			sw_conf.c_group = optarg;
			sw_conf.c_gid = sw_group(optarg);
			break;
		case 'd':
			sw_conf.c_daemon = 1;
			break;
		case 'p':
			free(sw_conf.c_pidfile);
			sw_conf.c_pidfile = sw_abspath(optarg);
			break;
		case 'f':
			sw_conf.c_rcfile = sw_abspath(optarg);
			break;
		case 'M':
			sw_conf.c_mgmt = sw_abspath(optarg);
			break;
		case OPT_MGMTMODE:
			sw_conf.c_mgmtmode = sw_mode(optarg, "management mode");
			break;
		case OPT_MGMTGROUP:
			sw_conf.c_mgmtgroup = optarg;
			sw_conf.c_mgmtgid = sw_group(optarg);
			break;
		case OPT_NOSTDIN:
			sw_conf.c_nostdin = 1;
			break;
		case 't':
			sw_addtaps(optarg);
			break;
		case 'D':
			sw_conf.c_debugclients = (int)sw_int(optarg, 0,
			    INT_MAX, "debug clients");
			break;
		case OPT_VERBOSE:
			sw_verbose++;
			break;
		case OPT_VXLAN:
			/* Repeatable: one VXLAN port each (vxport.c). */
			sw_conf.c_vxlans = xreallocarray(sw_conf.c_vxlans,
			    (size_t)sw_conf.c_nvxlans + 1, sizeof(char *));
			sw_conf.c_vxlans[sw_conf.c_nvxlans++] = optarg;
			break;
		case OPT_USERHS:
			sw_conf.c_userhs = (int)sw_int(optarg, 1, 256,
			    "handshakes per user");
			break;
		case OPT_PORTCABLES:
			sw_conf.c_portcables = (int)sw_int(optarg, 1, INT_MAX,
			    "cables per port");
			break;
		case OPT_USERCABLES:
			sw_conf.c_usercables = (int)sw_int(optarg, 0, INT_MAX,
			    "cables per user");
			break;
		case OPT_QUEUEMEM:
			sw_conf.c_queuemem = sw_size(optarg, "queue memory");
			break;
		case OPT_RINGMEM:
			sw_conf.c_ringmem = sw_size(optarg, "ring memory");
			break;
		case OPT_MINSEGMENT:
			sw_conf.c_minsegment = (int)sw_int(optarg, 1, 65535,
			    "minimum segment size");
			break;
		case 'h':
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (sw_conf.c_hub)
		sw_conf.c_fstp = 0;	/* hub mode disables FSTP */
	sw_modes(modeset, dirmodeset);
	if (sw_conf.c_sock == NULL)
		sw_conf.c_sock = xstrdup(geteuid() == 0 ? "/var/run/vde.ctl" :
		    "/tmp/vde.ctl");
}

/* Signals go to the main loop through a pipe (sw_sigread). */
static void
sw_sighandler(int sig)
{
	unsigned char	c = (unsigned char)sig;
	int		saved = errno;

	if (write(sw_sigpipe[1], &c, 1) == -1) {
		/* A full pipe already holds a wake-up for the loop. */
	}
	errno = saved;
}

/* loop callback: a signal arrived (the handler only wrote its number). */
static void
sw_sigread(int fd, int revents, void *arg)
{
	unsigned char	c;

	if (read(fd, &c, 1) == 1) {
		log_info("Caught signal %d, cleaning up and exiting", c);
		sw_shutdown();
	}
}

/* Terminating signals clean up through the loop; others are ignored. */
static void
sw_signals(void)
{
	static const int	 ignored[] = { SIGPIPE, SIGALRM, SIGUSR1,
	    SIGUSR2, SIGPROF, SIGVTALRM };
	struct sigaction	 sa;
	size_t			 i;

	if (pipe(sw_sigpipe) == -1)
		fatal("pipe");
	for (i = 0; i < 2; i++) {
		if (loop_nonblock(sw_sigpipe[i]) == -1)
			fatal("fcntl");
	}
	loop_add(sw_sigpipe[0], POLLIN, sw_sigread, NULL);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		(void)sigaction(ignored[i], &sa, NULL);
	sa.sa_handler = sw_sighandler;
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
}

/* Each endpoint needs two descriptors: use all the system allows. */
static void
sw_rlimit(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/*
 * Create the pidfile (before going to the background, so that a refusal
 * reaches the terminal); its pid is written once the switch has forked.
 * An existing one naming a live process means another switch; one left
 * by a dead process is replaced; anything but a regular file is refused.
 */
static void
sw_pidfile(void)
{
	char	err[PATH_MAX + 128];

	if (sw_conf.c_pidfile != NULL && pidfile_create(&sw_pidf,
	    sw_conf.c_pidfile, err, sizeof(err)) == -1)
		fatalx("%s", err);
}

/* Ask the loop to stop; main() then cleans up and exits 0. */
void
sw_shutdown(void)
{
	loop_exit(0);
}

/*
 * Undo what the start-up made: endpoints and their sockets, the ctl
 * socket and directory, the pidfile.  Runs once, at any exit (also after
 * a fatal error during start-up).
 */
static void
sw_cleanup(void)
{
	static int	done;

	if (done || !sw_started)
		return;
	done = 1;
	capture_cleanup();
	port_cleanup();
	ctl_cleanup();
	pidfile_unlink(&sw_pidf);
}

int
main(int argc, char *argv[])
{
	int	status;

	sw_options(argc, argv);
	log_init(1, LOG_DAEMON);
	log_setverbose(sw_verbose);
	sw_rlimit();
	loop_init();
	sw_signals();

	fdb_init(sw_conf.c_hashsize, 0);
	port_init(sw_conf.c_numports);
	sw_started = 1;
	atexit(sw_cleanup);
	ctl_init();
	/* The VLAN and spanning tree parts join through hooks and listeners. */
	vlanport_init();
	fstp_init();
	capture_init();
	mirror_init();
	mgmt_init(sw_conf.c_mgmt, sw_conf.c_mgmtmode, sw_conf.c_mgmtgid,
	    !sw_conf.c_daemon && !sw_conf.c_nostdin);
	tapport_init();
	vxport_init();

	sw_pidfile();
	if (sw_conf.c_daemon) {
		if (os_daemon() == -1)
			fatal("daemon");
		log_init(0, LOG_DAEMON);
	}
	if (pidfile_putpid(&sw_pidf, "", (long)getpid()) == -1)
		fatal("cannot write pidfile %s", sw_conf.c_pidfile);
	forward_init();
	/* The rc file runs here, once everything is up. */
	(void)mgmt_rcfile(sw_conf.c_rcfile);

	status = loop_run();
	sw_cleanup();
	return (status);
}
