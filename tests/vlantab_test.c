/*
 * vlantab_test: the VLAN table, ingress classification, egress tagging
 * and per-VLAN flooding of src/switch/vlan.c, without sockets.
 */
#include "config.h"

#include <atf-c.h>
#include <errno.h>
#include <string.h>

#include "switch.h"

#define MAXSENT	16

struct sent {
	int		s_port;
	size_t		s_len;
	unsigned char	s_data[128];
};

static struct sent	sent[MAXSENT];
static int		nsent;
static unsigned char	buf[4 + 128];

static void
record(int port, const unsigned char *p, size_t len, void *arg)
{
	(void)arg;
	ATF_REQUIRE(nsent < MAXSENT);
	ATF_REQUIRE(len <= sizeof(sent[0].s_data));
	sent[nsent].s_port = port;
	sent[nsent].s_len = len;
	memcpy(sent[nsent].s_data, p, len);
	nsent++;
}

static struct sent *
sent_to(int port)
{
	int	i;

	for (i = 0; i < nsent; i++)
		if (sent[i].s_port == port)
			return (&sent[i]);
	return (NULL);
}

/* A 60-byte broadcast ARP-like frame at buf + 4; optionally tagged. */
static unsigned char *
frame(int tagged, uint16_t tci, size_t *len)
{
	unsigned char	*p = buf + 4;
	size_t		 i, off = 12;

	memset(p, 0xff, 6);
	memcpy(p + 6, "\x02\x00\x00\x00\x00\x07", 6);
	if (tagged) {
		p[12] = 0x81;
		p[13] = 0x00;
		vtag_set_tci(p, tci);
		off = 16;
	}
	p[off] = 0x08;
	p[off + 1] = 0x06;
	for (i = off + 2; i < 60 + (tagged ? 4 : 0); i++)
		p[i] = (unsigned char)i;
	*len = 60 + (tagged ? 4 : 0);
	return (p);
}

static int
is_tagged(const struct sent *s, int vid, int pcp)
{
	struct vtag	t;

	if (vtag_parse(s->s_data, s->s_len, &t) != VTAG_TAGGED)
		return (0);
	return (t.vt_vid == vid && t.vt_pcp == pcp);
}

/*
 * The lab: port 1 a trunk (tagged 10 and 20), ports 2 and 3 access ports
 * of VLAN 10, port 4 of VLAN 20, port 5 left in VLAN 0, port 6 with no
 * untagged VLAN.  All active.
 */
static void
lab(void)
{
	int	p;

	vlan_init();
	nsent = 0;
	ATF_REQUIRE_EQ(vlan_create(10), 0);
	ATF_REQUIRE_EQ(vlan_create(20), 0);
	ATF_REQUIRE_EQ(vlan_addport(10, 1), 0);
	ATF_REQUIRE_EQ(vlan_addport(20, 1), 0);
	ATF_REQUIRE_EQ(vlan_setuntagged(2, 10), 0);
	ATF_REQUIRE_EQ(vlan_setuntagged(3, 10), 0);
	ATF_REQUIRE_EQ(vlan_setuntagged(4, 20), 0);
	ATF_REQUIRE_EQ(vlan_setuntagged(6, VLAN_NONE), 0);
	for (p = 1; p <= 6; p++)
		vlan_port_up(p);
}

