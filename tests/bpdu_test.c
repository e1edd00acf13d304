/*
 * bpdu_test: the IEEE 802.1D/802.1w BPDU codec of vde_switch (bpdu.c):
 * byte layouts against hand-written frames, round trips, and refusal of
 * truncated or inconsistent frames.
 */
#include "config.h"

#include <atf-c.h>
#include <string.h>

#include "switch.h"

static const uint8_t	src[6] = { 0x00, 0xff, 0x01, 0x02, 0x03, 0x04 };

/* A Configuration BPDU as a Linux bridge sends it (version 0, type 0). */
static const uint8_t	config_frame[60] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x00,	/* dst */
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56,	/* src */
	0x00, 0x26,				/* 802.3 length 38 */
	0x42, 0x42, 0x03,			/* LLC */
	0x00, 0x00, 0x00, 0x00,			/* proto, version, type */
	0x81,					/* TC + TCA */
	0x80, 0x00, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,	/* root */
	0x00, 0x00, 0x00, 0x64,			/* cost 100 */
	0x80, 0x00, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,	/* bridge */
	0x80, 0x02,				/* port */
	0x01, 0x80,				/* msg age 1.5 s */
	0x14, 0x00,				/* max age 20 s */
	0x02, 0x00,				/* hello 2 s */
	0x0f, 0x00,				/* fwd delay 15 s */
};

ATF_TC_WITHOUT_HEAD(decode_config);
ATF_TC_BODY(decode_config, tc)
{
	struct bpdu	b;

	ATF_REQUIRE_EQ(bpdu_decode(config_frame, sizeof(config_frame), &b), 0);
	ATF_CHECK_EQ(b.b_type, BPDU_TYPE_CONFIG);
	ATF_CHECK_EQ(b.b_version, 0);
	ATF_CHECK_EQ(b.b_flags, BPDU_F_TC | BPDU_F_TCA);
	ATF_CHECK(b.b_root == 0x8000525400123456ULL);
	ATF_CHECK_EQ(b.b_cost, 100);
	ATF_CHECK(b.b_bridge == 0x8000525400123456ULL);
	ATF_CHECK_EQ(b.b_port, 0x8002);
	ATF_CHECK_EQ(b.b_msgage, 0x180);
	ATF_CHECK_EQ(b.b_maxage, 20 * 256);
	ATF_CHECK_EQ(b.b_hello, 2 * 256);
	ATF_CHECK_EQ(b.b_fwddelay, 15 * 256);
	/* Without padding, exactly 14 + 38 bytes still decode. */
	ATF_CHECK_EQ(bpdu_decode(config_frame, 52, &b), 0);
}

ATF_TC_WITHOUT_HEAD(config_drops_rstp_flags);
ATF_TC_BODY(config_drops_rstp_flags, tc)
{
	uint8_t		f[60];
	struct bpdu	b;

	memcpy(f, config_frame, sizeof(f));
	f[21] = 0xff;
	ATF_REQUIRE_EQ(bpdu_decode(f, sizeof(f), &b), 0);
	ATF_CHECK_EQ(b.b_flags, BPDU_F_TC | BPDU_F_TCA);
}

