/*
 * gso_test: software checksum completion and TCP segmentation
 * (src/switch/gso.c).  Frames are built here as a Linux tap hands them
 * over (the pseudo-header sum in the checksum field) or with garbage in
 * every field gso must not trust; the frames gso makes are checked with
 * this file's own checksum verifier: a header is right when the ones'
 * complement sum over it, checksum field included, is 0xffff.  The
 * reverse, frames merged back into segments (src/switch/gro.c), is tested
 * here too, by round trips through both, and so is src/switch/csum.c.
 */
#include "config.h"

#include <atf-c.h>
#include <stdint.h>
#include <string.h>

#include "switch.h"

#define T_MAXLEN	VDE_ETHBUFSIZE
#define T_BUFLEN	(VDE_ETHBUFSIZE + 4)
#define T_FIN		0x01
#define T_PSH		0x08
#define T_ACK		0x10
#define T_CWR		0x80

/* Where the headers of a built frame are. */
struct tframe {
	unsigned char	tf_b[70000];
	size_t		tf_len;
	size_t		tf_l3;
	size_t		tf_th;
	size_t		tf_hlen;
	int		tf_v6;
	struct os_offload tf_oo;
};

/* What to build. */
struct tspec {
	int		ts_v6;
	int		ts_ntags;	/* VLAN tags: 0, 1 (0x8100), 2 (QinQ) */
	size_t		ts_ipopt;	/* IPv4 option bytes (multiple of 4) */
	size_t		ts_ext;		/* IPv6 hop-by-hop bytes (0 or 8k) */
	size_t		ts_tcpopt;	/* TCP option bytes (multiple of 4) */
	size_t		ts_pay;
	unsigned	ts_mss;
	uint8_t		ts_flags;
	uint32_t	ts_seq;
	uint16_t	ts_id;
	int		ts_garbage;	/* garbage in lengths and checksums */
	int		ts_ecn;
};

static unsigned
rd16(const unsigned char *p)
{
	return ((unsigned)p[0] * 256 + p[1]);
}

static void
wr16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)((v / 256) & 0xff);
	p[1] = (unsigned char)(v & 0xff);
}

static uint32_t
rd32(const unsigned char *p)
{
	return ((uint32_t)rd16(p) * 65536u + rd16(p + 2));
}

/* The test's own ones' complement sum: word by word, folded at the end. */
static unsigned
tsum(unsigned long acc, const unsigned char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		acc += (i % 2 == 0) ? (unsigned long)p[i] << 8 : p[i];
	while (acc > 0xffff)
		acc = (acc >> 16) + (acc & 0xffff);
	return ((unsigned)acc);
}

/* The pseudo-header sum (not complemented) for a transport segment. */
static unsigned
tpseudo(const unsigned char *ip, int v6, unsigned proto, size_t tlen)
{
	unsigned long	acc;

	acc = v6 ? tsum(0, ip + 8, 32) : tsum(0, ip + 12, 8);
	acc += proto + (tlen >> 16) + (tlen & 0xffff);
	return (tsum(acc, NULL, 0));
}

