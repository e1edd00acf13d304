/*
 * gro_fuzz: libFuzzer target for merging TCP frames back into segments
 * (src/switch/gro.c), checked against its inverse, gso.c.
 *
 * Input: records of [fix][length, 2 bytes big endian][frame].  When bit 0
 * of fix is set and the frame looks like TCP over IPv4 or IPv6, this
 * harness first makes its IP length field and its checksums right, so
 * the fuzzer can reach merges without solving checksums.  Each frame is
 * offered to gro_add() as the switch does.  Invariants (abort on
 * violation): a segment taken that holds one frame is that frame, byte
 * for byte, with no offloads; one that holds several is a description
 * gso_init() accepts, and cutting it gives back exactly the frames that
 * were merged, in order.  ASan catches any read outside a frame.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "switch.h"

#define FZ_HELD		(GRO_MAXSEGS + 1)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static unsigned char	 fz_seg[OS_TAP_FRAMEMAX];
static unsigned char	 fz_out[VDE_ETHBUFSIZE + 4];
static unsigned char	*fz_held[FZ_HELD];
static size_t		 fz_heldlen[FZ_HELD];
static int		 fz_nheld;

static void
fz_put16(unsigned char *p, size_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

/* Make f's IP length and checksums right, if it looks like TCP over IP. */
static void
fz_fix(unsigned char *f, size_t len)
{
	size_t		th;
	uint64_t	sum;

	if (len < 14 + 40 + 20)
		return;
	if (f[12] == 0x08 && f[13] == 0x00 && (f[14] >> 4) == 4) {
		th = 14 + (size_t)(f[14] & 0x0f) * 4;
		if (th < 34 || th + 20 > len || f[23] != 6)
			return;
		fz_put16(f + 16, len - 14);
		fz_put16(f + 24, 0);
		fz_put16(f + 24, csum_fold(csum_add(0, f + 14, th - 14)));
		sum = csum_add(0, f + 26, 8);
	} else if (f[12] == 0x86 && f[13] == 0xdd && f[20] == 6) {
		th = 54;
		fz_put16(f + 18, len - 54);
		sum = csum_add(0, f + 22, 32);
	} else
		return;
	sum += 6 + ((len - th) >> 16) + ((len - th) & 0xffff);
	fz_put16(f + th + 16, 0);
	fz_put16(f + th + 16, csum_fold(csum_add(sum, f + th, len - th)));
}

static void
fz_drop_held(void)
{
	while (fz_nheld > 0)
		free(fz_held[--fz_nheld]);
}

/* Take the held segment and check it against the frames it holds. */
static void
fz_take(struct gro *gr)
{
	struct os_offload	 off;
	struct gso_iter		 gi;
	const char		*why;
	size_t			 len, n;
	int			 i;

	len = gro_take(gr, &off);
	if (fz_nheld == 0) {
		if (len != 0)
			abort();
		return;
	}
	if (fz_nheld == 1) {
		if (len != fz_heldlen[0] || memcmp(fz_seg, fz_held[0], len) !=
		    0 || off.oo_gso != OS_GSO_NONE || off.oo_flags != 0)
			abort();
	} else {
		if (gso_init(&gi, fz_seg, len, &off, VDE_ETHBUFSIZE, &why) != 0)
			abort();
		for (i = 0; (n = gso_next(&gi, fz_out, sizeof(fz_out))) != 0;
		    i++)
			if (i >= fz_nheld || n != fz_heldlen[i] ||
			    memcmp(fz_out, fz_held[i], n) != 0)
				abort();
		if (i != fz_nheld)
			abort();
	}
	fz_drop_held();
}

static void
fz_hold(const unsigned char *f, size_t len)
{
	if (fz_nheld == FZ_HELD)
		abort();		/* more than GRO_MAXSEGS merged */
	if ((fz_held[fz_nheld] = malloc(len)) == NULL)
		abort();
	memcpy(fz_held[fz_nheld], f, len);
	fz_heldlen[fz_nheld++] = len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gro	 gr;
	unsigned char	*f;
	size_t		 len;
	int		 fix, r;

	gro_init(&gr, fz_seg, sizeof(fz_seg), data != NULL && size > 0 ?
	    data[0] % 4 : 1);
	if (size > 0) {
		data++;
		size--;
	}
	while (size >= 3) {
		fix = data[0] & 1;
		len = (size_t)data[1] << 8 | data[2];
		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		/* A buffer of exactly the frame's size, for ASan. */
		if ((f = malloc(len ? len : 1)) == NULL)
			abort();
		memcpy(f, data, len);
		data += len;
		size -= len;
		if (fix)
			fz_fix(f, len);
		r = gro_add(&gr, f, len);
		if (r == GRO_FLUSH) {
			fz_take(&gr);
			r = gro_add(&gr, f, len);
			if (r == GRO_FLUSH)
				abort();	/* nothing held: cannot be */
		}
		if (r == GRO_HELD)
			fz_hold(f, len);
		else
			fz_take(&gr);
		free(f);
	}
	fz_take(&gr);
	return (0);
}
