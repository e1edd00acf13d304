/*
 * mgmt_test: the console's line splitter, command parser and sessions.
 *
 * Sessions run over socketpairs with a small stand-in for loop.c (a poll
 * over the fds the console registered), so framing, ordering, long lines,
 * throttling of a client that does not read, and rc/load behaviour are
 * checked without a whole switch.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "switch.h"

/* --- stand-ins for the rest of the switch ----------------------------- */

#define NREG	64
static struct {
	int	 fd;
	int	 events;
	loop_fn	 fn;
	void	*arg;
} reg[NREG];
static int	shutdowns;

void
loop_add(int fd, int events, loop_fn fn, void *arg)
{
	int	i;

	for (i = 0; i < NREG; i++)
		if (reg[i].fn == NULL) {
			reg[i].fd = fd;
			reg[i].events = events;
			reg[i].fn = fn;
			reg[i].arg = arg;
			return;
		}
	atf_tc_fail("too many fds registered");
}

void
loop_events(int fd, int events)
{
	int	i;

	for (i = 0; i < NREG; i++)
		if (reg[i].fn != NULL && reg[i].fd == fd)
			reg[i].events = events;
}

void
loop_del(int fd)
{
	int	i;

	for (i = 0; i < NREG; i++)
		if (reg[i].fn != NULL && reg[i].fd == fd)
			reg[i].fn = NULL;
}

int
loop_nonblock(int fd)
{
	int	fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return (-1);
	return (0);
}

uint64_t
loop_msec(void)
{
	return (0);
}

time_t
loop_sec(void)
{
	return (42);
}

/* Timers: kept in a list; fire_timers() runs the armed ones. */
static struct timer	*timers;

void
timer_set(struct timer *t, void (*fn)(void *), void *arg)
{
	memset(t, 0, sizeof(*t));
	t->t_fn = fn;
	t->t_arg = arg;
}

void
timer_del(struct timer *t)
{
	struct timer	**tp;

	for (tp = &timers; *tp != NULL; tp = &(*tp)->t_next)
		if (*tp == t) {
			*tp = t->t_next;
			break;
		}
	t->t_on = 0;
}

void
timer_add(struct timer *t, uint64_t msec)
{
	timer_del(t);
	t->t_on = 1;
	t->t_next = timers;
	timers = t;
}

static void
fire_timers(void)
{
	struct timer	*t;

	while ((t = timers) != NULL) {
		timers = t->t_next;
		t->t_on = 0;
		t->t_fn(t->t_arg);
	}
}

void
sw_shutdown(void)
{
	shutdowns++;
}

struct sw_config	sw_conf;

/* Port events: mgmtev.c listens; no port comes or goes here. */
void
port_listen(struct port_listener *l)
{
}

void
port_eplisten(struct port_eplistener *l)
{
}

/* One round of the stand-in loop: dispatch what poll reports. */
static int
loop_once(int msec)
{
	struct pollfd	pfd[NREG];
	int		idx[NREG], n = 0, i, r;

	for (i = 0; i < NREG; i++)
		if (reg[i].fn != NULL && reg[i].events != 0) {
			pfd[n].fd = reg[i].fd;
			pfd[n].events = (short)reg[i].events;
			pfd[n].revents = 0;
			idx[n++] = i;
		}
	if (n == 0)
		return (0);
	if ((r = poll(pfd, (nfds_t)n, msec)) <= 0)
		return (0);
	for (i = 0; i < n; i++)
		if (pfd[i].revents != 0 && reg[idx[i]].fn != NULL &&
		    reg[idx[i]].fd == pfd[i].fd)
			reg[idx[i]].fn(pfd[i].fd, pfd[i].revents,
			    reg[idx[i]].arg);
	return (r);
}

/* A test command: "t/echo ARG" prints ARG as data; "t/fail N" fails. */
static int
t_echo(struct mgmt_out *out, char *arg)
{
	mgmt_printf(out, "[%s]\n", arg);
	return (0);
}

static int
t_fail(struct mgmt_out *out, char *arg)
{
	long long	v;

	if (cmd_int(arg, 1, 200, &v) != 0)
		return (EINVAL);
	return ((int)v);
}

