/*
 * mgmt.c: the management console of the switch.
 *
 * A session is a source of command lines and a sink for their replies:
 * the -M socket's clients (banner, prompt, logout), the stdin console (no
 * banner; replies to stdout; EOF stops the switch) and rc files (no output
 * at all; commands that need a live console fail with EBADF).  Each line
 * runs through mgmt_exec, which frames the reply as VDE 2 does:
 *
 *	0000 DATA END WITH '.'		(commands with CMD_DATA)
 *	<data lines>
 *	.
 *	1000 Success | 1<errno> <text>	(Linux numbers on every system)
 *	\nvde$ 				(the prompt)
 *
 * Unlike VDE 2, input is buffered and split on \n, so several commands in
 * one write all run in order (a lone unterminated line still runs after
 * MGMT_PARTIAL_MS, for vdeterm), and output is buffered per client and
 * sent as the socket accepts it.  A client that does not read is
 * throttled (its further lines wait) and dropped when its output stalls
 * for too long or one reply grows past MGMT_OUTMAX.
 *
 * The commands are cmd_table's (cmd_table.c); scripts ("load", rc files)
 * are read by mgmtscript.c, the -M socket is mgmtsock.c's, the debug
 * events are mgmtev.c's and the error numbers mgmterr.c's.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "switch.h"
#include "mgmt.h"
#include "xmalloc.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0	/* SIGPIPE is ignored by the switch anyway */
#endif

#define MGMT_OUTHIGH	(64 * 1024)	/* stop running a client's lines */
#define MGMT_OUTMAX	(16 * 1024 * 1024) /* drop the client */
#define MGMT_STALL_MS	30000		/* no write progress: drop */
#define MGMT_PARTIAL_MS	150		/* a line without \n: see mgmt_partial */

#define MGMT_PROMPT	"\nvde$ "
#define MGMT_DATAHDR	"0000 DATA END WITH '.'\n"
#define MGMT_BYE	"9999 END OF SESSION"

static struct mgmt_out	*mgmt_list;	/* sockets and stdio */
static int		 mgmt_nclients;
static int		 mgmt_nsub;	/* sessions with debug categories */
static struct timer	 mgmt_stall;
static int		 mgmt_stall_on;

static void	 mgmt_io(int, int, void *);
static void	 mgmt_partial(void *);
static void	 mgmt_settle(struct mgmt_out *);

/* --- output ------------------------------------------------------------ */

/* Bytes still to send. */
static size_t
mgmt_pending(const struct mgmt_out *s)
{
	return (s->mo_len - s->mo_off);
}

/*
 * Make room for n more bytes of output.  Returns 0, or -1 when the output
 * is discarded (rc files, a dead session) or has grown past MGMT_OUTMAX,
 * which drops the client.
 */
static int
mgmt_reserve(struct mgmt_out *s, size_t n)
{
	size_t	need, size;

	if (s->mo_kind == MGMT_RC || s->mo_dead || s->mo_noout)
		return (-1);
	if (mgmt_pending(s) == 0) {
		s->mo_off = s->mo_len = 0;
		s->mo_progress = loop_msec();
	}
	need = s->mo_len + n + 1;
	if (need <= s->mo_size)
		return (0);
	if (s->mo_off > 0) {
		/* Move the unsent bytes to the front before growing. */
		memmove(s->mo_buf, s->mo_buf + s->mo_off, mgmt_pending(s));
		s->mo_len -= s->mo_off;
		s->mo_off = 0;
		need = s->mo_len + n + 1;
		if (need <= s->mo_size)
			return (0);
	}
	if (need > MGMT_OUTMAX) {
		log_warnx("console client fd %d: output over %d bytes unread, "
		    "dropped", s->mo_wfd, MGMT_OUTMAX);
		s->mo_dead = 1;
		return (-1);
	}
	for (size = s->mo_size > 0 ? s->mo_size : 1024; size < need;)
		size *= 2;
	s->mo_buf = xreallocarray(s->mo_buf, size, 1);
	s->mo_size = size;
	return (0);
}

/* Queue n bytes of output. */
static void
mgmt_write(struct mgmt_out *s, const char *p, size_t n)
{
	if (mgmt_reserve(s, n) == -1)
		return;
	memcpy(s->mo_buf + s->mo_len, p, n);
	s->mo_len += n;
}

/* A string to a session's output. */
static void
mgmt_puts(struct mgmt_out *s, const char *p)
{
	mgmt_write(s, p, strlen(p));
}

