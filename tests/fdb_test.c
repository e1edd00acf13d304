/*
 * fdb_test: the MAC learning table: learning per (MAC, VLAN), multicast
 * and zero sources never learned, aging, moves with minimum persistence,
 * the entry cap, flushes and parameters.
 */
#include "config.h"

#include <sys/types.h>

#include <atf-c.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "switch.h"

static unsigned char	m_a[ETHER_ADDR_LEN] = { 0x02, 0, 0, 0, 0, 0x0a };
static unsigned char	m_b[ETHER_ADDR_LEN] = { 0x02, 0, 0, 0, 0, 0x0b };

static void
mkmac(unsigned char *m, int n)
{
	m[0] = 0x02;
	m[1] = 0x10;
	m[2] = 0;
	m[3] = (unsigned char)(n >> 16);
	m[4] = (unsigned char)(n >> 8);
	m[5] = (unsigned char)n;
}

static void
fresh(int buckets, int max)
{
	fdb_init(buckets, max);
	ATF_REQUIRE_EQ(fdb_setexpire(100), 0);
	ATF_REQUIRE_EQ(fdb_setminper(3), 0);
	ATF_REQUIRE_EQ(fdb_setgcint(2), 0);
	ATF_REQUIRE_EQ(fdb_count(), 0);
}

ATF_TC_WITHOUT_HEAD(learn_lookup);
ATF_TC_BODY(learn_lookup, tc)
{
	fresh(128, 1024);
	ATF_CHECK_EQ(fdb_lookup(m_a, 0, 0), PORT_NONE);
	ATF_CHECK_EQ(fdb_learn(m_a, 0, 1, 0), FDB_NEW);
	ATF_CHECK_EQ(fdb_learn(m_a, 0, 1, 1), FDB_REFRESH);
	ATF_CHECK_EQ(fdb_lookup(m_a, 0, 1), 1);
	/* Independent learning per VLAN. */
	ATF_CHECK_EQ(fdb_lookup(m_a, 5, 1), PORT_NONE);
	ATF_CHECK_EQ(fdb_learn(m_a, 5, 7, 1), FDB_NEW);
	ATF_CHECK_EQ(fdb_lookup(m_a, 5, 1), 7);
	ATF_CHECK_EQ(fdb_lookup(m_a, 0, 1), 1);
	ATF_CHECK_EQ(fdb_count(), 2);
	ATF_REQUIRE(fdb_find(m_a, 5) != NULL);
	ATF_CHECK_EQ(fdb_find(m_a, 5)->fe_port, 7);
	ATF_CHECK(fdb_find(m_b, 0) == NULL);
}

ATF_TC_WITHOUT_HEAD(multicast_never_learned);
ATF_TC_BODY(multicast_never_learned, tc)
{
	unsigned char	mc[ETHER_ADDR_LEN] = { 0x01, 0, 0x5e, 0, 0, 1 };
	unsigned char	bc[ETHER_ADDR_LEN] = { 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff };
	unsigned char	zero[ETHER_ADDR_LEN] = { 0 };
	unsigned char	odd[ETHER_ADDR_LEN] = { 0x03, 1, 2, 3, 4, 5 };

	fresh(128, 1024);
	ATF_CHECK_EQ(fdb_learn(mc, 0, 1, 0), FDB_IGNORED);
	ATF_CHECK_EQ(fdb_learn(bc, 0, 1, 0), FDB_IGNORED);
	ATF_CHECK_EQ(fdb_learn(zero, 0, 1, 0), FDB_IGNORED);
	ATF_CHECK_EQ(fdb_learn(odd, 0, 1, 0), FDB_IGNORED);
	ATF_CHECK_EQ(fdb_count(), 0);
	ATF_CHECK_EQ(fdb_lookup(mc, 0, 0), PORT_NONE);
	ATF_CHECK_EQ(fdb_lookup(bc, 0, 0), PORT_NONE);
}