/* Build a TCP GSO frame as a tap with offloads gives it. */
static void
tbuild(struct tframe *tf, const struct tspec *ts)
{
	unsigned char	*b = tf->tf_b;
	size_t		 off, i, ihl, doff;

	memset(tf, 0, sizeof(*tf));
	memcpy(b, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	off = 12;
	for (i = 0; i < (size_t)ts->ts_ntags; i++) {
		wr16(b + off, (ts->ts_ntags == 2 && i == 0) ? 0x88a8 : 0x8100);
		wr16(b + off + 2, (unsigned)(10 + i));
		off += 4;
	}
	wr16(b + off, ts->ts_v6 ? 0x86dd : 0x0800);
	off += 2;
	tf->tf_l3 = off;
	tf->tf_v6 = ts->ts_v6;
	if (!ts->ts_v6) {
		ihl = 20 + ts->ts_ipopt;
		b[off] = (unsigned char)(0x40 | ihl / 4);
		b[off + 1] = 0x10;
		b[off + 6] = 0x40;		/* DF */
		b[off + 8] = 64;
		b[off + 9] = 6;
		memcpy(b + off + 12, "\x0a\x01\x02\x03\xc0\xa8\xfe\x07", 8);
		for (i = 20; i < ihl; i++)
			b[off + i] = 0x01;	/* NOP options */
		wr16(b + off + 4, ts->ts_id);
		off += ihl;
	} else {
		b[off] = 0x60;
		b[off + 1] = 0x0a;
		b[off + 2] = 0xbc;
		b[off + 3] = 0xde;
		b[off + 6] = ts->ts_ext ? 0 : 6;
		b[off + 7] = 64;
		for (i = 0; i < 32; i++)
			b[off + 8 + i] = (unsigned char)(0xf0 + i * 7);
		off += 40;
		if (ts->ts_ext) {
			b[off] = 6;
			b[off + 1] = (unsigned char)(ts->ts_ext / 8 - 1);
			b[off + 2] = 1;		/* PadN */
			b[off + 3] = (unsigned char)(ts->ts_ext - 4);
			off += ts->ts_ext;
		}
	}
	tf->tf_th = off;
	doff = 20 + ts->ts_tcpopt;
	wr16(b + off, 40000);
	wr16(b + off + 2, 5201);
	b[off + 4] = (unsigned char)(ts->ts_seq >> 24);
	b[off + 5] = (unsigned char)(ts->ts_seq >> 16);
	b[off + 6] = (unsigned char)(ts->ts_seq >> 8);
	b[off + 7] = (unsigned char)ts->ts_seq;
	memcpy(b + off + 8, "\x11\x22\x33\x44", 4);
	b[off + 12] = (unsigned char)(doff / 4 << 4);
	b[off + 13] = ts->ts_flags;
	wr16(b + off + 14, 502);
	for (i = 20; i < doff; i++)
		b[off + i] = (i + 1 < doff) ? 0x01 : 0x00;
	tf->tf_hlen = off + doff;
	for (i = 0; i < ts->ts_pay; i++)
		b[tf->tf_hlen + i] = (unsigned char)(i * 31 + i / 251);
	tf->tf_len = tf->tf_hlen + ts->ts_pay;

	/* The lengths and checksums as Linux leaves them, or garbage. */
	if (ts->ts_garbage) {
		wr16(b + tf->tf_th + 16, 0xdead);
		if (!ts->ts_v6) {
			wr16(b + tf->tf_l3 + 2, 0);
			wr16(b + tf->tf_l3 + 10, 0xbeef);
		} else
			wr16(b + tf->tf_l3 + 4, 0x1234);
	} else {
		if (!ts->ts_v6) {
			wr16(b + tf->tf_l3 + 2,
			    (unsigned)((tf->tf_len - tf->tf_l3) & 0xffff));
			wr16(b + tf->tf_l3 + 10,
			    ~tsum(0, b + tf->tf_l3, tf->tf_th - tf->tf_l3) &
			    0xffff);
		} else
			wr16(b + tf->tf_l3 + 4,
			    (unsigned)((tf->tf_len - tf->tf_l3 - 40) & 0xffff));
		wr16(b + tf->tf_th + 16, tpseudo(b + tf->tf_l3, ts->ts_v6, 6,
		    tf->tf_len - tf->tf_th));
	}
	tf->tf_oo.oo_flags = OS_OFF_CSUM;
	tf->tf_oo.oo_gso = (uint8_t)((ts->ts_v6 ? OS_GSO_TCP6 : OS_GSO_TCP4) |
	    (ts->ts_ecn ? OS_GSO_ECN : 0));
	tf->tf_oo.oo_gsosize = (uint16_t)ts->ts_mss;
	tf->tf_oo.oo_hdrlen = (uint16_t)(ts->ts_garbage ? 7 : tf->tf_hlen);
	tf->tf_oo.oo_csumstart = (uint16_t)tf->tf_th;
	tf->tf_oo.oo_csumoff = 16;
}

/*
 * Segment tf and check every segment against the original: headers,
 * lengths, IDs, sequence numbers, flags, both checksums, and the payload
 * put back together.  Return the number of segments.
 */
static size_t
tsegment(const struct tframe *tf, const struct tspec *ts)
{
	static unsigned char	pay[70000];
	unsigned char		out[T_BUFLEN];
	const unsigned char	*f = tf->tf_b, *ip, *th;
	struct gso_iter		gi;
	const char		*why = NULL;
	size_t			n, seglen, plen, got = 0, l3 = tf->tf_l3;
	size_t			thoff = tf->tf_th, hlen = tf->tf_hlen;
	unsigned		flags;
	int			last;

	ATF_REQUIRE_MSG(gso_init(&gi, f, tf->tf_len, &tf->tf_oo, T_MAXLEN,
	    &why) == 0, "gso_init: %s", why ? why : "?");
	for (n = 0; (seglen = gso_next(&gi, out, sizeof(out))) != 0; n++) {
		ATF_REQUIRE(n <= ts->ts_pay);
		ATF_REQUIRE(seglen > hlen && seglen <= T_MAXLEN);
		plen = seglen - hlen;
		ATF_CHECK(plen <= ts->ts_mss);
		memcpy(pay + got, out + hlen, plen);
		got += plen;
		last = got == ts->ts_pay;
		ip = out + l3;
		th = out + thoff;

		/* Ethernet and tags unchanged. */
		ATF_CHECK(memcmp(out, f, l3) == 0);
		if (!tf->tf_v6) {
			ATF_CHECK_EQ(rd16(ip + 2), seglen - l3);
			ATF_CHECK_EQ(rd16(ip + 4), (ts->ts_id + n) & 0xffff);
			ATF_CHECK_EQ(tsum(0, ip, thoff - l3), 0xffff);
			ATF_CHECK(memcmp(ip, f + l3, 2) == 0);
			ATF_CHECK(memcmp(ip + 6, f + l3 + 6, 4) == 0);
			ATF_CHECK(memcmp(ip + 12, f + l3 + 12,
			    thoff - l3 - 12) == 0);
		} else {
			ATF_CHECK_EQ(rd16(ip + 4), seglen - l3 - 40);
			ATF_CHECK(memcmp(ip, f + l3, 4) == 0);
			ATF_CHECK(memcmp(ip + 6, f + l3 + 6,
			    thoff - l3 - 6) == 0);
		}
		ATF_CHECK_EQ(rd32(th + 4),
		    (uint32_t)(ts->ts_seq + (uint32_t)(got - plen)));
		flags = ts->ts_flags;
		if (!last)
			flags &= ~(unsigned)(T_FIN | T_PSH);
		if (n > 0)
			flags &= ~(unsigned)T_CWR;
		ATF_CHECK_EQ_MSG(th[13], flags, "segment %zu flags %#x",
		    n, th[13]);
		ATF_CHECK(memcmp(th, f + thoff, 4) == 0);
		ATF_CHECK(memcmp(th + 8, f + thoff + 8, 5) == 0);
		ATF_CHECK(memcmp(th + 14, f + thoff + 14, 2) == 0);
		ATF_CHECK(memcmp(th + 18, f + thoff + 18, hlen - thoff - 18)
		    == 0);
		ATF_CHECK_EQ_MSG(tsum(tpseudo(ip, tf->tf_v6, 6, seglen - thoff),
		    th, seglen - thoff), 0xffff, "segment %zu TCP checksum", n);
	}
	ATF_CHECK_EQ(got, ts->ts_pay);
	ATF_CHECK(memcmp(pay, f + hlen, ts->ts_pay) == 0);
	ATF_CHECK_EQ(n, (ts->ts_pay + ts->ts_mss - 1) / ts->ts_mss);
	/* Done stays done. */
	ATF_CHECK_EQ(gso_next(&gi, out, sizeof(out)), 0);
	return (n);
}

/* Segment the frame of ts, with the kernel's fields and with garbage. */
static size_t
tboth(const struct tspec *ts0)
{
	static struct tframe	tf;
	struct tspec		ts = *ts0;
	size_t			n;

	ts.ts_garbage = 0;
	tbuild(&tf, &ts);
	n = tsegment(&tf, &ts);
	ts.ts_garbage = 1;
	tbuild(&tf, &ts);
	ATF_CHECK_EQ(tsegment(&tf, &ts), n);
	return (n);
}

ATF_TC_WITHOUT_HEAD(tcp4);
ATF_TC_BODY(tcp4, tc)
{
	struct tspec	ts;

	memset(&ts, 0, sizeof(ts));
	ts.ts_pay = 4000;
	ts.ts_mss = 1448;
	ts.ts_flags = T_ACK | T_PSH | T_FIN | T_CWR;
	ts.ts_seq = 0x01020304;
	ts.ts_id = 0x4321;
	ATF_CHECK_EQ(tboth(&ts), 3);
	ts.ts_ecn = 1;
	ATF_CHECK_EQ(tboth(&ts), 3);
}

ATF_TC_WITHOUT_HEAD(tcp4_wrap);
ATF_TC_BODY(tcp4_wrap, tc)
{
	struct tspec	ts;

	/* Sequence numbers and IP IDs wrap around within the frame. */
	memset(&ts, 0, sizeof(ts));
	ts.ts_pay = 65000;
	ts.ts_mss = 1448;
	ts.ts_flags = T_ACK | T_PSH;
	ts.ts_seq = 0xffffd000u;
	ts.ts_id = 0xfff0;
	ATF_CHECK_EQ(tboth(&ts), 45);
}

ATF_TC_WITHOUT_HEAD(tcp4_options);
ATF_TC_BODY(tcp4_options, tc)
{
	struct tspec	ts;

	/* IP and TCP options, odd segment and payload lengths. */
	memset(&ts, 0, sizeof(ts));
	ts.ts_ipopt = 4;
	ts.ts_tcpopt = 12;
	ts.ts_pay = 3001;
	ts.ts_mss = 999;
	ts.ts_flags = T_ACK | T_FIN;
	ts.ts_seq = 7;
	ATF_CHECK_EQ(tboth(&ts), 4);
}

ATF_TC_WITHOUT_HEAD(tcp4_one_segment);
ATF_TC_BODY(tcp4_one_segment, tc)
{
	struct tspec	ts;

	memset(&ts, 0, sizeof(ts));
	ts.ts_pay = 100;
	ts.ts_mss = 1448;
	ts.ts_flags = T_ACK | T_PSH | T_CWR | T_FIN;
	ATF_CHECK_EQ(tboth(&ts), 1);
	ts.ts_pay = 2 * 1448;		/* exactly two */
	ATF_CHECK_EQ(tboth(&ts), 2);
	ts.ts_pay = 1448 + 1;		/* one byte more than one */
	ATF_CHECK_EQ(tboth(&ts), 2);
	ts.ts_pay = 1;
	ts.ts_mss = 1;
	ATF_CHECK_EQ(tboth(&ts), 1);
}

ATF_TC_WITHOUT_HEAD(tcp4_jumbo);
ATF_TC_BODY(tcp4_jumbo, tc)
{
	struct tspec	ts;

	/* The largest segments that fit a VDE frame. */
	memset(&ts, 0, sizeof(ts));
	ts.ts_pay = 60000;
	ts.ts_mss = T_MAXLEN - 14 - 20 - 20;
	ts.ts_flags = T_ACK;
	ATF_CHECK_EQ(tboth(&ts), 7);
}

ATF_TC_WITHOUT_HEAD(tcp4_vlan);
ATF_TC_BODY(tcp4_vlan, tc)
{
	struct tspec	ts;

	memset(&ts, 0, sizeof(ts));
	ts.ts_ntags = 1;
	ts.ts_pay = 5000;
	ts.ts_mss = 1400;
	ts.ts_flags = T_ACK | T_PSH;
	ts.ts_seq = 1000;
	ATF_CHECK_EQ(tboth(&ts), 4);
	ts.ts_ntags = 2;		/* 802.1ad outside 802.1Q */
	ATF_CHECK_EQ(tboth(&ts), 4);
}

ATF_TC_WITHOUT_HEAD(tcp6);
ATF_TC_BODY(tcp6, tc)
{
	struct tspec	ts;

	memset(&ts, 0, sizeof(ts));
	ts.ts_v6 = 1;
	ts.ts_pay = 5000;
	ts.ts_mss = 1428;
	ts.ts_flags = T_ACK | T_PSH | T_FIN | T_CWR;
	ts.ts_seq = 0xfffffff0u;
	ts.ts_tcpopt = 12;
	ATF_CHECK_EQ(tboth(&ts), 4);
	ts.ts_ecn = 1;
	ts.ts_ntags = 2;
	ATF_CHECK_EQ(tboth(&ts), 4);
}

ATF_TC_WITHOUT_HEAD(tcp6_exthdr);
ATF_TC_BODY(tcp6_exthdr, tc)
{
	struct tspec	ts;

	/* A hop-by-hop header between IPv6 and TCP, copied unchanged. */
	memset(&ts, 0, sizeof(ts));
	ts.ts_v6 = 1;
	ts.ts_ext = 16;
	ts.ts_pay = 3333;
	ts.ts_mss = 1000;
	ts.ts_flags = T_ACK | T_FIN;
	ATF_CHECK_EQ(tboth(&ts), 4);
}

/* A UDP/IPv4 frame with the pseudo-header sum in its checksum field. */
static size_t
tudp4(unsigned char *b, size_t pay, struct os_offload *oo)
{
	size_t	i, len = 14 + 20 + 8 + pay;

	memset(b, 0, len);
	memcpy(b, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00",
	    14);
	b[14] = 0x45;
	wr16(b + 16, (unsigned)(len - 14));
	b[22] = 64;
	b[23] = 17;
	memcpy(b + 26, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	wr16(b + 24, ~tsum(0, b + 14, 20) & 0xffff);
	wr16(b + 34, 5353);
	wr16(b + 36, 53);
	wr16(b + 38, (unsigned)(8 + pay));
	for (i = 0; i < pay; i++)
		b[42 + i] = (unsigned char)(i * 13 + 5);
	wr16(b + 40, tpseudo(b + 14, 0, 17, 8 + pay));
	memset(oo, 0, sizeof(*oo));
	oo->oo_flags = OS_OFF_CSUM;
	oo->oo_csumstart = 34;
	oo->oo_csumoff = 6;
	return (len);
}

/*
 * Complete the checksum of b with gso and return the frame made; check
 * that only the checksum field changed.
 */
static size_t
tcsum(const unsigned char *b, size_t len, const struct os_offload *oo,
    unsigned char *out)
{
	struct gso_iter	 gi;
	const char	*why = NULL;
	size_t		 at = (size_t)oo->oo_csumstart + oo->oo_csumoff;

	ATF_REQUIRE_MSG(gso_init(&gi, b, len, oo, T_MAXLEN, &why) == 0,
	    "gso_init: %s", why ? why : "?");
	ATF_REQUIRE_EQ(gso_next(&gi, out, T_BUFLEN), len);
	ATF_CHECK_EQ(gso_next(&gi, out + len, T_BUFLEN), 0);
	ATF_CHECK(memcmp(out, b, at) == 0);
	ATF_CHECK(memcmp(out + at + 2, b + at + 2, len - at - 2) == 0);
	return (len);
}

ATF_TC_WITHOUT_HEAD(csum_udp4);
ATF_TC_BODY(csum_udp4, tc)
{
	unsigned char		b[2000], z[2000], out[T_BUFLEN];
	struct os_offload	oo;
	size_t			len, pay;
	unsigned		want;

	for (pay = 0; pay < 40; pay += 7) {
		len = tudp4(b, pay, &oo);
		/* The checksum the test computes on its own. */
		memcpy(z, b, len);
		wr16(z + 40, 0);
		want = ~tsum(tpseudo(b + 14, 0, 17, 8 + pay), z + 34, 8 + pay) &
		    0xffff;
		if (want == 0)
			want = 0xffff;
		tcsum(b, len, &oo, out);
		ATF_CHECK_EQ_MSG(rd16(out + 40), want, "payload %zu: %#x",
		    pay, rd16(out + 40));
		ATF_CHECK_EQ(tsum(tpseudo(out + 14, 0, 17, 8 + pay), out + 34,
		    8 + pay), 0xffff);
	}
}

ATF_TC_WITHOUT_HEAD(csum_udp_zero);
ATF_TC_BODY(csum_udp_zero, tc)
{
	unsigned char		b[200], out[T_BUFLEN];
	struct os_offload	oo;
	size_t			len;
	unsigned		rest;

	/*
	 * Choose the last payload word so that the sum is 0xffff: the
	 * checksum computes to 0, which UDP must send as 0xffff.
	 */
	len = tudp4(b, 20, &oo);
	wr16(b + len - 2, 0);
	rest = tsum(tpseudo(b + 14, 0, 17, 28), b + 34, 6);
	rest = tsum(rest, b + 42, 20);
	wr16(b + len - 2, ~rest & 0xffff);
	/* The field holds the pseudo-header sum: all of it sums to 0xffff. */
	ATF_REQUIRE_EQ(tsum(0, b + 34, 28), 0xffff);
	tcsum(b, len, &oo, out);
	ATF_CHECK_EQ(rd16(out + 40), 0xffff);
}

ATF_TC_WITHOUT_HEAD(csum_tcp6);
ATF_TC_BODY(csum_tcp6, tc)
{
	static struct tframe	tf;
	unsigned char		out[T_BUFLEN];
	struct tspec		ts;
	size_t			tl;

	/* A small TCP/IPv6 frame with only its checksum left to do. */
	memset(&ts, 0, sizeof(ts));
	ts.ts_v6 = 1;
	ts.ts_pay = 777;
	ts.ts_mss = 1;
	ts.ts_flags = T_ACK | T_PSH;
	ts.ts_seq = 99;
	tbuild(&tf, &ts);
	tf.tf_oo.oo_gso = OS_GSO_NONE;
	tf.tf_oo.oo_gsosize = 0;
	tcsum(tf.tf_b, tf.tf_len, &tf.tf_oo, out);
	tl = tf.tf_len - tf.tf_th;
	ATF_CHECK_EQ(tsum(tpseudo(out + tf.tf_l3, 1, 6, tl), out + tf.tf_th,
	    tl), 0xffff);
	/* With the field zeroed, the test's sum agrees with gso's value. */
	memcpy(tf.tf_b, out, tf.tf_len);
	wr16(tf.tf_b + tf.tf_th + 16, 0);
	ATF_CHECK_EQ(~tsum(tpseudo(out + tf.tf_l3, 1, 6, tl),
	    tf.tf_b + tf.tf_th, tl) & 0xffff, rd16(out + tf.tf_th + 16));
}

ATF_TC_WITHOUT_HEAD(plain_copy);
ATF_TC_BODY(plain_copy, tc)
{
	unsigned char		b[300], out[T_BUFLEN];
	struct os_offload	oo;
	struct gso_iter		gi;
	const char		*why;
	size_t			len;

	/* No offload (or only "checksums verified"): the frame as it is. */
	len = tudp4(b, 100, &oo);
	oo.oo_flags = 0;
	ATF_REQUIRE(gso_init(&gi, b, len, &oo, T_MAXLEN, &why) == 0);
	ATF_CHECK_EQ(gso_next(&gi, out, sizeof(out)), len);
	ATF_CHECK(memcmp(out, b, len) == 0);
	ATF_CHECK_EQ(gso_next(&gi, out, sizeof(out)), 0);
	oo.oo_flags = OS_OFF_VALID;
	ATF_REQUIRE(gso_init(&gi, b, 14, &oo, T_MAXLEN, &why) == 0);
	ATF_CHECK_EQ(gso_next(&gi, out, sizeof(out)), 14);
	ATF_CHECK_EQ(gso_next(&gi, out, sizeof(out)), 0);
	/* Shorter than an Ethernet header (0 would read as "no more"). */
	ATF_CHECK(gso_init(&gi, b, 13, &oo, T_MAXLEN, &why) == -1);
	ATF_CHECK(gso_init(&gi, b, 0, &oo, T_MAXLEN, &why) == -1);
	/* Longer than the destination takes. */
	ATF_CHECK(gso_init(&gi, b, len, &oo, len - 1, &why) == -1);
}

/* gso_init must refuse tf with a reason. */
static void
treject(const struct tframe *tf, size_t len, size_t maxlen, const char *what)
{
	struct gso_iter	 gi;
	const char	*why = NULL;

	ATF_CHECK_EQ_MSG(gso_init(&gi, tf->tf_b, len, &tf->tf_oo, maxlen,
	    &why), -1, "accepted: %s", what);
	ATF_CHECK_MSG(why != NULL && why[0] != '\0', "no reason: %s", what);
}

ATF_TC_WITHOUT_HEAD(rejects);
ATF_TC_BODY(rejects, tc)
{
	static struct tframe	tf, t;
	struct tspec		ts;
	struct gso_iter		gi;
	const char		*why;

	memset(&ts, 0, sizeof(ts));
	ts.ts_pay = 3000;
	ts.ts_mss = 1448;
	ts.ts_flags = T_ACK;
	tbuild(&tf, &ts);
	ATF_REQUIRE(gso_init(&gi, tf.tf_b, tf.tf_len, &tf.tf_oo, T_MAXLEN,
	    &why) == 0);

	/* Checksum only: start or offset beyond the frame, start too low. */
	t = tf;
	t.tf_oo.oo_gso = OS_GSO_NONE;
	t.tf_oo.oo_csumstart = (uint16_t)(t.tf_th + 2);
	ATF_REQUIRE(gso_init(&gi, t.tf_b, 100, &t.tf_oo, T_MAXLEN, &why) == 0);
	treject(&t, t.tf_th + 2 + 16 + 1, T_MAXLEN, "csum past the end");
	t.tf_oo.oo_csumoff = 60000;
	treject(&t, t.tf_len, T_MAXLEN, "csum offset past the end");
	t.tf_oo.oo_csumoff = 0;
	t.tf_oo.oo_csumstart = 12;
	treject(&t, t.tf_len, T_MAXLEN, "csum start in Ethernet header");
	t.tf_oo.oo_csumstart = (uint16_t)t.tf_len;
	treject(&t, t.tf_len, T_MAXLEN, "csum start at the end");

	t = tf;
	t.tf_oo.oo_gsosize = 0;
	treject(&t, t.tf_len, T_MAXLEN, "gso_size 0");

	t = tf;
	treject(&t, t.tf_th + 19, T_MAXLEN, "TCP header beyond the frame");
	treject(&t, t.tf_th + 12, T_MAXLEN, "TCP header beyond the frame");
	treject(&t, t.tf_hlen, T_MAXLEN, "no payload");
	treject(&t, 20, T_MAXLEN, "short IPv4 header");
	treject(&t, 13, T_MAXLEN, "no EtherType");

	t = tf;
	t.tf_b[t.tf_th + 12] = 0x40;
	treject(&t, t.tf_len, T_MAXLEN, "doff 4");
	t.tf_b[t.tf_th + 12] = 0xf0;
	treject(&t, t.tf_th + 59, T_MAXLEN, "TCP options beyond the frame");

	t = tf;
	t.tf_b[12] = 0x86;
	t.tf_b[13] = 0xdd;
	treject(&t, t.tf_len, T_MAXLEN, "TCP4 on an IPv6 EtherType");
	t = tf;
	t.tf_oo.oo_gso = OS_GSO_TCP6;
	treject(&t, t.tf_len, T_MAXLEN, "TCP6 on an IPv4 EtherType");
	t = tf;
	t.tf_b[14] = 0x65;
	treject(&t, t.tf_len, T_MAXLEN, "IPv4 version 6");
	t.tf_b[14] = 0x46;
	treject(&t, t.tf_len, T_MAXLEN, "ihl 6, csum_start after 20");
	t.tf_b[14] = 0x44;
	treject(&t, t.tf_len, T_MAXLEN, "ihl 4");
	t = tf;
	t.tf_oo.oo_csumstart = (uint16_t)(t.tf_th + 4);
	treject(&t, t.tf_len, T_MAXLEN, "csum_start after the IPv4 header");
	t = tf;
	t.tf_b[14 + 9] = 17;
	treject(&t, t.tf_len, T_MAXLEN, "IPv4 protocol UDP");

	t = tf;
	treject(&t, t.tf_len, t.tf_hlen + 1447, "hlen + mss > maxlen");
	ATF_CHECK(gso_init(&gi, t.tf_b, t.tf_len, &t.tf_oo, t.tf_hlen + 1448,
	    &why) == 0);

	/* Segments whose IP total length would not fit 16 bits. */
	t = tf;
	t.tf_oo.oo_gsosize = 65535;
	treject(&t, t.tf_len, 200000, "IP length over 65535");
	t.tf_oo.oo_gsosize = (uint16_t)(65535 - (t.tf_hlen - t.tf_l3));
	ATF_CHECK(gso_init(&gi, t.tf_b, t.tf_len, &t.tf_oo, 200000,
	    &why) == 0);

	t = tf;
	t.tf_oo.oo_gso = OS_GSO_OTHER;
	treject(&t, t.tf_len, T_MAXLEN, "OS_GSO_OTHER");
	t.tf_oo.oo_gso = OS_GSO_OTHER | OS_GSO_ECN;
	treject(&t, t.tf_len, T_MAXLEN, "OS_GSO_OTHER|ECN");
	t.tf_oo.oo_gso = 0x42;
	treject(&t, t.tf_len, T_MAXLEN, "unknown kind");

	/* IPv6: version, csum_start inside the IPv6 header. */
	ts.ts_v6 = 1;
	tbuild(&tf, &ts);
	ATF_REQUIRE(gso_init(&gi, tf.tf_b, tf.tf_len, &tf.tf_oo, T_MAXLEN,
	    &why) == 0);
	t = tf;
	t.tf_b[14] = 0x40;
	treject(&t, t.tf_len, T_MAXLEN, "IPv6 version 4");
	t = tf;
	t.tf_oo.oo_csumstart = (uint16_t)(t.tf_th - 4);
	treject(&t, t.tf_len, T_MAXLEN, "csum_start inside IPv6 header");
	treject(&tf, 14 + 39, T_MAXLEN, "short IPv6 header");
	t = tf;
	t.tf_oo.oo_gso = OS_GSO_TCP4;
	treject(&t, t.tf_len, T_MAXLEN, "TCP4 on an IPv6 EtherType");
}

ATF_TC_WITHOUT_HEAD(outlen_small);
ATF_TC_BODY(outlen_small, tc)
{
	static struct tframe	tf;
	unsigned char		out[T_BUFLEN], b[200];
	struct os_offload	oo;
	struct tspec		ts;
	struct gso_iter		gi;
	const char		*why;
	size_t			len;

	memset(&ts, 0, sizeof(ts));
	ts.ts_pay = 3000;
	ts.ts_mss = 1000;
	tbuild(&tf, &ts);
	ATF_REQUIRE(gso_init(&gi, tf.tf_b, tf.tf_len, &tf.tf_oo, T_MAXLEN,
	    &why) == 0);
	ATF_CHECK_EQ(gso_next(&gi, out, sizeof(out)), tf.tf_hlen + 1000);
	ATF_CHECK_EQ(gso_next(&gi, out, tf.tf_hlen + 999), 0);
	/* It stops: no later call makes a frame. */
	ATF_CHECK_EQ(gso_next(&gi, out, sizeof(out)), 0);

	ATF_REQUIRE(gso_init(&gi, tf.tf_b, tf.tf_len, &tf.tf_oo, T_MAXLEN,
	    &why) == 0);
	ATF_CHECK_EQ(gso_next(&gi, out, tf.tf_hlen + 1000), tf.tf_hlen + 1000);

	len = tudp4(b, 50, &oo);
	ATF_REQUIRE(gso_init(&gi, b, len, &oo, T_MAXLEN, &why) == 0);
	ATF_CHECK_EQ(gso_next(&gi, out, len - 1), 0);
	ATF_CHECK_EQ(gso_next(&gi, out, sizeof(out)), 0);
	oo.oo_flags = 0;
	ATF_REQUIRE(gso_init(&gi, b, len, &oo, T_MAXLEN, &why) == 0);
	ATF_CHECK_EQ(gso_next(&gi, out, len - 1), 0);
	ATF_CHECK_EQ(gso_next(&gi, out, sizeof(out)), 0);
}

/*
 * The floor of --min-segment: segmentations with segments below it are
 * refused whatever their kind (even one gso_init would refuse); plain
 * frames and checksum completions never are.
 */
ATF_TC_WITHOUT_HEAD(undersized);
ATF_TC_BODY(undersized, tc)
{
	struct os_offload	oo;

	memset(&oo, 0, sizeof(oo));
	ATF_CHECK(!gso_undersized(NULL, 256));
	ATF_CHECK(!gso_undersized(&oo, 256));
	oo.oo_flags = OS_OFF_CSUM;
	ATF_CHECK(!gso_undersized(&oo, 256));

	oo.oo_gso = OS_GSO_TCP4;
	oo.oo_gsosize = 1;
	ATF_CHECK(gso_undersized(&oo, 256));
	ATF_CHECK(!gso_undersized(&oo, 1));
	oo.oo_gsosize = 0;
	ATF_CHECK(gso_undersized(&oo, 1));
	oo.oo_gsosize = 255;
	ATF_CHECK(gso_undersized(&oo, 256));
	oo.oo_gsosize = 256;
	ATF_CHECK(!gso_undersized(&oo, 256));
	oo.oo_gsosize = 1448;
	ATF_CHECK(!gso_undersized(&oo, 256));

	oo.oo_gsosize = 100;
	oo.oo_gso = OS_GSO_TCP6 | OS_GSO_ECN;
	ATF_CHECK(gso_undersized(&oo, 256));
	oo.oo_gso = OS_GSO_OTHER;
	ATF_CHECK(gso_undersized(&oo, 256));
	oo.oo_gso = OS_GSO_ECN;		/* the flag alone: no segmentation */
	ATF_CHECK(!gso_undersized(&oo, 256));
}

/* --- gro.c: frames merged back into segments ------------------------ */

#define G_MAXSEG	200
#define G_BUFLEN	(OS_TAP_FRAMEMAX)

/* The frames gso.c cuts tf into (copies), as a far side would send them. */
struct tcut {
	unsigned char	tc_f[G_MAXSEG][T_BUFLEN];
	size_t		tc_len[G_MAXSEG];
	size_t		tc_n;
};

static void
tcutframe(struct tcut *c, const unsigned char *f, size_t len,
    const struct os_offload *oo)
{
	struct gso_iter	gi;
	const char	*why = NULL;
	size_t		n;

	ATF_REQUIRE_MSG(gso_init(&gi, f, len, oo, T_MAXLEN, &why) == 0,
	    "gso_init: %s", why ? why : "?");
	for (c->tc_n = 0; (n = gso_next(&gi, c->tc_f[c->tc_n],
	    T_BUFLEN)) != 0; c->tc_n++) {
		ATF_REQUIRE(c->tc_n + 1 < G_MAXSEG);
		c->tc_len[c->tc_n] = n;
	}
}

/*
 * Cut the frame of ts, merge the pieces back, and check that the merged
 * segment is the original's (payload, headers, a description a tap
 * takes) and that cutting it again gives exactly the same frames.
 */
static void
troundtrip(const struct tspec *ts)
{
	static struct tframe	tf;
	static struct tcut	a, b;
	static unsigned char	buf[G_BUFLEN];
	struct gro		gr;
	struct os_offload	off;
	size_t			i, len;
	const unsigned char	*m;

	tbuild(&tf, ts);
	tcutframe(&a, tf.tf_b, tf.tf_len, &tf.tf_oo);
	ATF_REQUIRE(a.tc_n > 1);
	gro_init(&gr, buf, sizeof(buf), 1);
	for (i = 0; i < a.tc_n; i++)
		ATF_REQUIRE_EQ_MSG(gro_add(&gr, a.tc_f[i], a.tc_len[i]),
		    GRO_HELD, "frame %zu of %zu", i, a.tc_n);
	len = gro_take(&gr, &off);
	ATF_REQUIRE_EQ(len, tf.tf_len);
	m = buf;
	ATF_CHECK(memcmp(m + tf.tf_hlen, tf.tf_b + tf.tf_hlen,
	    len - tf.tf_hlen) == 0);
	ATF_CHECK_EQ(off.oo_gso & ~OS_GSO_ECN,
	    ts->ts_v6 ? OS_GSO_TCP6 : OS_GSO_TCP4);
	ATF_CHECK_EQ((off.oo_gso & OS_GSO_ECN) != 0,
	    (ts->ts_flags & T_CWR) != 0);
	ATF_CHECK_EQ(off.oo_gsosize, ts->ts_mss);
	ATF_CHECK_EQ(off.oo_flags, OS_OFF_CSUM);
	ATF_CHECK_EQ(off.oo_csumstart, tf.tf_th);
	ATF_CHECK_EQ(off.oo_csumoff, 16);
	ATF_CHECK_EQ(off.oo_hdrlen, tf.tf_hlen);
	/* The lengths and sums a tap would hand over for it. */
	if (!ts->ts_v6) {
		ATF_CHECK_EQ(rd16(m + tf.tf_l3 + 2), len - tf.tf_l3);
		ATF_CHECK_EQ(tsum(0, m + tf.tf_l3, tf.tf_th - tf.tf_l3),
		    0xffff);
	} else
		ATF_CHECK_EQ(rd16(m + tf.tf_l3 + 4), len - tf.tf_l3 - 40);
	ATF_CHECK_EQ(rd16(m + tf.tf_th + 16), tpseudo(m + tf.tf_l3,
	    ts->ts_v6, 6, len - tf.tf_th));
	ATF_CHECK_EQ(rd32(m + tf.tf_th + 4), ts->ts_seq);
	/* Cut again: the same frames, byte for byte. */
	tcutframe(&b, buf, len, &off);
	ATF_REQUIRE_EQ(b.tc_n, a.tc_n);
	for (i = 0; i < a.tc_n; i++) {
		ATF_CHECK_EQ(b.tc_len[i], a.tc_len[i]);
		ATF_CHECK_MSG(memcmp(b.tc_f[i], a.tc_f[i], a.tc_len[i]) == 0,
		    "frame %zu differs after the round trip", i);
	}
	/* Nothing is held after a take. */
	ATF_CHECK_EQ(gro_take(&gr, &off), 0);
}

ATF_TC_WITHOUT_HEAD(gro_roundtrip_tcp4);
ATF_TC_BODY(gro_roundtrip_tcp4, tc)
{
	struct tspec	ts;

	/* 64 KiB, sequence numbers and IDs wrapping, PSH on the last. */
	memset(&ts, 0, sizeof(ts));
	ts.ts_pay = 65000;
	ts.ts_mss = 1398;
	ts.ts_flags = T_ACK | T_PSH;
	ts.ts_seq = 0xffffd000u;
	ts.ts_id = 0xfff0;
	ts.ts_tcpopt = 12;
	troundtrip(&ts);
	/* CWR on the first frame, a short last one. */
	ts.ts_pay = 10001;
	ts.ts_flags = T_ACK | T_CWR;
	troundtrip(&ts);
}

ATF_TC_WITHOUT_HEAD(gro_roundtrip_tcp6);
ATF_TC_BODY(gro_roundtrip_tcp6, tc)
{
	struct tspec	ts;

	memset(&ts, 0, sizeof(ts));
	ts.ts_v6 = 1;
	ts.ts_pay = 60000;
	ts.ts_mss = 1428;
	ts.ts_flags = T_ACK;
	ts.ts_seq = 5;
	troundtrip(&ts);
}

/* Cut ts's frame into c, for the cases below. */
static void
tcutspec(struct tcut *c, const struct tspec *ts)
{
	static struct tframe	tf;

	tbuild(&tf, ts);
	tcutframe(c, tf.tf_b, tf.tf_len, &tf.tf_oo);
}

/* A fresh gro with frame 0 of c held. */
static void
tstart(struct gro *gr, unsigned char *buf, const struct tcut *c)
{
	gro_init(gr, buf, G_BUFLEN, 1);
	ATF_REQUIRE_EQ(gro_add(gr, c->tc_f[0], c->tc_len[0]), GRO_HELD);
}

ATF_TC_WITHOUT_HEAD(gro_refuses);
ATF_TC_BODY(gro_refuses, tc)
{
	static struct tcut	c;
	static unsigned char	buf[G_BUFLEN], f[T_BUFLEN];
	struct gro		gr;
	struct tspec		ts;
	size_t			len;

	memset(&ts, 0, sizeof(ts));
	ts.ts_pay = 5000;
	ts.ts_mss = 1000;
	ts.ts_flags = T_ACK;
	tcutspec(&c, &ts);
	len = c.tc_len[1];
	gro_init(&gr, buf, sizeof(buf), 1);

#define NEVER(what)	ATF_CHECK_EQ_MSG(gro_add(&gr, f, len), GRO_NEVER, what)
	/* Each on a fresh copy of a good frame: never merged. */
	memcpy(f, c.tc_f[1], len);
	f[len - 1] ^= 0x40;
	NEVER("a bad TCP checksum");
	memcpy(f, c.tc_f[1], len);
	f[14 + 8] ^= 1;
	NEVER("a bad IPv4 header checksum");
	memcpy(f, c.tc_f[1], len);
	f[14 + 6] |= 0x20;
	NEVER("a fragment (MF)");
	memcpy(f, c.tc_f[1], len);
	f[14 + 9] = 17;
	NEVER("not TCP");
	memcpy(f, c.tc_f[1], len);
	f[12] = 0x08;
	f[13] = 0x06;
	NEVER("not IP");
	memcpy(f, c.tc_f[1], len);
	f[14 + 20 + 13] |= T_FIN;
	NEVER("FIN");
	f[14 + 20 + 13] = 0x02 | T_ACK;
	NEVER("SYN");
	memcpy(f, c.tc_f[1], len);
	f[14 + 20 + 13] = T_PSH;
	NEVER("no ACK");
	memcpy(f, c.tc_f[1], len);
	len++;
	f[len - 1] = 0;
	NEVER("Ethernet padding after the IP packet");
	len = 14 + 20 + 20;
	memcpy(f, c.tc_f[1], len);
	f[14 + 3] = 40;
	NEVER("no payload");
	len = 30;
	NEVER("a runt");
	len = c.tc_len[1];
	memcpy(f, c.tc_f[1], len);
	gro_init(&gr, buf, sizeof(buf), 1001);
	NEVER("payload under the minimum segment size");
	gro_init(&gr, buf, sizeof(buf), 1);
	ATF_CHECK_EQ(gro_add(&gr, f, len), GRO_HELD);
#undef NEVER

	/* Tagged, IPv4 options, IPv6 extension headers: never. */
	ts.ts_ntags = 1;
	tcutspec(&c, &ts);
	gro_init(&gr, buf, sizeof(buf), 1);
	ATF_CHECK_EQ(gro_add(&gr, c.tc_f[0], c.tc_len[0]), GRO_NEVER);
	ts.ts_ntags = 0;
	ts.ts_ipopt = 4;
	tcutspec(&c, &ts);
	ATF_CHECK_EQ(gro_add(&gr, c.tc_f[0], c.tc_len[0]), GRO_NEVER);
	ts.ts_ipopt = 0;
	ts.ts_v6 = 1;
	ts.ts_ext = 8;
	tcutspec(&c, &ts);
	ATF_CHECK_EQ(gro_add(&gr, c.tc_f[0], c.tc_len[0]), GRO_NEVER);
	ATF_CHECK_EQ(gro_take(&gr, &(struct os_offload){ 0 }), 0);
}

ATF_TC_WITHOUT_HEAD(gro_flushes);
ATF_TC_BODY(gro_flushes, tc)
{
	static struct tcut	c, d;
	static unsigned char	buf[G_BUFLEN], f[T_BUFLEN];
	struct gro		gr;
	struct tspec		ts;
	struct os_offload	off;
	size_t			i, len;

	memset(&ts, 0, sizeof(ts));
	ts.ts_pay = 5500;
	ts.ts_mss = 1000;
	ts.ts_flags = T_ACK | T_PSH;
	ts.ts_id = 100;
	tcutspec(&c, &ts);
	len = c.tc_len[1];

#define FLUSH(what)	do {						\
	tstart(&gr, buf, &c);						\
	ATF_CHECK_EQ_MSG(gro_add(&gr, f, len), GRO_FLUSH, what);	\
	} while (0)
	/* Frame 2 after frame 0: a gap in the sequence. */
	memcpy(f, c.tc_f[2], len);
	FLUSH("a gap in the sequence");
	/* Frame 1 of another flow, of another address, with a new ACK. */
	ts.ts_seq = 1000000;
	tcutspec(&d, &ts);
	memcpy(f, d.tc_f[1], len);
	FLUSH("another sequence");
	memcpy(f, c.tc_f[1], len);
	f[0] ^= 2;
	FLUSH("another destination MAC");
	/* Frame 1 with fields changed and its checksums made right again. */
	ts.ts_seq = 0;
	ts.ts_id = 101;		/* frame 1 would have 101: 1 too many */
	tcutspec(&d, &ts);
	memcpy(f, d.tc_f[1], len);
	FLUSH("an IPv4 identification out of turn");
	ts.ts_id = 100;
	ts.ts_flags = T_ACK | T_CWR | T_PSH;
	tcutspec(&d, &ts);
	memcpy(f, d.tc_f[0], d.tc_len[0]);
	/* d's frame 0 as frame 1 of c: CWR, and its sequence is c's 0. */
	FLUSH("CWR after the first frame / wrong sequence");
#undef FLUSH

	/* A larger payload than the first frame's. */
	ts.ts_flags = T_ACK;
	ts.ts_mss = 500;
	tcutspec(&d, &ts);
	tstart(&gr, buf, &d);
	ts.ts_mss = 1000;
	tcutspec(&c, &ts);
	ATF_CHECK_EQ(gro_add(&gr, c.tc_f[1], c.tc_len[1]), GRO_FLUSH);

	/* A short frame ends the segment, and so does PSH. */
	ts.ts_pay = 2500;
	ts.ts_flags = T_ACK | T_PSH;
	tcutspec(&c, &ts);
	tstart(&gr, buf, &c);
	ATF_CHECK_EQ(gro_add(&gr, c.tc_f[1], c.tc_len[1]), GRO_HELD);
	ATF_CHECK_EQ(gro_add(&gr, c.tc_f[2], c.tc_len[2]), GRO_HELD);
	ts.ts_seq = 2500;
	ts.ts_id = 3;
	tcutspec(&d, &ts);
	ATF_CHECK_EQ(gro_add(&gr, d.tc_f[0], d.tc_len[0]), GRO_FLUSH);
	ATF_CHECK_EQ(gro_take(&gr, &off), 14 + 20 + 20 + 2500);
	ATF_CHECK_EQ(gro_add(&gr, d.tc_f[0], d.tc_len[0]), GRO_HELD);

	/* No segment beyond 65535 bytes of IP: jumbo frames, 8000 each. */
	ts.ts_pay = 69000;
	ts.ts_mss = 8000;
	ts.ts_flags = T_ACK;
	ts.ts_seq = 0;
	ts.ts_id = 0;
	tcutspec(&c, &ts);
	tstart(&gr, buf, &c);
	for (i = 1; i < 8; i++)
		ATF_CHECK_EQ(gro_add(&gr, c.tc_f[i], c.tc_len[i]), GRO_HELD);
	ATF_CHECK_EQ(gro_add(&gr, c.tc_f[8], c.tc_len[8]), GRO_FLUSH);
	ATF_CHECK_EQ(gro_take(&gr, &off), 14 + 20 + 20 + 64000);
}

ATF_TC_WITHOUT_HEAD(gro_single);
ATF_TC_BODY(gro_single, tc)
{
	static struct tcut	c;
	static unsigned char	buf[G_BUFLEN];
	struct gro		gr;
	struct tspec		ts;
	struct os_offload	off, zero;

	/* One frame held is taken back as it came, with no offloads. */
	memset(&ts, 0, sizeof(ts));
	ts.ts_pay = 3000;
	ts.ts_mss = 1400;
	ts.ts_flags = T_ACK;
	tcutspec(&c, &ts);
	tstart(&gr, buf, &c);
	memset(&off, 0xff, sizeof(off));
	memset(&zero, 0, sizeof(zero));
	ATF_REQUIRE_EQ(gro_take(&gr, &off), c.tc_len[0]);
	ATF_CHECK(memcmp(buf, c.tc_f[0], c.tc_len[0]) == 0);
	ATF_CHECK(memcmp(&off, &zero, sizeof(off)) == 0);
}

ATF_TC_WITHOUT_HEAD(csum_reference);
ATF_TC_BODY(csum_reference, tc)
{
	static unsigned char	b[4200], d[4200];
	size_t			start, n, i;
	uint64_t		s;
	uint32_t		x = 12345;

	/* csum.c against the test's byte-wise sum, every length and start. */
	for (i = 0; i < sizeof(b); i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(x >> 16);
	}
	for (start = 0; start < 8; start++)
		for (n = 0; n < 4100; n += (n < 80 ? 1 : 37)) {
			s = csum_add(7, b + start, n);
			ATF_REQUIRE_EQ_MSG((uint16_t)~csum_fold(s),
			    tsum(7, b + start, n), "start %zu length %zu",
			    start, n);
			memset(d, 0, sizeof(d));
			ATF_REQUIRE_EQ(csum_copy(7, d + 1, b + start, n), s);
			ATF_REQUIRE(memcmp(d + 1, b + start, n) == 0);
			ATF_REQUIRE_EQ(d[n + 1], 0);
		}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, tcp4);
	ATF_TP_ADD_TC(tp, tcp4_wrap);
	ATF_TP_ADD_TC(tp, tcp4_options);
	ATF_TP_ADD_TC(tp, tcp4_one_segment);
	ATF_TP_ADD_TC(tp, tcp4_jumbo);
	ATF_TP_ADD_TC(tp, tcp4_vlan);
	ATF_TP_ADD_TC(tp, tcp6);
	ATF_TP_ADD_TC(tp, tcp6_exthdr);
	ATF_TP_ADD_TC(tp, csum_udp4);
	ATF_TP_ADD_TC(tp, csum_udp_zero);
	ATF_TP_ADD_TC(tp, csum_tcp6);
	ATF_TP_ADD_TC(tp, plain_copy);
	ATF_TP_ADD_TC(tp, rejects);
	ATF_TP_ADD_TC(tp, outlen_small);
	ATF_TP_ADD_TC(tp, undersized);
	ATF_TP_ADD_TC(tp, gro_roundtrip_tcp4);
	ATF_TP_ADD_TC(tp, gro_roundtrip_tcp6);
	ATF_TP_ADD_TC(tp, gro_refuses);
	ATF_TP_ADD_TC(tp, gro_flushes);
	ATF_TP_ADD_TC(tp, gro_single);
	ATF_TP_ADD_TC(tp, csum_reference);
	return (atf_no_error());
}
