/*
 * wfmgmt.c: wirefilter's console.  Commands come from the clients of the
 * -M socket (a banner, then a prompt after each reply: vdecmd, unixterm
 * and socat all work), from the terminal with -v, and from scripts (-f,
 * the "load" command).  Replies are framed as the switch frames them:
 *
 *	0000 DATA END WITH '.'	(commands that print)
 *	<lines>
 *	.
 *	1000 Success | 1<errno> <what is wrong>
 *
 * A parameter command either takes its whole value or changes nothing.
 * A script is first run on a copy of the parameters and only applied
 * when every line of it is good, so a bad line changes nothing either.
 * The Markov chain (wfmarkov.c) is part of the parameters; a session
 * with markov-debug on gets a line each time the chain changes node:
 *
 *	3800 node FROM "NAME" -> TO "NAME"
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "sockstale.h"
#include "wfmgmt.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0
#endif

#define WFMGMT_PROMPT	"\nVDEwf$ "
#define WFMGMT_DATAHDR	"0000 DATA END WITH '.'\n"
#define WFMGMT_SHOWMAX	16384
#define WFMGMT_LOGOUT	(-2)

struct wfsess {
	int			 s_in;
	int			 s_out;
	int			 s_sock;	/* an -M client */
	int			 s_prompt;	/* print prompts */
	int			 s_cred_ok;
	struct os_peercred	 s_cred;
	int			 s_skip;	/* in an overlong line */
	int			 s_debug;	/* markov-debug level */
	size_t			 s_len;
	char			 s_line[WFMGMT_LINEMAX];
	size_t			 s_olen;
	char			 s_obuf[WFMGMT_OUTMAX];
};

static struct wfmodel	*wfmgmt_model;
static uint64_t		 wfmgmt_seed;
static int		 wfmgmt_lfd = -1;
static char		*wfmgmt_path;
static dev_t		 wfmgmt_dev;
static ino_t		 wfmgmt_ino;
static struct wfsess	*wfmgmt_sess[WFMGMT_CLIENTS + 1];
static int		 wfmgmt_quit;

static const struct {
	const char	*c_name;
	const char	*c_help;
} wfmgmt_help[] = {
	{ "help",	"this list" },
	{ "showinfo [N]", "parameters of node N (the current one), counters, "
	    "seed" },
	{ "load FILE",	"run the commands of FILE (all or none)" },
	{ "loss V",	"lost frames, percent" },
	{ "lostburst V", "mean length of loss bursts (0: independent)" },
	{ "delay V",	"extra delay, milliseconds" },
	{ "dup V",	"duplicated frames, percent (below 100)" },
	{ "bandwidth V", "channel bandwidth, bytes/s (K, M, G: 2^10...)" },
	{ "speed V",	"interface speed, bytes/s (K, M, G)" },
	{ "noise V",	"damaged bits per MiB" },
	{ "mtu V",	"longer frames are dropped (0: no limit)" },
	{ "chanbufsize V", "bytes the channel holds (0: 16 MiB)" },
	{ "fifo 0|1",	"0: frames may overtake each other (as -N)" },
	{ "V[N]",	"a value for node N of the Markov chain, as loss 10[2]" },
	{ "markov-numnodes N", "Markov mode: N states (1 to 64)" },
	{ "markov-time MS", "Markov mode: a step every MS milliseconds" },
	{ "markov-name N,NAME", "Markov mode: name node N" },
	{ "markov-setnode N", "Markov mode: make node N the current one" },
	{ "setedge N1,N2,W", "Markov mode: edge N1 to N2 of weight W percent" },
	{ "showedges [N]", "Markov mode: the edges from node N (the current)" },
	{ "showcurrent", "Markov mode: the current node" },
	{ "markov-debug [N]", "Markov mode: N > 0 traces node changes here" },
	{ "shutdown",	"end wirefilter" },
	{ "logout",	"end this session" },
};