ATF_TC_WITHOUT_HEAD(transparent_until_configured);
ATF_TC_BODY(transparent_until_configured, tc)
{
	struct vlan_frame	 vf;
	unsigned char		*p, copy[64];
	size_t			 len;

	vlan_init();
	nsent = 0;
	vlan_port_up(1);
	vlan_port_up(2);
	vlan_port_up(3);
	ATF_CHECK(!vlan_aware());
	p = frame(1, VTAG_TCI(3, 0, 42), &len);
	memcpy(copy, p, len);
	ATF_REQUIRE_EQ(vlan_ingress(1, p, len, 4, &vf), 0);
	ATF_CHECK_EQ(vf.vf_vid, 0);
	vlan_flood(&vf, 1, record, NULL);
	ATF_REQUIRE_EQ(nsent, 2);
	ATF_CHECK(sent_to(2) != NULL && sent_to(3) != NULL);
	ATF_CHECK_EQ(sent_to(2)->s_len, 64);
	ATF_CHECK(memcmp(sent_to(2)->s_data, copy, 64) == 0);
	ATF_CHECK(memcmp(sent_to(3)->s_data, copy, 64) == 0);

	/* One VLAN makes the switch aware; the unknown VID is dropped. */
	ATF_REQUIRE_EQ(vlan_create(5), 0);
	ATF_CHECK(vlan_aware());
	p = frame(1, VTAG_TCI(3, 0, 42), &len);
	ATF_CHECK_EQ(vlan_ingress(1, p, len, 4, &vf), -1);
	ATF_CHECK_EQ(vlan_port_drops(1, 1), 1);
	/* Removing it makes it transparent again. */
	ATF_REQUIRE_EQ(vlan_remove(5), 0);
	ATF_CHECK(!vlan_aware());
	p = frame(1, VTAG_TCI(3, 0, 42), &len);
	ATF_CHECK_EQ(vlan_ingress(1, p, len, 4, &vf), 0);
}

ATF_TC_WITHOUT_HEAD(table_errors);
ATF_TC_BODY(table_errors, tc)
{
	vlan_init();
	ATF_CHECK(vlan_defined(0));
	ATF_CHECK_EQ(vlan_create(0), EINVAL);
	ATF_CHECK_EQ(vlan_create(4094), EINVAL);
	ATF_CHECK_EQ(vlan_create(-1), EINVAL);
	ATF_CHECK_EQ(vlan_create(4093), 0);
	ATF_CHECK_EQ(vlan_create(10), 0);
	ATF_CHECK_EQ(vlan_create(10), EEXIST);
	ATF_CHECK_EQ(vlan_remove(0), EINVAL);
	ATF_CHECK_EQ(vlan_remove(4095), EINVAL);
	ATF_CHECK_EQ(vlan_remove(11), ENXIO);
	ATF_CHECK_EQ(vlan_remove(4094), ENXIO);

	ATF_CHECK_EQ(vlan_addport(11, 1), ENXIO);
	ATF_CHECK_EQ(vlan_addport(0, 1), EINVAL);
	ATF_CHECK_EQ(vlan_addport(10, 1), 0);
	ATF_CHECK_EQ(vlan_addport(10, 1), 0);	/* idempotent */
	ATF_CHECK(vlan_is_tagged(10, 1));
	ATF_CHECK_EQ(vlan_remove(10), EADDRINUSE);
	ATF_CHECK_EQ(vlan_delport(10, 2), ENXIO);
	ATF_CHECK_EQ(vlan_delport(10, 1), 0);
	ATF_CHECK(!vlan_is_tagged(10, 1));

	ATF_CHECK_EQ(vlan_setuntagged(2, 11), ENXIO);
	ATF_CHECK_EQ(vlan_setuntagged(2, 4096), EINVAL);
	ATF_CHECK_EQ(vlan_setuntagged(2, 10), 0);
	ATF_CHECK_EQ(vlan_addport(10, 2), EEXIST);
	ATF_CHECK_EQ(vlan_delport(10, 2), EADDRINUSE);
	ATF_CHECK_EQ(vlan_delport(0, 3), EADDRINUSE);
	ATF_CHECK_EQ(vlan_remove(10), EADDRINUSE);
	ATF_CHECK_EQ(vlan_setuntagged(2, 0), 0);
	ATF_CHECK_EQ(vlan_remove(10), 0);
	ATF_CHECK_EQ(vlan_remove(10), ENXIO);

	/* A tagged membership turns into the untagged one. */
	ATF_CHECK_EQ(vlan_create(30), 0);
	ATF_CHECK_EQ(vlan_addport(30, 3), 0);
	ATF_CHECK_EQ(vlan_setuntagged(3, 30), 0);
	ATF_CHECK(!vlan_is_tagged(30, 3));
	ATF_CHECK(vlan_is_member(30, 3));
	ATF_CHECK_EQ(vlan_untagged(3), 30);

	/* A removed port forgets its configuration. */
	vlan_port_forget(3);
	ATF_CHECK_EQ(vlan_untagged(3), 0);
	ATF_CHECK_EQ(vlan_remove(30), 0);
}

