/*
 * ringbuf_test: the ring code both sides share (src/common/ring.c), on
 * ordinary memory: frames in and out in order, a full ring, indices that
 * wrap at 2^32, the sleeping flag, and every way a peer can break the
 * rules (an index more than a ring ahead or behind, a slot length of 0 or
 * above RING_DATAMAX) reported as RING_CORRUPT without touching anything
 * outside the memory.
 */
#include "config.h"

#include <sys/types.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "ring.h"

#define NSLOTS	4

static void	*mem;
static struct ring prod, cons;

/* Both sides of RING_TOSW on fresh memory of NSLOTS slots. */
static void
setup(void)
{
	free(mem);
	mem = calloc(1, ring_size(NSLOTS));
	ATF_REQUIRE(mem != NULL);
	ring_init(&prod, mem, RING_TOSW, NSLOTS);
	ring_init(&cons, mem, RING_TOSW, NSLOTS);
}

/* Slot i's length word, as the peer could write it. */
static uint32_t *
slotlen(struct ring *r, uint32_t i)
{
	return ((uint32_t *)(void *)(r->r_slots +
	    (size_t)(i % r->r_n) * RING_SLOTSIZE));
}

ATF_TC_WITHOUT_HEAD(inorder);
ATF_TC_BODY(inorder, tc)
{
	unsigned char	in[RING_DATAMAX], out[RING_DATAMAX];
	size_t		len;
	int		i, round;

	setup();
	ATF_CHECK_EQ(ring_get(&cons, out, sizeof(out)), RING_EMPTY);
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 3; i++) {
			len = 60 + (size_t)round * 1000 + (size_t)i;
			memset(in, 'a' + i, len);
			ATF_REQUIRE_EQ(ring_put(&prod, in, len), 0);
		}
		for (i = 0; i < 3; i++) {
			len = 60 + (size_t)round * 1000 + (size_t)i;
			ATF_REQUIRE_EQ(ring_get(&cons, out, sizeof(out)),
			    (ssize_t)len);
			memset(in, 'a' + i, len);
			ATF_CHECK(memcmp(in, out, len) == 0);
		}
		ATF_CHECK_EQ(ring_get(&cons, out, sizeof(out)), RING_EMPTY);
	}
	/* The largest frame, a tag included. */
	memset(in, 'z', RING_DATAMAX);
	ATF_CHECK_EQ(ring_put(&prod, in, RING_DATAMAX), 0);
	ATF_CHECK_EQ(ring_get(&cons, out, sizeof(out)),
	    (ssize_t)RING_DATAMAX);
	ATF_CHECK_EQ(ring_put(&prod, in, RING_DATAMAX + 1), RING_CORRUPT);
	ATF_CHECK_EQ(ring_put(&prod, in, 0), RING_CORRUPT);
}

ATF_TC_WITHOUT_HEAD(full);
ATF_TC_BODY(full, tc)
{
	unsigned char	buf[RING_DATAMAX];
	int		i;

	setup();
	memset(buf, 1, 64);
	for (i = 0; i < NSLOTS; i++)
		ATF_REQUIRE_EQ(ring_put(&prod, buf, 64), 0);
	ATF_CHECK_EQ(ring_put(&prod, buf, 64), RING_FULL);
	ATF_CHECK_EQ(ring_get(&cons, buf, sizeof(buf)), 64);
	ATF_CHECK_EQ(ring_put(&prod, buf, 64), 0);
	ATF_CHECK_EQ(ring_put(&prod, buf, 64), RING_FULL);
}

ATF_TC_WITHOUT_HEAD(wraps);
ATF_TC_BODY(wraps, tc)
{
	unsigned char	buf[RING_DATAMAX];
	uint32_t	i;

	setup();
	/* Both indices just below 2^32, as after a long life. */
	prod.r_head = cons.r_head = UINT32_MAX - 2;
	*prod.r_prod = *prod.r_cons = UINT32_MAX - 2;
	for (i = 0; i < 10; i++) {
		buf[0] = (unsigned char)i;
		ATF_REQUIRE_EQ(ring_put(&prod, buf, 60), 0);
		ATF_REQUIRE_EQ(ring_get(&cons, buf, sizeof(buf)), 60);
		ATF_CHECK_EQ(buf[0], (unsigned char)i);
	}
	ATF_CHECK(cons.r_head < 10);
}

