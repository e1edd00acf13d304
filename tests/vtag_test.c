/*
 * vtag_test: the 802.1Q tag codec (src/switch/vtag.c).
 */
#include "config.h"

#include <atf-c.h>
#include <string.h>

#include "switch.h"

static const unsigned char dst[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const unsigned char src[6] = { 0x02, 0, 0, 0, 0, 0x02 };

/* An untagged frame of len bytes (EtherType 0x0800) at p. */
static void
mkframe(unsigned char *p, size_t len)
{
	size_t	i;

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = 0x08;
	p[13] = 0x00;
	for (i = 14; i < len; i++)
		p[i] = (unsigned char)i;
}

ATF_TC_WITHOUT_HEAD(parse);
ATF_TC_BODY(parse, tc)
{
	unsigned char	f[64];
	struct vtag	t;

	mkframe(f, sizeof(f));
	ATF_CHECK_EQ(vtag_parse(f, sizeof(f), &t), VTAG_NONE);
	ATF_CHECK_EQ(vtag_parse(f, 13, &t), VTAG_SHORT);
	ATF_CHECK_EQ(vtag_parse(f, 14, &t), VTAG_NONE);

	/* PCP 5, DEI 1, VID 0x123. */
	f[12] = 0x81; f[13] = 0x00; f[14] = 0xb1; f[15] = 0x23;
	ATF_REQUIRE_EQ(vtag_parse(f, sizeof(f), &t), VTAG_TAGGED);
	ATF_CHECK_EQ(t.vt_vid, 0x123);
	ATF_CHECK_EQ(t.vt_pcp, 5);
	ATF_CHECK_EQ(t.vt_dei, 1);
	ATF_CHECK_EQ(t.vt_tci, 0xb123);
	ATF_CHECK_EQ(VTAG_TCI(5, 1, 0x123), 0xb123);

	/* A TPID with no room for the TCI and inner EtherType. */
	ATF_CHECK_EQ(vtag_parse(f, 17, &t), VTAG_SHORT);
	ATF_CHECK_EQ(vtag_parse(f, 18, &t), VTAG_TAGGED);

	/* 802.1ad and other TPIDs are plain EtherTypes. */
	f[12] = 0x88; f[13] = 0xa8;
	ATF_CHECK_EQ(vtag_parse(f, sizeof(f), &t), VTAG_NONE);
	f[12] = 0x91; f[13] = 0x00;
	ATF_CHECK_EQ(vtag_parse(f, sizeof(f), &t), VTAG_NONE);
	f[12] = 0x81; f[13] = 0x01;
	ATF_CHECK_EQ(vtag_parse(f, sizeof(f), &t), VTAG_NONE);
}

ATF_TC_WITHOUT_HEAD(push_then_strip);
ATF_TC_BODY(push_then_strip, tc)
{
	unsigned char	 buf[4 + 100], orig[100], *p;
	size_t		 len = 60;

	mkframe(buf + 4, len);
	memcpy(orig, buf + 4, len);
	p = buf + 4;
	vtag_push(&p, &len, VTAG_TCI(0, 0, 10));
	ATF_CHECK(p == buf);
	ATF_CHECK_EQ(len, 64);
	ATF_CHECK(memcmp(p, orig, 12) == 0);
	ATF_CHECK(p[12] == 0x81 && p[13] == 0x00);
	ATF_CHECK(p[14] == 0x00 && p[15] == 10);
	ATF_CHECK(memcmp(p + 16, orig + 12, 48) == 0);

	vtag_strip(&p, &len);
	ATF_CHECK(p == buf + 4);
	ATF_CHECK_EQ(len, 60);
	ATF_CHECK(memcmp(p, orig, 60) == 0);
}

ATF_TC_WITHOUT_HEAD(strip_keeps_payload);
ATF_TC_BODY(strip_keeps_payload, tc)
{
	unsigned char	 f[64], *p = f;
	size_t		 len = sizeof(f);

	mkframe(f, sizeof(f));
	f[12] = 0x81; f[13] = 0x00; f[14] = 0xe0; f[15] = 0x14;
	f[16] = 0x08; f[17] = 0x06;
	vtag_strip(&p, &len);
	/* A padded 64-byte tagged frame becomes 60 bytes: not re-padded. */
	ATF_CHECK_EQ(len, 60);
	ATF_CHECK(memcmp(p, dst, 6) == 0);
	ATF_CHECK(memcmp(p + 6, src, 6) == 0);
	ATF_CHECK(p[12] == 0x08 && p[13] == 0x06);
	ATF_CHECK_EQ(p[14], 18);
}

ATF_TC_WITHOUT_HEAD(set_tci);
ATF_TC_BODY(set_tci, tc)
{
	unsigned char	f[64];
	struct vtag	t;

	mkframe(f, sizeof(f));
	f[12] = 0x81; f[13] = 0x00; f[14] = 0xa0; f[15] = 0x00;
	vtag_set_tci(f, VTAG_TCI(5, 0, 4093));
	ATF_REQUIRE_EQ(vtag_parse(f, sizeof(f), &t), VTAG_TAGGED);
	ATF_CHECK_EQ(t.vt_vid, 4093);
	ATF_CHECK_EQ(t.vt_pcp, 5);
	ATF_CHECK_EQ(t.vt_dei, 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, parse);
	ATF_TP_ADD_TC(tp, push_then_strip);
	ATF_TP_ADD_TC(tp, strip_keeps_payload);
	ATF_TP_ADD_TC(tp, set_tci);
	return (atf_no_error());
}