static void	wfmgmt_put(struct wfsess *, const char *, size_t);
static void	wfmgmt_puts(struct wfsess *, const char *);
static int	wfmgmt_flush(struct wfsess *);
static int	wfmgmt_exec(struct wfsess *, struct wfconf *, char *,
		    char *, size_t, int);
static int	wfmgmt_run(struct wfconf *, const char *,
		    const struct wfsess *, char *, size_t);
static int	wfmgmt_load(struct wfconf *, const char *,
		    const struct wfsess *, char *, size_t);
static int	wfmgmt_markov(struct wfconf *, const char *, const char *,
		    char *, size_t);
static void	wfmgmt_line(struct wfsess *, char *);
static void	wfmgmt_accept(void);
static void	wfmgmt_read(int);
static void	wfmgmt_drop(int);

void
wfmgmt_init(struct wfmodel *m, uint64_t seed)
{
	wfmgmt_model = m;
	wfmgmt_seed = seed;
}

/*
 * The -M socket.  A socket left by a dead wirefilter is replaced; one in
 * use, or anything that is not a socket, is left alone.
 */
void
wfmgmt_listen(const char *path, mode_t mode)
{
	struct sockaddr_un	sun;
	struct stat		st;
	socklen_t		len;
	mode_t			omask;
	int			fd;

	if ((len = os_sun_set(&sun, path)) == 0)
		fatalx("management socket path too long: %s", path);
	sockstale_clear("management socket", path, &sun, len);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		fatal("management socket");
	omask = umask(~mode & 0777);
	if (bind(fd, (struct sockaddr *)&sun, len) == -1)
		fatal("management socket %s", path);
	(void)umask(omask);
	if (lstat(path, &st) == -1)
		fatal("management socket %s", path);
	wfmgmt_dev = st.st_dev;
	wfmgmt_ino = st.st_ino;
	if (listen(fd, 8) == -1)
		fatal("listen %s", path);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		fatal("fcntl %s", path);
	if ((wfmgmt_path = strdup(path)) == NULL)
		fatal("strdup");
	wfmgmt_lfd = fd;
}

/* A session on the terminal (-v): no banner, prompts on a tty. */
void
wfmgmt_console(int in, int out)
{
	struct wfsess	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("console");
	s->s_in = in;
	s->s_out = out;
	s->s_prompt = isatty(in);
	wfmgmt_sess[WFMGMT_CLIENTS] = s;
	if (s->s_prompt)
		wfmgmt_puts(s, &WFMGMT_PROMPT[1]);
	(void)wfmgmt_flush(s);
}

static void
wfmgmt_put(struct wfsess *s, const char *p, size_t len)
{
	if (s == NULL)
		return;
	if (len > sizeof(s->s_obuf) - s->s_olen) {
		len = sizeof(s->s_obuf) - s->s_olen;
		s->s_skip = -1;		/* overflowed: drop the session */
	}
	memcpy(s->s_obuf + s->s_olen, p, len);
	s->s_olen += len;
}

static void
wfmgmt_puts(struct wfsess *s, const char *p)
{
	wfmgmt_put(s, p, strlen(p));
}

/*
 * Write what the session has to say.  Clients of the socket are written
 * without blocking; the terminal may block.  -1: the session is gone.
 */
static int
wfmgmt_flush(struct wfsess *s)
{
	ssize_t	n;

	if (s->s_skip == -1)
		return (-1);
	while (s->s_olen > 0) {
		if (s->s_sock)
			n = send(s->s_out, s->s_obuf, s->s_olen,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
		else
			n = write(s->s_out, s->s_obuf, s->s_olen);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return (0);
			return (-1);
		}
		memmove(s->s_obuf, s->s_obuf + n, s->s_olen - (size_t)n);
		s->s_olen -= (size_t)n;
	}
	return (0);
}

/*
 * A script into m: every line is run (blank lines and # comments are
 * skipped); the first bad one is reported in err with its line number
 * and -1 returned.  The caller runs scripts on a copy of the model.
 */
