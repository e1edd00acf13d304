/*
 * wfrand.c: xoshiro256** (Blackman and Vigna), a small and fast generator
 * of good statistical quality.  Its 256-bit state is filled from the
 * 64-bit seed by splitmix64, as the generator's authors recommend.  The
 * same seed gives the same sequence on every system.
 *
 * The Markov chain's steps draw from a second generator of their own,
 * seeded from the same seed: they come on a timer, between frames whose
 * arrival times vary from run to run, and would otherwise shift the
 * frames' draws (and the frames the steps').
 */
#include "config.h"

#include <math.h>
#include <stdint.h>

#include "wfrand.h"

static uint64_t	wfrand_s[4] = { 1, 2, 3, 4 };
static uint64_t	wfrand_c[4] = { 5, 6, 7, 8 };

static uint64_t	wfrand_next(uint64_t *);

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

	/* splitmix64 goes on from the frames' state to the chain's. */
	for (i = 0; i < 8; i++) {
		seed += 0x9e3779b97f4a7c15ULL;
		z = seed;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		if (i < 4)
			wfrand_s[i] = z ^ (z >> 31);
		else
			wfrand_c[i - 4] = z ^ (z >> 31);
	}
}

static uint64_t
wfrand_next(uint64_t *s)
{
	uint64_t	r, t;

	r = wfrand_rotl(s[1] * 5, 7) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = wfrand_rotl(s[3], 45);
	return (r);
}

uint64_t
wfrand_u64(void)
{
	return (wfrand_next(wfrand_s));
}

/* A uniform double in [0, 1) for the Markov chain's steps. */
double
wfrand_chain(void)
{
	return ((double)(wfrand_next(wfrand_c) >> 11) * 0x1.0p-53);
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
