/*
 * vxlan.h: the VXLAN header (RFC 7348 section 5), shared by the switch's
 * VXLAN ports and the library's vxlan:// and vxvde:// networks.
 *
 * A VXLAN datagram is this 8-byte header followed by the inner Ethernet
 * frame (no FCS): one flags byte with the I bit (0x08) set, three reserved
 * bytes, the 24-bit VNI, one reserved byte.
 */
#ifndef VXLAN_H
#define VXLAN_H

#include <stddef.h>
#include <stdint.h>

#define VXLAN_HDRLEN		8
#define VXLAN_PORT		4789	/* IANA */
#define VXLAN_FLAG_VNI		0x08	/* the I flag: the VNI is valid */
#define VXLAN_VNI_MAX		0xffffff

/* Reasons vxlan_decap() refuses a datagram. */
#define VXLAN_OK		0
#define VXLAN_ESHORT		1	/* shorter than header + 14 bytes */
#define VXLAN_EFLAGS		2	/* I flag clear */
#define VXLAN_ERUNT		3	/* a header, but under 14 bytes after it */

void	vxlan_encap(unsigned char *hdr, uint32_t vni);
int	vxlan_decap(const unsigned char *dgram, size_t len, uint32_t *vni);
uint32_t vxlan_flowhash(const unsigned char *frame, size_t len);
int	vxlan_innervid(const unsigned char *frame, size_t len);

#endif