ATF_TC_WITHOUT_HEAD(encode_rst_layout);
ATF_TC_BODY(encode_rst_layout, tc)
{
	struct bpdu	b, d;
	uint8_t		f[64];

	memset(&b, 0, sizeof(b));
	b.b_type = BPDU_TYPE_RST;
	b.b_flags = BPDU_F_PROPOSAL | BPDU_ROLE_DESIGNATED << BPDU_F_ROLE_SHIFT;
	b.b_root = 0x100000ff01020304ULL;
	b.b_cost = 20000;
	b.b_bridge = 0x800000ff01020304ULL;
	b.b_port = 0x8003;
	b.b_msgage = 256;
	b.b_maxage = 20 * 256;
	b.b_hello = 2 * 256;
	b.b_fwddelay = 15 * 256;
	ATF_REQUIRE_EQ(bpdu_encode(f, sizeof(f), src, &b), 60);
	ATF_CHECK(memcmp(f, bpdu_group, 6) == 0);
	ATF_CHECK(memcmp(f + 6, src, 6) == 0);
	ATF_CHECK_EQ(f[12], 0x00);
	ATF_CHECK_EQ(f[13], 39);		/* LLC 3 + RST 36 */
	ATF_CHECK_EQ(f[14], 0x42);
	ATF_CHECK_EQ(f[16], 0x03);
	ATF_CHECK_EQ(f[19], 2);			/* version */
	ATF_CHECK_EQ(f[20], 2);			/* type */
	ATF_CHECK_EQ(f[21], 0x0e);
	ATF_CHECK_EQ(f[22], 0x10);		/* root priority, big-endian */
	ATF_CHECK_EQ(f[30], 0x00);		/* cost 20000 = 0x4e20 */
	ATF_CHECK_EQ(f[32], 0x4e);
	ATF_CHECK_EQ(f[33], 0x20);
	ATF_CHECK_EQ(f[42], 0x80);		/* port id 0x8003 */
	ATF_CHECK_EQ(f[43], 0x03);
	ATF_CHECK_EQ(f[44], 0x01);		/* msg age 1 s = 0x0100 */
	ATF_CHECK_EQ(f[45], 0x00);
	ATF_CHECK_EQ(f[46], 20);		/* max age 20 s */
	ATF_CHECK_EQ(f[52], 0);			/* version 1 length */
	ATF_CHECK_EQ(f[53], 0);			/* padding */
	ATF_REQUIRE_EQ(bpdu_decode(f, 60, &d), 0);
	ATF_CHECK_EQ(d.b_type, BPDU_TYPE_RST);
	ATF_CHECK_EQ(d.b_version, 2);
	ATF_CHECK_EQ(d.b_flags, b.b_flags);
	ATF_CHECK(d.b_root == b.b_root);
	ATF_CHECK(d.b_bridge == b.b_bridge);
	ATF_CHECK_EQ(d.b_cost, b.b_cost);
	ATF_CHECK_EQ(d.b_port, b.b_port);
	ATF_CHECK_EQ(d.b_fwddelay, b.b_fwddelay);
	/* The buffer must hold a minimum-size frame. */
	ATF_CHECK_EQ(bpdu_encode(f, 59, src, &b), 0);
}

ATF_TC_WITHOUT_HEAD(encode_tcn_and_config);
ATF_TC_BODY(encode_tcn_and_config, tc)
{
	struct bpdu	b, d;
	uint8_t		f[60];

	memset(&b, 0, sizeof(b));
	b.b_type = BPDU_TYPE_TCN;
	ATF_REQUIRE_EQ(bpdu_encode(f, sizeof(f), src, &b), 60);
	ATF_CHECK_EQ(f[13], 7);
	ATF_CHECK_EQ(f[19], 0);
	ATF_CHECK_EQ(f[20], 0x80);
	ATF_REQUIRE_EQ(bpdu_decode(f, 60, &d), 0);
	ATF_CHECK_EQ(d.b_type, BPDU_TYPE_TCN);

	b.b_type = BPDU_TYPE_CONFIG;
	b.b_flags = 0xff;	/* only TC and TCA may go out */
	b.b_maxage = 20 * 256;
	ATF_REQUIRE_EQ(bpdu_encode(f, sizeof(f), src, &b), 60);
	ATF_CHECK_EQ(f[13], 38);
	ATF_CHECK_EQ(f[19], 0);
	ATF_CHECK_EQ(f[21], 0x81);
	ATF_REQUIRE_EQ(bpdu_decode(f, 60, &d), 0);
	ATF_CHECK_EQ(d.b_type, BPDU_TYPE_CONFIG);

	b.b_type = 0x42;
	ATF_CHECK_EQ(bpdu_encode(f, sizeof(f), src, &b), 0);
}

ATF_TC_WITHOUT_HEAD(rejects_truncated);
ATF_TC_BODY(rejects_truncated, tc)
{
	uint8_t		f[60];
	struct bpdu	b;
	size_t		len;

	/* Every cut of a Config BPDU before its end is refused. */
	for (len = 0; len < 52; len++)
		ATF_CHECK_EQ(bpdu_decode(config_frame, len, &b), BPDU_ESHORT);
	/* An 802.3 length beyond the frame. */
	memcpy(f, config_frame, sizeof(f));
	f[13] = 60;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), BPDU_ESHORT);
	/* An 802.3 length too short for a Config BPDU. */
	f[13] = 30;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), BPDU_ESHORT);
	/* An RST BPDU needs 36 octets: 35 is not enough. */
	f[13] = 38;
	f[19] = 2;
	f[20] = 2;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), BPDU_ESHORT);
	f[13] = 39;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), 0);
}

