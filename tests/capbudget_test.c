/*
 * capbudget_test: the share of time a capture may spend writing
 * (src/switch/capbudget.c): the reserve, the long-run share, the cap on
 * the reserve after a quiet spell, the cap on the debt, share 100.
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

	capbudget_init(&cb, 10, 0);
	ATF_CHECK_EQ(capbudget_wait(&cb, 0), 0);
	capbudget_spend(&cb, (uint64_t)CAPBUDGET_BURST - 1);
	ATF_CHECK_EQ(capbudget_wait(&cb, 0), 0);
	capbudget_spend(&cb, 1 * MS + 1);
	/* 1 ms owed at 10%: 10 ms to wait. */
	ATF_CHECK(capbudget_wait(&cb, 0) >= 10 * MS);
	ATF_CHECK(capbudget_wait(&cb, 0) <= 10 * MS + 100);
	ATF_CHECK(capbudget_wait(&cb, 5 * MS) > 0);
	ATF_CHECK_EQ(capbudget_wait(&cb, 10 * MS + 100 * US), 0);
}

/*
 * A writer that writes whenever allowed, 50 us a write, for 2 s: it
 * writes 10% of the time, plus the reserve.
 */
ATF_TC_WITHOUT_HEAD(share);
ATF_TC_BODY(share, tc)
{
	struct capbudget	cb;
	uint64_t		t = 0, w, spent = 0;
	unsigned int		share;

	for (share = 5; share <= 50; share += 45) {
		capbudget_init(&cb, share, 0);
		for (t = 0, spent = 0; t < 2000 * MS;) {
			if ((w = capbudget_wait(&cb, t)) != 0) {
				t += w;
				continue;
			}
			capbudget_spend(&cb, 50 * US);
			spent += 50 * US;
			t += 50 * US;
		}
		ATF_CHECK_MSG(spent >= 2000 * MS / 100 * share,
		    "share %u: %ju ns", share, (uintmax_t)spent);
		ATF_CHECK_MSG(spent <= 2000 * MS / 100 * share +
		    (uint64_t)CAPBUDGET_BURST + 100 * US,
		    "share %u: %ju ns", share, (uintmax_t)spent);
	}
}

/* A quiet spell refills the reserve, never beyond it. */
ATF_TC_WITHOUT_HEAD(reserve_cap);
ATF_TC_BODY(reserve_cap, tc)
{
	struct capbudget	cb;

	capbudget_init(&cb, 10, 1000 * MS);
	capbudget_spend(&cb, 20 * MS);
	ATF_CHECK(capbudget_wait(&cb, 1000 * MS) > 0);
	ATF_CHECK_EQ(capbudget_wait(&cb, 60000 * MS), 0);
	capbudget_spend(&cb, (uint64_t)CAPBUDGET_BURST + 1);
	ATF_CHECK(capbudget_wait(&cb, 60000 * MS) > 0);
}

/* One very slow write does not stop the capture for ever. */
ATF_TC_WITHOUT_HEAD(debt_cap);
ATF_TC_BODY(debt_cap, tc)
{
	struct capbudget	cb;

	capbudget_init(&cb, 1, 0);
	capbudget_spend(&cb, 3600000 * MS);
	ATF_CHECK(capbudget_wait(&cb, 0) <= (uint64_t)CAPBUDGET_DEBTMAX * 100 +
	    100);
	ATF_CHECK_EQ(capbudget_wait(&cb, (uint64_t)CAPBUDGET_DEBTMAX * 100 +
	    (uint64_t)CAPBUDGET_BURST * 100), 0);
}

/* Share 100: no budget at all. */
ATF_TC_WITHOUT_HEAD(share_all);
ATF_TC_BODY(share_all, tc)
{
	struct capbudget	cb;

	capbudget_init(&cb, 100, 0);
	capbudget_spend(&cb, 10000 * MS);
	ATF_CHECK_EQ(capbudget_wait(&cb, 0), 0);
	capbudget_init(&cb, 0, 0);	/* clamped to 1 */
	ATF_CHECK_EQ(cb.cb_share, 1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, reserve);
	ATF_TP_ADD_TC(tp, share);
	ATF_TP_ADD_TC(tp, reserve_cap);
	ATF_TP_ADD_TC(tp, debt_cap);
	ATF_TP_ADD_TC(tp, share_all);
	return (atf_no_error());
}