/* printf to a session's output; commands write their data lines so. */
void
mgmt_printf(struct mgmt_out *s, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (s->mo_kind == MGMT_RC || s->mo_dead || s->mo_noout)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0 || mgmt_reserve(s, (size_t)n) == -1)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(s->mo_buf + s->mo_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->mo_len += (size_t)n;
}

/* The two banner lines (also the start of "showinfo"). */
void
mgmt_banner(struct mgmt_out *s)
{
	mgmt_printf(s, "VDE switch V.%s\n", VDE_VERSION);
	mgmt_puts(s, "(C) the vde project: a clean-room Virtual Distributed "
	    "Ethernet switch\n");
}

/* The status line of a command that returned rv >= 0. */
void
mgmt_status(struct mgmt_out *s, int rv)
{
	const char	*text;
	int		 code;

	if (rv == 0) {
		mgmt_puts(s, "1000 Success\n");
		return;
	}
	code = mgmterr_code(rv, &text);
	mgmt_printf(s, "1%03d %s\n", code, text);
}

/*
 * Send what the fd accepts now.  Sockets are non-blocking.  stdout is not
 * ours to make non-blocking (the terminal or pipe is shared), so it gets
 * at most PIPE_BUF bytes per write, and only when poll says it is
 * writable: such a write does not block.
 */
static void
mgmt_flush(struct mgmt_out *s)
{
	struct pollfd	pfd;
	ssize_t		n;
	size_t		len;

	while (mgmt_pending(s) > 0 && !s->mo_dead && !s->mo_noout) {
		len = mgmt_pending(s);
		if (s->mo_kind == MGMT_SOCK)
			n = send(s->mo_wfd, s->mo_buf + s->mo_off, len,
			    MSG_NOSIGNAL);
		else {
			pfd.fd = s->mo_wfd;
			pfd.events = POLLOUT;
			pfd.revents = 0;
			if (poll(&pfd, 1, 0) <= 0 ||
			    (pfd.revents & POLLOUT) == 0) {
				if (pfd.revents & (POLLERR | POLLHUP |
				    POLLNVAL))
					goto gone;
				return;
			}
			n = write(s->mo_wfd, s->mo_buf + s->mo_off,
			    len < PIPE_BUF ? len : PIPE_BUF);
		}
		if (n > 0) {
			s->mo_off += (size_t)n;
			s->mo_progress = loop_msec();
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
 gone:
		if (s->mo_kind == MGMT_SOCK)
			s->mo_dead = 1;		/* the client went away */
		else {
			log_warnx("console: stdout is gone, discarding "
			    "console output");
			s->mo_noout = 1;
		}
	}
	if (mgmt_pending(s) == 0)
		s->mo_off = s->mo_len = 0;
}

/* Write everything now, waiting if needed (at exit only). */
static void
mgmt_drain(struct mgmt_out *s, int msec)
{
	struct pollfd	pfd;

	while (mgmt_pending(s) > 0 && !s->mo_dead && !s->mo_noout) {
		pfd.fd = s->mo_wfd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, msec) <= 0)
			return;
		mgmt_flush(s);
	}
}

/* --- sessions ------------------------------------------------------------ */

/* A new session reading rfd and writing wfd, on the list. */
static struct mgmt_out *
mgmt_new(int kind, int rfd, int wfd)
{
	struct mgmt_out	*s;

	s = xcalloc(1, sizeof(*s));
	s->mo_kind = kind;
	s->mo_rfd = rfd;
	s->mo_wfd = wfd;
	linebuf_init(&s->mo_in);
	timer_set(&s->mo_ptimer, mgmt_partial, s);
	if (kind != MGMT_RC) {
		s->mo_next = mgmt_list;
		mgmt_list = s;
	}
	return (s);
}

/* Unlink, unregister and free a session. */
static void
mgmt_close(struct mgmt_out *s)
{
	struct mgmt_out	**pp;

	for (pp = &mgmt_list; *pp != NULL; pp = &(*pp)->mo_next)
		if (*pp == s) {
			*pp = s->mo_next;
			break;
		}
	timer_del(&s->mo_ptimer);
	if (s->mo_debug != 0)
		mgmt_nsub--;
	if (s->mo_kind == MGMT_SOCK) {
		loop_del(s->mo_rfd);
		close(s->mo_rfd);
		mgmt_nclients--;
	} else if (s->mo_kind == MGMT_STDIO) {
		if (s->mo_rin)
			loop_del(s->mo_rfd);
		if (s->mo_wout)
			loop_del(s->mo_wfd);
	}
	free(s->mo_buf);
	free(s);
}

