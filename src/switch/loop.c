/*
 * loop.c: the switch's single poll() loop and its monotonic timers.
 *
 * Every descriptor of the switch (ctl socket, control connections, data
 * sockets, taps, consoles) is registered here with a callback.  Timers are
 * kept in a list sorted by deadline and run from the loop, never from a
 * signal handler.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "xmalloc.h"
#include "switch.h"

struct loop_slot {
	loop_fn		 ls_fn;
	void		*ls_arg;
};

static struct pollfd	*loop_pfd;	/* dense, in registration order */
static struct loop_slot	*loop_slots;	/* parallel to loop_pfd */
static int		 loop_n;	/* slots in use */
static int		 loop_cap;
static int		*loop_index;	/* fd -> slot, -1 when unused */
static int		 loop_indexcap;
static int		 loop_dirty;	/* a slot was deleted this round */
static int		 loop_done;
static int		 loop_status;
static struct timer	*loop_timers;	/* sorted by t_when */
static uint64_t		 loop_start;
static time_t		 loop_now;	/* cached seconds since start */

static uint64_t
loop_clock(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

/* Prepare the loop; call once before anything registers. */
void
loop_init(void)
{
	loop_start = loop_clock();
	loop_now = 0;
}

/* Monotonic milliseconds, read fresh from the clock. */
uint64_t
loop_msec(void)
{
	return (loop_clock());
}

/*
 * Whole seconds since the switch started.  Cached once per loop round so
 * that the per-frame path does not read the clock.
 */
time_t
loop_sec(void)
{
	return (loop_now);
}

static void
loop_tick(void)
{
	loop_now = (time_t)((loop_clock() - loop_start) / 1000);
}

/* Watch fd for events (POLLIN, POLLOUT) and call fn when they happen. */
void
loop_add(int fd, int events, loop_fn fn, void *arg)
{
	int	i;

	if (fd < 0)
		fatalx("loop_add: bad fd %d", fd);
	if (fd >= loop_indexcap) {
		int	ncap = loop_indexcap ? loop_indexcap : 64;

		while (ncap <= fd)
			ncap *= 2;
		loop_index = xreallocarray(loop_index, ncap, sizeof(int));
		for (i = loop_indexcap; i < ncap; i++)
			loop_index[i] = -1;
		loop_indexcap = ncap;
	}
	if (loop_index[fd] != -1)
		fatalx("loop_add: fd %d registered twice", fd);
	if (loop_n == loop_cap) {
		loop_cap = loop_cap ? loop_cap * 2 : 64;
		loop_pfd = xreallocarray(loop_pfd, loop_cap,
		    sizeof(*loop_pfd));
		loop_slots = xreallocarray(loop_slots, loop_cap,
		    sizeof(*loop_slots));
	}
	loop_pfd[loop_n].fd = fd;
	loop_pfd[loop_n].events = (short)events;
	loop_pfd[loop_n].revents = 0;
	loop_slots[loop_n].ls_fn = fn;
	loop_slots[loop_n].ls_arg = arg;
	loop_index[fd] = loop_n++;
}

/*
 * Change the events watched on fd (0 pauses it).  An fd not (or no longer)
 * registered is ignored: loop_add() sets the events it starts with.
 */
void
loop_events(int fd, int events)
{
	if (fd < 0 || fd >= loop_indexcap || loop_index[fd] == -1)
		return;
	loop_pfd[loop_index[fd]].events = (short)events;
}

/*
 * Make fd non-blocking and close-on-exec, as every descriptor the loop
 * watches must be: one peer that does not read never stalls the switch.
 */
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

/*
 * Stop watching fd.  Safe from inside a callback: the slot is marked dead
 * (fd -1, which poll ignores) and compacted after the round.
 */
void
loop_del(int fd)
{
	int	i;

	if (fd < 0 || fd >= loop_indexcap || loop_index[fd] == -1)
		return;
	i = loop_index[fd];
	loop_index[fd] = -1;
	loop_pfd[i].fd = -1;
	loop_pfd[i].events = 0;
	loop_pfd[i].revents = 0;
	loop_slots[i].ls_fn = NULL;
	loop_dirty = 1;
}

static void
loop_compact(void)
{
	int	i, j;

	for (i = j = 0; i < loop_n; i++) {
		if (loop_pfd[i].fd == -1)
			continue;
		if (i != j) {
			loop_pfd[j] = loop_pfd[i];
			loop_slots[j] = loop_slots[i];
			loop_index[loop_pfd[j].fd] = j;
		}
		j++;
	}
	loop_n = j;
	loop_dirty = 0;
}

/* Ask loop_run() to return status after the current round. */
void
loop_exit(int status)
{
	loop_done = 1;
	loop_status = status;
}

/*
 * Prepare a timer; it does nothing until timer_add().  An armed timer
 * leaves the list first: clearing it there would cut the list.
 */
void
timer_set(struct timer *t, void (*fn)(void *), void *arg)
{
	if (t->t_on)
		timer_del(t);
	memset(t, 0, sizeof(*t));
	t->t_fn = fn;
	t->t_arg = arg;
}

/* Stop a timer; harmless when it is not armed. */
void
timer_del(struct timer *t)
{
	struct timer	**tp;

	if (!t->t_on)
		return;
	for (tp = &loop_timers; *tp != NULL; tp = &(*tp)->t_next) {
		if (*tp == t) {
			*tp = t->t_next;
			break;
		}
	}
	t->t_on = 0;
	t->t_next = NULL;
}

/*
 * Arm (or re-arm) a one-shot timer msec milliseconds from now.  msec is
 * 64 bits wide so that callers scaling seconds (up to INT_MAX) never wrap.
 */
void
timer_add(struct timer *t, uint64_t msec)
{
	struct timer	**tp;

	timer_del(t);
	t->t_when = loop_clock() + msec;
	for (tp = &loop_timers; *tp != NULL; tp = &(*tp)->t_next)
		if ((*tp)->t_when > t->t_when)
			break;
	t->t_next = *tp;
	*tp = t;
	t->t_on = 1;
}

/* Run the timers that are due; each is disarmed before its call. */
static void
loop_timers_run(void)
{
	struct timer	*t;
	uint64_t	 now = loop_clock();

	while ((t = loop_timers) != NULL && t->t_when <= now) {
		loop_timers = t->t_next;
		t->t_next = NULL;
		t->t_on = 0;
		t->t_fn(t->t_arg);
	}
}

/*
 * The poll() timeout until the first timer: -1 without timers, at most
 * INT_MAX ms (a later deadline just takes one more round).
 */
static int
loop_timeout(void)
{
	uint64_t	now;

	if (loop_timers == NULL)
		return (-1);
	now = loop_clock();
	if (loop_timers->t_when <= now)
		return (0);
	if (loop_timers->t_when - now > INT_MAX)
		return (INT_MAX);
	return ((int)(loop_timers->t_when - now));
}

/*
 * Poll and dispatch until loop_exit(); returns its status.  A loop_exit()
 * made before the loop starts (a shutdown in the rc file) is kept: the
 * loop then returns at once.
 */
int
loop_run(void)
{
	int	i, n;

	while (!loop_done) {
		if (loop_dirty)
			loop_compact();
		n = poll(loop_pfd, (nfds_t)loop_n, loop_timeout());
		if (n == -1 && errno != EINTR)
			fatal("poll");
		loop_tick();
		/*
		 * An interrupted poll() reports nothing: some kernels leave
		 * revents as the last round wrote them, and dispatching
		 * those would replay old events (a stale POLLHUP would
		 * detach an endpoint).
		 */
		if (n == -1) {
			if (!loop_done)
				loop_timers_run();
			continue;
		}
		/* Slots added by callbacks this round are not polled yet. */
		for (i = 0, n = loop_n; i < n && !loop_done; i++) {
			struct pollfd	*pfd = &loop_pfd[i];

			if (pfd->fd == -1 || pfd->revents == 0)
				continue;
			loop_slots[i].ls_fn(pfd->fd, pfd->revents,
			    loop_slots[i].ls_arg);
		}
		if (!loop_done)
			loop_timers_run();
	}
	return (loop_status);
}
