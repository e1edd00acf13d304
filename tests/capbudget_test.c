/*
 * capbudget_test: the share of time a capture may spend writing
 * (src/switch/capbudget.c): the reserve, the share of a busy switch's
 * CPU time, the floor for an idle switch, the cap on the reserve after a
 * quiet spell, the cap on the debt, share 100.
 */
#include "config.h"

#include <atf-c.h>
#include <stdint.h>

#include "switch.h"

#define MS	((uint64_t)1000000)
#define US	((uint64_t)1000)

/* A fresh budget writes at once until its reserve is spent. */
ATF_TC_WITHOUT_HEAD(reserve);
ATF_TC_BODY(reserve, tc)
{
	struct capbudget	cb;

	capbudget_init(&cb, 10, 0, 0);
	ATF_CHECK_EQ(capbudget_wait(&cb, 0, 0), 0);
	capbudget_spend(&cb, (uint64_t)CAPBUDGET_BURST - 1);
	ATF_CHECK_EQ(capbudget_wait(&cb, 0, 0), 0);
	capbudget_spend(&cb, 1 * MS + 1);
	/* 1 ms owed at 10%: 10 ms to wait if the switch is busy. */
	ATF_CHECK(capbudget_wait(&cb, 0, 0) >= 10 * MS);
	ATF_CHECK(capbudget_wait(&cb, 0, 0) <= 10 * MS + 100);
	ATF_CHECK(capbudget_wait(&cb, 5 * MS, 5 * MS) > 0);
	ATF_CHECK_EQ(capbudget_wait(&cb, 10 * MS + 100 * US,
	    10 * MS + 100 * US), 0);
}

/*
 * sim: 4 s of a switch that forwards busy% of the time, in rounds of
 * 100 us, and after each writes its capture while allowed, 10 us a write,
 * at most 5 writes a round: the time spent writing.  *cpu gets the CPU
 * time used in all, *wall the time that passed.
 */
static uint64_t
sim(unsigned int share, unsigned int busy, uint64_t *cpu, uint64_t *wall)
{
	struct capbudget	cb;
	uint64_t		t, c = 0, spent = 0;
	int			k;

	capbudget_init(&cb, share, 0, 0);
	for (t = 0; t < 4000 * MS;) {
		c += 100 * US / 100 * busy;
		t += 100 * US;
		for (k = 0; k < 5 && capbudget_wait(&cb, t, c) == 0; k++) {
			capbudget_spend(&cb, 10 * US);
			spent += 10 * US;
			c += 10 * US;
			t += 10 * US;
		}
	}
	*cpu = c;
	*wall = t;
	return (spent);
}

/*
 * What the budget allows at least: the share of the CPU time or the
 * floor, the larger (at most their sum: the larger is taken for each
 * stretch between two questions).
 */
static uint64_t
allowed(unsigned int share, uint64_t cpu, uint64_t wall)
{
	uint64_t	a, f;

	a = cpu / 100 * share;
	f = wall / 100 * CAPBUDGET_FLOOR;
	return (a > f ? a : f);
}

/* A busy switch: the writes take share percent of its CPU time. */
ATF_TC_WITHOUT_HEAD(share_of_cpu);
ATF_TC_BODY(share_of_cpu, tc)
{
	uint64_t	spent, cpu, wall, a;
	unsigned int	share, busy;

	for (share = 10; share <= 20; share += 10)
		for (busy = 30; busy <= 90; busy += 60) {
			spent = sim(share, busy, &cpu, &wall);
			a = allowed(share, cpu, wall);
			/* The CPU share is the larger one here. */
			ATF_CHECK(a == cpu / 100 * share);
			ATF_CHECK_MSG(spent >= a - 100 * US,
			    "share %u busy %u: %ju of %ju ns", share, busy,
			    (uintmax_t)spent, (uintmax_t)cpu);
			ATF_CHECK_MSG(spent <= a + wall / 100 *
			    CAPBUDGET_FLOOR + (uint64_t)CAPBUDGET_BURST +
			    100 * US,
			    "share %u busy %u: %ju of %ju ns", share, busy,
			    (uintmax_t)spent, (uintmax_t)cpu);
		}
}

/* An idle switch still writes CAPBUDGET_FLOOR percent of the time. */
ATF_TC_WITHOUT_HEAD(floor);
ATF_TC_BODY(floor, tc)
{
	uint64_t	spent, cpu, wall, a;

	spent = sim(10, 0, &cpu, &wall);
	a = allowed(10, cpu, wall);
	ATF_CHECK(a == wall / 100 * CAPBUDGET_FLOOR);
	ATF_CHECK_MSG(spent >= a - 100 * US, "%ju ns", (uintmax_t)spent);
	ATF_CHECK_MSG(spent <= a + cpu / 100 * 10 +
	    (uint64_t)CAPBUDGET_BURST + 100 * US, "%ju ns", (uintmax_t)spent);
}

/* A quiet spell refills the reserve, never beyond it. */
ATF_TC_WITHOUT_HEAD(reserve_cap);
ATF_TC_BODY(reserve_cap, tc)
{
	struct capbudget	cb;

	capbudget_init(&cb, 10, 1000 * MS, 0);
	capbudget_spend(&cb, 20 * MS);
	ATF_CHECK(capbudget_wait(&cb, 1000 * MS, 0) > 0);
	ATF_CHECK_EQ(capbudget_wait(&cb, 60000 * MS, 0), 0);
	capbudget_spend(&cb, (uint64_t)CAPBUDGET_BURST + 1);
	ATF_CHECK(capbudget_wait(&cb, 60000 * MS, 0) > 0);
}

/* One very slow write does not stop the capture for ever. */
ATF_TC_WITHOUT_HEAD(debt_cap);
ATF_TC_BODY(debt_cap, tc)
{
	struct capbudget	cb;

	capbudget_init(&cb, 1, 0, 0);
	capbudget_spend(&cb, 3600000 * MS);
	ATF_CHECK(capbudget_wait(&cb, 0, 0) <=
	    (uint64_t)CAPBUDGET_DEBTMAX * 100 + 100);
	ATF_CHECK_EQ(capbudget_wait(&cb, (uint64_t)CAPBUDGET_DEBTMAX * 100 +
	    (uint64_t)CAPBUDGET_BURST * 100, 0), 0);
}

/* Share 100: no budget at all. */
ATF_TC_WITHOUT_HEAD(share_all);
ATF_TC_BODY(share_all, tc)
{
	struct capbudget	cb;

	capbudget_init(&cb, 100, 0, 0);
	capbudget_spend(&cb, 10000 * MS);
	ATF_CHECK_EQ(capbudget_wait(&cb, 0, 0), 0);
	capbudget_init(&cb, 0, 0, 0);	/* clamped to 1 */
	ATF_CHECK_EQ(cb.cb_share, 1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, reserve);
	ATF_TP_ADD_TC(tp, share_of_cpu);
	ATF_TP_ADD_TC(tp, floor);
	ATF_TP_ADD_TC(tp, reserve_cap);
	ATF_TP_ADD_TC(tp, debt_cap);
	ATF_TP_ADD_TC(tp, share_all);
	return (atf_no_error());
}
