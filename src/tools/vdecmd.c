/*
 * vdecmd: run commands on a vde_switch management socket (-M), or relay an
 * interactive session to it.
 *
 * The command line follows VDE 2's vdecmd: the words after the options
 * are joined with spaces into ONE console line, so "vdecmd -s SOCK
 * port/setvlan 3 10" needs no quotes.  Several commands per run come from
 * repeated -c options (run first, in order) and, with the single operand
 * "-", from standard input, one per line.
 *
 * Each command is sent alone and its reply read up to the next prompt
 * before the next one is sent (VDE 2 switches take one command per
 * read).  The data lines of each reply are printed without their framing;
 * a failing command's status line goes to stderr.  The exit status is 0
 * when every command succeeded, else the failing reply's code less 1000
 * (so "1022 Invalid argument" gives 22, the Linux errno), 255 when the
 * switch cannot be reached or breaks the protocol.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"
#include "version.h"

#define VDECMD_FAIL	255
#define VDECMD_BUFMAX	(64 * 1024 * 1024)

struct reply {
	char	*r_buf;
	size_t	 r_len;
	size_t	 r_size;
	int	 r_eof;
};

static char	vdecmd_prompt[64] = "vde$ ";	/* learned from the banner */
static int	vdecmd_timeout = 60;		/* -t: seconds, 0: none */

/* Options stop at the first word: the rest is the console command. */
static const struct option vdecmd_longopts[] = {
	{ "version",	no_argument,	NULL,	'v' },
	{ NULL,		0,		NULL,	0 }
};

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-k] [-c command] [-t seconds] -s socket "
	    "[word ... | -]\n       %s -v\n", getprogname(),
	    getprogname());
	exit(VDECMD_FAIL);
}

/* Read once more from fd into r; 0 on data, -1 at EOF or error. */
static int
reply_read(int fd, struct reply *r)
{
	ssize_t	n;
	size_t	size;

	if (r->r_size - r->r_len < 4096) {
		size = r->r_size == 0 ? 8192 : r->r_size * 2;
		if (size > VDECMD_BUFMAX) {
			fprintf(stderr, "%s: reply too long\n", getprogname());
			exit(VDECMD_FAIL);
		}
		if ((r->r_buf = realloc(r->r_buf, size)) == NULL) {
			perror(getprogname());
			exit(VDECMD_FAIL);
		}
		r->r_size = size;
	}
	if (vdecmd_timeout > 0) {
		struct pollfd	pfd;
		int		rv;

		pfd.fd = fd;
		pfd.events = POLLIN;
		do
			rv = poll(&pfd, 1, vdecmd_timeout * 1000);
		while (rv == -1 && errno == EINTR);
		if (rv == 0) {
			fprintf(stderr, "%s: no reply from the switch in %d s\n",
			    getprogname(), vdecmd_timeout);
			exit(VDECMD_FAIL);
		}
	}
	do
		n = read(fd, r->r_buf + r->r_len, r->r_size - r->r_len - 1);
	while (n == -1 && errno == EINTR);
	if (n <= 0) {
		r->r_eof = 1;
		return (-1);
	}
	r->r_len += (size_t)n;
	r->r_buf[r->r_len] = '\0';
	return (0);
}