static int
t_big(struct mgmt_out *out, char *arg)
{
	int	i;

	for (i = 0; i < 5000; i++)
		mgmt_printf(out, "line %05d of a long reply\n", i);
	return (0);
}

static const struct cmd t_menu = { "t", "", "TEST MENU", 0, NULL };
static const struct cmd t_echo_entry = { "t/echo", "arg", "echo", CMD_DATA,
	t_echo };
static const struct cmd t_fail_entry = { "t/fail", "N", "fail with errno N",
	0, t_fail };
static const struct cmd t_big_entry = { "t/big", "", "a long reply",
	CMD_DATA, t_big };
static const struct cmd t_fd_entry = { "t/fd", "", "needs a console",
	CMD_NEEDFD, t_fail };

/*
 * The console's table in this test: the core and debug commands (their
 * entries from cmd_core.o and cmd_debug.o) and the test commands, in
 * place of cmd_table.o, which would bring the whole switch.
 */
extern const struct cmd	cmd_ds_entry, cmd_ds_showinfo_entry,
			cmd_help_entry, cmd_logout_entry, cmd_shutdown_entry,
			cmd_showinfo_entry, cmd_load_entry, cmd_debug_entry,
			cmd_debug_list_entry, cmd_debug_add_entry,
			cmd_debug_del_entry;

const struct cmd *const cmd_table[] = {
	&cmd_ds_entry, &cmd_ds_showinfo_entry, &cmd_help_entry,
	&cmd_logout_entry, &cmd_shutdown_entry, &cmd_showinfo_entry,
	&cmd_load_entry,
	&cmd_debug_entry, &cmd_debug_list_entry, &cmd_debug_add_entry,
	&cmd_debug_del_entry,
	&t_menu, &t_echo_entry, &t_fail_entry, &t_big_entry, &t_fd_entry,
	NULL
};

/* Fresh console with the core and test commands, and one client. */
static int
setup(void)
{
	int	sv[2];

	memset(reg, 0, sizeof(reg));
	timers = NULL;
	shutdowns = 0;
	sw_conf.c_debugclients = -1;	/* no -D */
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	ATF_REQUIRE(mgmt_attach(sv[0]) == 0);
	return (sv[1]);
}

/* Read from the client until the text read ends with tail (or EOF). */
static char *
read_until(int fd, const char *tail)
{
	static char	buf[8 << 20];
	size_t		len = 0, tl = strlen(tail);
	ssize_t		n;
	int		i;

	for (i = 0; i < 4000; i++) {
		loop_once(0);
		n = recv(fd, buf + len, sizeof(buf) - 1 - len, MSG_DONTWAIT);
		if (n == 0)
			break;
		if (n > 0) {
			len += (size_t)n;
			buf[len] = '\0';
			if (len >= tl && strcmp(buf + len - tl, tail) == 0)
				break;
			continue;
		}
		loop_once(5);
	}
	buf[len] = '\0';
	return (buf);
}

static void
say(int fd, const char *s)
{
	ATF_REQUIRE((size_t)write(fd, s, strlen(s)) == strlen(s));
}

static int
count(const char *hay, const char *needle)
{
	int	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return (n);
}

/* --- linebuf ------------------------------------------------------------- */

static void
feed(struct linebuf *lb, const char *s)
{
	char	*p;
	size_t	 space, n = strlen(s);

	space = linebuf_space(lb, &p);
	ATF_REQUIRE(space >= n);
	memcpy(p, s, n);
	linebuf_fill(lb, n);
}

