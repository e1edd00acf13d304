/*
 * loop_test: the switch's poll loop (loop.o) under conditions a program
 * test cannot arrange: poll() interrupted by a signal, and timers and
 * deadlines beyond 32 bits of milliseconds.
 *
 * The program supplies its own poll(), which the linker binds in place of
 * the C library's for loop.o.  In "real" rounds it behaves as a kernel
 * does on success: it writes every revents.  In an interrupted round it
 * behaves as the BSD kernels do when a signal arrives during poll(): it
 * returns -1 with EINTR and leaves revents as the previous round wrote
 * them (Linux happens to clear them, which hides the bug there).
 */
#include "config.h"

#include <sys/types.h>

#include <atf-c.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "switch.h"

/* What the fake poll() does in each round. */
enum round {
	R_READY,	/* the watched fd is readable and hung up */
	R_EINTR,	/* a signal arrives during poll() */
	R_EXIT,		/* nothing ready; ask the loop to stop */
	R_SLEEP		/* nothing ready; wait out the timeout */
};

static const enum round	*script;
static int		 nscript;
static int		 rounds;
static int		 last_timeout;
static volatile sig_atomic_t	 caught;

static void
onsig(int sig)
{
	caught = sig;
}

static void
sleep_ms(int ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int	poll(struct pollfd *, nfds_t, int);

int
poll(struct pollfd *pfd, nfds_t n, int timeout)
{
	struct sigaction	sa;
	enum round		r;
	nfds_t			i;

	last_timeout = timeout;
	r = rounds < nscript ? script[rounds] : R_EXIT;
	rounds++;
	switch (r) {
	case R_READY:
		/* (The C library declares pfd write-only: no reads.) */
		for (i = 0; i < n; i++)
			pfd[i].revents = (short)(POLLIN | POLLHUP);
		return ((int)n);
	case R_EINTR:
		/* A real signal, delivered while "in" poll(). */
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = onsig;
		ATF_REQUIRE(sigaction(SIGUSR1, &sa, NULL) == 0);
		caught = 0;
		ATF_REQUIRE(raise(SIGUSR1) == 0);
		ATF_REQUIRE_EQ(caught, SIGUSR1);
		errno = EINTR;
		return (-1);
	case R_SLEEP:
		if (timeout > 0)
			sleep_ms(timeout);
		break;
	case R_EXIT:
		loop_exit(0);
		break;
	}
	for (i = 0; i < n; i++)
		pfd[i].revents = 0;
	return (0);
}

static void
run_script(const enum round *s, int n)
{
	script = s;
	nscript = n;
	rounds = 0;
}

static int	calls;
static int	call_revents;

static void
count_cb(int fd, int revents, void *arg)
{
	calls++;
	call_revents = revents;
}

/*
 * A round interrupted by a signal dispatches nothing: the revents left
 * from the round before (here POLLHUP, which makes the switch detach an
 * endpoint) must not be delivered again.
 */
ATF_TC_WITHOUT_HEAD(eintr_no_stale_events);
ATF_TC_BODY(eintr_no_stale_events, tc)
{
	static const enum round	s[] = { R_READY, R_EINTR, R_EXIT };
	int			p[2];

	ATF_REQUIRE(pipe(p) == 0);
	loop_init();
	loop_add(p[0], POLLIN, count_cb, NULL);
	run_script(s, 3);
	ATF_REQUIRE_EQ(loop_run(), 0);
	ATF_CHECK_EQ(rounds, 3);
	ATF_CHECK_EQ(call_revents, POLLIN | POLLHUP);
	ATF_CHECK_EQ_MSG(calls, 1, "the callback ran %d times: stale "
	    "revents were dispatched after EINTR", calls);
	loop_del(p[0]);
}

static int	fired_far, fired_near;
static struct timer	t_far, t_near;

static void
far_cb(void *arg)
{
	fired_far++;
}

static void
near_cb(void *arg)
{
	fired_near++;
	loop_exit(0);
}

/*
 * A timer 4294968 s ahead (hash/setgcint 4294968, in milliseconds just
 * above 2^32) must not fire after the 704 ms its 32-bit wrap would give.
 */
ATF_TC_WITHOUT_HEAD(timer_no_wrap);
ATF_TC_BODY(timer_no_wrap, tc)
{
	static const enum round	s[] = { R_SLEEP, R_SLEEP, R_SLEEP, R_SLEEP,
	    R_SLEEP, R_SLEEP, R_SLEEP, R_SLEEP };
	uint64_t		far = (uint64_t)4294968 * 1000;

	loop_init();
	fired_far = fired_near = 0;
	timer_set(&t_far, far_cb, NULL);
	timer_set(&t_near, near_cb, NULL);
	timer_add(&t_far, far);
	timer_add(&t_near, 1200);
	run_script(s, 8);
	ATF_REQUIRE_EQ(loop_run(), 0);
	ATF_CHECK_EQ(fired_near, 1);
	ATF_CHECK_EQ_MSG(fired_far, 0, "a timer %llu ms ahead fired within "
	    "1.2 s", (unsigned long long)far);
	timer_del(&t_far);
	timer_del(&t_near);
}

/*
 * With only a timer more than INT_MAX ms ahead, poll() waits as long as it
 * can (INT_MAX ms), not the low 32 bits of the distance.
 */
ATF_TC_WITHOUT_HEAD(poll_timeout_no_wrap);
ATF_TC_BODY(poll_timeout_no_wrap, tc)
{
	static const enum round	s[] = { R_EXIT };
	uint64_t		far = ((uint64_t)1 << 32) + 100;

	loop_init();
	fired_far = 0;
	timer_set(&t_far, far_cb, NULL);
	timer_add(&t_far, far);
	run_script(s, 1);
	ATF_REQUIRE_EQ(loop_run(), 0);
	ATF_CHECK_EQ_MSG(last_timeout, INT_MAX, "poll timeout %d ms for a "
	    "timer 2^32 + 100 ms ahead", last_timeout);
	ATF_CHECK_EQ(fired_far, 0);
	timer_del(&t_far);
}

/*
 * timer_set() on an armed timer (ringport.c did so while attaching, after
 * a listener's send had armed it) takes it off the list; clearing it in
 * place cut the list there and every later timer was lost.
 */
ATF_TC_WITHOUT_HEAD(timer_set_armed);
ATF_TC_BODY(timer_set_armed, tc)
{
	static const enum round	s[] = { R_SLEEP, R_SLEEP, R_SLEEP, R_SLEEP,
	    R_SLEEP, R_SLEEP, R_SLEEP, R_SLEEP };

	loop_init();
	fired_far = fired_near = 0;
	timer_set(&t_far, far_cb, NULL);
	timer_set(&t_near, near_cb, NULL);
	timer_add(&t_far, 10);		/* first on the list */
	timer_add(&t_near, 50);		/* after it */
	timer_set(&t_far, far_cb, NULL);	/* again, while armed */
	run_script(s, 8);
	ATF_REQUIRE_EQ(loop_run(), 0);
	ATF_CHECK_EQ_MSG(fired_near, 1, "the timer after a re-set one was "
	    "lost");
	ATF_CHECK_EQ_MSG(fired_far, 0, "a re-set timer fired without "
	    "timer_add");
	timer_del(&t_far);
	timer_del(&t_near);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, eintr_no_stale_events);
	ATF_TP_ADD_TC(tp, timer_no_wrap);
	ATF_TP_ADD_TC(tp, poll_timeout_no_wrap);
	ATF_TP_ADD_TC(tp, timer_set_armed);
	return (atf_no_error());
}