static int
wfmgmt_run(struct wfconf *c, const char *path, const struct wfsess *s,
    char *err, size_t errlen)
{
	FILE	*fp;
	char	 line[WFMGMT_LINEMAX], why[256];
	int	 lineno = 0, r = 0, asuser, saved;

	asuser = s != NULL && s->s_sock && s->s_cred_ok && geteuid() == 0;
	if (asuser && os_asuser(&s->s_cred) == -1) {
		snprintf(err, errlen, "load %s: %s", path, strerror(errno));
		return (-1);
	}
	fp = fopen(path, "r");
	saved = errno;
	if (asuser && os_asself() == -1)
		fatal("cannot return to our own identity");
	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(saved));
		errno = saved;
		return (-1);
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(err, errlen, "%s:%d: line too long", path,
			    lineno);
			errno = EINVAL;
			r = -1;
			break;
		}
		if (wfmgmt_exec(NULL, c, line, why, sizeof(why), 1) != 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			errno = EINVAL;
			r = -1;
			break;
		}
	}
	if (r == 0 && ferror(fp)) {
		snprintf(err, errlen, "%s: read error", path);
		errno = EIO;
		r = -1;
	}
	fclose(fp);
	return (r);
}

/*
 * Run the script at path into c: on a copy first, applied only if every
 * line is good.  -1 with err (and errno) set otherwise.
 */
static int
wfmgmt_load(struct wfconf *c, const char *path, const struct wfsess *s,
    char *err, size_t errlen)
{
	struct wfconf	*copy;
	int		 saved;

	if ((copy = malloc(sizeof(*copy))) == NULL) {
		snprintf(err, errlen, "load %s: %s", path, strerror(errno));
		return (-1);
	}
	*copy = *c;
	if (wfmgmt_run(copy, path, s, err, errlen) == -1) {
		saved = errno;
		free(copy);
		errno = saved;
		return (-1);
	}
	*c = *copy;
	free(copy);
	return (0);
}

/* The rc file (-f): all of it or nothing. */
int
wfmgmt_script(const char *path, char *err, size_t errlen)
{
	return (wfmgmt_load(&wfmgmt_model->m_conf, path, NULL, err, errlen));
}

/*
 * A command that shapes the Markov chain, into c: 0, 1 when cmd is not
 * one of them, -1 with err set.
 */
static int
wfmgmt_markov(struct wfconf *c, const char *cmd, const char *arg,
    char *err, size_t errlen)
{
	static const struct {
		const char	*mc_name;
		int		(*mc_fn)(struct wfconf *, const char *,
				    char *, size_t);
	} tab[] = {
		{ "markov-numnodes",	wfmarkov_numnodes },
		{ "markov-time",	wfmarkov_time },
		{ "markov-name",	wfmarkov_name },
		{ "markov-setnode",	wfmarkov_setnode },
		{ "setedge",		wfmarkov_setedge },
	};
	size_t	i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(cmd, tab[i].mc_name) == 0)
			return (tab[i].mc_fn(c, arg, err, errlen) == -1 ?
			    -1 : 0);
	return (1);
}

/* The chain went from one node to another: tell the debugging sessions. */
void
wfmgmt_trace(int from, int to)
{
	const struct wfconf	*c = &wfmgmt_model->m_conf;
	char			 line[160];
	int			 i;

	snprintf(line, sizeof(line), "3800 node %d \"%s\" -> %d \"%s\"\n",
	    from, c->c_node[from].n_name, to, c->c_node[to].n_name);
	for (i = 0; i <= WFMGMT_CLIENTS; i++) {
		if (wfmgmt_sess[i] == NULL || wfmgmt_sess[i]->s_debug <= 0)
			continue;
		wfmgmt_puts(wfmgmt_sess[i], line);
		if (wfmgmt_flush(wfmgmt_sess[i]) == -1)
			wfmgmt_drop(i);
	}
}

/*
 * One command line into m.  s is the session to print to (NULL in a
 * script, where only the parameter commands are allowed).  Returns 0,
 * WFMGMT_LOGOUT, or an errno value with err set.
 */