/* Whether s (len bytes) starts with a status line code "1ddd " or 9999. */
static int
status_code(const char *s, size_t len)
{
	if (len < 5 || s[4] != ' ')
		return (-1);
	if ((s[0] != '1' && s[0] != '9') || s[1] < '0' || s[1] > '9' ||
	    s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9')
		return (-1);
	return ((s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0'));
}

/*
 * The length of a prompt at the start of s (len bytes), 0 if none: a
 * prompt left by an empty command can precede the next reply's lines.
 */
static size_t
skip_prompt(const char *s, size_t len)
{
	size_t	plen = strlen(vdecmd_prompt), n = 0;

	while (len - n >= plen && memcmp(s + n, vdecmd_prompt, plen) == 0)
		n += plen;
	return (n);
}

/*
 * Whether r holds a whole reply: it ends with "<status line>\n\n<prompt>",
 * or the session ended.
 */
static int
reply_done(const struct reply *r)
{
	size_t	plen = strlen(vdecmd_prompt), end, start;

	if (r->r_eof)
		return (1);
	if (r->r_len < plen + 2 ||
	    memcmp(r->r_buf + r->r_len - plen, vdecmd_prompt, plen) != 0)
		return (0);
	end = r->r_len - plen;
	if (r->r_buf[end - 1] != '\n' || r->r_buf[end - 2] != '\n')
		return (0);
	/* The line before the empty one must be a status line. */
	end -= 2;
	for (start = end; start > 0 && r->r_buf[start - 1] != '\n'; start--)
		;
	start += skip_prompt(r->r_buf + start, end - start);
	return (status_code(r->r_buf + start, end - start) >= 0);
}

/* Read the banner and learn the prompt ("vde$ ") from it. */
static void
read_banner(int fd)
{
	struct reply	 r;
	char		*nl;
	size_t		 len;

	memset(&r, 0, sizeof(r));
	for (;;) {
		if (reply_read(fd, &r) == -1) {
			fprintf(stderr, "%s: the switch closed the connection\n",
			    getprogname());
			exit(VDECMD_FAIL);
		}
		if (r.r_len >= 2 && memcmp(r.r_buf + r.r_len - 2, "$ ", 2) == 0)
			break;
	}
	nl = strrchr(r.r_buf, '\n');
	nl = nl == NULL ? r.r_buf : nl + 1;
	if ((len = strlen(nl)) < sizeof(vdecmd_prompt))
		memcpy(vdecmd_prompt, nl, len + 1);
	free(r.r_buf);
}

/*
 * Print a reply's lines without the data framing, the final status line
 * and the prompt; return its status (the code of the last status line
 * outside a data block; earlier ones are "load"'s inner commands and are
 * printed).
 */
static int
print_reply(const char *cmd, struct reply *r)
{
	char	**lines = NULL, *p, *nl;
	size_t	  len, plen = strlen(vdecmd_prompt), n = 0, i, last = 0, skip;
	int	  indata = 0, code = -1, c, *kind = NULL;

	len = r->r_len;
	if (!r->r_eof && len >= plen)
		len -= plen;		/* the prompt */
	r->r_buf[len] = '\0';
	for (p = r->r_buf; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p) - 1;	/* last, unterminated */
		else
			*nl = '\0';
		lines = reallocarray(lines, n + 1, sizeof(*lines));
		kind = reallocarray(kind, n + 1, sizeof(*kind));
		if (lines == NULL || kind == NULL) {
			perror(getprogname());
			exit(VDECMD_FAIL);
		}
		skip = skip_prompt(p, strlen(p));
		p += skip;
		lines[n] = p;
		kind[n] = skip > 0 && *p == '\0';	/* a lone prompt */
		if (indata) {
			if (strcmp(p, ".") == 0) {
				indata = 0;
				kind[n] = 1;	/* framing */
			}
		} else if (strcmp(p, "0000 DATA END WITH '.'") == 0) {
			indata = 1;
			kind[n] = 1;
		} else if ((c = status_code(p, strlen(p))) >= 0) {
			code = c;
			last = n;
		} else if (*p == '\0' && nl[1] == '\0')
			kind[n] = 1;		/* the prompt's line break */
		n++;
	}
	if (code >= 0)
		kind[last] = 1;
	for (i = 0; i < n; i++)
		if (kind[i] == 0)
			printf("%s\n", lines[i]);
	fflush(stdout);
	if (code < 0) {
		fprintf(stderr, "%s: %s: no status in the reply\n",
		    getprogname(), cmd);
		code = 0;
	} else if (code != 1000 && code != 9999)
		fprintf(stderr, "%s: %s: %s\n", getprogname(), cmd,
		    lines[last]);
	free(lines);
	free(kind);
	return (code == 9999 ? 1000 : code);
}

/* Send all of buf. */
static void
send_all(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "%s: write to the switch: %s\n",
			    getprogname(), strerror(errno));
			exit(VDECMD_FAIL);
		}
		buf += n;
		len -= (size_t)n;
	}
}

/* Whether s is empty or only blanks. */
static int
blank(const char *s)
{
	return (s[strspn(s, " \t")] == '\0');
}

/* Run one command and return the exit status it gives. */
static int
run_cmd(int fd, const char *cmd)
{
	struct reply	 r;
	char		*line;
	int		 code, ended;

	if (strchr(cmd, '\n') != NULL || strchr(cmd, '\r') != NULL) {
		fprintf(stderr, "%s: a command may not contain a line break\n",
		    getprogname());
		return (VDECMD_FAIL);
	}
	/* An empty line gets only a prompt back, never a status. */
	if (blank(cmd)) {
		fprintf(stderr, "%s: empty command\n", getprogname());
		return (VDECMD_FAIL);
	}
	/*
	 * One write for the whole line: a VDE 2 switch takes each read as a
	 * command, and a separate "\n" would be an extra, empty one.
	 */
	if ((line = malloc(strlen(cmd) + 2)) == NULL) {
		perror(getprogname());
		return (VDECMD_FAIL);
	}
	memcpy(line, cmd, strlen(cmd));
	memcpy(line + strlen(cmd), "\n", 2);
	send_all(fd, line, strlen(line));
	free(line);
	memset(&r, 0, sizeof(r));
	while (!reply_done(&r))
		(void)reply_read(fd, &r);
	if (r.r_len == 0) {
		fprintf(stderr, "%s: %s: the switch closed the connection\n",
		    getprogname(), cmd);
		free(r.r_buf);
		return (VDECMD_FAIL);
	}
	ended = r.r_eof;
	code = print_reply(cmd, &r);
	free(r.r_buf);
	if (code == 1000)
		return (ended ? -1 : 0);
	if (code > 1000 && code < 1255)
		return (code - 1000);
	return (VDECMD_FAIL);
}

