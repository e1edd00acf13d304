/*
 * wfrand.c: xoshiro256** (Blackman and Vigna), a small and fast generator
 * of good statistical quality.  Its 256-bit state is filled from the
 * 64-bit seed by splitmix64, as the generator's authors recommend.  The
 * same seed gives the same sequence on every system.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>

#include "wfrand.h"

static uint64_t	wfrand_s[4] = { 1, 2, 3, 4 };

static uint64_t
wfrand_rotl(uint64_t x, int k)
{
	return ((x << k) | (x >> (64 - k)));
}

/* Fill the state from seed; any seed, 0 included, is fine. */
void
wfrand_seed(uint64_t seed)
{
	uint64_t	z;
	int		i;

	for (i = 0; i < 4; i++) {
		seed += 0x9e3779b97f4a7c15ULL;
		z = seed;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		wfrand_s[i] = z ^ (z >> 31);
	}
}

uint64_t
wfrand_u64(void)
{
	uint64_t	r, t;

	r = wfrand_rotl(wfrand_s[1] * 5, 7) * 9;
	t = wfrand_s[1] << 17;
	wfrand_s[2] ^= wfrand_s[0];
	wfrand_s[3] ^= wfrand_s[1];
	wfrand_s[1] ^= wfrand_s[2];
	wfrand_s[0] ^= wfrand_s[3];
	wfrand_s[2] ^= t;
	wfrand_s[3] = wfrand_rotl(wfrand_s[3], 45);
	return (r);
}

/* A uniform double in [0, 1), from the top 53 bits. */
double
wfrand_unit(void)
{
	return ((double)(wfrand_u64() >> 11) * 0x1.0p-53);
}

/* A standard normal deviate (Box-Muller, one of the pair). */
double
wfrand_normal(void)
{
	double	u, v;

	do
		u = wfrand_unit();
	while (u <= 0.0);
	v = wfrand_unit();
	return (sqrt(-2.0 * log(u)) * cos(2.0 * 3.14159265358979323846 * v));
}