static int
wfmgmt_exec(struct wfsess *s, struct wfconf *c, char *line, char *err,
    size_t errlen, int script)
{
	char		*cmd, *arg, *end, show[WFMGMT_SHOWMAX], why[256];
	const char	*a;
	size_t		 i;
	int		 p, n, node, r;

	line[strcspn(line, "\r\n")] = '\0';
	cmd = line + strspn(line, " \t");
	if (*cmd == '\0' || *cmd == '#')
		return (0);
	arg = cmd + strcspn(cmd, " \t");
	if (*arg != '\0')
		*arg++ = '\0';
	arg += strspn(arg, " \t");
	for (end = arg + strlen(arg); end > arg && (end[-1] == ' ' ||
	    end[-1] == '\t'); end--)
		end[-1] = '\0';

	if ((p = wfmodel_param(cmd)) != -1) {
		if (wfmodel_set(c, p, arg, err, errlen) == -1)
			return (EINVAL);
		return (0);
	}
	if ((r = wfmgmt_markov(c, cmd, arg, err, errlen)) != 1)
		return (r == 0 ? 0 : EINVAL);
	if (strcmp(cmd, "fifo") == 0) {
		if (strcmp(arg, "0") != 0 && strcmp(arg, "1") != 0) {
			snprintf(err, errlen, "fifo %s: 0 or 1 expected", arg);
			return (EINVAL);
		}
		c->c_fifo = arg[0] == '1';
		return (0);
	}
	if (script) {
		/* What only prints, or concerns a session, is skipped. */
		if (strcmp(cmd, "help") == 0 || strcmp(cmd, "showinfo") == 0 ||
		    strcmp(cmd, "showedges") == 0 ||
		    strcmp(cmd, "showcurrent") == 0 ||
		    strcmp(cmd, "markov-debug") == 0)
			return (0);
		snprintf(err, errlen, "%s: %s", cmd,
		    strcmp(cmd, "load") == 0 || strcmp(cmd, "shutdown") == 0 ||
		    strcmp(cmd, "logout") == 0 ? "not allowed in a script" :
		    "unknown command");
		return (strcmp(cmd, "load") == 0 ? EPERM : ENOSYS);
	}
	if (*arg != '\0' && (strcmp(cmd, "help") == 0 ||
	    strcmp(cmd, "showcurrent") == 0 || strcmp(cmd, "shutdown") == 0 ||
	    strcmp(cmd, "logout") == 0)) {
		snprintf(err, errlen, "%s takes no argument", cmd);
		return (EINVAL);
	}
	if (strcmp(cmd, "help") == 0) {
		wfmgmt_puts(s, WFMGMT_DATAHDR);
		for (i = 0; i < sizeof(wfmgmt_help) / sizeof(wfmgmt_help[0]);
		    i++) {
			snprintf(show, sizeof(show), "%-16s %s\n",
			    wfmgmt_help[i].c_name, wfmgmt_help[i].c_help);
			wfmgmt_puts(s, show);
		}
		wfmgmt_puts(s, ".\n");
		return (0);
	}
	if (strcmp(cmd, "showinfo") == 0) {
		if (wfmarkov_nodearg(c, arg, &node, why, sizeof(why)) == -1) {
			snprintf(err, errlen, "%s %s: %s", cmd, arg, why);
			return (EINVAL);
		}
		if ((n = wfmodel_show(wfmgmt_model, node, show,
		    sizeof(show))) < 0)
			fatalx("showinfo: buffer too small");
		wfmgmt_puts(s, WFMGMT_DATAHDR);
		wfmgmt_put(s, show, (size_t)n);
		snprintf(show, sizeof(show), "%-12s %llu\n.\n", "seed",
		    (unsigned long long)wfmgmt_seed);
		wfmgmt_puts(s, show);
		return (0);
	}
	if (strcmp(cmd, "showedges") == 0) {
		if (wfmarkov_nodearg(c, arg, &node, why, sizeof(why)) == -1) {
			snprintf(err, errlen, "%s %s: %s", cmd, arg, why);
			return (EINVAL);
		}
		if ((n = wfmarkov_showedges(c, node, show, sizeof(show))) < 0)
			fatalx("showedges: buffer too small");
		wfmgmt_puts(s, WFMGMT_DATAHDR);
		wfmgmt_put(s, show, (size_t)n);
		wfmgmt_puts(s, ".\n");
		return (0);
	}
	if (strcmp(cmd, "showcurrent") == 0) {
		snprintf(show, sizeof(show), "%scurrent node %d \"%s\" of %d "
		    "(0 to %d)\n.\n", WFMGMT_DATAHDR, c->c_cur,
		    c->c_node[c->c_cur].n_name, c->c_nnodes, c->c_nnodes - 1);
		wfmgmt_puts(s, show);
		return (0);
	}
	if (strcmp(cmd, "markov-debug") == 0) {
		a = arg;
		if (*a != '\0' && (strspn(a, "0123456789") != strlen(a) ||
		    strlen(a) > 3)) {
			snprintf(err, errlen, "markov-debug %s: a level from 0 "
			    "to 999 is expected", arg);
			return (EINVAL);
		}
		s->s_debug = *a == '\0' ? 0 : atoi(a);
		return (0);
	}
	if (strcmp(cmd, "load") == 0) {
		if (*arg == '\0') {
			snprintf(err, errlen, "load: a file name is needed");
			return (EINVAL);
		}
		errno = 0;
		if (wfmgmt_load(c, arg, s, err, errlen) == -1)
			return (errno == 0 ? EINVAL : errno);
		return (0);
	}
	if (strcmp(cmd, "shutdown") == 0) {
		wfmgmt_quit = 1;
		return (0);
	}
	if (strcmp(cmd, "logout") == 0)
		return (WFMGMT_LOGOUT);
	snprintf(err, errlen, "%s: unknown command (try help)", cmd);
	return (ENOSYS);
}