ATF_TC_WITHOUT_HEAD(aging);
ATF_TC_BODY(aging, tc)
{
	fresh(128, 1024);
	ATF_CHECK_EQ(fdb_learn(m_a, 0, 1, 10), FDB_NEW);
	ATF_CHECK_EQ(fdb_learn(m_b, 0, 2, 50), FDB_NEW);
	/* Removed when last_seen + expire < now. */
	ATF_CHECK_EQ(fdb_lookup(m_a, 0, 110), 1);
	ATF_CHECK_EQ(fdb_lookup(m_a, 0, 111), PORT_NONE);
	fdb_gc(111);
	ATF_CHECK_EQ(fdb_count(), 1);
	ATF_CHECK(fdb_find(m_a, 0) == NULL);
	ATF_CHECK_EQ(fdb_lookup(m_b, 0, 111), 2);
	/* Traffic keeps an entry alive. */
	ATF_CHECK_EQ(fdb_learn(m_b, 0, 2, 140), FDB_REFRESH);
	fdb_gc(200);
	ATF_CHECK_EQ(fdb_lookup(m_b, 0, 200), 2);
	ATF_CHECK_EQ(fdb_setexpire(10), 0);
	fdb_gc(200);
	ATF_CHECK_EQ(fdb_count(), 0);
}

/*
 * Ages are differences, never sums: with a time near the top of time_t
 * (where a 32-bit time_t is after a few weeks of uptime), "seen +
 * expire" would wrap and expire a fresh entry, or move one at once.
 */
ATF_TC_WITHOUT_HEAD(aging_no_wrap);
ATF_TC_BODY(aging_no_wrap, tc)
{
	time_t	t = sizeof(time_t) == 8 ? (time_t)INT64_MAX - 10 :
	    (time_t)INT32_MAX - 10;

	fresh(16, 0);
	ATF_REQUIRE_EQ(fdb_setexpire(INT_MAX), 0);
	ATF_REQUIRE_EQ(fdb_setminper(INT_MAX), 0);
	ATF_CHECK_EQ(fdb_learn(m_a, 0, 1, t), FDB_NEW);
	ATF_CHECK_EQ(fdb_lookup(m_a, 0, t + 1), 1);
	ATF_CHECK_EQ(fdb_learn(m_a, 0, 2, t + 2), FDB_KEPT);
	ATF_CHECK_EQ(fdb_lookup(m_a, 0, t + 3), 1);
	fdb_gc(t + 4);
	ATF_CHECK_EQ(fdb_count(), 1);
}

ATF_TC_WITHOUT_HEAD(moves_min_persistence);
ATF_TC_BODY(moves_min_persistence, tc)
{
	fresh(128, 1024);
	ATF_CHECK_EQ(fdb_learn(m_a, 0, 1, 100), FDB_NEW);
	/* Seen elsewhere too soon: stays, replies keep going to port 1. */
	ATF_CHECK_EQ(fdb_learn(m_a, 0, 2, 101), FDB_KEPT);
	ATF_CHECK_EQ(fdb_learn(m_a, 0, 2, 103), FDB_KEPT);
	ATF_CHECK_EQ(fdb_lookup(m_a, 0, 103), 1);
	/* More than 3 s since last seen on port 1: it moves. */
	ATF_CHECK_EQ(fdb_learn(m_a, 0, 2, 104), FDB_MOVED);
	ATF_CHECK_EQ(fdb_lookup(m_a, 0, 104), 2);
	ATF_CHECK_EQ(fdb_count(), 1);
	/* Traffic on the old port refreshes its entry and blocks a move. */
	ATF_CHECK_EQ(fdb_learn(m_b, 0, 1, 200), FDB_NEW);
	ATF_CHECK_EQ(fdb_learn(m_b, 0, 1, 203), FDB_REFRESH);
	ATF_CHECK_EQ(fdb_learn(m_b, 0, 3, 205), FDB_KEPT);
	ATF_CHECK_EQ(fdb_lookup(m_b, 0, 205), 1);
	/* With no minimum persistence a move is immediate. */
	ATF_CHECK_EQ(fdb_setminper(0), 0);
	ATF_CHECK_EQ(fdb_learn(m_b, 0, 3, 206), FDB_MOVED);
}

ATF_TC_WITHOUT_HEAD(bound_holds);
ATF_TC_BODY(bound_holds, tc)
{
	unsigned char	m[ETHER_ADDR_LEN];
	int		i, full = 0;

	fresh(16, 64);
	for (i = 0; i < 10000; i++) {
		mkmac(m, i);
		if (fdb_learn(m, 0, 1 + i % 5, 0) == FDB_FULL)
			full++;
		ATF_REQUIRE(fdb_count() <= 64);
	}
	ATF_CHECK_EQ(fdb_count(), 64);
	ATF_CHECK_EQ(full, 10000 - 64);
	/* Learned entries stay reachable; the rest flood. */
	mkmac(m, 0);
	ATF_CHECK_EQ(fdb_lookup(m, 0, 0), 1);
	mkmac(m, 9999);
	ATF_CHECK_EQ(fdb_lookup(m, 0, 0), PORT_NONE);
	/* Once the old ones expire, learning works again. */
	mkmac(m, 20000);
	ATF_CHECK_EQ(fdb_learn(m, 0, 2, 200), FDB_NEW);
	ATF_CHECK_EQ(fdb_count(), 1);
}