ATF_TC_WITHOUT_HEAD(linebuf_split);
ATF_TC_BODY(linebuf_split, tc)
{
	struct linebuf	lb;
	char		*line;

	linebuf_init(&lb);
	feed(&lb, "one\r\ntwo\nthr");
	ATF_REQUIRE_EQ(linebuf_next(&lb, &line), LINEBUF_LINE);
	ATF_REQUIRE_STREQ(line, "one");
	ATF_REQUIRE_EQ(linebuf_next(&lb, &line), LINEBUF_LINE);
	ATF_REQUIRE_STREQ(line, "two");
	ATF_REQUIRE_EQ(linebuf_next(&lb, &line), LINEBUF_NONE);
	feed(&lb, "ee\n\n");
	ATF_REQUIRE_EQ(linebuf_next(&lb, &line), LINEBUF_LINE);
	ATF_REQUIRE_STREQ(line, "three");
	ATF_REQUIRE_EQ(linebuf_next(&lb, &line), LINEBUF_LINE);
	ATF_REQUIRE_STREQ(line, "");
	ATF_REQUIRE_EQ(linebuf_next(&lb, &line), LINEBUF_NONE);
	feed(&lb, "last");
	ATF_REQUIRE_EQ(linebuf_next(&lb, &line), LINEBUF_NONE);
	ATF_REQUIRE_EQ(linebuf_last(&lb, &line), LINEBUF_LINE);
	ATF_REQUIRE_STREQ(line, "last");
	ATF_REQUIRE_EQ(linebuf_last(&lb, &line), LINEBUF_NONE);
}

ATF_TC_WITHOUT_HEAD(linebuf_long);
ATF_TC_BODY(linebuf_long, tc)
{
	static char	big[MGMT_LINEMAX + 2];
	struct linebuf	lb;
	char		*line, *p;
	size_t		space;
	int		i, longs = 0;

	/* Exactly MGMT_LINEMAX characters (and \r\n) is accepted. */
	linebuf_init(&lb);
	memset(big, 'a', MGMT_LINEMAX);
	big[MGMT_LINEMAX] = '\0';
	feed(&lb, big);
	feed(&lb, "\r\n");
	ATF_REQUIRE_EQ(linebuf_next(&lb, &line), LINEBUF_LINE);
	ATF_REQUIRE_EQ(strlen(line), MGMT_LINEMAX);

	/* 64 KiB in pieces: one LONG, the tail is dropped, then "ok". */
	linebuf_init(&lb);
	for (i = 0; i < 64; i++) {
		space = linebuf_space(&lb, &p);
		ATF_REQUIRE(space > 0);
		memset(p, 'x', space < 1024 ? space : 1024);
		linebuf_fill(&lb, space < 1024 ? space : 1024);
		while (linebuf_next(&lb, &line) == LINEBUF_LONG)
			longs++;
	}
	feed(&lb, "xxx\nok\n");
	ATF_REQUIRE_EQ(linebuf_next(&lb, &line), LINEBUF_LINE);
	ATF_REQUIRE_STREQ(line, "ok");
	ATF_REQUIRE_EQ(longs, 1);

	/* One character over the limit, newline included, is refused. */
	linebuf_init(&lb);
	memset(big, 'b', MGMT_LINEMAX + 1);
	big[MGMT_LINEMAX + 1] = '\0';
	feed(&lb, big);
	ATF_REQUIRE_EQ(linebuf_next(&lb, &line), LINEBUF_NONE);
	feed(&lb, "\n");
	ATF_REQUIRE_EQ(linebuf_next(&lb, &line), LINEBUF_LONG);
}

/*
 * linebuf_last on a full buffer, as the partial-line timer may call it
 * (no linebuf_next first): it must not write past the buffer or leave
 * lb_len beyond it (linebuf_space would then underflow), and complete
 * lines still buffered come out one by one.
 */
ATF_TC_WITHOUT_HEAD(linebuf_last_full);
ATF_TC_BODY(linebuf_last_full, tc)
{
	static char	big[sizeof(((struct linebuf *)0)->lb_buf) + 1];
	struct linebuf	lb;
	char		*line, *p;
	size_t		 full = sizeof(lb.lb_buf);

	/* A full buffer without \n: too long, then empty and usable. */
	linebuf_init(&lb);
	memset(big, 'x', full);
	big[full] = '\0';
	feed(&lb, big);
	ATF_REQUIRE_EQ(linebuf_space(&lb, &p), 0);
	ATF_REQUIRE_EQ(linebuf_last(&lb, &line), LINEBUF_LONG);
	ATF_REQUIRE(lb.lb_len <= full);
	ATF_REQUIRE_EQ(linebuf_last(&lb, &line), LINEBUF_NONE);
	ATF_REQUIRE_EQ(linebuf_space(&lb, &p), full);
	feed(&lb, "ok");
	ATF_REQUIRE_EQ(linebuf_last(&lb, &line), LINEBUF_LINE);
	ATF_REQUIRE_STREQ(line, "ok");

	/* A full buffer: a complete line, then a partial one. */
	linebuf_init(&lb);
	memcpy(big, "ab\n", 3);
	feed(&lb, big);
	ATF_REQUIRE_EQ(linebuf_space(&lb, &p), 0);
	ATF_REQUIRE_EQ(linebuf_last(&lb, &line), LINEBUF_LINE);
	ATF_REQUIRE_STREQ(line, "ab");
	ATF_REQUIRE(lb.lb_len <= full);
	ATF_REQUIRE_EQ(linebuf_last(&lb, &line), LINEBUF_LINE);
	ATF_REQUIRE_EQ(strlen(line), full - 3);
	ATF_REQUIRE(lb.lb_len <= full);
	ATF_REQUIRE_EQ(linebuf_last(&lb, &line), LINEBUF_NONE);
	ATF_REQUIRE_EQ(linebuf_space(&lb, &p), full);
}