ATF_TC_WITHOUT_HEAD(rejects_bad_headers);
ATF_TC_BODY(rejects_bad_headers, tc)
{
	uint8_t		f[60];
	struct bpdu	b;

	memcpy(f, config_frame, sizeof(f));
	f[5] = 0x01;		/* 01:80:c2:00:00:01, not the bridge group */
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), BPDU_EADDR);
	ATF_CHECK(!bpdu_is_group(f, sizeof(f)));
	ATF_CHECK(bpdu_is_group(config_frame, 6));
	ATF_CHECK(!bpdu_is_group(config_frame, 5));

	memcpy(f, config_frame, sizeof(f));
	f[12] = 0x08;		/* an EtherType, not a length */
	f[13] = 0x00;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), BPDU_ELLC);

	memcpy(f, config_frame, sizeof(f));
	f[16] = 0x13;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), BPDU_ELLC);

	memcpy(f, config_frame, sizeof(f));
	f[18] = 0x01;		/* protocol identifier 1 */
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), BPDU_EPROTO);
}

ATF_TC_WITHOUT_HEAD(type_version_combinations);
ATF_TC_BODY(type_version_combinations, tc)
{
	uint8_t		f[60];
	struct bpdu	b;

	memcpy(f, config_frame, sizeof(f));
	f[13] = 39;
	/* Type 2 with versions 0 and 1 is invalid; 2 and 3 are RST. */
	f[20] = 2;
	f[19] = 0;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), BPDU_ETYPE);
	f[19] = 1;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), BPDU_ETYPE);
	f[19] = 2;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), 0);
	f[19] = 3;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), 0);
	ATF_CHECK_EQ(b.b_type, BPDU_TYPE_RST);
	/* A Config BPDU of a later version is still a Config BPDU. */
	f[20] = 0;
	f[19] = 2;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), 0);
	ATF_CHECK_EQ(b.b_type, BPDU_TYPE_CONFIG);
	/* Unknown types. */
	f[20] = 0x01;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), BPDU_ETYPE);
	f[20] = 0x81;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), BPDU_ETYPE);
	/* A TCN needs only 4 octets after the LLC header. */
	memset(f + 17, 0, sizeof(f) - 17);
	f[13] = 7;
	f[20] = 0x80;
	ATF_CHECK_EQ(bpdu_decode(f, 21, &b), 0);
	ATF_CHECK_EQ(b.b_type, BPDU_TYPE_TCN);
	ATF_CHECK_EQ(bpdu_decode(f, 20, &b), BPDU_ESHORT);
}

ATF_TC_WITHOUT_HEAD(rejects_aged_info);
ATF_TC_BODY(rejects_aged_info, tc)
{
	uint8_t		f[60];
	struct bpdu	b;

	memcpy(f, config_frame, sizeof(f));
	f[44] = 0x14;		/* message age 20 s == max age */
	f[45] = 0x00;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), BPDU_EAGE);
	f[44] = 0x13;
	f[45] = 0xff;
	ATF_CHECK_EQ(bpdu_decode(f, sizeof(f), &b), 0);
	ATF_CHECK(strcmp(bpdu_strerror(BPDU_EAGE), "unknown") != 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, decode_config);
	ATF_TP_ADD_TC(tp, config_drops_rstp_flags);
	ATF_TP_ADD_TC(tp, encode_rst_layout);
	ATF_TP_ADD_TC(tp, encode_tcn_and_config);
	ATF_TP_ADD_TC(tp, rejects_truncated);
	ATF_TP_ADD_TC(tp, rejects_bad_headers);
	ATF_TP_ADD_TC(tp, type_version_combinations);
	ATF_TP_ADD_TC(tp, rejects_aged_info);
	return (atf_no_error());
}
