/*
 * capbudget.c: how much of the switch's time a capture may spend writing.
 *
 * A capture's write(2)s run in the switch's only thread: copying the
 * records into a file costs as much as forwarding them (on tmpfs the
 * kernel also allocates a page for every 4 KiB written).  So that a
 * capture never slows forwarding much, its writes may take at most
 * cb_share percent of the time that passes, with a reserve of
 * CAPBUDGET_BURST so that bursts and slow traffic are written at once.
 * A capture over its budget waits; its buffer fills and further frames
 * are dropped from the capture and counted, as with a slow reader.
 *
 * Pure arithmetic on times the caller reads (nanoseconds of a monotonic
 * clock), so that it can be tested alone.
 */
#include "config.h"

#include <stdint.h>

#include "switch.h"

/* Start with a full reserve at time now. */
void
capbudget_init(struct capbudget *cb, unsigned int share, uint64_t now)
{
	if (share < 1)
		share = 1;
	if (share > 100)
		share = 100;
	cb->cb_share = share;
	cb->cb_at = now;
	cb->cb_left = CAPBUDGET_BURST;
}

/*
 * Nanoseconds to wait before the next write may start at time now (0:
 * at once).  A share of 100 never waits.
 */
uint64_t
capbudget_wait(struct capbudget *cb, uint64_t now)
{
	uint64_t	gain;

	if (cb->cb_share >= 100)
		return (0);
	if (now > cb->cb_at) {
		gain = now - cb->cb_at;
		if (gain > CAPBUDGET_IDLEMAX)
			gain = CAPBUDGET_IDLEMAX;
		gain = gain * cb->cb_share / 100;
		if (gain > (uint64_t)(CAPBUDGET_BURST - cb->cb_left))
			cb->cb_left = CAPBUDGET_BURST;
		else
			cb->cb_left += (int64_t)gain;
		cb->cb_at = now;
	}
	if (cb->cb_left > 0)
		return (0);
	/* Rounded up: after that long cb_left is above 0 again. */
	return ((((uint64_t)-cb->cb_left + 1) * 100 + cb->cb_share - 1) /
	    cb->cb_share);
}

/* A write took ns nanoseconds. */
void
capbudget_spend(struct capbudget *cb, uint64_t ns)
{
	if (ns > (uint64_t)INT64_MAX / 2)
		ns = (uint64_t)INT64_MAX / 2;
	cb->cb_left -= (int64_t)ns;
	if (cb->cb_left < -(int64_t)CAPBUDGET_DEBTMAX)
		cb->cb_left = -(int64_t)CAPBUDGET_DEBTMAX;
}