ATF_TC_WITHOUT_HEAD(trunk_all);
ATF_TC_BODY(trunk_all, tc)
{
	vlan_init();
	ATF_REQUIRE_EQ(vlan_create(10), 0);
	ATF_REQUIRE_EQ(vlan_setuntagged(1, 10), 0);
	ATF_REQUIRE_EQ(vlan_create(20), 0);
	ATF_REQUIRE_EQ(vlan_trunkall(1, 1), 0);
	ATF_CHECK(vlan_is_tagged(20, 1));
	ATF_CHECK(!vlan_is_tagged(10, 1));	/* untagged there */
	ATF_CHECK(!vlan_is_tagged(0, 1));
	ATF_REQUIRE_EQ(vlan_create(30), 0);
	ATF_CHECK(vlan_is_tagged(30, 1));	/* later VLANs too */
	/* Trunk-all membership does not keep a VLAN in use. */
	ATF_CHECK_EQ(vlan_remove(30), 0);
	ATF_CHECK_EQ(vlan_create(30), 0);
	ATF_CHECK(vlan_is_tagged(30, 1));
	ATF_REQUIRE_EQ(vlan_trunkall(1, 0), 0);
	ATF_CHECK(!vlan_is_tagged(20, 1));
	ATF_CHECK(!vlan_is_tagged(30, 1));
	ATF_CHECK_EQ(vlan_untagged(1), 10);
}

ATF_TC_WITHOUT_HEAD(ingress);
ATF_TC_BODY(ingress, tc)
{
	struct vlan_frame	 vf;
	unsigned char		*p;
	size_t			 len;

	lab();
	p = frame(0, 0, &len);
	ATF_REQUIRE_EQ(vlan_ingress(2, p, len, 4, &vf), 0);
	ATF_CHECK_EQ(vf.vf_vid, 10);
	ATF_CHECK(!vf.vf_tagged);

	p = frame(1, VTAG_TCI(0, 0, 20), &len);
	ATF_REQUIRE_EQ(vlan_ingress(1, p, len, 4, &vf), 0);
	ATF_CHECK_EQ(vf.vf_vid, 20);
	ATF_CHECK(vf.vf_tagged);

	/* Tagged 20 on an access port of 10: dropped and counted. */
	p = frame(1, VTAG_TCI(0, 0, 20), &len);
	ATF_CHECK_EQ(vlan_ingress(2, p, len, 4, &vf), -1);
	ATF_CHECK_EQ(vlan_port_drops(2, 1), 1);
	/* Tagged with the port's own untagged VLAN: accepted. */
	p = frame(1, VTAG_TCI(0, 0, 10), &len);
	ATF_CHECK_EQ(vlan_ingress(2, p, len, 4, &vf), 0);
	ATF_CHECK_EQ(vf.vf_vid, 10);
	/* Undefined VID on the trunk. */
	p = frame(1, VTAG_TCI(0, 0, 30), &len);
	ATF_CHECK_EQ(vlan_ingress(1, p, len, 4, &vf), -1);
	ATF_CHECK_EQ(vlan_port_drops(1, 1), 1);
	/* VID 4095 never matches the "no untagged VLAN" marker. */
	p = frame(1, VTAG_TCI(0, 0, 4095), &len);
	ATF_CHECK_EQ(vlan_ingress(6, p, len, 4, &vf), -1);
	ATF_CHECK_EQ(vlan_port_drops(6, 1), 1);
	/* Untagged on a port without untagged VLAN. */
	p = frame(0, 0, &len);
	ATF_CHECK_EQ(vlan_ingress(6, p, len, 4, &vf), -1);
	ATF_CHECK_EQ(vlan_port_drops(6, 0), 1);
	/* QinQ outer tag counts as untagged. */
	p = frame(1, VTAG_TCI(0, 0, 20), &len);
	p[12] = 0x88;
	p[13] = 0xa8;
	ATF_REQUIRE_EQ(vlan_ingress(4, p, len, 4, &vf), 0);
	ATF_CHECK_EQ(vf.vf_vid, 20);
	ATF_CHECK(!vf.vf_tagged);
	/* Too short to carry its tag. */
	p = frame(1, VTAG_TCI(0, 0, 20), &len);
	ATF_CHECK_EQ(vlan_ingress(1, p, 16, 4, &vf), -1);
}