/* --- log escaping ---------------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(log_escape_bytes);
ATF_TC_BODY(log_escape_bytes, tc)
{
	char	out[64];

	ATF_REQUIRE_EQ(log_escape(out, sizeof(out), "plain text 123"), 14);
	ATF_REQUIRE_STREQ(out, "plain text 123");
	(void)log_escape(out, sizeof(out), "a\nb\rc\td\\e");
	ATF_REQUIRE_STREQ(out, "a\\nb\\rc\\td\\\\e");
	(void)log_escape(out, sizeof(out), "\001\033[2J\177\200\377");
	ATF_REQUIRE_STREQ(out, "\\001\\033[2J\\177\\200\\377");
	/* Bounded, NUL-terminated, and an escape is never cut in half. */
	ATF_REQUIRE_EQ(log_escape(out, 6, "abc\ndef"), 5);
	ATF_REQUIRE_STREQ(out, "abc\\n");
	ATF_REQUIRE_EQ(log_escape(out, 5, "abc\ndef"), 3);
	ATF_REQUIRE_STREQ(out, "abc");
	ATF_REQUIRE_EQ(log_escape(out, 4, "\001"), 0);
	ATF_REQUIRE_STREQ(out, "");
}

/*
 * A message carrying a peer's newline is written as one escaped line,
 * log_warn's strerror included; an overlong one is cut, still one line.
 */
ATF_TC_WITHOUT_HEAD(log_one_line);
ATF_TC_BODY(log_one_line, tc)
{
	static char	big[3 * LOG_MSGMAX], got[16 * LOG_MSGMAX];
	FILE		*f;
	size_t		 n;
	int		 fd, saved;

	ATF_REQUIRE((fd = open("log.txt", O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) != -1);
	saved = dup(STDERR_FILENO);
	ATF_REQUIRE(saved != -1);
	fflush(stderr);
	ATF_REQUIRE(dup2(fd, STDERR_FILENO) == STDERR_FILENO);
	close(fd);
	log_procname("t");
	log_info("new endpoint \"%s\"", "x\nt: forged line");
	errno = ENOENT;
	log_warn("path %s", "/a\nb");
	memset(big, '\n', sizeof(big) - 1);
	log_warnx("%s", big);
	fflush(stderr);
	ATF_REQUIRE(dup2(saved, STDERR_FILENO) == STDERR_FILENO);
	close(saved);

	ATF_REQUIRE((f = fopen("log.txt", "r")) != NULL);
	n = fread(got, 1, sizeof(got) - 1, f);
	fclose(f);
	got[n] = '\0';
	ATF_REQUIRE_EQ(count(got, "\n"), 3);
	ATF_REQUIRE(strncmp(got, "t: new endpoint \"x\\nt: forged line\"\n"
	    "t: path /a\\nb: No such file or directory\nt: \\n\\n",
	    strlen("t: new endpoint \"x\\nt: forged line\"\n"
	    "t: path /a\\nb: No such file or directory\nt: \\n\\n")) == 0);
	/* The long one: at most LOG_MSGMAX - 1 escaped newlines. */
	ATF_REQUIRE(count(got, "\\n") <= 2 + LOG_MSGMAX - 1);
}

/* --- cmd_parse and helpers ------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(parse_words);
ATF_TC_BODY(parse_words, tc)
{
	const struct cmd *const	*tab = cmd_table;
	const struct cmd	*c;
	char			 line[128], *arg;

	strcpy(line, "   \t ");
	ATF_REQUIRE_EQ(cmd_parse(tab, line, &c, &arg), CMD_PARSE_EMPTY);
	strcpy(line, "  # help");
	ATF_REQUIRE_EQ(cmd_parse(tab, line, &c, &arg), CMD_PARSE_EMPTY);
	strcpy(line, "helpme");
	ATF_REQUIRE_EQ(cmd_parse(tab, line, &c, &arg), CMD_PARSE_UNKNOWN);
	strcpy(line, "t");		/* a menu is not a command */
	ATF_REQUIRE_EQ(cmd_parse(tab, line, &c, &arg), CMD_PARSE_UNKNOWN);
	strcpy(line, "\thelp  t/ \t ");
	ATF_REQUIRE_EQ(cmd_parse(tab, line, &c, &arg), CMD_PARSE_FOUND);
	ATF_REQUIRE_STREQ(c->c_path, "help");
	ATF_REQUIRE_STREQ(arg, "t/");
	strcpy(line, "t/echo");
	ATF_REQUIRE_EQ(cmd_parse(tab, line, &c, &arg), CMD_PARSE_FOUND);
	ATF_REQUIRE_STREQ(c->c_path, "t/echo");
	ATF_REQUIRE_STREQ(arg, "");
	strcpy(line, "t/echoo x");
	ATF_REQUIRE_EQ(cmd_parse(tab, line, &c, &arg), CMD_PARSE_UNKNOWN);
}