/* A line of a live session: run it, reply, prompt. */
static void
wfmgmt_line(struct wfsess *s, char *line)
{
	char	err[512], status[600];
	int	r;

	err[0] = '\0';
	r = wfmgmt_exec(s, &wfmgmt_model->m_conf, line, err, sizeof(err), 0);
	if (r == WFMGMT_LOGOUT) {
		wfmgmt_puts(s, "9999 END OF SESSION\n");
		s->s_skip = -2;
		return;
	}
	if (r == 0)
		wfmgmt_puts(s, "1000 Success\n");
	else {
		snprintf(status, sizeof(status), "1%03d %s\n", r, err);
		wfmgmt_puts(s, status);
	}
	if (s->s_prompt)
		wfmgmt_puts(s, WFMGMT_PROMPT);
}

static void
wfmgmt_accept(void)
{
	struct wfsess	*s;
	int		 fd, i;

	if ((fd = accept(wfmgmt_lfd, NULL, NULL)) == -1)
		return;
	for (i = 0; i < WFMGMT_CLIENTS; i++)
		if (wfmgmt_sess[i] == NULL)
			break;
	if (i == WFMGMT_CLIENTS || (s = calloc(1, sizeof(*s))) == NULL) {
		log_warnx("management client refused: %d already connected",
		    WFMGMT_CLIENTS);
		close(fd);
		return;
	}
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	s->s_in = s->s_out = fd;
	s->s_sock = 1;
	s->s_prompt = 1;
	s->s_cred_ok = os_peercred(fd, &s->s_cred) == 0;
	wfmgmt_sess[i] = s;
	wfmgmt_puts(s, "\nwirefilter of vde: a cable with faults on "
	    "purpose\n(help lists the commands)\n" WFMGMT_PROMPT);
	if (wfmgmt_flush(s) == -1)
		wfmgmt_drop(i);
}

static void
wfmgmt_drop(int i)
{
	struct wfsess	*s = wfmgmt_sess[i];

	if (s->s_sock)
		close(s->s_in);
	free(s);
	wfmgmt_sess[i] = NULL;
}