ATF_TC_WITHOUT_HEAD(flood_untagged_in);
ATF_TC_BODY(flood_untagged_in, tc)
{
	struct vlan_frame	 vf;
	unsigned char		*p, copy[64];
	size_t			 len;
	struct sent		*s;

	lab();
	p = frame(0, 0, &len);
	memcpy(copy, p, len);
	ATF_REQUIRE_EQ(vlan_ingress(2, p, len, 4, &vf), 0);
	vlan_flood(&vf, 2, record, NULL);
	ATF_CHECK_EQ(nsent, 2);
	ATF_REQUIRE((s = sent_to(3)) != NULL);
	ATF_CHECK_EQ(s->s_len, 60);
	ATF_CHECK(memcmp(s->s_data, copy, 60) == 0);
	ATF_REQUIRE((s = sent_to(1)) != NULL);
	ATF_CHECK_EQ(s->s_len, 64);
	ATF_CHECK(is_tagged(s, 10, 0));
	ATF_CHECK(memcmp(s->s_data, copy, 12) == 0);
	ATF_CHECK(memcmp(s->s_data + 16, copy + 12, 48) == 0);
	/* Nothing to VLAN 20, VLAN 0 or the port with no VLAN. */
	ATF_CHECK(sent_to(4) == NULL);
	ATF_CHECK(sent_to(5) == NULL);
	ATF_CHECK(sent_to(6) == NULL);
}

ATF_TC_WITHOUT_HEAD(flood_tagged_in);
ATF_TC_BODY(flood_tagged_in, tc)
{
	struct vlan_frame	 vf;
	unsigned char		*p, copy[64];
	size_t			 len;
	struct sent		*s;

	lab();
	ATF_REQUIRE_EQ(vlan_create(30), 0);
	ATF_REQUIRE_EQ(vlan_addport(30, 1), 0);
	ATF_REQUIRE_EQ(vlan_addport(30, 5), 0);
	ATF_REQUIRE_EQ(vlan_setuntagged(3, 30), 0);
	/* PCP 5 and DEI survive tag->tag. */
	p = frame(1, VTAG_TCI(5, 1, 30), &len);
	memcpy(copy, p, len);
	ATF_REQUIRE_EQ(vlan_ingress(1, p, len, 4, &vf), 0);
	vlan_flood(&vf, 1, record, NULL);
	ATF_CHECK_EQ(nsent, 2);
	ATF_REQUIRE((s = sent_to(5)) != NULL);
	ATF_CHECK_EQ(s->s_len, 64);
	ATF_CHECK(memcmp(s->s_data, copy, 64) == 0);
	ATF_REQUIRE((s = sent_to(3)) != NULL);
	ATF_CHECK_EQ(s->s_len, 60);
	ATF_CHECK(memcmp(s->s_data, copy, 12) == 0);
	ATF_CHECK(memcmp(s->s_data + 12, copy + 16, 48) == 0);
}

ATF_TC_WITHOUT_HEAD(unicast_egress);
ATF_TC_BODY(unicast_egress, tc)
{
	struct vlan_frame	 vf;
	unsigned char		*p;
	size_t			 len;
	struct vtag		 t;

	lab();
	/* Untagged in, tagged out with PCP 0. */
	p = frame(0, 0, &len);
	ATF_REQUIRE_EQ(vlan_ingress(4, p, len, 4, &vf), 0);
	ATF_CHECK_EQ(vlan_egress(&vf, 2), 0);	/* other VLAN */
	ATF_CHECK_EQ(vlan_egress(&vf, 5), 0);
	ATF_REQUIRE_EQ(vlan_egress(&vf, 1), 1);
	ATF_CHECK_EQ(vf.vf_len, 64);
	ATF_REQUIRE_EQ(vtag_parse(vf.vf_data, vf.vf_len, &t), VTAG_TAGGED);
	ATF_CHECK_EQ(t.vt_tci, VTAG_TCI(0, 0, 20));

	/* Tagged in with PCP 7, out untagged. */
	p = frame(1, VTAG_TCI(7, 0, 20), &len);
	ATF_REQUIRE_EQ(vlan_ingress(1, p, len, 4, &vf), 0);
	ATF_REQUIRE_EQ(vlan_egress(&vf, 4), 1);
	ATF_CHECK_EQ(vf.vf_len, 60);
	ATF_CHECK_EQ(vtag_parse(vf.vf_data, vf.vf_len, &t), VTAG_NONE);
	ATF_CHECK(vf.vf_data[12] == 0x08 && vf.vf_data[13] == 0x06);
	/* ...and back to tagged for another port keeps PCP 7. */
	ATF_REQUIRE_EQ(vlan_addport(20, 5), 0);
	ATF_REQUIRE_EQ(vlan_egress(&vf, 5), 1);
	ATF_REQUIRE_EQ(vtag_parse(vf.vf_data, vf.vf_len, &t), VTAG_TAGGED);
	ATF_CHECK_EQ(t.vt_tci, VTAG_TCI(7, 0, 20));
}

