/*
 * vxlan.c: build and check the VXLAN header (see vxlan.h).
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
 * the reason.  Reserved bits are ignored on receipt, as RFC 7348 asks.
 */
int
vxlan_decap(const unsigned char *d, size_t len, uint32_t *vni)
{
	if (len < VXLAN_HDRLEN + 14)
		return (VXLAN_ESHORT);
	if ((d[0] & VXLAN_FLAG_VNI) == 0)
		return (VXLAN_EFLAGS);
	*vni = (uint32_t)d[4] << 16 | (uint32_t)d[5] << 8 | d[6];
	return (VXLAN_OK);
}