/* Whether the session has a real console (not an rc file). */
int
mgmt_hasfd(const struct mgmt_out *s)
{
	return (s->mo_kind != MGMT_RC);
}

uint32_t
mgmt_debug_get(const struct mgmt_out *s)
{
	return (s->mo_debug);
}

/* Set the debug categories this session receives. */
void
mgmt_debug_set(struct mgmt_out *s, uint32_t mask)
{
	if (s->mo_debug == 0 && mask != 0)
		mgmt_nsub++;
	else if (s->mo_debug != 0 && mask == 0)
		mgmt_nsub--;
	s->mo_debug = mask;
}

/* How many sessions receive debug events (for -D). */
int
mgmt_debug_sessions(void)
{
	return (mgmt_nsub);
}

/* --- running commands ---------------------------------------------------- */

/*
 * Run one line on session s and write its framed reply, without the
 * prompt.  Returns the command's value: 0, a positive errno, CMD_LOGOUT or
 * CMD_SHUTDOWN (for which nothing is written here).
 */
int
mgmt_exec(struct mgmt_out *s, char *line)
{
	const struct cmd	*c;
	char			*arg;
	int			 rv;

	switch (cmd_parse(cmd_table, line, &c, &arg)) {
	case CMD_PARSE_EMPTY:
		return (0);
	case CMD_PARSE_UNKNOWN:
		rv = ENOSYS;
		break;
	default:
		if ((c->c_flags & CMD_NEEDFD) && !mgmt_hasfd(s)) {
			rv = EBADF;
			break;
		}
		/* VDE 2 writes the header first: failures show "0000..\n.". */
		if (c->c_flags & CMD_DATA)
			mgmt_puts(s, MGMT_DATAHDR);
		rv = c->c_fn(s, arg);
		if (c->c_flags & CMD_DATA)
			mgmt_puts(s, ".\n");
		break;
	}
	if (rv >= 0)
		mgmt_status(s, rv);
	return (rv);
}

/*
 * Run the rc file: -f's, else ~/.vde2/vde_switch.rc, else the system one.
 * Nothing is printed; failing commands are logged.  Returns -1 when an
 * explicitly named file cannot be read.
 */
int
mgmt_rcfile(const char *path)
{
	struct mgmt_out	 rc;
	const char	*home;
	char		*def = NULL;
	int		 rv;

	if (path == NULL) {
		if ((home = getenv("HOME")) != NULL && *home != '\0') {
			xasprintf(&def, "%s/.vde2/vde_switch.rc", home);
			if (access(def, R_OK) == -1) {
				free(def);
				def = NULL;
			}
		}
		if (def == NULL) {
			def = xstrdup(VDE_SYSCONFDIR "/vde2/vde_switch.rc");
			if (access(def, R_OK) == -1) {
				free(def);
				return (0);
			}
		}
		path = def;
	}
	memset(&rc, 0, sizeof(rc));
	rc.mo_kind = MGMT_RC;
	rc.mo_rfd = rc.mo_wfd = -1;
	rv = mgmtscript_run(&rc, path, 0);
	if (rv > 0) {
		log_warnx("rc file %s: %s", path, strerror(rv));
		free(def);
		return (-1);
	}
	free(def);
	if (rv == CMD_SHUTDOWN)
		sw_shutdown();
	return (0);
}

/* Input is over: a client is closed, the stdin console stops the switch. */
static void
mgmt_ended(struct mgmt_out *s)
{
	s->mo_closing = 1;
	if (s->mo_kind == MGMT_STDIO) {
		log_info("end of input on the console, exiting");
		sw_shutdown();
	}
}

/*
 * Run one line of a live session and write its reply and the prompt.
 * Returns 1 when the session ends with it (logout, shutdown).
 */
static int
mgmt_line(struct mgmt_out *s, int r, char *line)
{
	int	rv;

	if (r == LINEBUF_LONG) {
		mgmt_status(s, EMSGSIZE);
		mgmt_puts(s, MGMT_PROMPT);
		return (0);
	}
	rv = mgmt_exec(s, line);
	if (rv == CMD_LOGOUT && s->mo_kind == MGMT_STDIO)
		rv = 0;		/* nothing to log out of */
	if (rv == CMD_LOGOUT || rv == CMD_SHUTDOWN) {
		mgmt_puts(s, MGMT_BYE);
		mgmt_flush(s);
		s->mo_closing = 1;
		if (rv == CMD_SHUTDOWN) {
			log_info("shutdown from the console");
			sw_shutdown();
		}
		return (1);
	}
	mgmt_puts(s, MGMT_PROMPT);
	return (0);
}