ATF_TC_WITHOUT_HEAD(priority_tag);
ATF_TC_BODY(priority_tag, tc)
{
	struct vlan_frame	 vf;
	unsigned char		*p;
	size_t			 len;
	struct sent		*s;

	lab();
	/* VID 0 with PCP 6 on an access port of 10: VLAN 10, PCP 6. */
	p = frame(1, VTAG_TCI(6, 0, 0), &len);
	ATF_REQUIRE_EQ(vlan_ingress(2, p, len, 4, &vf), 0);
	ATF_CHECK_EQ(vf.vf_vid, 10);
	vlan_flood(&vf, 2, record, NULL);
	ATF_CHECK_EQ(nsent, 2);
	ATF_REQUIRE((s = sent_to(1)) != NULL);
	ATF_CHECK(is_tagged(s, 10, 6));
	ATF_REQUIRE((s = sent_to(3)) != NULL);
	ATF_CHECK_EQ(s->s_len, 60);
	ATF_CHECK(s->s_data[12] == 0x08 && s->s_data[13] == 0x06);
	/* ...and dropped where there is no untagged VLAN. */
	p = frame(1, VTAG_TCI(6, 0, 0), &len);
	ATF_CHECK_EQ(vlan_ingress(6, p, len, 4, &vf), -1);
}

ATF_TC_WITHOUT_HEAD(no_headroom);
ATF_TC_BODY(no_headroom, tc)
{
	struct vlan_frame	 vf;
	unsigned char		*p, copy[64];
	size_t			 len;
	struct sent		*s;

	lab();
	p = frame(0, 0, &len);
	memcpy(copy, p, len);
	ATF_REQUIRE_EQ(vlan_ingress(2, p, len, 0, &vf), 0);
	vlan_flood(&vf, 2, record, NULL);
	ATF_REQUIRE((s = sent_to(1)) != NULL);
	ATF_CHECK(is_tagged(s, 10, 0));
	ATF_CHECK(memcmp(s->s_data + 16, copy + 12, 48) == 0);
	/* The caller's bytes before the frame were not touched. */
	ATF_CHECK(memcmp(buf + 4, copy, 60) == 0);
}

ATF_TC_WITHOUT_HEAD(port_down_leaves_flood);
ATF_TC_BODY(port_down_leaves_flood, tc)
{
	struct vlan_frame	 vf;
	unsigned char		*p;
	size_t			 len;

	lab();
	vlan_port_down(3);
	ATF_CHECK(!vlan_port_active(3));
	p = frame(0, 0, &len);
	ATF_REQUIRE_EQ(vlan_ingress(2, p, len, 4, &vf), 0);
	vlan_flood(&vf, 2, record, NULL);
	ATF_CHECK_EQ(nsent, 1);
	ATF_CHECK(sent_to(3) == NULL);
	/* Its configuration stays and comes back with it. */
	ATF_CHECK_EQ(vlan_untagged(3), 10);
	vlan_port_up(3);
	nsent = 0;
	p = frame(0, 0, &len);
	ATF_REQUIRE_EQ(vlan_ingress(2, p, len, 4, &vf), 0);
	vlan_flood(&vf, 2, record, NULL);
	ATF_CHECK_EQ(nsent, 2);
	ATF_CHECK(sent_to(3) != NULL);
}