static void
countcb(const struct fdb_entry *e, void *arg)
{
	int	*n = arg;

	(*n)++;
}

ATF_TC_WITHOUT_HEAD(flushes);
ATF_TC_BODY(flushes, tc)
{
	unsigned char	m[ETHER_ADDR_LEN];
	int		i, n;

	fresh(64, 1024);
	/* 40 addresses on ports 1..4 in VLANs 0 and 10. */
	for (i = 0; i < 40; i++) {
		mkmac(m, i);
		ATF_REQUIRE_EQ(fdb_learn(m, i % 2 ? 10 : 0, 1 + i % 4, 0),
		    FDB_NEW);
	}
	n = 0;
	fdb_foreach(countcb, &n);
	ATF_CHECK_EQ(n, 40);
	fdb_flush_port(1);		/* i % 4 == 0: 10 entries */
	ATF_CHECK_EQ(fdb_count(), 30);
	mkmac(m, 0);
	ATF_CHECK_EQ(fdb_lookup(m, 0, 0), PORT_NONE);
	fdb_flush_port_vlan(2, 10);	/* i % 4 == 1: all in VLAN 10 */
	ATF_CHECK_EQ(fdb_count(), 20);
	fdb_flush_vlan(0);		/* i % 4 == 2 left in VLAN 0 */
	ATF_CHECK_EQ(fdb_count(), 10);
	mkmac(m, 3);
	ATF_CHECK_EQ(fdb_lookup(m, 10, 0), 4);
	fdb_flush_all();
	ATF_CHECK_EQ(fdb_count(), 0);
	n = 0;
	fdb_foreach(countcb, &n);
	ATF_CHECK_EQ(n, 0);
}

ATF_TC_WITHOUT_HEAD(parameters);
ATF_TC_BODY(parameters, tc)
{
	struct fdb_param	fp;

	fresh(128, 1024);
	fdb_getparam(&fp);
	ATF_CHECK_EQ(fp.fp_buckets, 128);
	ATF_CHECK_EQ(fp.fp_expire, 100);
	ATF_CHECK_EQ(fp.fp_minper, 3);
	ATF_CHECK_EQ(fp.fp_gcint, 2);
	ATF_CHECK_EQ(fdb_learn(m_a, 0, 1, 0), FDB_NEW);
	/* A new size is rounded up to a power of 2 and flushes. */
	ATF_CHECK_EQ(fdb_setsize(100), 0);
	fdb_getparam(&fp);
	ATF_CHECK_EQ(fp.fp_buckets, 128);
	ATF_CHECK_EQ(fdb_count(), 0);
	ATF_CHECK_EQ(fdb_setsize(0), EINVAL);
	ATF_CHECK_EQ(fdb_setmax(0), EINVAL);
	ATF_CHECK_EQ(fdb_setgcint(0), EINVAL);
	ATF_CHECK_EQ(fdb_setexpire(0), EINVAL);
	ATF_CHECK_EQ(fdb_setexpire(-5), EINVAL);
	ATF_CHECK_EQ(fdb_setminper(-1), EINVAL);
	ATF_CHECK_EQ(fdb_setmax(2), 0);
	ATF_CHECK_EQ(fdb_learn(m_a, 0, 1, 0), FDB_NEW);
	ATF_CHECK_EQ(fdb_learn(m_b, 0, 1, 0), FDB_NEW);
	ATF_CHECK_EQ(fdb_learn(m_b, 3, 1, 0), FDB_FULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, learn_lookup);
	ATF_TP_ADD_TC(tp, multicast_never_learned);
	ATF_TP_ADD_TC(tp, aging);
	ATF_TP_ADD_TC(tp, aging_no_wrap);
	ATF_TP_ADD_TC(tp, moves_min_persistence);
	ATF_TP_ADD_TC(tp, bound_holds);
	ATF_TP_ADD_TC(tp, flushes);
	ATF_TP_ADD_TC(tp, parameters);
	return (atf_no_error());
}