ATF_TC_WITHOUT_HEAD(corrupt_index);
ATF_TC_BODY(corrupt_index, tc)
{
	unsigned char	buf[RING_DATAMAX];

	setup();
	/* The producer claims more than a ring of frames. */
	*cons.r_prod = NSLOTS + 1;
	ATF_CHECK_EQ(ring_get(&cons, buf, sizeof(buf)), RING_CORRUPT);
	*cons.r_prod = UINT32_MAX;	/* behind the consumer */
	ATF_CHECK_EQ(ring_get(&cons, buf, sizeof(buf)), RING_CORRUPT);
	ATF_CHECK_EQ(cons.r_head, 0);
	/* The consumer claims to have taken frames never put. */
	*prod.r_cons = 7;
	ATF_CHECK_EQ(ring_put(&prod, buf, 60), RING_CORRUPT);
	*prod.r_cons = 0;
	ATF_CHECK_EQ(ring_put(&prod, buf, 60), 0);
}

ATF_TC_WITHOUT_HEAD(corrupt_length);
ATF_TC_BODY(corrupt_length, tc)
{
	unsigned char	buf[RING_DATAMAX], small[100];
	static const uint32_t bad[] = { 0, RING_DATAMAX + 1, 0x80000000u,
	    UINT32_MAX };
	size_t		i;

	setup();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		*slotlen(&cons, 0) = bad[i];
		*cons.r_prod = 1;
		ATF_CHECK_EQ(ring_get(&cons, buf, sizeof(buf)), RING_CORRUPT);
		ATF_CHECK_EQ(cons.r_head, 0);
	}
	/* Longer than the caller's buffer. */
	*slotlen(&cons, 0) = 200;
	ATF_CHECK_EQ(ring_get(&cons, small, sizeof(small)), RING_CORRUPT);
	*slotlen(&cons, 0) = 100;
	ATF_CHECK_EQ(ring_get(&cons, small, sizeof(small)), 100);
	ATF_CHECK_EQ(*cons.r_cons, 1);
}

ATF_TC_WITHOUT_HEAD(sleeping);
ATF_TC_BODY(sleeping, tc)
{
	unsigned char	buf[RING_DATAMAX];

	setup();
	/* Awake consumer: no wake-up needed. */
	ATF_CHECK_EQ(ring_put(&prod, buf, 60), 0);
	ATF_CHECK_EQ(ring_wake(&prod), 0);
	/* Asleep with a frame waiting: it must look again. */
	ATF_CHECK_EQ(ring_sleep(&cons), 1);
	ring_awake(&cons);
	ATF_CHECK_EQ(ring_get(&cons, buf, sizeof(buf)), 60);
	/* Asleep on an empty ring: the next frame wakes it, once. */
	ATF_CHECK_EQ(ring_sleep(&cons), 0);
	ATF_CHECK_EQ(ring_more(&cons), 0);
	ATF_CHECK_EQ(ring_put(&prod, buf, 60), 0);
	ATF_CHECK_EQ(ring_wake(&prod), 1);
	ATF_CHECK_EQ(ring_put(&prod, buf, 60), 0);
	ATF_CHECK_EQ(ring_wake(&prod), 0);
	ATF_CHECK_EQ(ring_more(&cons), 1);
}

ATF_TC_WITHOUT_HEAD(layout);
ATF_TC_BODY(layout, tc)
{
	struct ring	a, b;

	/* Slots hold a whole frame; the two rings never overlap. */
	ATF_CHECK(RING_SLOTHDR + RING_DATAMAX <= RING_SLOTSIZE);
	ATF_CHECK_EQ(RING_SLOTSIZE % 64, 0);
	ATF_CHECK(2 * RING_CTLSIZE <= RING_HDRSIZE);
	setup();
	ring_init(&a, mem, RING_TOSW, NSLOTS);
	ring_init(&b, mem, RING_TOCL, NSLOTS);
	ATF_CHECK(a.r_slots + NSLOTS * RING_SLOTSIZE <= b.r_slots);
	ATF_CHECK(b.r_slots + NSLOTS * RING_SLOTSIZE <=
	    (unsigned char *)mem + ring_size(NSLOTS));
	ATF_CHECK((unsigned char *)b.r_sleep + 4 <=
	    (unsigned char *)mem + RING_HDRSIZE);
	ATF_CHECK(RING_MARKOFF + RING_MARKLEN ==
	    sizeof(((struct sockaddr_un *)0)->sun_path));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, inorder);
	ATF_TP_ADD_TC(tp, full);
	ATF_TP_ADD_TC(tp, wraps);
	ATF_TP_ADD_TC(tp, corrupt_index);
	ATF_TP_ADD_TC(tp, corrupt_length);
	ATF_TP_ADD_TC(tp, sleeping);
	ATF_TP_ADD_TC(tp, layout);
	return (atf_no_error());
}
