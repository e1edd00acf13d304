/*
 * vlan_fuzz: libFuzzer target for the 802.1Q code of the switch: the tag
 * parser (vtag.c), ingress classification, egress tagging and flooding
 * (vlan.c), and the console's VLAN list syntax.
 *
 * Input: byte 0 picks the ingress port and byte 1 the headroom; the rest
 * is the frame.  The same bytes, NUL-terminated, are also a VLAN list.
 * Invariants checked (abort on violation): every copy sent out is the
 * frame with exactly one tag more, one less or unchanged; tagged copies
 * carry the frame's VLAN; a parsed list formats and parses back to itself.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "switch.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static unsigned char	fz_buf[VTAG_LEN + VDE_FRAMEBUF];
static size_t		fz_inlen;
static int		fz_intagged;
static int		fz_vid;
static int		fz_ready;

/* Ports 1..3 access ports of 10, 20 and 0; 4 a trunk of 10 and 20; 5 none. */
static void
fz_setup(void)
{
	int	p;

	vlan_init();
	if (vlan_create(10) != 0 || vlan_create(20) != 0 ||
	    vlan_setuntagged(1, 10) != 0 || vlan_setuntagged(2, 20) != 0 ||
	    vlan_addport(10, 4) != 0 || vlan_addport(20, 4) != 0 ||
	    vlan_setuntagged(5, VLAN_NONE) != 0)
		abort();
	for (p = 0; p <= 5; p++)
		vlan_port_up(p);
}

static void
fz_check(int port, const unsigned char *f, size_t len, void *arg)
{
	struct vtag	t;

	(void)port;
	(void)arg;
	if (len != fz_inlen && len + VTAG_LEN != fz_inlen &&
	    len != fz_inlen + VTAG_LEN)
		abort();
	if (len == fz_inlen + VTAG_LEN || (len == fz_inlen && fz_intagged &&
	    vlan_untagged(port) != fz_vid)) {
		if (vtag_parse(f, len, &t) != VTAG_TAGGED || t.vt_vid != fz_vid)
			abort();
	}
}

static void
fz_list(const uint8_t *data, size_t size)
{
	unsigned char	map[VLAN_MAPSIZE], map2[VLAN_MAPSIZE];
	char		s[64], out[20000];
	int		all;

	if (size >= sizeof(s))
		size = sizeof(s) - 1;
	memcpy(s, data, size);
	s[size] = '\0';
	if (vlan_parselist(s, map, &all) != 0 || all)
		return;
	if (vlan_fmtlist(out, sizeof(out), map) >= sizeof(out))
		abort();
	if (strcmp(out, "none") == 0)
		abort();	/* a list that parses sets at least one bit */
	if (vlan_parselist(out, map2, &all) != 0 ||
	    memcmp(map, map2, sizeof(map)) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vlan_frame	 vf;
	struct vtag		 t;
	size_t			 room, len;
	int			 port, p;

	if (!fz_ready) {
		fz_setup();
		fz_ready = 1;
	}
	fz_list(data, size);
	if (size < 2)
		return (0);
	port = data[0] % 6;
	room = data[1] & 1 ? VTAG_LEN : 0;
	len = size - 2;
	if (len > VDE_ETHBUFSIZE)
		len = VDE_ETHBUFSIZE;
	memcpy(fz_buf + room, data + 2, len);

	(void)vtag_parse(fz_buf + room, len, &t);
	if (vlan_ingress(port, fz_buf + room, len, room, &vf) != 0)
		return (0);
	fz_inlen = len;
	fz_intagged = vf.vf_tagged;
	fz_vid = vf.vf_vid;
	if (vf.vf_vid != 0 && vf.vf_vid != 10 && vf.vf_vid != 20)
		abort();
	vlan_flood(&vf, port, fz_check, NULL);
	for (p = 0; p <= 5; p++)
		if (vlan_egress(&vf, p))
			fz_check(p, vf.vf_data, vf.vf_len, NULL);
	return (0);
}
