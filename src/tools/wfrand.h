/*
 * wfrand.h: the seedable pseudo-random generator of wirefilter, so that a
 * lab run can be repeated exactly (--seed).
 */
#ifndef WFRAND_H
#define WFRAND_H

#include <stdint.h>

void	 wfrand_seed(uint64_t seed);
uint64_t wfrand_u64(void);
double	 wfrand_unit(void);
double	 wfrand_normal(void);
double	 wfrand_chain(void);

#endif /* WFRAND_H */