ATF_TC_WITHOUT_HEAD(list_syntax);
ATF_TC_BODY(list_syntax, tc)
{
	unsigned char	map[VLAN_MAPSIZE];
	char		out[64];
	int		all;

	ATF_REQUIRE_EQ(vlan_parselist("10-20,30", map, &all), 0);
	ATF_CHECK(!all);
	ATF_CHECK_EQ(vlan_fmtlist(out, sizeof(out), map), 8);
	ATF_CHECK_STREQ(out, "10-20,30");
	ATF_REQUIRE_EQ(vlan_parselist("5", map, &all), 0);
	ATF_CHECK_EQ(vlan_fmtlist(out, sizeof(out), map), 1);
	ATF_CHECK_STREQ(out, "5");
	ATF_REQUIRE_EQ(vlan_parselist("0x10,3,1-2,4", map, &all), 0);
	vlan_fmtlist(out, sizeof(out), map);
	ATF_CHECK_STREQ(out, "1-4,16");
	ATF_REQUIRE_EQ(vlan_parselist("all", map, &all), 0);
	ATF_CHECK(all);
	ATF_REQUIRE_EQ(vlan_parselist("1-4095", map, &all), 0);
	vlan_fmtlist(out, sizeof(out), map);
	ATF_CHECK_STREQ(out, "1-4095");

	ATF_CHECK_EQ(vlan_parselist("", map, &all), EINVAL);
	ATF_CHECK_EQ(vlan_parselist("10,", map, &all), EINVAL);
	ATF_CHECK_EQ(vlan_parselist(",10", map, &all), EINVAL);
	ATF_CHECK_EQ(vlan_parselist("20-10", map, &all), EINVAL);
	ATF_CHECK_EQ(vlan_parselist("4096", map, &all), EINVAL);
	ATF_CHECK_EQ(vlan_parselist("-1", map, &all), EINVAL);
	ATF_CHECK_EQ(vlan_parselist("10-", map, &all), EINVAL);
	ATF_CHECK_EQ(vlan_parselist("1 2", map, &all), EINVAL);
	ATF_CHECK_EQ(vlan_parselist("99999999999999999999", map, &all),
	    EINVAL);
	ATF_CHECK_EQ(vlan_parselist("0x", map, &all), EINVAL);
	ATF_CHECK_EQ(vlan_parselist("+5", map, &all), EINVAL);
	ATF_CHECK_EQ(vlan_parselist("0x1000", map, &all), EINVAL);
	/* A leading 0 is decimal, as everywhere on the console. */
	ATF_REQUIRE_EQ(vlan_parselist("010,0xa-0XB", map, &all), 0);
	vlan_fmtlist(out, sizeof(out), map);
	ATF_CHECK_STREQ(out, "10-11");
	ATF_CHECK_EQ(vlan_parselist("alll", map, &all), EINVAL);

	/* Nothing set, and truncation like snprintf. */
	memset(map, 0, sizeof(map));
	vlan_fmtlist(out, sizeof(out), map);
	ATF_CHECK_STREQ(out, "none");
	ATF_REQUIRE_EQ(vlan_parselist("1,3,5,7,9", map, &all), 0);
	ATF_CHECK_EQ(vlan_fmtlist(out, 4, map), 9);
	ATF_CHECK_STREQ(out, "1,3");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, list_syntax);
	ATF_TP_ADD_TC(tp, transparent_until_configured);
	ATF_TP_ADD_TC(tp, table_errors);
	ATF_TP_ADD_TC(tp, trunk_all);
	ATF_TP_ADD_TC(tp, ingress);
	ATF_TP_ADD_TC(tp, flood_untagged_in);
	ATF_TP_ADD_TC(tp, flood_tagged_in);
	ATF_TP_ADD_TC(tp, unicast_egress);
	ATF_TP_ADD_TC(tp, priority_tag);
	ATF_TP_ADD_TC(tp, no_headroom);
	ATF_TP_ADD_TC(tp, port_down_leaves_flood);
	return (atf_no_error());
}
