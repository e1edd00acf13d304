/*
 * bytes.h: big-endian (network order) fields read and written byte by
 * byte, at any alignment, for code that parses and builds headers in
 * frames (gso.c, gro.c).
 */
#ifndef BYTES_H
#define BYTES_H

#include <stdint.h>

static inline uint16_t
get16(const unsigned char *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

static inline void
put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static inline uint32_t
get32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3]);
}

static inline void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

#endif /* BYTES_H */