ATF_TC_WITHOUT_HEAD(parse_numbers);
ATF_TC_BODY(parse_numbers, tc)
{
	char		 buf[64], *argv[3];
	long long	 v;

	ATF_REQUIRE_EQ(cmd_int("12", 0, 100, &v), 0);
	ATF_REQUIRE_EQ(v, 12);
	ATF_REQUIRE_EQ(cmd_int("010", 0, 100, &v), 0);
	ATF_REQUIRE_EQ(v, 10);		/* decimal, not octal */
	ATF_REQUIRE_EQ(cmd_int("0x10", 0, 100, &v), 0);
	ATF_REQUIRE_EQ(v, 16);
	ATF_REQUIRE_EQ(cmd_int("-1", 0, 100, &v), EINVAL);
	ATF_REQUIRE_EQ(cmd_int("101", 0, 100, &v), EINVAL);
	ATF_REQUIRE_EQ(cmd_int("1x", 0, 100, &v), EINVAL);
	ATF_REQUIRE_EQ(cmd_int("", 0, 100, &v), EINVAL);
	ATF_REQUIRE_EQ(cmd_int("0x", 0, 100, &v), EINVAL);
	ATF_REQUIRE_EQ(cmd_int("99999999999999999999", 0, 100, &v), EINVAL);

	strcpy(buf, " a  bb\tc ");
	ATF_REQUIRE_EQ(cmd_split(buf, argv, 3), 3);
	ATF_REQUIRE_STREQ(argv[1], "bb");
	ATF_REQUIRE_STREQ(argv[2], "c");
	strcpy(buf, "a b c d");
	ATF_REQUIRE_EQ(cmd_split(buf, argv, 3), -1);
	strcpy(buf, "");
	ATF_REQUIRE_EQ(cmd_split(buf, argv, 3), 0);
}

ATF_TC_WITHOUT_HEAD(errno_linux);
ATF_TC_BODY(errno_linux, tc)
{
	const char	*t;

	ATF_REQUIRE_EQ(mgmterr_code(ENOSYS, &t), 38);
	ATF_REQUIRE_STREQ(t, "Function not implemented");
	ATF_REQUIRE_EQ(mgmterr_code(EADDRINUSE, &t), 98);
	ATF_REQUIRE_EQ(mgmterr_code(ENXIO, &t), 6);
	ATF_REQUIRE_EQ(mgmterr_code(EINVAL, &t), 22);
	ATF_REQUIRE_STREQ(t, "Invalid argument");
}

