/*
 * ring_fuzz: the switch's side of the shared-memory rings (ring.c, as
 * ringport.c uses it) against a client that writes anything into the
 * memory between any two of the switch's steps.  The input is a script:
 * each step is one byte of operation and its operands; the client's
 * writes (indices, sleeping flags, slot lengths, frame bytes) and the
 * switch's calls interleave in the order the input gives.
 *
 * Asserted: nothing is read or written outside the memory and the
 * buffers (AddressSanitizer, with the memory allocated to its exact size
 * and the switch's buffer exactly RING_DATAMAX bytes); a frame taken is
 * 1..RING_DATAMAX bytes; the switch's own indices move by one per frame
 * and never otherwise; once a ring is reported corrupt nothing moved.
 */
#include "config.h"

#include <sys/types.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"

#define FZ_SLOTS	8

static void
fz_assert(int ok)
{
	if (!ok)
		abort();
}

static uint32_t
fz_word(const uint8_t **p, size_t *left)
{
	uint32_t	v = 0;

	if (*left >= 4) {
		memcpy(&v, *p, 4);
		*p += 4;
		*left -= 4;
	}
	return (v);
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ring	 tosw, tocl;
	unsigned char	*mem, *buf, *frame;
	size_t		 memsize = ring_size(FZ_SLOTS), left = size, off;
	const uint8_t	*p = data;
	uint32_t	 v, before;
	ssize_t		 n;
	int		 r;

	mem = calloc(1, memsize);
	buf = malloc(RING_DATAMAX);
	frame = calloc(1, RING_DATAMAX);
	if (mem == NULL || buf == NULL || frame == NULL)
		abort();
	ring_init(&tosw, mem, RING_TOSW, FZ_SLOTS);
	ring_init(&tocl, mem, RING_TOCL, FZ_SLOTS);
	while (left > 0) {
		uint8_t	op = *p++;

		left--;
		switch (op % 8) {
		case 0:		/* the client's index of its ring */
			*tosw.r_prod = fz_word(&p, &left);
			break;
		case 1:		/* the client's index of ours */
			*tocl.r_cons = fz_word(&p, &left);
			break;
		case 2:		/* a slot length, anywhere */
			v = fz_word(&p, &left);
			off = RING_HDRSIZE + (size_t)(v % (2 * FZ_SLOTS)) *
			    RING_SLOTSIZE;
			v = fz_word(&p, &left);
			memcpy(mem + off, &v, sizeof(v));
			break;
		case 3:		/* the switch takes a frame */
			before = tosw.r_head;
			n = ring_get(&tosw, buf, RING_DATAMAX);
			fz_assert(n == RING_CORRUPT || n == RING_EMPTY ||
			    (n >= 1 && n <= RING_DATAMAX));
			fz_assert(tosw.r_head == before + (n > 0 ? 1 : 0));
			if (n > 0)
				fz_assert(*tosw.r_cons == tosw.r_head);
			break;
		case 4:		/* the switch sends a frame */
			v = fz_word(&p, &left) % (RING_DATAMAX + 2);
			before = tocl.r_head;
			r = ring_put(&tocl, frame, v);
			fz_assert(r == 0 || r == RING_FULL ||
			    r == RING_CORRUPT);
			fz_assert(tocl.r_head == before + (r == 0 ? 1 : 0));
			if (r == 0)
				(void)ring_wake(&tocl);
			break;
		case 5:		/* the switch sleeps, or wakes */
			if (ring_sleep(&tosw))
				ring_awake(&tosw);
			(void)ring_more(&tosw);
			break;
		case 6:		/* the client's sleeping flags */
			v = fz_word(&p, &left);
			*tosw.r_sleep = v;
			*tocl.r_sleep = v >> 1;
			break;
		default:	/* frame bytes: anything */
			v = fz_word(&p, &left);
			off = (size_t)v % memsize;
			mem[off] = (unsigned char)(v >> 24);
			break;
		}
	}
	free(frame);
	free(buf);
	free(mem);
	return (0);
}
