/*
 * capbudget.c: how much of the switch's time a capture may spend writing.
 *
 * A capture's write(2)s run in the switch's only thread: copying the
 * records into a file costs as much as forwarding them (on tmpfs the
 * kernel also allocates a page for every 4 KiB written).  So that a
 * capture slows forwarding by at most about cb_share percent, its writes
 * may take at most cb_share percent of the CPU time the switch uses
 * (writes included, so about share / (100 - share) of the rest), and in
 * any case CAPBUDGET_FLOOR percent of the time that passes (an idle
 * switch still writes a slow link's capture), with a reserve of
 * CAPBUDGET_BURST so that bursts are written at once.  A capture over its
 * budget waits; its buffer fills and further frames are dropped from the
 * capture and counted, as with a slow reader.
 *
 * Pure arithmetic on times the caller reads (nanoseconds of a monotonic
 * clock and of the process's CPU clock), so that it can be tested alone.
 */
#include "config.h"

#include <stdint.h>

#include "switch.h"

/* Start with a full reserve at time now, CPU time cpu. */
void
capbudget_init(struct capbudget *cb, unsigned int share, uint64_t now,
    uint64_t cpu)
{
	if (share < 1)
		share = 1;
	if (share > 100)
		share = 100;
	cb->cb_share = share;
	cb->cb_at = now;
	cb->cb_cpu = cpu;
	cb->cb_left = CAPBUDGET_BURST;
}

/* Elapsed nanoseconds from then to now, 0 if the clock went back. */
static uint64_t
capbudget_since(uint64_t then, uint64_t now)
{
	uint64_t	d;

	d = now > then ? now - then : 0;
	return (d > CAPBUDGET_IDLEMAX ? CAPBUDGET_IDLEMAX : d);
}

/*
 * Nanoseconds to wait before the next write may start at time now, CPU
 * time cpu (0: at once).  A share of 100 never waits.  The wait assumes
 * a busy switch (the shortest the debt can take); the caller asks again.
 */
uint64_t
capbudget_wait(struct capbudget *cb, uint64_t now, uint64_t cpu)
{
	uint64_t	gain, floor;
	unsigned int	fl;

	if (cb->cb_share >= 100)
		return (0);
	gain = capbudget_since(cb->cb_cpu, cpu) * cb->cb_share / 100;
	fl = cb->cb_share < CAPBUDGET_FLOOR ? cb->cb_share : CAPBUDGET_FLOOR;
	floor = capbudget_since(cb->cb_at, now) * fl / 100;
	if (floor > gain)
		gain = floor;
	if (gain > (uint64_t)(CAPBUDGET_BURST - cb->cb_left))
		cb->cb_left = CAPBUDGET_BURST;
	else
		cb->cb_left += (int64_t)gain;
	if (now > cb->cb_at)
		cb->cb_at = now;
	if (cpu > cb->cb_cpu)
		cb->cb_cpu = cpu;
	if (cb->cb_left > 0)
		return (0);
	/* Rounded up: after that long cb_left can be above 0 again. */
	return ((((uint64_t)-cb->cb_left + 1) * 100 + cb->cb_share - 1) /
	    cb->cb_share);
}

/* A write took ns nanoseconds. */
void
capbudget_spend(struct capbudget *cb, uint64_t ns)
{
	if (ns > (uint64_t)CAPBUDGET_DEBTMAX)
		ns = (uint64_t)CAPBUDGET_DEBTMAX;
	cb->cb_left -= (int64_t)ns;
	if (cb->cb_left < -(int64_t)CAPBUDGET_DEBTMAX)
		cb->cb_left = -(int64_t)CAPBUDGET_DEBTMAX;
}
