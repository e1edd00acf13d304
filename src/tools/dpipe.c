/*
 * dpipe: run commands joined in a bidirectional pipeline (spec section
 * 13).  "dpipe a = b" feeds a's stdout to b's stdin and b's stdout to a's
 * stdin.  In a longer chain "a = b = c" the middle command talks to its
 * left neighbour on stdin/stdout and to its right one on two more fds,
 * the lowest free ones, whose numbers it finds in ALTERNATE_STDIN and
 * ALTERNATE_STDOUT.  With one-way separators ("=}" or "}=" left to right,
 * "={" or "{=" right to left) every stage reads its one neighbour and
 * writes the other, and the ends close a ring: "a =} b }= c".
 *
 * All the commands run in one new process group; "-p FILE" writes
 * "-PGRP", so that kill $(cat FILE) ends them all.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "pidfile.h"
#include "version.h"

#define DPIPE_HIGHFD	64	/* parking place while fds are rearranged */

enum dpipe_shape { SHAPE_CHAIN, SHAPE_RING_RIGHT, SHAPE_RING_LEFT };

/* One command of the pipeline and the pipe ends it is given. */
struct stage {
	char	**st_argv;
	int	  st_in;	/* becomes its stdin */
	int	  st_out;	/* becomes its stdout */
	int	  st_altin;	/* right neighbour, -1 when none */
	int	  st_altout;
	pid_t	  st_pid;
};

static struct stage		*stages;
static int			 nstages;
static int			*allfds;	/* every pipe end we made */
static int			 nallfds;
static volatile sig_atomic_t	 dpipe_sig;
static struct pidfile		 dpipe_pidpf;	/* -p */
static struct pidfile		 dpipe_pgrppf;	/* -P */

static __dead void dpipe_usage(void);
static int	dpipe_split(char **, int, enum dpipe_shape *);
static void	dpipe_plumb(enum dpipe_shape);
static void	dpipe_pipe(int *, int *);
static __dead void dpipe_child(struct stage *);
static void	dpipe_signal(int);
static int	dpipe_wait(void);

/* Print the usage and exit 1. */
static __dead void
dpipe_usage(void)
{
	fprintf(stderr, "usage: dpipe [-d] [-p pidfile] [-P pgrpfile] "
	    "command [args] = command [args] [= ...]\n"
	    "       dpipe -v\n");
	exit(1);
}

/* Which separator a word is: 0 none, else the shape it asks for + 1. */
static int
dpipe_sep(const char *w)
{
	if (strcmp(w, "=") == 0)
		return (SHAPE_CHAIN + 1);
	if (strcmp(w, "=}") == 0 || strcmp(w, "}=") == 0)
		return (SHAPE_RING_RIGHT + 1);
	if (strcmp(w, "={") == 0 || strcmp(w, "{=") == 0)
		return (SHAPE_RING_LEFT + 1);
	return (0);
}

/*
 * Cut argv at the separators into the stages array (the separators become
 * the NULLs ending each command).  All separators must agree on a shape.
 */
static int
dpipe_split(char **argv, int argc, enum dpipe_shape *shape)
{
	int	i, s, start = 0, seen = 0;

	stages = calloc((size_t)argc + 1, sizeof(*stages));
	if (stages == NULL)
		fatal("calloc");
	for (i = 0; i <= argc; i++) {
		s = i < argc ? dpipe_sep(argv[i]) : -1;
		if (s == 0)
			continue;
		if (i == start)
			return (-1);	/* an empty command */
		if (s > 0) {
			if (seen != 0 && s != seen)
				return (-1);
			seen = s;
			argv[i] = NULL;
		}
		stages[nstages++].st_argv = argv + start;
		start = i + 1;
	}
	if (nstages < 2)
		return (-1);
	*shape = (enum dpipe_shape)(seen - 1);
	return (0);
}