/* Input from session i: whole lines run in order. */
static void
wfmgmt_read(int i)
{
	struct wfsess	*s = wfmgmt_sess[i];
	char		 buf[4096], err[80];
	ssize_t		 n;
	size_t		 k;

	n = read(s->s_in, buf, sizeof(buf));
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		wfmgmt_drop(i);
		return;
	}
	for (k = 0; k < (size_t)n && wfmgmt_sess[i] != NULL; k++) {
		if (buf[k] != '\n') {
			if (s->s_skip)
				continue;
			if (s->s_len == sizeof(s->s_line) - 1) {
				snprintf(err, sizeof(err), "1007 line longer "
				    "than %d bytes: ignored\n",
				    WFMGMT_LINEMAX - 1);
				wfmgmt_puts(s, err);
				if (s->s_prompt)
					wfmgmt_puts(s, WFMGMT_PROMPT);
				s->s_skip = 1;
				s->s_len = 0;
				continue;
			}
			s->s_line[s->s_len++] = buf[k];
			continue;
		}
		if (s->s_skip == 1) {
			s->s_skip = 0;
			continue;
		}
		s->s_line[s->s_len] = '\0';
		s->s_len = 0;
		wfmgmt_line(s, s->s_line);
		if (s->s_skip == -2) {
			(void)wfmgmt_flush(s);
			wfmgmt_drop(i);
			return;
		}
	}
	if (wfmgmt_flush(s) == -1) {
		log_warnx("management client dropped: it does not read");
		wfmgmt_drop(i);
	}
}

/* Fill pfd (WFMGMT_NFDS at most) with what the console waits for. */
int
wfmgmt_pollfds(struct pollfd *pfd)
{
	int	i, n = 0;

	if (wfmgmt_lfd != -1) {
		pfd[n].fd = wfmgmt_lfd;
		pfd[n++].events = POLLIN;
	}
	for (i = 0; i <= WFMGMT_CLIENTS; i++) {
		if (wfmgmt_sess[i] == NULL)
			continue;
		pfd[n].fd = wfmgmt_sess[i]->s_in;
		pfd[n].events = POLLIN;
		if (wfmgmt_sess[i]->s_olen > 0 && wfmgmt_sess[i]->s_sock)
			pfd[n].events |= POLLOUT;
		n++;
	}
	return (n);
}

/* Handle what poll said about the n fds wfmgmt_pollfds gave. */
void
wfmgmt_events(const struct pollfd *pfd, int n)
{
	int	i, k;

	for (k = 0; k < n; k++) {
		if (pfd[k].revents == 0)
			continue;
		if (pfd[k].fd == wfmgmt_lfd) {
			wfmgmt_accept();
			continue;
		}
		for (i = 0; i <= WFMGMT_CLIENTS; i++)
			if (wfmgmt_sess[i] != NULL &&
			    wfmgmt_sess[i]->s_in == pfd[k].fd)
				break;
		if (i > WFMGMT_CLIENTS)
			continue;
		if ((pfd[k].revents & POLLOUT) &&
		    wfmgmt_flush(wfmgmt_sess[i]) == -1) {
			wfmgmt_drop(i);
			continue;
		}
		if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))
			wfmgmt_read(i);
	}
}

/* Whether a console command asked wirefilter to end. */
int
wfmgmt_shutdown(void)
{
	return (wfmgmt_quit);
}

/* Close every session and remove the socket if it is still ours. */
void
wfmgmt_close(void)
{
	struct stat	st;
	int		i;

	for (i = 0; i <= WFMGMT_CLIENTS; i++)
		if (wfmgmt_sess[i] != NULL) {
			(void)wfmgmt_flush(wfmgmt_sess[i]);
			wfmgmt_drop(i);
		}
	if (wfmgmt_lfd == -1)
		return;
	close(wfmgmt_lfd);
	if (lstat(wfmgmt_path, &st) == 0 && st.st_dev == wfmgmt_dev &&
	    st.st_ino == wfmgmt_ino)
		(void)unlink(wfmgmt_path);
	free(wfmgmt_path);
	wfmgmt_lfd = -1;
}