/* --- sessions ------------------------------------------------------------ */

ATF_TC_WITHOUT_HEAD(session_framing);
ATF_TC_BODY(session_framing, tc)
{
	char	*r;
	int	 fd = setup();

	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_MATCH("^VDE switch V\\.[0-9.]+\n.+\n\nvde\\$ $", r);
	say(fd, "t/echo hi there\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_STREQ(r, "0000 DATA END WITH '.'\n[hi there]\n.\n"
	    "1000 Success\n\nvde$ ");
	say(fd, "t/fail 22\r\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_STREQ(r, "1022 Invalid argument\n\nvde$ ");
	say(fd, "nosuchcommand\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_STREQ(r, "1038 Function not implemented\n\nvde$ ");
	say(fd, "\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_STREQ(r, "\nvde$ ");
	say(fd, "logout\n");
	r = read_until(fd, "no tail: wait for EOF");
	ATF_REQUIRE_STREQ(r, "9999 END OF SESSION");
	close(fd);
}

ATF_TC_WITHOUT_HEAD(session_batch);
ATF_TC_BODY(session_batch, tc)
{
	char	*r;
	int	 fd = setup();

	(void)read_until(fd, "\nvde$ ");
	/* Two commands in one write, a third split across writes. */
	say(fd, "t/echo 1\nt/echo 2\nt/ec");
	r = read_until(fd, "[2]\n.\n1000 Success\n\nvde$ ");
	ATF_REQUIRE_STREQ(r, "0000 DATA END WITH '.'\n[1]\n.\n1000 Success\n"
	    "\nvde$ 0000 DATA END WITH '.'\n[2]\n.\n1000 Success\n\nvde$ ");
	say(fd, "ho 3\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_MATCH("\\[3\\]", r);
	close(fd);
}

ATF_TC_WITHOUT_HEAD(session_no_newline);
ATF_TC_BODY(session_no_newline, tc)
{
	char	*r;
	int	 fd = setup(), i;

	(void)read_until(fd, "\nvde$ ");
	/* vdeterm's way: a command without \n, then waiting for the reply. */
	say(fd, "t/echo no newline");
	for (i = 0; i < 20; i++)
		loop_once(1);
	fire_timers();
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_STREQ(r, "0000 DATA END WITH '.'\n[no newline]\n.\n"
	    "1000 Success\n\nvde$ ");
	/* A line completed before the timer runs is one command. */
	say(fd, "t/echo a");
	loop_once(5);
	say(fd, "b\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_MATCH("\\[ab\\]", r);
	fire_timers();
	say(fd, "\n");
	ATF_REQUIRE_STREQ(read_until(fd, "\nvde$ "), "\nvde$ ");
	close(fd);
}

ATF_TC_WITHOUT_HEAD(session_long_line);
ATF_TC_BODY(session_long_line, tc)
{
	static char	big[65536 + 1];
	char		*r;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd = setup();

	(void)read_until(fd, "\nvde$ ");
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 2] = '\n';
	while (off < sizeof(big) - 1) {
		n = send(fd, big + off, sizeof(big) - 1 - off, MSG_DONTWAIT);
		if (n > 0)
			off += (size_t)n;
		loop_once(5);
	}
	say(fd, "t/echo after\n");
	r = read_until(fd, "[after]\n.\n1000 Success\n\nvde$ ");
	ATF_REQUIRE_STREQ(r, "1090 Message too long\n\nvde$ "
	    "0000 DATA END WITH '.'\n[after]\n.\n1000 Success\n\nvde$ ");
	close(fd);
}

ATF_TC_WITHOUT_HEAD(session_slow_reader);
ATF_TC_BODY(session_slow_reader, tc)
{
	char	 cmds[4096], *r;
	int	 fd = setup(), i;

	(void)read_until(fd, "\nvde$ ");
	/* 40 long replies asked at once, read only afterwards: all arrive. */
	cmds[0] = '\0';
	for (i = 0; i < 40; i++)
		strcat(cmds, "t/big\n");
	strcat(cmds, "t/echo end\n");
	say(fd, cmds);
	for (i = 0; i < 50; i++)
		loop_once(1);
	r = read_until(fd, "[end]\n.\n1000 Success\n\nvde$ ");
	ATF_REQUIRE_EQ(count(r, "1000 Success\n\nvde$ "), 41);
	ATF_REQUIRE_EQ(count(r, "line 04999 of a long reply\n"), 40);
	close(fd);
}

ATF_TC_WITHOUT_HEAD(session_hangup);
ATF_TC_BODY(session_hangup, tc)
{
	char	*r;
	int	 fd = setup(), fd2, sv[2], i;

	(void)read_until(fd, "\nvde$ ");
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	ATF_REQUIRE(mgmt_attach(sv[0]) == 0);
	fd2 = sv[1];
	(void)read_until(fd2, "\nvde$ ");
	/* The first client asks for a long reply and leaves at once. */
	say(fd, "t/big\nt/big\n");
	close(fd);
	for (i = 0; i < 50; i++)
		loop_once(1);
	say(fd2, "t/echo still\n");
	r = read_until(fd2, "\nvde$ ");
	ATF_REQUIRE_MATCH("\\[still\\]", r);
	close(fd2);
}

ATF_TC_WITHOUT_HEAD(session_load);
ATF_TC_BODY(session_load, tc)
{
	FILE	*f;
	char	*r;
	int	 fd = setup();

	(void)read_until(fd, "\nvde$ ");
	ATF_REQUIRE((f = fopen("script.rc", "w")) != NULL);
	fprintf(f, "# comment\n\nt/echo a\nt/fail 17\n");
	fclose(f);
	say(fd, "load script.rc\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_STREQ(r, "vde[script.rc]: t/echo a\n"
	    "0000 DATA END WITH '.'\n[a]\n.\n1000 Success\n"
	    "vde[script.rc]: t/fail 17\n1017 File exists\n"
	    "1000 Success\n\nvde$ ");
	say(fd, "load nonexistent.rc\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_STREQ(r, "1002 No such file or directory\n\nvde$ ");
	close(fd);
}

/*
 * load takes regular files only, of at most 1 MiB (nested loads
 * included): a FIFO without a writer, a device that never ends and a
 * directory are refused at once, with nothing run.
 */
ATF_TC(session_load_refused);
ATF_TC_HEAD(session_load_refused, tc)
{
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(session_load_refused, tc)
{
	FILE	*f;
	char	*r;
	int	 fd = setup(), i;

	(void)read_until(fd, "\nvde$ ");
	ATF_REQUIRE(mkfifo("fifo.rc", 0600) == 0);
	say(fd, "load fifo.rc\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_STREQ(r, "1022 Invalid argument\n\nvde$ ");
	say(fd, "load /dev/zero\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_STREQ(r, "1022 Invalid argument\n\nvde$ ");
	say(fd, "load .\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_STREQ(r, "1021 Is a directory\n\nvde$ ");

	/* 1 MiB + 1 byte: refused, not a line of it runs. */
	ATF_REQUIRE((f = fopen("big.rc", "w")) != NULL);
	fprintf(f, "t/echo first\n");
	for (i = 0; i < 1024 * 1024 - 13; i++)
		fputc(i % 64 == 63 ? '\n' : '#', f);
	fputc('\n', f);
	fclose(f);
	say(fd, "load big.rc\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_STREQ(r, "1027 File too large\n\nvde$ ");
	/* Exactly 1 MiB runs. */
	ATF_REQUIRE(truncate("big.rc", 1024 * 1024) == 0);
	say(fd, "load big.rc\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_MATCH("^vde\\[big.rc\\]: t/echo first\n", r);
	ATF_REQUIRE_EQ(count(r, "1000 Success\n"), 2);

	/* A script that loads itself: bounded depth and bytes. */
	ATF_REQUIRE((f = fopen("self.rc", "w")) != NULL);
	fprintf(f, "load self.rc\nload self.rc\n");
	fclose(f);
	say(fd, "load self.rc\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_MATCH("1040 Too many levels of symbolic links\n", r);
	close(fd);
}

ATF_TC_WITHOUT_HEAD(rcfile_quiet);
ATF_TC_BODY(rcfile_quiet, tc)
{
	FILE	*f;
	int	 fd = setup();

	(void)read_until(fd, "\nvde$ ");
	ATF_REQUIRE((f = fopen("switch.rc", "w")) != NULL);
	/* shutdown in an rc file: switch_test:rcfile_shutdown. */
	fprintf(f, "t/echo a\nt/fd\nload x\n");
	fclose(f);
	ATF_REQUIRE_EQ(mgmt_rcfile("switch.rc"), 0);
	ATF_REQUIRE_EQ(mgmt_rcfile("missing.rc"), -1);
	/* Nothing reached the client. */
	say(fd, "\n");
	ATF_REQUIRE_STREQ(read_until(fd, "\nvde$ "), "\nvde$ ");
	close(fd);
}

ATF_TC_WITHOUT_HEAD(session_shutdown);
ATF_TC_BODY(session_shutdown, tc)
{
	int	fd = setup();

	(void)read_until(fd, "\nvde$ ");
	say(fd, "shutdown\nt/echo never\n");
	ATF_REQUIRE_STREQ(read_until(fd, "END OF SESSION"),
	    "9999 END OF SESSION");
	ATF_REQUIRE_EQ(shutdowns, 1);
	close(fd);
}

ATF_TC_WITHOUT_HEAD(session_debug_events);
ATF_TC_BODY(session_debug_events, tc)
{
	char	*r;
	int	 fd = setup();

	(void)read_until(fd, "\nvde$ ");
	mgmtev_send(MGMTEV_PORT_UP, "%02d", 3);	/* nobody listens */
	say(fd, "debug/add port/ep\n");
	ATF_REQUIRE_STREQ(read_until(fd, "\nvde$ "), "1000 Success\n\nvde$ ");
	say(fd, "debug/add port/ep\n");
	ATF_REQUIRE_STREQ(read_until(fd, "\nvde$ "), "1017 File exists\n\nvde$ ");
	say(fd, "debug/add nothing\n");
	ATF_REQUIRE_STREQ(read_until(fd, "\nvde$ "),
	    "1022 Invalid argument\n\nvde$ ");
	mgmtev_send(MGMTEV_PORT_UP, "%02d", 3);
	mgmtev_send(MGMTEV_EP_UP, "Port %02d FD %2d", 3, 7);
	ATF_REQUIRE_STREQ(read_until(fd, "FD  7\n"),
	    "3031 port/ep/+ Port 03 FD  7\n");
	say(fd, "debug/list port/ep\n");
	r = read_until(fd, "\nvde$ ");
	ATF_REQUIRE_MATCH("port/ep/\\+ +031 ON", r);
	ATF_REQUIRE_MATCH("port/ep/- +032 ON", r);
	say(fd, "debug/del port\n");
	ATF_REQUIRE_STREQ(read_until(fd, "\nvde$ "), "1000 Success\n\nvde$ ");
	say(fd, "debug/del port\n");
	ATF_REQUIRE_STREQ(read_until(fd, "\nvde$ "),
	    "1002 No such file or directory\n\nvde$ ");
	close(fd);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, linebuf_split);
	ATF_TP_ADD_TC(tp, linebuf_long);
	ATF_TP_ADD_TC(tp, linebuf_last_full);
	ATF_TP_ADD_TC(tp, log_escape_bytes);
	ATF_TP_ADD_TC(tp, log_one_line);
	ATF_TP_ADD_TC(tp, parse_words);
	ATF_TP_ADD_TC(tp, parse_numbers);
	ATF_TP_ADD_TC(tp, errno_linux);
	ATF_TP_ADD_TC(tp, session_framing);
	ATF_TP_ADD_TC(tp, session_batch);
	ATF_TP_ADD_TC(tp, session_no_newline);
	ATF_TP_ADD_TC(tp, session_long_line);
	ATF_TP_ADD_TC(tp, session_slow_reader);
	ATF_TP_ADD_TC(tp, session_hangup);
	ATF_TP_ADD_TC(tp, session_load);
	ATF_TP_ADD_TC(tp, session_load_refused);
	ATF_TP_ADD_TC(tp, rcfile_quiet);
	ATF_TP_ADD_TC(tp, session_shutdown);
	ATF_TP_ADD_TC(tp, session_debug_events);
	return (atf_no_error());
}
