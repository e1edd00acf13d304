/*
 * tool.c: what vde_plug and vde_plug2tap do alike around their main loops:
 * read a socket mode and a port number from the command line, route the
 * signals that end the loop, and go to the background with a pid file.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "proto.h"
#include "pidfile.h"
#include "tool.h"
#include "version.h"

/* An octal permission 0..07777 for -m/--mode; exits on anything else. */
mode_t
tool_mode(const char *s)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 8);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 0 || v > 07777)
		fatalx("mode %s: not an octal permission", s);
	return ((mode_t)v);
}

/* A switch port number for -p/--port (-1: any); exits on garbage. */
int
tool_port(const char *s)
{
	const char	*errstr;
	int		 port;

	port = (int)strtonum(s, -1, VDE_PORT_MAX, &errstr);
	if (errstr != NULL)
		fatalx("port %s: %s", s, errstr);
	return (port);
}

/*
 * SIGTERM, SIGINT and SIGHUP call quit, which ends the main loop so the
 * tool cleans up; SIGPIPE is ignored, a closed peer shows up as EPIPE.
 */
void
tool_signals(void (*quit)(int))
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = quit;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/*
 * Create the pid file path (when not NULL) into *pf, go to the background
 * with daemonize and log to syslog, then write our pid into the file.  The
 * file is made before forking so that a refusal (a live process, a link
 * or other non-regular file at path) reaches the terminal.
 */
void
tool_detach(int daemonize, const char *path, struct pidfile *pf)
{
	char	err[PATH_MAX + 128];

	if (path != NULL && pidfile_create(pf, path, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (daemonize) {
		if (os_daemon() == -1)
			fatal("daemon");
		log_init(0, LOG_DAEMON);
	}
	if (pidfile_putpid(pf, "", (long)getpid()) == -1)
		fatal("cannot write pidfile %s", path);
}

/* The interface plugs' command line into *io; usage() on an error. */
void
tool_ifargs(int argc, char **argv, struct tool_ifopts *io,
    void (*usage)(void))
{
	static const struct option longopts[] = {
		{ "sock",	required_argument,	NULL,	's' },
		{ "vdesock",	required_argument,	NULL,	's' },
		{ "unix",	required_argument,	NULL,	's' },
		{ "port",	required_argument,	NULL,	'p' },
		{ "group",	required_argument,	NULL,	'g' },
		{ "mod",	required_argument,	NULL,	'm' },
		{ "mode",	required_argument,	NULL,	'm' },
		{ "daemon",	no_argument,		NULL,	'd' },
		{ "pidfile",	required_argument,	NULL,	'P' },
		{ "help",	no_argument,		NULL,	'h' },
		{ "version",	no_argument,		NULL,	'v' },
		{ NULL,		0,			NULL,	0 }
	};
	int	ch;

	memset(io, 0, sizeof(*io));
	while ((ch = getopt_long(argc, argv, "dg:hm:p:P:s:v", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			io->io_daemon = 1;
			break;
		case 'g':
			io->io_args.group = optarg;
			break;
		case 'm':
			io->io_args.mode = tool_mode(optarg);
			break;
		case 'p':
			io->io_args.port = tool_port(optarg);
			break;
		case 'P':
			io->io_pidfile = optarg;
			break;
		case 's':
			io->io_sock = optarg;
			break;
		case 'v':
			version_exit();
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	io->io_if = argv[optind];
}
