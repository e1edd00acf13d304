/*
 * csum.c: the Internet checksum (RFC 1071) over frames, for gso.c, which
 * completes and computes checksums of the frames it makes, and gro.c,
 * which checks those of the frames it merges.
 *
 * The sum is kept as a sum of big-endian 16-bit words in a 64-bit
 * accumulator, so callers may add pseudo-header fields to it as numbers.
 * The bytes themselves are summed as native 32-bit words, several at a
 * time, and the result brought to big-endian order once at the end: a
 * ones' complement sum in the other byte order is the same sum with its
 * two bytes swapped (RFC 1071, 2(B)).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "switch.h"

/* The 16-bit ones' complement sum of s (not complemented). */
static uint32_t
csum_reduce(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ((uint32_t)s);
}

/*
 * Sum n bytes at src into sum and, when dst is not NULL, copy them there
 * in the same pass (the data is read once).
 */
static uint64_t
csum_run(uint64_t sum, unsigned char *dst, const unsigned char *src,
    size_t n)
{
	const uint16_t	 one = 1;
	uint64_t	 a = 0, b = 0;
	uint32_t	 w[4], s;

	while (n >= 16) {
		memcpy(w, src, 16);
		if (dst != NULL) {
			memcpy(dst, w, 16);
			dst += 16;
		}
		a += (uint64_t)w[0] + w[1];
		b += (uint64_t)w[2] + w[3];
		src += 16;
		n -= 16;
	}
	while (n >= 4) {
		memcpy(w, src, 4);
		if (dst != NULL) {
			memcpy(dst, w, 4);
			dst += 4;
		}
		a += w[0];
		src += 4;
		n -= 4;
	}
	/* The tail as the native word it would be, padded with zero. */
	if (n > 0) {
		w[0] = 0;
		memcpy(w, src, n);
		if (dst != NULL)
			memcpy(dst, src, n);
		b += w[0];
	}
	s = csum_reduce(csum_reduce(a) + (uint64_t)csum_reduce(b));
	if (*(const unsigned char *)&one == 1)	/* little-endian */
		s = (s >> 8 | s << 8) & 0xffff;
	return (sum + s);
}

uint64_t
csum_add(uint64_t sum, const unsigned char *p, size_t n)
{
	return (csum_run(sum, NULL, p, n));
}

uint64_t
csum_copy(uint64_t sum, unsigned char *dst, const unsigned char *src,
    size_t n)
{
	return (csum_run(sum, dst, src, n));
}

uint16_t
csum_fold(uint64_t sum)
{
	return ((uint16_t)~csum_reduce(sum));
}