/*
 * Run the session's complete lines in order, until none is left or its
 * output is over the high-water mark (the rest waits for the client to
 * read).  Returns 1 when it stopped at the high-water mark.
 */
static int
mgmt_pump(struct mgmt_out *s)
{
	char	*line;
	int	 r;

	for (;;) {
		if (s->mo_dead || s->mo_closing)
			return (0);
		if (mgmt_pending(s) >= MGMT_OUTHIGH)
			return (1);
		r = linebuf_next(&s->mo_in, &line);
		if (r == LINEBUF_NONE) {
			if (!s->mo_eof)
				return (0);
			if ((r = linebuf_last(&s->mo_in, &line)) ==
			    LINEBUF_NONE) {
				mgmt_ended(s);
				return (0);
			}
		}
		if (mgmt_line(s, r, line))
			return (0);
	}
}

/*
 * A partial line that stayed alone for MGMT_PARTIAL_MS runs as if it had
 * ended with \n: vdeterm sends its commands without one (VDE 2 takes
 * each read as a command), while a line split across writes by other
 * clients arrives well within that time.
 */
static void
mgmt_partial(void *arg)
{
	struct mgmt_out	*s = arg;
	char		*line;
	int		 r;

	s->mo_busy++;
	/*
	 * Complete lines left behind by a pause at MGMT_OUTHIGH come out
	 * first; a pause again leaves the rest to mgmt_io.
	 */
	while (!s->mo_dead && !s->mo_closing &&
	    mgmt_pending(s) < MGMT_OUTHIGH &&
	    (r = linebuf_last(&s->mo_in, &line)) != LINEBUF_NONE)
		if (mgmt_line(s, r, line))
			break;
	mgmt_flush(s);
	s->mo_busy--;
	mgmt_settle(s);
}

/* Read what the input has (one read per poll event). */
static void
mgmt_read(struct mgmt_out *s)
{
	char	*p;
	size_t	 space;
	ssize_t	 n;

	if ((space = linebuf_space(&s->mo_in, &p)) == 0)
		return;
	n = read(s->mo_rfd, p, space);
	if (n > 0)
		linebuf_fill(&s->mo_in, (size_t)n);
	else if (n == 0)
		s->mo_eof = 1;
	else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
		s->mo_eof = 1;
		if (s->mo_kind == MGMT_SOCK)
			s->mo_dead = 1;		/* reset by the peer */
	}
}

/* Arm the stall check when some client has output waiting. */
static void
mgmt_stall_arm(void)
{
	if (!mgmt_stall_on) {
		mgmt_stall_on = 1;
		timer_add(&mgmt_stall, MGMT_STALL_MS / 4);
	}
}

/* Drop clients whose output has made no progress for MGMT_STALL_MS. */
static void
mgmt_stall_check(void *arg)
{
	struct mgmt_out	*s, *next;
	uint64_t	 now = loop_msec();
	int		 waiting = 0;

	mgmt_stall_on = 0;
	for (s = mgmt_list; s != NULL; s = next) {
		next = s->mo_next;
		if (s->mo_kind != MGMT_SOCK || mgmt_pending(s) == 0)
			continue;
		if (now - s->mo_progress >= MGMT_STALL_MS) {
			log_warnx("console client fd %d: not reading for %d s, "
			    "dropped", s->mo_wfd, MGMT_STALL_MS / 1000);
			mgmt_close(s);
		} else
			waiting = 1;
	}
	if (waiting)
		mgmt_stall_arm();
}

/*
 * After a session was served: close it if it is done, otherwise register
 * the poll events it now needs.
 */
static void
mgmt_settle(struct mgmt_out *s)
{
	int	ev = 0;

	if (s->mo_busy)
		return;
	if (s->mo_kind == MGMT_SOCK) {
		if (s->mo_dead || (s->mo_closing && mgmt_pending(s) == 0)) {
			mgmt_close(s);
			return;
		}
		if (!s->mo_eof && !s->mo_closing &&
		    mgmt_pending(s) < MGMT_OUTHIGH)
			ev |= POLLIN;
		if (mgmt_pending(s) > 0) {
			ev |= POLLOUT;
			mgmt_stall_arm();
		}
		if (ev != s->mo_events) {
			loop_events(s->mo_rfd, ev);
			s->mo_events = ev;
		}
		return;
	}

	/* stdio: fd 0 and fd 1 are registered separately. */
	if (!s->mo_eof && !s->mo_closing && mgmt_pending(s) < MGMT_OUTHIGH) {
		if (!s->mo_rin)
			loop_add(s->mo_rfd, POLLIN, mgmt_io, s);
		s->mo_rin = 1;
	} else if (s->mo_rin) {
		loop_del(s->mo_rfd);
		s->mo_rin = 0;
	}
	if (mgmt_pending(s) > 0 && !s->mo_noout) {
		if (!s->mo_wout)
			loop_add(s->mo_wfd, POLLOUT, mgmt_io, s);
		s->mo_wout = 1;
	} else if (s->mo_wout) {
		loop_del(s->mo_wfd);
		s->mo_wout = 0;
	}
}

