/*
 * gro.c: the reverse of gso.c.  Complete TCP frames that follow each
 * other in one flow (as a VXLAN port receives them: the far side cut a
 * segment into frames to send it) are merged back into one segment with
 * offloads.  That segment goes to a tap with offloads in one write, and
 * gso.c cuts it again, into the same frames, for any other cable.
 *
 * Pure byte work on the caller's buffer, like gso.c.  Nothing a peer sent
 * is trusted: a frame is merged only when its IP and TCP checksums are
 * right (a tap takes a merged segment's data as verified), its lengths
 * agree with the frame's, and every header field but those that differ
 * from segment to segment (lengths, checksums, the IPv4 identification,
 * the sequence number, PSH on the last) equals the first frame's, so that
 * cutting the segment again gives back exactly the frames that came.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "switch.h"

#define ETH_HLEN	14
#define ETYPE_IPV4	0x0800
#define ETYPE_IPV6	0x86dd
#define IP4_HLEN	20		/* no options: the usual data segment */
#define IP6_HLEN	40
#define TCP_HDRMIN	20
#define PROTO_TCP	6
#define IP_MAXLEN	65535

#define TCP_FIN		0x01
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_PSH		0x08
#define TCP_ACK		0x10
#define TCP_URG		0x20
#define TCP_CWR		0x80

/* What gro_parse found in a frame. */
struct gro_frame {
	int	gf_kind;		/* OS_GSO_TCP4 or OS_GSO_TCP6 */
	size_t	gf_th;			/* TCP header offset */
	size_t	gf_hlen;		/* headers, up to the payload */
	size_t	gf_plen;		/* payload bytes */
};

/* The pseudo-header's sum of a TCP segment of tcplen bytes. */
static uint64_t
gro_pseudo(const unsigned char *f, int kind, size_t tcplen)
{
	uint64_t	sum;

	if (kind == OS_GSO_TCP4)
		sum = csum_add(0, f + ETH_HLEN + 12, 8);
	else
		sum = csum_add(0, f + ETH_HLEN + 8, 32);
	return (sum + PROTO_TCP + (tcplen >> 16) + (tcplen & 0xffff));
}

/*
 * Is f a TCP data frame that could be part of a segment: IPv4 without
 * options or fragments, or IPv6 with TCP right after its header, no
 * Ethernet padding, only ACK and perhaps PSH or CWR set, some payload,
 * and a right IPv4 header checksum?  Fills *g when it is.  The TCP
 * checksum is checked as the payload is copied (gro_copy).
 */
static int
gro_parse(const unsigned char *f, size_t len, struct gro_frame *g)
{
	size_t		th, hlen;
	unsigned int	fl;

	if (len < ETH_HLEN + IP4_HLEN + TCP_HDRMIN)
		return (0);
	switch (get16(f + 12)) {
	case ETYPE_IPV4:
		if (f[ETH_HLEN] != 0x45 ||
		    get16(f + ETH_HLEN + 2) != len - ETH_HLEN ||
		    (get16(f + ETH_HLEN + 6) & 0x3fff) != 0 ||
		    f[ETH_HLEN + 9] != PROTO_TCP ||
		    csum_fold(csum_add(0, f + ETH_HLEN, IP4_HLEN)) != 0)
			return (0);
		g->gf_kind = OS_GSO_TCP4;
		th = ETH_HLEN + IP4_HLEN;
		break;
	case ETYPE_IPV6:
		if (len < ETH_HLEN + IP6_HLEN + TCP_HDRMIN ||
		    (f[ETH_HLEN] >> 4) != 6 ||
		    get16(f + ETH_HLEN + 4) != len - ETH_HLEN - IP6_HLEN ||
		    f[ETH_HLEN + 6] != PROTO_TCP)
			return (0);
		g->gf_kind = OS_GSO_TCP6;
		th = ETH_HLEN + IP6_HLEN;
		break;
	default:
		return (0);
	}
	hlen = th + (size_t)(f[th + 12] >> 4) * 4;
	fl = f[th + 13];
	if (hlen < th + TCP_HDRMIN || hlen >= len ||
	    (fl & TCP_ACK) == 0 ||
	    (fl & (TCP_FIN | TCP_SYN | TCP_RST | TCP_URG)) != 0)
		return (0);
	g->gf_th = th;
	g->gf_hlen = hlen;
	g->gf_plen = len - hlen;
	return (1);
}

/*
 * Copy f's payload to dst; is f's TCP checksum right?  One pass over the
 * payload does both.
 */
static int
gro_copy(unsigned char *dst, const unsigned char *f, size_t len,
    const struct gro_frame *g)
{
	uint64_t	sum;

	sum = gro_pseudo(f, g->gf_kind, len - g->gf_th);
	sum = csum_add(sum, f + g->gf_th, g->gf_hlen - g->gf_th);
	sum = csum_copy(sum, dst, f + g->gf_hlen, g->gf_plen);
	return (csum_fold(sum) == 0);
}

void
gro_init(struct gro *gr, unsigned char *buf, size_t cap, size_t minmss)
{
	memset(gr, 0, sizeof(*gr));
	gr->g_buf = buf;
	gr->g_cap = cap;
	gr->g_minmss = minmss;
}

