/*
 * vxhdr_test: the VXLAN header codec (src/common/vxlan.c: every refusal
 * of vxlan_decap, the flow hash, the inner VLAN) and a VXLAN port's VTEP
 * table (src/switch/vxfdb.c: learning, moves, static entries, aging, the
 * entry cap and the learning rate).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <atf-c.h>
#include <errno.h>
#include <string.h>

#include "vxlan.h"
#include "switch.h"

ATF_TC_WITHOUT_HEAD(encap_decap);
ATF_TC_BODY(encap_decap, tc)
{
	unsigned char	d[VXLAN_HDRLEN + 14];
	uint32_t	vni = 0;

	memset(d, 0xee, sizeof(d));
	vxlan_encap(d, 0xabcdef);
	ATF_CHECK_EQ(d[0], 0x08);
	ATF_CHECK(d[1] == 0 && d[2] == 0 && d[3] == 0 && d[7] == 0);
	ATF_REQUIRE_EQ(vxlan_decap(d, sizeof(d), &vni), VXLAN_OK);
	ATF_CHECK_EQ(vni, 0xabcdef);
	/* Reserved bits are ignored on receipt (RFC 7348). */
	d[1] = 0xff;
	d[7] = 0xff;
	ATF_CHECK_EQ(vxlan_decap(d, sizeof(d), &vni), VXLAN_OK);
}

ATF_TC_WITHOUT_HEAD(decap_refusals);
ATF_TC_BODY(decap_refusals, tc)
{
	unsigned char	d[VXLAN_HDRLEN + 14];
	uint32_t	vni;

	vxlan_encap(d, 42);
	ATF_CHECK_EQ(vxlan_decap(d, 0, &vni), VXLAN_ESHORT);
	ATF_CHECK_EQ(vxlan_decap(d, VXLAN_HDRLEN - 1, &vni), VXLAN_ESHORT);
	ATF_CHECK_EQ(vxlan_decap(d, VXLAN_HDRLEN, &vni), VXLAN_ERUNT);
	ATF_CHECK_EQ(vxlan_decap(d, VXLAN_HDRLEN + 13, &vni), VXLAN_ERUNT);
	d[0] = 0x00;
	ATF_CHECK_EQ(vxlan_decap(d, sizeof(d), &vni), VXLAN_EFLAGS);
	d[0] = 0xf7;
	ATF_CHECK_EQ(vxlan_decap(d, sizeof(d), &vni), VXLAN_EFLAGS);
}

/* An IPv4 TCP frame from port sport. */
static void
tcpframe(unsigned char *f, int sport, int tagged)
{
	size_t	o = tagged ? 4 : 0;

	memset(f, 0, 80);
	f[0] = 0x02;
	f[6] = 0x02;
	f[11] = 1;
	if (tagged) {
		f[12] = 0x81;
		f[14] = 0x00;
		f[15] = 10;
	}
	f[12 + o] = 0x08;
	f[14 + o] = 0x45;
	f[14 + o + 9] = 6;
	f[14 + o + 12] = 10;
	f[14 + o + 16] = 10;
	f[14 + o + 20] = (unsigned char)(sport >> 8);
	f[14 + o + 21] = (unsigned char)sport;
	f[14 + o + 23] = 80;
}

ATF_TC_WITHOUT_HEAD(flowhash);
ATF_TC_BODY(flowhash, tc)
{
	unsigned char	a[80], b[80];
	uint32_t	seen[8];
	int		i, j, n = 0;

	tcpframe(a, 1000, 0);
	tcpframe(b, 1000, 0);
	b[70] = 0x55;			/* payload: not part of the flow */
	ATF_CHECK_EQ(vxlan_flowhash(a, 80), vxlan_flowhash(b, 80));
	/* Other ports: other flows, spread over the source ports. */
	for (i = 0; i < 8; i++) {
		tcpframe(a, 2000 + i, 0);
		seen[i] = vxlan_flowhash(a, 80) % 4;
	}
	for (i = 0; i < 4; i++)
		for (j = 0; j < 8; j++)
			if (seen[j] == (uint32_t)i) {
				n++;
				break;
			}
	ATF_CHECK_MSG(n >= 2, "8 flows over %d of 4 source ports", n);
	/* Short frames hash too, without reading past them. */
	(void)vxlan_flowhash(a, 0);
	(void)vxlan_flowhash(a, 13);
	(void)vxlan_flowhash(a, 20);
}

ATF_TC_WITHOUT_HEAD(innervid);
ATF_TC_BODY(innervid, tc)
{
	unsigned char	f[80];

	tcpframe(f, 1, 0);
	ATF_CHECK_EQ(vxlan_innervid(f, 80), 0);
	tcpframe(f, 1, 1);
	ATF_CHECK_EQ(vxlan_innervid(f, 80), 10);
	ATF_CHECK_EQ(vxlan_innervid(f, 15), 0);
}

static void
mkaddr(struct sockaddr_in *s, int last)
{
	memset(s, 0, sizeof(*s));
	s->sin_family = AF_INET;
	s->sin_port = htons(4789);
	s->sin_addr.s_addr = htonl(0xc0a86300u | (unsigned int)last);
}

static const unsigned char	mac_a[6] = { 2, 0, 0, 0, 0, 0xa };
static const unsigned char	mac_b[6] = { 2, 0, 0, 0, 0, 0xb };

