/*
 * stream_test: the 2-byte big-endian stream framing decoder.
 */
#include "config.h"

#include <atf-c.h>
#include <string.h>

#include "proto.h"

struct sink {
	int		n;
	size_t		lens[16];
	unsigned char	first[16];
	size_t		oversize;
};

static void
on_frame(void *arg, const unsigned char *frame, size_t len)
{
	struct sink	*s = arg;

	if (s->n < 16) {
		s->lens[s->n] = len;
		s->first[s->n] = frame[0];
	}
	s->n++;
}

static void
on_oversize(void *arg, size_t len)
{
	((struct sink *)arg)->oversize = len;
}

static size_t
put(unsigned char *p, size_t len, unsigned char fill)
{
	ATF_REQUIRE(stream_header(p, len) == 0);
	memset(p + 2, fill, len);
	return (len + 2);
}

static struct stream_dec	dec;
static unsigned char		wire[40000];

ATF_TC_WITHOUT_HEAD(split_at_every_byte);
ATF_TC_BODY(split_at_every_byte, tc)
{
	struct sink	s;
	size_t		len = 0, cut, i;

	len += put(wire + len, 60, 1);
	len += put(wire + len, 1514, 2);
	len += put(wire + len, 9000, 3);
	for (cut = 0; cut <= len; cut++) {
		memset(&s, 0, sizeof(s));
		stream_dec_init(&dec);
		stream_dec_feed(&dec, wire, cut, on_frame, on_oversize, &s);
		stream_dec_feed(&dec, wire + cut, len - cut, on_frame,
		    on_oversize, &s);
		ATF_REQUIRE_EQ_MSG(s.n, 3, "cut at %zu", cut);
		ATF_CHECK_EQ(s.lens[0], 60);
		ATF_CHECK_EQ(s.lens[1], 1514);
		ATF_CHECK_EQ(s.lens[2], 9000);
		ATF_CHECK_EQ(s.first[2], 3);
	}
	/* One byte at a time. */
	memset(&s, 0, sizeof(s));
	stream_dec_init(&dec);
	for (i = 0; i < len; i++)
		stream_dec_feed(&dec, wire + i, 1, on_frame, on_oversize, &s);
	ATF_CHECK_EQ(s.n, 3);
}

ATF_TC_WITHOUT_HEAD(odd_lengths);
ATF_TC_BODY(odd_lengths, tc)
{
	struct sink	s;
	size_t		len = 0;

	memset(&s, 0, sizeof(s));
	stream_dec_init(&dec);
	len += put(wire + len, 0, 0);		/* skipped */
	len += put(wire + len, 1, 9);		/* delivered: the caller drops */
	len += put(wire + len, 13, 8);
	wire[len] = 9300 >> 8;			/* oversize: skipped exactly */
	wire[len + 1] = 9300 & 0xff;
	memset(wire + len + 2, 7, 9300);
	len += 9302;
	len += put(wire + len, 64, 6);		/* still in sync */
	stream_dec_feed(&dec, wire, len, on_frame, on_oversize, &s);
	ATF_CHECK_EQ(s.n, 3);
	ATF_CHECK_EQ(s.lens[0], 1);
	ATF_CHECK_EQ(s.lens[1], 13);
	ATF_CHECK_EQ(s.lens[2], 64);
	ATF_CHECK_EQ(s.first[2], 6);
	ATF_CHECK_EQ(s.oversize, 9300);
	ATF_CHECK_EQ(dec.sd_empty, 1);
	ATF_CHECK_EQ(dec.sd_oversize, 1);
}

ATF_TC_WITHOUT_HEAD(header_encoding);
ATF_TC_BODY(header_encoding, tc)
{
	unsigned char	h[2];

	ATF_REQUIRE(stream_header(h, 64) == 0);
	ATF_CHECK(h[0] == 0x00 && h[1] == 0x40);
	ATF_REQUIRE(stream_header(h, 9000) == 0);
	ATF_CHECK(h[0] == 0x23 && h[1] == 0x28);
	ATF_CHECK_EQ(stream_header(h, VDE_STREAM_MAX + 1), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, split_at_every_byte);
	ATF_TP_ADD_TC(tp, odd_lengths);
	ATF_TP_ADD_TC(tp, header_encoding);
	return (atf_no_error());
}
