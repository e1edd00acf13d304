/*
 * ring.c: one side of a shared-memory ring (ring.h).  The same code is
 * the switch's and the library's; the switch relies on its checks, since
 * a client may write anything into the memory at any time.
 *
 * Every word the peer writes is loaded exactly once per use, with the
 * compiler's atomic built-ins (acquire for an index, so that the slot it
 * covers is read after it), and checked before it indexes anything.
 */
#include "config.h"

#include <sys/types.h>

#include <string.h>

#include "ring.h"

#define RING_LOAD(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define RING_PEEK(p)		__atomic_load_n((p), __ATOMIC_RELAXED)
#define RING_STORE(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define RING_FENCE()		__atomic_thread_fence(__ATOMIC_SEQ_CST)

/* Bytes of a memory object with two rings of nslots slots. */
size_t
ring_size(uint32_t nslots)
{
	return (RING_HDRSIZE + 2 * (size_t)nslots * RING_SLOTSIZE);
}

/*
 * Set up the view r of ring which (RING_TOSW or RING_TOCL) in the memory
 * at base, for its producer or its consumer (the same view: each side
 * uses r_head as its own index).  Both indices start at 0.
 */
void
ring_init(struct ring *r, void *base, int which, uint32_t nslots)
{
	unsigned char	*ctl = (unsigned char *)base + which * RING_CTLSIZE;

	r->r_prod = (uint32_t *)(void *)ctl;
	r->r_cons = (uint32_t *)(void *)(ctl + 64);
	r->r_sleep = (uint32_t *)(void *)(ctl + 128);
	r->r_slots = (unsigned char *)base + RING_HDRSIZE +
	    (size_t)which * nslots * RING_SLOTSIZE;
	r->r_n = nslots;
	r->r_head = 0;
}

/*
 * Producer: put one frame.  0 when it is in, RING_FULL when there is no
 * room (nothing changed), RING_CORRUPT when the consumer's index is
 * impossible; EMSGSIZE-like lengths are the caller's to refuse first.
 */
int
ring_put(struct ring *r, const void *frame, size_t len)
{
	unsigned char	*slot;
	uint32_t	 cons, used, len32;

	if (len == 0 || len > RING_DATAMAX)
		return (RING_CORRUPT);
	cons = RING_LOAD(r->r_cons);
	used = r->r_head - cons;
	if (used > r->r_n)
		return (RING_CORRUPT);
	if (used == r->r_n)
		return (RING_FULL);
	slot = r->r_slots + (size_t)(r->r_head % r->r_n) * RING_SLOTSIZE;
	len32 = (uint32_t)len;
	memcpy(slot, &len32, sizeof(len32));
	memcpy(slot + RING_SLOTHDR, frame, len);
	r->r_head++;
	RING_STORE(r->r_prod, r->r_head);
	return (0);
}

/*
 * Producer, after one or more ring_put(): must the consumer be woken?  1
 * when it said it sleeps (the flag is cleared: one wake-up per sleep).
 */
int
ring_wake(struct ring *r)
{
	RING_FENCE();
	if (RING_PEEK(r->r_sleep) == 0)
		return (0);
	return (__atomic_exchange_n(r->r_sleep, 0, __ATOMIC_SEQ_CST) != 0);
}

/*
 * Consumer: take one frame into buf (buflen >= RING_DATAMAX).  Returns
 * its length, RING_EMPTY (0), or RING_CORRUPT when the producer's index
 * is more than a ring ahead (or behind) or a slot's length is out of
 * bounds; nothing is consumed then.
 */
ssize_t
ring_get(struct ring *r, void *buf, size_t buflen)
{
	unsigned char	*slot;
	uint32_t	 prod, avail, len;

	prod = RING_LOAD(r->r_prod);
	avail = prod - r->r_head;
	if (avail == 0)
		return (RING_EMPTY);
	if (avail > r->r_n)
		return (RING_CORRUPT);
	slot = r->r_slots + (size_t)(r->r_head % r->r_n) * RING_SLOTSIZE;
	/* Read once into a local: the checked value is the used value. */
	len = RING_PEEK((uint32_t *)(void *)slot);
	if (len == 0 || len > RING_DATAMAX || len > buflen)
		return (RING_CORRUPT);
	memcpy(buf, slot + RING_SLOTHDR, len);
	r->r_head++;
	RING_STORE(r->r_cons, r->r_head);
	return ((ssize_t)len);
}

/*
 * Consumer, finding its ring empty: say so, then look again.  Returns 1
 * when a frame arrived meanwhile (the caller calls ring_awake() and goes
 * on), 0 when the producer will wake it.
 */
int
ring_sleep(struct ring *r)
{
	RING_STORE(r->r_sleep, 1);
	RING_FENCE();
	return (RING_LOAD(r->r_prod) != r->r_head);
}

/* Consumer: no wake-up needed any more. */
void
ring_awake(struct ring *r)
{
	RING_STORE(r->r_sleep, 0);
}

/* Consumer: is there (at least claimed to be) something to take? */
int
ring_more(struct ring *r)
{
	return (RING_LOAD(r->r_prod) != r->r_head);
}