ATF_TC_WITHOUT_HEAD(fdb_learn_move_age);
ATF_TC_BODY(fdb_learn_move_age, tc)
{
	struct vxfdb		 t;
	struct sockaddr_in	 s1, s2;
	const struct vxfdb_ent	*e;
	static const unsigned char bcast[6] = { 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff };

	vxfdb_init(&t, 16, 10, 100);
	mkaddr(&s1, 1);
	mkaddr(&s2, 2);
	ATF_CHECK_EQ(vxfdb_learn(&t, bcast, 0, (struct sockaddr *)&s1,
	    sizeof(s1), 0), VXFDB_IGNORED);
	ATF_CHECK_EQ(vxfdb_learn(&t, mac_a, 0, (struct sockaddr *)&s1,
	    sizeof(s1), 0), VXFDB_NEW);
	ATF_CHECK_EQ(vxfdb_learn(&t, mac_a, 0, (struct sockaddr *)&s1,
	    sizeof(s1), 1), VXFDB_REFRESH);
	/* Per VLAN: the same MAC in VLAN 10 is another entry. */
	ATF_CHECK(vxfdb_lookup(&t, mac_a, 10, 1) == NULL);
	ATF_REQUIRE((e = vxfdb_lookup(&t, mac_a, 0, 1)) != NULL);
	ATF_CHECK(memcmp(&e->ve_addr, &s1, sizeof(s1)) == 0);
	ATF_CHECK_EQ(vxfdb_learn(&t, mac_a, 0, (struct sockaddr *)&s2,
	    sizeof(s2), 2), VXFDB_MOVED);
	ATF_REQUIRE((e = vxfdb_lookup(&t, mac_a, 0, 2)) != NULL);
	ATF_CHECK(memcmp(&e->ve_addr, &s2, sizeof(s2)) == 0);
	/* Aging: 10 seconds after the last frame it is gone. */
	ATF_CHECK(vxfdb_lookup(&t, mac_a, 0, 11) != NULL);
	ATF_CHECK(vxfdb_lookup(&t, mac_a, 0, 12) == NULL);
	vxfdb_gc(&t, 12);
	ATF_CHECK_EQ(t.vf_count, 0);
	vxfdb_free(&t);
}

ATF_TC_WITHOUT_HEAD(fdb_static);
ATF_TC_BODY(fdb_static, tc)
{
	struct vxfdb		 t;
	struct sockaddr_in	 s1, s2;
	const struct vxfdb_ent	*e;

	vxfdb_init(&t, 16, 10, 100);
	mkaddr(&s1, 1);
	mkaddr(&s2, 2);
	ATF_REQUIRE_EQ(vxfdb_add(&t, mac_a, 0, (struct sockaddr *)&s1,
	    sizeof(s1)), 0);
	/* Neither moved by a frame from elsewhere nor aged. */
	ATF_CHECK_EQ(vxfdb_learn(&t, mac_a, 0, (struct sockaddr *)&s2,
	    sizeof(s2), 5), VXFDB_STATIC);
	vxfdb_gc(&t, 100000);
	ATF_REQUIRE((e = vxfdb_lookup(&t, mac_a, 0, 100000)) != NULL);
	ATF_CHECK(memcmp(&e->ve_addr, &s1, sizeof(s1)) == 0);
	ATF_CHECK_EQ(vxfdb_del(&t, mac_a, 0), 0);
	ATF_CHECK_EQ(vxfdb_del(&t, mac_a, 0), ENOENT);
	vxfdb_free(&t);
}

ATF_TC_WITHOUT_HEAD(fdb_bounds);
ATF_TC_BODY(fdb_bounds, tc)
{
	struct vxfdb		 t;
	struct sockaddr_in	 s1;
	unsigned char		 m[6] = { 2, 0, 0, 0, 0, 0 };
	int			 i, n = 0;

	mkaddr(&s1, 1);
	/* The cap: 4 entries, the fifth is refused and counted. */
	vxfdb_init(&t, 4, 10, 1000);
	for (i = 1; i <= 5; i++) {
		m[5] = (unsigned char)i;
		(void)vxfdb_learn(&t, m, 0, (struct sockaddr *)&s1,
		    sizeof(s1), 0);
	}
	ATF_CHECK_EQ(t.vf_count, 4);
	ATF_CHECK_EQ(t.vf_full, 1);
	ATF_CHECK_EQ(vxfdb_add(&t, mac_b, 0, (struct sockaddr *)&s1,
	    sizeof(s1)), ENOSPC);
	vxfdb_free(&t);
	/* The rate: 3 new entries a second, the rest wait. */
	vxfdb_init(&t, 100, 10, 3);
	for (i = 1; i <= 10; i++) {
		m[5] = (unsigned char)i;
		if (vxfdb_learn(&t, m, 0, (struct sockaddr *)&s1,
		    sizeof(s1), 7) == VXFDB_NEW)
			n++;
	}
	ATF_CHECK_EQ(n, 3);
	ATF_CHECK_EQ(t.vf_limited, 7);
	m[5] = 9;
	ATF_CHECK_EQ(vxfdb_learn(&t, m, 0, (struct sockaddr *)&s1,
	    sizeof(s1), 8), VXFDB_NEW);
	vxfdb_free(&t);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, encap_decap);
	ATF_TP_ADD_TC(tp, decap_refusals);
	ATF_TP_ADD_TC(tp, flowhash);
	ATF_TP_ADD_TC(tp, innervid);
	ATF_TP_ADD_TC(tp, fdb_learn_move_age);
	ATF_TP_ADD_TC(tp, fdb_static);
	ATF_TP_ADD_TC(tp, fdb_bounds);
	return (atf_no_error());
}
