/*
 * vxlan.c: build and check the VXLAN header (see vxlan.h), and what a
 * sender derives from the inner frame: the flow hash behind the UDP
 * source port and the VLAN the frame belongs to.
 */
#include "config.h"

#include <string.h>

#include "vxlan.h"

/* Write the header for vni into hdr (VXLAN_HDRLEN bytes). */
void
vxlan_encap(unsigned char *hdr, uint32_t vni)
{
	memset(hdr, 0, VXLAN_HDRLEN);
	hdr[0] = VXLAN_FLAG_VNI;
	hdr[4] = (vni >> 16) & 0xff;
	hdr[5] = (vni >> 8) & 0xff;
	hdr[6] = vni & 0xff;
}

/*
 * Check a received datagram: VXLAN_OK and its VNI in *vni when it holds a
 * header with the I flag and at least an Ethernet header after it, else
 * the reason: VXLAN_ESHORT (no complete header), VXLAN_EFLAGS (I flag
 * clear), VXLAN_ERUNT (under 14 bytes of frame).  Reserved bits are
 * ignored on receipt, as RFC 7348 asks.
 */
int
vxlan_decap(const unsigned char *d, size_t len, uint32_t *vni)
{
	if (len < VXLAN_HDRLEN)
		return (VXLAN_ESHORT);
	if ((d[0] & VXLAN_FLAG_VNI) == 0)
		return (VXLAN_EFLAGS);
	if (len < VXLAN_HDRLEN + 14)
		return (VXLAN_ERUNT);
	*vni = (uint32_t)d[4] << 16 | (uint32_t)d[5] << 8 | d[6];
	return (VXLAN_OK);
}

/* Mix n bytes into h (FNV-1a). */
static uint32_t
vxlan_mix(uint32_t h, const unsigned char *p, size_t n)
{
	while (n-- > 0) {
		h ^= *p++;
		h *= 16777619u;
	}
	return (h);
}

/*
 * A hash of the inner frame's flow, for the UDP source port (RFC 7348
 * section 5 recommends one, so that routers spreading traffic over
 * several paths keep a flow on one): the Ethernet addresses and type and,
 * for IPv4 and IPv6, the addresses, the protocol and the TCP or UDP ports.
 * One VLAN tag is looked through.  Frames of one flow hash alike.
 */
uint32_t
vxlan_flowhash(const unsigned char *f, size_t len)
{
	uint32_t	h = 2166136261u;
	size_t		off = 12, ihl;
	unsigned int	type, proto;

	if (len < 14)
		return (vxlan_mix(h, f, len));
	h = vxlan_mix(h, f, 12);
	type = (unsigned int)f[12] << 8 | f[13];
	if (type == 0x8100 && len >= 18) {
		off = 16;
		type = (unsigned int)f[16] << 8 | f[17];
	}
	h = vxlan_mix(h, f + off, 2);
	off += 2;
	if (type == 0x0800 && len >= off + 20 && (f[off] >> 4) == 4) {
		ihl = (size_t)(f[off] & 0x0f) * 4;
		proto = f[off + 9];
		h = vxlan_mix(h, f + off + 9, 1);
		h = vxlan_mix(h, f + off + 12, 8);
		/* Ports only in a first fragment (or no fragment at all). */
		if (ihl >= 20 && (proto == 6 || proto == 17) &&
		    (((unsigned int)f[off + 6] & 0x1f) | f[off + 7]) == 0 &&
		    len >= off + ihl + 4)
			h = vxlan_mix(h, f + off + ihl, 4);
	} else if (type == 0x86dd && len >= off + 40) {
		proto = f[off + 6];
		h = vxlan_mix(h, f + off + 6, 1);
		h = vxlan_mix(h, f + off + 8, 32);
		if ((proto == 6 || proto == 17) && len >= off + 44)
			h = vxlan_mix(h, f + off + 40, 4);
	}
	/* Spread the low bits, which pick the port. */
	h ^= h >> 16;
	h *= 0x45d9f3bu;
	h ^= h >> 16;
	return (h);
}

/* The VLAN of an inner frame: its 802.1Q tag's VID, 0 when untagged. */
int
vxlan_innervid(const unsigned char *f, size_t len)
{
	if (len >= 16 && f[12] == 0x81 && f[13] == 0x00)
		return (((int)f[14] & 0x0f) << 8 | f[15]);
	return (0);
}
