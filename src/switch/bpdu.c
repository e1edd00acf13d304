/*
 * bpdu.c: encoder and strict decoder of IEEE 802.1D-2004 / 802.1w Bridge
 * Protocol Data Units as they travel in Ethernet frames: destination
 * 01:80:C2:00:00:00, an 802.3 length field, LLC 42 42 03, then the BPDU
 * with big-endian fields and times in units of 1/256 second.
 *
 * Pure functions over byte buffers: no sockets, no global state, so the
 * unit tests and the fuzzer drive them directly.  Validation follows the
 * receive rules of 802.1D-2004 clause 9.3.4: a Configuration BPDU needs at
 * least 35 octets, a TCN 4, an RST BPDU 36 octets and protocol version 2 or
 * more; anything else is refused with a reason the caller can count.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "switch.h"

#define ETH_HDRLEN	14		/* dst, src, length */
#define LLC_LEN		3
#define OFF_LEN		12
#define OFF_LLC		ETH_HDRLEN
#define OFF_BPDU	(ETH_HDRLEN + LLC_LEN)	/* protocol identifier */
#define LEN_8023_MAX	1500	/* larger values are EtherTypes */

#define LEN_CONFIG	35		/* octets of each BPDU type */
#define LEN_TCN		4
#define LEN_RST		36

const uint8_t	bpdu_group[ETHER_ADDR_LEN] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x00
};

static uint16_t
get16(const uint8_t *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

static uint32_t
get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

static uint64_t
get64(const uint8_t *p)
{
	return ((uint64_t)get32(p) << 32 | get32(p + 4));
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

/* Cheap test for the per-frame path: is this frame for the bridge group? */
int
bpdu_is_group(const uint8_t *frame, size_t len)
{
	return (len >= ETHER_ADDR_LEN &&
	    memcmp(frame, bpdu_group, ETHER_ADDR_LEN) == 0);
}

/*
 * Decode an untagged Ethernet frame into *b.  Returns 0 or one of the
 * negative BPDU_E* reasons; *b is only meaningful on success.
 */
int
bpdu_decode(const uint8_t *frame, size_t len, struct bpdu *b)
{
	const uint8_t	*p;
	size_t		 plen;	/* BPDU octets after the LLC header */
	uint16_t	 l8023;

	if (len < OFF_BPDU + LEN_TCN)
		return (BPDU_ESHORT);
	if (!bpdu_is_group(frame, len))
		return (BPDU_EADDR);
	l8023 = get16(frame + OFF_LEN);
	/* An EtherType here means it is not an 802.3/LLC frame at all. */
	if (l8023 > LEN_8023_MAX)
		return (BPDU_ELLC);
	/* The 802.3 length bounds the BPDU; padding after it is ignored. */
	if (l8023 < LLC_LEN + LEN_TCN || l8023 > len - ETH_HDRLEN)
		return (BPDU_ESHORT);
	if (frame[OFF_LLC] != 0x42 || frame[OFF_LLC + 1] != 0x42 ||
	    frame[OFF_LLC + 2] != 0x03)
		return (BPDU_ELLC);
	p = frame + OFF_BPDU;
	plen = l8023 - LLC_LEN;
	if (get16(p) != 0)
		return (BPDU_EPROTO);

	memset(b, 0, sizeof(*b));
	b->b_version = p[2];
	b->b_type = p[3];
	switch (b->b_type) {
	case BPDU_TYPE_TCN:
		/* 4 octets are enough; the version field is not checked. */
		return (0);
	case BPDU_TYPE_CONFIG:
		if (plen < LEN_CONFIG)
			return (BPDU_ESHORT);
		break;
	case BPDU_TYPE_RST:
		/* Type 2 with version 0 or 1 is no valid combination. */
		if (b->b_version < 2)
			return (BPDU_ETYPE);
		if (plen < LEN_RST)
			return (BPDU_ESHORT);
		break;
	default:
		return (BPDU_ETYPE);
	}
	b->b_flags = p[4];
	b->b_root = get64(p + 5);
	b->b_cost = get32(p + 13);
	b->b_bridge = get64(p + 17);
	b->b_port = get16(p + 25);
	b->b_msgage = get16(p + 27);
	b->b_maxage = get16(p + 29);
	b->b_hello = get16(p + 31);
	b->b_fwddelay = get16(p + 33);
	/* Config BPDUs carry only the TC and TC Ack flags. */
	if (b->b_type == BPDU_TYPE_CONFIG)
		b->b_flags &= BPDU_F_TC | BPDU_F_TCA;
	/* Information that has already aged out is of no use to anyone. */
	if (b->b_msgage >= b->b_maxage)
		return (BPDU_EAGE);
	return (0);
}

/*
 * Encode *b as an Ethernet frame from src into buf, zero-padded to the
 * 60-byte minimum.  Returns the frame length, or 0 if buf is too small.
 */
size_t
bpdu_encode(uint8_t *buf, size_t size, const uint8_t src[ETHER_ADDR_LEN],
    const struct bpdu *b)
{
	uint8_t		*p;
	size_t		 plen;

	switch (b->b_type) {
	case BPDU_TYPE_TCN:
		plen = LEN_TCN;
		break;
	case BPDU_TYPE_CONFIG:
		plen = LEN_CONFIG;
		break;
	case BPDU_TYPE_RST:
		plen = LEN_RST;
		break;
	default:
		return (0);
	}
	if (size < BPDU_FRAMELEN)
		return (0);
	memset(buf, 0, BPDU_FRAMELEN);
	memcpy(buf, bpdu_group, ETHER_ADDR_LEN);
	memcpy(buf + ETHER_ADDR_LEN, src, ETHER_ADDR_LEN);
	put16(buf + OFF_LEN, (uint16_t)(LLC_LEN + plen));
	buf[OFF_LLC] = 0x42;
	buf[OFF_LLC + 1] = 0x42;
	buf[OFF_LLC + 2] = 0x03;
	p = buf + OFF_BPDU;
	/* Protocol identifier 0; version 0 for STP types, 2 for RST. */
	p[2] = b->b_type == BPDU_TYPE_RST ? 2 : 0;
	p[3] = b->b_type;
	if (b->b_type == BPDU_TYPE_TCN)
		return (BPDU_FRAMELEN);
	p[4] = b->b_type == BPDU_TYPE_CONFIG ?
	    b->b_flags & (BPDU_F_TC | BPDU_F_TCA) : b->b_flags;
	put64(p + 5, b->b_root);
	put32(p + 13, b->b_cost);
	put64(p + 17, b->b_bridge);
	put16(p + 25, b->b_port);
	put16(p + 27, b->b_msgage);
	put16(p + 29, b->b_maxage);
	put16(p + 31, b->b_hello);
	put16(p + 33, b->b_fwddelay);
	/* RST: Version 1 Length is 0 (no Version 1 protocol information). */
	return (BPDU_FRAMELEN);
}

/* A short text for a bpdu_decode() failure, for logs and counters. */
const char *
bpdu_strerror(int e)
{
	switch (e) {
	case 0:
		return ("ok");
	case BPDU_ESHORT:
		return ("truncated");
	case BPDU_EADDR:
		return ("not for the bridge group address");
	case BPDU_ELLC:
		return ("not LLC 42 42 03");
	case BPDU_EPROTO:
		return ("bad protocol identifier");
	case BPDU_ETYPE:
		return ("bad type or version");
	case BPDU_EAGE:
		return ("message age not below max age");
	}
	return ("unknown");
}