/* A pipe whose two ends are remembered so that every child closes them. */
static void
dpipe_pipe(int *rd, int *wr)
{
	int	fds[2];

	if (pipe(fds) == -1)
		fatal("pipe");
	allfds[nallfds++] = fds[0];
	allfds[nallfds++] = fds[1];
	*rd = fds[0];
	*wr = fds[1];
}

/* Make the pipes between the stages for the chosen shape. */
static void
dpipe_plumb(enum dpipe_shape shape)
{
	int	i, next, rd, wr;

	if ((allfds = calloc((size_t)nstages * 4, sizeof(int))) == NULL)
		fatal("calloc");
	for (i = 0; i < nstages; i++)
		stages[i].st_altin = stages[i].st_altout = -1;
	if (shape == SHAPE_CHAIN) {
		for (i = 0; i + 1 < nstages; i++) {
			/* Left to right: i writes, i+1 reads on stdin. */
			dpipe_pipe(&rd, &wr);
			stages[i + 1].st_in = rd;
			if (i == 0)
				stages[i].st_out = wr;
			else
				stages[i].st_altout = wr;
			/* Right to left: i+1 writes on stdout, i reads. */
			dpipe_pipe(&rd, &wr);
			stages[i + 1].st_out = wr;
			if (i == 0)
				stages[i].st_in = rd;
			else
				stages[i].st_altin = rd;
		}
		return;
	}
	for (i = 0; i < nstages; i++) {
		next = shape == SHAPE_RING_RIGHT ? (i + 1) % nstages :
		    (i + nstages - 1) % nstages;
		dpipe_pipe(&rd, &wr);
		stages[i].st_out = wr;
		stages[next].st_in = rd;
	}
}

/* Park fd above the range that is being rearranged. */
static int
dpipe_park(int fd)
{
	int	nfd;

	if (fd == -1)
		return (-1);
	if ((nfd = fcntl(fd, F_DUPFD, DPIPE_HIGHFD)) == -1)
		_exit(126);
	return (nfd);
}

/*
 * In the child: put the stage's ends on 0 and 1 and, for a middle stage,
 * on the two lowest free fds; close every other pipe end; run the command.
 * Everything is first parked high, so no dup2 can overwrite an end that is
 * still needed, whatever numbers the pipes got.
 */
static __dead void
dpipe_child(struct stage *st)
{
	char	num[16];
	int	in, out, altin, altout, i;

	pidfile_release(&dpipe_pidpf);
	pidfile_release(&dpipe_pgrppf);
	in = dpipe_park(st->st_in);
	out = dpipe_park(st->st_out);
	altin = dpipe_park(st->st_altin);
	altout = dpipe_park(st->st_altout);
	for (i = 0; i < nallfds; i++)
		close(allfds[i]);
	if (dup2(in, STDIN_FILENO) == -1 || dup2(out, STDOUT_FILENO) == -1)
		_exit(126);
	close(in);
	close(out);
	if (altin != -1) {
		/* dup() returns the lowest free fd: normally 3, then 4. */
		if ((i = dup(altin)) == -1)
			_exit(126);
		close(altin);
		snprintf(num, sizeof(num), "%d", i);
		setenv("ALTERNATE_STDIN", num, 1);
		if ((i = dup(altout)) == -1)
			_exit(126);
		close(altout);
		snprintf(num, sizeof(num), "%d", i);
		setenv("ALTERNATE_STDOUT", num, 1);
	} else {
		unsetenv("ALTERNATE_STDIN");
		unsetenv("ALTERNATE_STDOUT");
	}
	execvp(st->st_argv[0], st->st_argv);
	fprintf(stderr, "dpipe: %s: %s\n", st->st_argv[0], strerror(errno));
	_exit(127);
}

/* Remember a signal; dpipe_wait() passes it on to the stages. */
static void
dpipe_signal(int sig)
{
	dpipe_sig = sig;
}

/*
 * Wait for every stage.  A signal to dpipe is passed on to the stages.
 * The exit status is the first failure among the stages, else 0.
 */
