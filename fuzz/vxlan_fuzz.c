/*
 * vxlan_fuzz: libFuzzer target for what a VXLAN port does with a datagram
 * before it reaches the switch: the header check (vxlan_decap), the inner
 * VLAN and flow hash of the frame (vxlan.c), and learning its source in
 * the VTEP table (vxfdb.c), then looking it up again.
 *
 * Input: a sequence of records, each one byte of length L, one byte of
 * "source" (which of 256 VTEP addresses sent it, and the clock's step),
 * then L bytes of datagram.  The table is small (8 entries, 4 new entries
 * a second) so that the cap, the rate limit, moves and aging all happen.
 * Invariants checked (abort on violation): decap accepts only datagrams
 * with the I flag and 14 bytes of frame; the table never holds more than
 * its cap, counts what it holds, and a learned source is found at the
 * address it was learned from.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vxlan.h"
#include "switch.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	fz_n;

static void
fz_count(const struct vxfdb_ent *e, void *arg)
{
	(void)e;
	(void)arg;
	fz_n++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vxfdb		 t;
	struct sockaddr_in	 sa;
	const struct vxfdb_ent	*e;
	const uint8_t		*d;
	uint32_t		 vni;
	size_t			 len;
	time_t			 now = 0;
	int			 r, vid, src;

	vxfdb_init(&t, 8, 3, 4);
	while (size >= 2) {
		len = data[0];
		src = data[1];
		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		d = data;
		data += len;
		size -= len;
		now += src & 3;
		r = vxlan_decap(d, len, &vni);
		if (r == VXLAN_OK && (len < VXLAN_HDRLEN + 14 ||
		    (d[0] & VXLAN_FLAG_VNI) == 0 || vni > VXLAN_VNI_MAX))
			abort();
		(void)vxlan_flowhash(d, len);
		if (r != VXLAN_OK)
			continue;
		d += VXLAN_HDRLEN;
		len -= VXLAN_HDRLEN;
		vid = vxlan_innervid(d, len);
		if (vid < 0 || vid > VLAN_MAX)
			abort();
		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_addr.s_addr = htonl(0x0a000000u | (uint32_t)src);
		r = vxfdb_learn(&t, d + ETHER_ADDR_LEN, vid,
		    (struct sockaddr *)&sa, sizeof(sa), now);
		if (r == VXFDB_NEW || r == VXFDB_MOVED ||
		    r == VXFDB_REFRESH) {
			e = vxfdb_lookup(&t, d + ETHER_ADDR_LEN, vid, now);
			if (e == NULL || e->ve_alen != sizeof(sa) ||
			    memcmp(&e->ve_addr, &sa, sizeof(sa)) != 0)
				abort();
		}
		if ((src & 0x80) != 0)
			(void)vxfdb_del(&t, d + ETHER_ADDR_LEN, vid);
		if ((src & 0x40) != 0)
			vxfdb_gc(&t, now);
		fz_n = 0;
		vxfdb_foreach(&t, fz_count, NULL);
		if (fz_n != t.vf_count || t.vf_count > t.vf_max ||
		    t.vf_count < 0)
			abort();
	}
	vxfdb_free(&t);
	return (0);
}