/* Poll callback of a session's fds. */
static void
mgmt_io(int fd, int revents, void *arg)
{
	struct mgmt_out	*s = arg;

	s->mo_busy++;
	if (revents & (POLLOUT | POLLERR | POLLHUP | POLLNVAL))
		mgmt_flush(s);
	if (fd == s->mo_rfd && !s->mo_eof &&
	    (revents & (POLLIN | POLLERR | POLLHUP | POLLNVAL)))
		mgmt_read(s);
	/* Lines wait while the output is high; go on as far as it drains. */
	while (mgmt_pump(s)) {
		mgmt_flush(s);
		if (mgmt_pending(s) >= MGMT_OUTHIGH)
			break;
	}
	mgmt_flush(s);
	/* New bytes restart the wait of a partial line. */
	if (linebuf_partial(&s->mo_in))
		timer_add(&s->mo_ptimer, MGMT_PARTIAL_MS);
	else
		timer_del(&s->mo_ptimer);
	s->mo_busy--;
	mgmt_settle(s);
}

/*
 * Start a console session on a connected stream socket: banner, prompt.
 * Returns -1 when the socket cannot be made non-blocking.
 */
int
mgmt_attach(int fd)
{
	struct mgmt_out		*s;

	if (loop_nonblock(fd) == -1)
		return (-1);
	s = mgmt_new(MGMT_SOCK, fd, fd);
	mgmt_nclients++;
	/* Whose files "load" may read: see mgmtscript_open. */
	if (os_peercred(fd, &s->mo_cred) == 0)
		s->mo_credok = 1;
	else
		log_debug("console client fd %d: no peer credentials, it "
		    "cannot load files", fd);
	mgmt_banner(s);
	mgmt_puts(s, MGMT_PROMPT);
	mgmt_flush(s);
	s->mo_events = POLLIN;
	loop_add(fd, POLLIN, mgmt_io, s);
	mgmt_settle(s);
	return (0);
}

/*
 * Open the console's transports: the -M socket when sock is set, and the
 * stdin console when use_stdin.  Its commands are cmd_table's.
 */
void
mgmt_init(const char *sock, mode_t mode, gid_t gid, int use_stdin)
{
	struct mgmt_out	*s;

	mgmtev_init();
	timer_set(&mgmt_stall, mgmt_stall_check, NULL);
	/* Runs at any exit: flush the consoles, remove the -M socket. */
	atexit(mgmt_cleanup);

	if (sock != NULL)
		mgmtsock_open(sock, mode, gid);
	if (use_stdin) {
		/* No banner, no prompt until the user sends a line. */
		s = mgmt_new(MGMT_STDIO, STDIN_FILENO, STDOUT_FILENO);
		mgmt_settle(s);
	}
}

/*
 * At exit: send what is pending (briefly waiting for the stdout console
 * and for clients), close everything and remove the -M socket.
 */
void
mgmt_cleanup(void)
{
	struct mgmt_out	*s;

	while ((s = mgmt_list) != NULL) {
		mgmt_drain(s, s->mo_kind == MGMT_STDIO ? 2000 : 100);
		s->mo_busy = 0;
		mgmt_close(s);
	}
	mgmtsock_close();
	if (mgmt_stall_on) {
		timer_del(&mgmt_stall);
		mgmt_stall_on = 0;
	}
}

/* The number of -M clients. */
int
mgmt_clients(void)
{
	return (mgmt_nclients);
}

/* Whether some session subscribed to debug events. */
int
mgmt_subscribed(void)
{
	return (mgmt_nsub > 0);
}

/* Send line to every session subscribed to a category in mask. */
void
mgmt_broadcast(uint32_t mask, const char *line)
{
	struct mgmt_out	*s, *next;

	for (s = mgmt_list; s != NULL; s = next) {
		next = s->mo_next;
		if ((s->mo_debug & mask) == 0)
			continue;
		mgmt_puts(s, line);
		if (!s->mo_busy) {
			mgmt_flush(s);
			mgmt_settle(s);
		}
	}
}