/*
 * Interactive: stdin to the switch, the switch to stdout, until the
 * switch closes (after stdin's EOF the switch runs what is left and sees
 * EOF too).
 */
static int
relay(int fd)
{
	struct pollfd	pfd[2];
	char		buf[4096];
	ssize_t		n;
	int		in_open = 1;

	for (;;) {
		pfd[0].fd = in_open ? STDIN_FILENO : -1;
		pfd[0].events = POLLIN;
		pfd[1].fd = fd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			perror("poll");
			return (VDECMD_FAIL);
		}
		if (pfd[1].revents != 0) {
			n = read(fd, buf, sizeof(buf));
			if (n <= 0)
				return (0);
			fwrite(buf, 1, (size_t)n, stdout);
			fflush(stdout);
		}
		if (in_open && pfd[0].revents != 0) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0) {
				in_open = 0;
				shutdown(fd, SHUT_WR);
			} else
				send_all(fd, buf, (size_t)n);
		}
	}
}

/*
 * The words of the command line as one console line, joined by single
 * spaces as VDE 2's vdecmd does ("$*").
 */
static char *
join_words(int argc, char *argv[])
{
	size_t	 len = 1;
	char	*line;
	int	 i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if ((line = malloc(len)) == NULL) {
		perror(getprogname());
		exit(VDECMD_FAIL);
	}
	line[0] = '\0';
	for (i = 0; i < argc; i++) {
		if (i > 0)
			strlcat(line, " ", len);
		strlcat(line, argv[i], len);
	}
	return (line);
}

/*
 * Run one command of the list and fold its result into *status; 1 when
 * the run must stop (logout or shutdown, or a failure without -k).
 */
static int
run_one(int fd, const char *cmd, int keep, int *status)
{
	int	rv;

	rv = run_cmd(fd, cmd);
	if (rv == -1)
		return (1);		/* logout or shutdown */
	if (rv != 0 && *status == 0)
		*status = rv;
	return (rv != 0 && !keep);
}

/*
 * Commands from standard input, one per line; blank lines and lines
 * starting with "#" are skipped, as in an rc file.
 */
static void
run_stdin(int fd, int keep, int *status)
{
	char	*line = NULL;
	size_t	 size = 0;
	ssize_t	 n;

	while ((n = getline(&line, &size, stdin)) != -1) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (blank(line) || line[strspn(line, " \t")] == '#')
			continue;
		if (run_one(fd, line, keep, status))
			break;
	}
	free(line);
}

int
main(int argc, char *argv[])
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	const char		*sock = NULL, *errstr;
	char			**cmds = NULL, *joined = NULL;
	int			 ch, fd, i, status = 0, keep = 0, ncmds = 0;
	int			 fromstdin = 0, stop = 0;

	while ((ch = getopt_long(argc, argv, "+c:ks:t:v", vdecmd_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			if ((cmds = reallocarray(cmds, (size_t)ncmds + 1,
			    sizeof(*cmds))) == NULL) {
				perror(getprogname());
				return (VDECMD_FAIL);
			}
			cmds[ncmds++] = optarg;
			break;
		case 'k':
			keep = 1;
			break;
		case 'v':
			version_exit();
		case 's':
			sock = optarg;
			break;
		case 't':
			vdecmd_timeout = (int)strtonum(optarg, 0, 86400, &errstr);
			if (errstr != NULL) {
				fprintf(stderr, "%s: -t %s: %s\n", getprogname(),
				    optarg, errstr);
				usage();
			}
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (sock == NULL)
		usage();
	if (argc == 1 && strcmp(argv[0], "-") == 0)
		fromstdin = 1;
	else if (argc > 0) {
		if ((cmds = reallocarray(cmds, (size_t)ncmds + 1,
		    sizeof(*cmds))) == NULL) {
			perror(getprogname());
			return (VDECMD_FAIL);
		}
		cmds[ncmds++] = joined = join_words(argc, argv);
	}

	if ((len = os_sun_set(&sun, sock)) == 0) {
		fprintf(stderr, "%s: %s: path too long\n", getprogname(), sock);
		status = VDECMD_FAIL;
		goto done;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, len) == -1) {
		fprintf(stderr, "%s: %s: %s\n", getprogname(), sock,
		    strerror(errno));
		status = VDECMD_FAIL;
		goto done;
	}
	/* A closed switch must give an error, not SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);

	if (ncmds == 0 && !fromstdin)
		status = relay(fd);
	else {
		read_banner(fd);
		for (i = 0; i < ncmds && !stop; i++)
			stop = run_one(fd, cmds[i], keep, &status);
		if (fromstdin && !stop)
			run_stdin(fd, keep, &status);
	}
	close(fd);
done:
	free(joined);
	free(cmds);
	return (status);
}