/* Start a segment with f, if its checksum is right and it is not tiny. */
static int
gro_start(struct gro *gr, const unsigned char *f, size_t len,
    const struct gro_frame *g)
{
	/* Segments of tiny frames are refused where taps hand them over. */
	if (g->gf_plen < gr->g_minmss)
		return (0);
	if (!gro_copy(gr->g_buf + g->gf_hlen, f, len, g))
		return (0);
	memcpy(gr->g_buf, f, g->gf_hlen);
	gr->g_len = len;
	gr->g_n = 1;
	gr->g_kind = g->gf_kind;
	gr->g_th = g->gf_th;
	gr->g_hlen = g->gf_hlen;
	gr->g_mss = g->gf_plen;
	gr->g_seq = get32(f + g->gf_th + 4) + (uint32_t)g->gf_plen;
	gr->g_ended = (f[g->gf_th + 13] & TCP_PSH) != 0;
	return (1);
}

/* Does f (parsed as g) continue the held segment? */
static int
gro_continues(const struct gro *gr, const unsigned char *f,
    const struct gro_frame *g)
{
	const unsigned char	*h = gr->g_buf;
	size_t			 th = gr->g_th;

	if (gr->g_ended || g->gf_kind != gr->g_kind || g->gf_hlen !=
	    gr->g_hlen || g->gf_plen > gr->g_mss ||
	    gr->g_n >= GRO_MAXSEGS ||
	    gr->g_len + g->gf_plen > gr->g_cap ||
	    gr->g_len + g->gf_plen - ETH_HLEN > IP_MAXLEN)
		return (0);
	/* Addresses and EtherType. */
	if (memcmp(f, h, ETH_HLEN) != 0)
		return (0);
	if (g->gf_kind == OS_GSO_TCP4) {
		/* TOS; the next identification; DF; TTL; addresses. */
		if (f[ETH_HLEN + 1] != h[ETH_HLEN + 1] ||
		    get16(f + ETH_HLEN + 4) != (uint16_t)(get16(h +
		    ETH_HLEN + 4) + gr->g_n) ||
		    f[ETH_HLEN + 6] != h[ETH_HLEN + 6] ||
		    f[ETH_HLEN + 8] != h[ETH_HLEN + 8] ||
		    memcmp(f + ETH_HLEN + 12, h + ETH_HLEN + 12, 8) != 0)
			return (0);
	} else {
		/* Class and flow label; hop limit; addresses. */
		if (memcmp(f + ETH_HLEN, h + ETH_HLEN, 4) != 0 ||
		    f[ETH_HLEN + 7] != h[ETH_HLEN + 7] ||
		    memcmp(f + ETH_HLEN + 8, h + ETH_HLEN + 8, 32) != 0)
			return (0);
	}
	/* Ports; the next sequence number; the rest but PSH and CWR. */
	if (memcmp(f + th, h + th, 4) != 0 ||
	    get32(f + th + 4) != gr->g_seq ||
	    memcmp(f + th + 8, h + th + 8, 5) != 0 ||
	    (f[th + 13] & TCP_CWR) != 0 ||
	    ((f[th + 13] ^ h[th + 13]) & ~(TCP_PSH | TCP_CWR)) != 0 ||
	    memcmp(f + th + 14, h + th + 14, 2) != 0 ||
	    memcmp(f + th + 18, h + th + 18, g->gf_hlen - th - 18) != 0)
		return (0);
	return (1);
}

int
gro_add(struct gro *gr, const unsigned char *f, size_t len)
{
	struct gro_frame	g;

	if (!gro_parse(f, len, &g) || len > gr->g_cap)
		return (GRO_NEVER);
	if (gr->g_n == 0)
		return (gro_start(gr, f, len, &g) ? GRO_HELD : GRO_NEVER);
	if (!gro_continues(gr, f, &g))
		return (GRO_FLUSH);
	if (!gro_copy(gr->g_buf + gr->g_len, f, len, &g))
		return (GRO_NEVER);
	gr->g_len += g.gf_plen;
	gr->g_n++;
	gr->g_seq += (uint32_t)g.gf_plen;
	/* A shorter payload or PSH ends a segment, as it ended the sender's. */
	if (g.gf_plen < gr->g_mss || (f[g.gf_th + 13] & TCP_PSH) != 0) {
		gr->g_buf[gr->g_th + 13] |= f[g.gf_th + 13] & TCP_PSH;
		gr->g_ended = 1;
	}
	return (GRO_HELD);
}

size_t
gro_take(struct gro *gr, struct os_offload *off)
{
	unsigned char	*h = gr->g_buf;
	size_t		 len = gr->g_len, th = gr->g_th;
	uint64_t	 sum;

	memset(off, 0, sizeof(*off));
	if (gr->g_n == 0)
		return (0);
	if (gr->g_n > 1) {
		if (gr->g_kind == OS_GSO_TCP4) {
			put16(h + ETH_HLEN + 2, (uint32_t)(len - ETH_HLEN));
			put16(h + ETH_HLEN + 10, 0);
			put16(h + ETH_HLEN + 10, csum_fold(csum_add(0,
			    h + ETH_HLEN, IP4_HLEN)));
		} else
			put16(h + ETH_HLEN + 4,
			    (uint32_t)(len - ETH_HLEN - IP6_HLEN));
		/* The field holds the pseudo-header's sum (os.h). */
		sum = gro_pseudo(h, gr->g_kind, len - th);
		put16(h + th + 16, (uint16_t)~csum_fold(sum));
		off->oo_flags = OS_OFF_CSUM;
		off->oo_gso = (uint8_t)gr->g_kind;
		if (h[th + 13] & TCP_CWR)
			off->oo_gso |= OS_GSO_ECN;
		off->oo_gsosize = (uint16_t)gr->g_mss;
		off->oo_hdrlen = (uint16_t)gr->g_hlen;
		off->oo_csumstart = (uint16_t)th;
		off->oo_csumoff = 16;
	}
	gr->g_n = 0;
	gr->g_len = 0;
	return (len);
}