static int
dpipe_wait(void)
{
	int	status, left = nstages, rc = 0, i, sig;
	pid_t	pid;

	while (left > 0) {
		if ((pid = wait(&status)) == -1) {
			if (errno != EINTR)
				break;
			if ((sig = dpipe_sig) != 0) {
				dpipe_sig = 0;
				for (i = 0; i < nstages; i++)
					if (stages[i].st_pid > 0)
						kill(stages[i].st_pid, sig);
			}
			continue;
		}
		for (i = 0; i < nstages; i++)
			if (stages[i].st_pid == pid) {
				stages[i].st_pid = 0;
				left--;
			}
		if (rc == 0 && WIFEXITED(status))
			rc = WEXITSTATUS(status);
		else if (rc == 0 && WIFSIGNALED(status))
			rc = 128 + WTERMSIG(status);
	}
	return (rc);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "daemon",		no_argument,		NULL, 'd' },
		{ "pidfile",		required_argument,	NULL, 'p' },
		{ "pgrpfile",		required_argument,	NULL, 'P' },
		{ "nowrapproc",		no_argument,		NULL, 'n' },
		{ "nowrapnoclean",	no_argument,		NULL, 'N' },
		{ "help",		no_argument,		NULL, 'h' },
		{ "version",		no_argument,		NULL, 'v' },
		{ NULL,			0,			NULL, 0 }
	};
	struct sigaction	 sa;
	enum dpipe_shape	 shape;
	const char		*pidfile = NULL, *pgrpfile = NULL;
	char			 err[PATH_MAX + 128];
	int			 ch, daemonize = 0, i;

	log_procname("dpipe");
	while ((ch = getopt_long(argc, argv, "+dp:P:nNhv", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			daemonize = 1;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'P':
			pgrpfile = optarg;
			break;
		case 'n':
		case 'N':
			break;	/* accepted for vdeplug4 compatibility */
		case 'v':
			version_exit();
		default:
			dpipe_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (dpipe_split(argv, argc, &shape) == -1)
		dpipe_usage();

	/*
	 * The files are made before going to the background, so that a
	 * refusal reaches the terminal; the group is written afterwards.
	 */
	if (pidfile != NULL &&
	    pidfile_create(&dpipe_pidpf, pidfile, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (pgrpfile != NULL &&
	    pidfile_create(&dpipe_pgrppf, pgrpfile, err, sizeof(err)) == -1) {
		pidfile_unlink(&dpipe_pidpf);
		fatalx("%s", err);
	}
	/* One process group for the whole set: killable as a unit. */
	if (daemonize) {
		if (os_daemon() == -1)
			fatal("daemon");
	} else if (getpgrp() != getpid() && setpgid(0, 0) == -1)
		log_warn("setpgid");
	if (pidfile_putpid(&dpipe_pidpf, "-", (long)getpgrp()) == -1)
		fatal("cannot write pidfile %s", pidfile);
	if (pidfile_putpid(&dpipe_pgrppf, "", (long)getpgrp()) == -1)
		fatal("cannot write pgrpfile %s", pgrpfile);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = dpipe_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	dpipe_plumb(shape);
	for (i = 0; i < nstages; i++) {
		switch (stages[i].st_pid = fork()) {
		case -1:
			log_warn("fork");
			kill(0, SIGTERM);
			exit(1);
		case 0:
			sa.sa_handler = SIG_DFL;
			sigaction(SIGTERM, &sa, NULL);
			sigaction(SIGINT, &sa, NULL);
			sigaction(SIGHUP, &sa, NULL);
			dpipe_child(&stages[i]);
		}
	}
	for (i = 0; i < nallfds; i++)
		close(allfds[i]);
	i = dpipe_wait();
	pidfile_unlink(&dpipe_pidpf);
	pidfile_unlink(&dpipe_pgrppf);
	return (i);
}
