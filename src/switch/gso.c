/*
 * gso.c: software checksum completion and TCP segmentation for frames
 * read from a tap with offloads (struct os_offload).  Pure byte work on
 * the caller's buffers: no state beyond the iterator, no allocation, so
 * it can be unit-tested and fuzzed alone.
 *
 * Nothing in the description is trusted: every offset it gives is checked
 * against the frame and against the headers found in it before a byte is
 * read, and the checksums of the frames made are computed from scratch
 * (a TCP segment) or from the pseudo-header sum the system left in the
 * checksum field (a frame that only needs its checksum completed).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "switch.h"

/*
 * What gso_next makes follows from the checked description: the kind
 * (the ECN flag bit aside) and, for a single frame, OS_OFF_CSUM.  The
 * TCP header of a segmentation is at oo_csumstart (checked).
 */
#define GSO_KIND(gi)	((gi)->gi_off.oo_gso & ~OS_GSO_ECN)

#define ETYPE_IPV4	0x0800
#define ETYPE_IPV6	0x86dd
#define ETYPE_8021Q	0x8100
#define ETYPE_8021AD	0x88a8

#define IP4_HDRMIN	20
#define IP6_HDRLEN	40
#define TCP_HDRMIN	20
#define IPPROTO_TCP_NUM	6

#define TCP_FIN		0x01
#define TCP_PSH		0x08
#define TCP_CWR		0x80

/* Set up a frame that only needs its checksum completed. */
static int
gso_init_csum(struct gso_iter *gi, const char **why)
{
	const struct os_offload	*oo = &gi->gi_off;

	if (oo->oo_csumstart < VDE_ETHHDRLEN) {
		*why = "checksum start inside the Ethernet header";
		return (-1);
	}
	if ((size_t)oo->oo_csumstart + oo->oo_csumoff + 2 > gi->gi_len) {
		*why = "checksum offset beyond the frame";
		return (-1);
	}
	return (0);
}

/*
 * Find the network header: after the Ethernet header and up to two
 * 802.1Q/802.1ad tags.  Return its offset and store the EtherType, or
 * return 0 when the frame ends first.
 */
static size_t
gso_l3(const unsigned char *f, size_t len, uint16_t *etype)
{
	size_t		off = 12;
	int		tags;
	uint16_t	t;

	for (tags = 0; ; tags++) {
		if (off + 2 > len)
			return (0);
		t = get16(f + off);
		if (tags == 2 || (t != ETYPE_8021Q && t != ETYPE_8021AD))
			break;
		off += 4;
	}
	*etype = t;
	return (off + 2);
}

/* Set up a TCP segmentation over IPv4 or IPv6 (kind is OS_GSO_TCP4/6). */
static int
gso_init_tcp(struct gso_iter *gi, int kind, const char **why)
{
	const unsigned char	*f = gi->gi_frame;
	const struct os_offload	*oo = &gi->gi_off;
	size_t			 l3, th, hlen, len = gi->gi_len, ihl, iplen;
	uint16_t		 etype;

	if ((l3 = gso_l3(f, len, &etype)) == 0) {
		*why = "GSO frame too short for its Ethernet header";
		return (-1);
	}
	th = oo->oo_csumstart;
	if (kind == OS_GSO_TCP4) {
		if (etype != ETYPE_IPV4) {
			*why = "TCPv4 GSO on a frame that is not IPv4";
			return (-1);
		}
		if (l3 + IP4_HDRMIN > len || (f[l3] >> 4) != 4) {
			*why = "TCPv4 GSO without an IPv4 header";
			return (-1);
		}
		ihl = (size_t)(f[l3] & 0x0f) * 4;
		if (ihl < IP4_HDRMIN || l3 + ihl != th) {
			*why = "IPv4 header length does not match the "
			    "checksum start";
			return (-1);
		}
		if (f[l3 + 9] != IPPROTO_TCP_NUM) {
			*why = "TCPv4 GSO on a packet that is not TCP";
			return (-1);
		}
	} else {
		if (etype != ETYPE_IPV6) {
			*why = "TCPv6 GSO on a frame that is not IPv6";
			return (-1);
		}
		if (l3 + IP6_HDRLEN > len || (f[l3] >> 4) != 6) {
			*why = "TCPv6 GSO without an IPv6 header";
			return (-1);
		}
		if (th < l3 + IP6_HDRLEN) {
			*why = "checksum start inside the IPv6 header";
			return (-1);
		}
	}
	if (th + TCP_HDRMIN > len) {
		*why = "TCP header beyond the frame";
		return (-1);
	}
	if ((f[th + 12] >> 4) < 5) {
		*why = "TCP header length below 20";
		return (-1);
	}
	hlen = th + (size_t)(f[th + 12] >> 4) * 4;
	if (hlen > len) {
		*why = "TCP options beyond the frame";
		return (-1);
	}
	if (oo->oo_gsosize == 0) {
		*why = "GSO segment size 0";
		return (-1);
	}
	if (hlen + oo->oo_gsosize > gi->gi_maxlen) {
		*why = "GSO segments longer than a frame";
		return (-1);
	}
	if (hlen == len) {
		*why = "GSO frame without payload";
		return (-1);
	}
	/* The IP length fields of the segments must fit in 16 bits. */
	iplen = hlen + oo->oo_gsosize - l3;
	if (kind == OS_GSO_TCP6)
		iplen -= IP6_HDRLEN;
	if (iplen > 0xffff) {
		*why = "GSO segments longer than an IP packet";
		return (-1);
	}
	gi->gi_l3 = l3;
	gi->gi_hlen = hlen;
	gi->gi_pos = hlen;
	return (0);
}

/* Check a frame and its description; set up the iteration over it. */
int
gso_init(struct gso_iter *gi, const unsigned char *frame, size_t len,
    const struct os_offload *oo, size_t maxlen, const char **why)
{
	int	kind;

	memset(gi, 0, sizeof(*gi));
	gi->gi_frame = frame;
	gi->gi_len = len;
	gi->gi_off = *oo;
	gi->gi_maxlen = maxlen;
	*why = NULL;

	/* Also keeps gso_next's 0, "no more", from meaning an empty frame. */
	if (len < VDE_ETHHDRLEN) {
		*why = "frame shorter than an Ethernet header";
		return (-1);
	}
	/* The ECN flag only says the first segment carries CWR. */
	kind = oo->oo_gso & ~OS_GSO_ECN;
	switch (kind) {
	case OS_GSO_NONE:
		/* One frame, the same length: it must fit as it is. */
		if (len > maxlen) {
			*why = "frame longer than the destination takes";
			return (-1);
		}
		if (oo->oo_flags & OS_OFF_CSUM)
			return (gso_init_csum(gi, why));
		return (0);
	case OS_GSO_TCP4:
	case OS_GSO_TCP6:
		return (gso_init_tcp(gi, kind, why));
	default:
		*why = "GSO of an unsupported kind";
		return (-1);
	}
}

/* Make the one frame of a copy or a checksum completion. */
static size_t
gso_next_one(struct gso_iter *gi, unsigned char *out, size_t outlen)
{
	const struct os_offload	*oo = &gi->gi_off;
	size_t			 cs, at;
	uint16_t		 c;

	gi->gi_done = 1;
	if (outlen < gi->gi_len)
		return (0);
	memcpy(out, gi->gi_frame, gi->gi_len);
	gi->gi_seg = 1;
	if (!(oo->oo_flags & OS_OFF_CSUM))
		return (gi->gi_len);
	/*
	 * The field holds the pseudo-header's sum (not complemented): sum it
	 * with the rest and store the complement.  0 goes out as 0xffff, its
	 * other ones' complement form, since 0 means "no checksum" to UDP.
	 */
	cs = oo->oo_csumstart;
	at = cs + oo->oo_csumoff;
	c = csum_fold(csum_add(0, out + cs, gi->gi_len - cs));
	put16(out + at, c == 0 ? 0xffff : c);
	return (gi->gi_len);
}

/* Make the next TCP segment. */
static size_t
gso_next_tcp(struct gso_iter *gi, unsigned char *out, size_t outlen)
{
	const unsigned char	*f = gi->gi_frame;
	size_t			 mss = gi->gi_off.oo_gsosize;
	size_t			 l3 = gi->gi_l3, th = gi->gi_off.oo_csumstart;
	size_t			 hlen = gi->gi_hlen, plen, seglen, tcplen;
	uint64_t		 sum;
	unsigned int		 i = gi->gi_seg;
	int			 last;

	plen = gi->gi_len - gi->gi_pos;
	if (plen > mss)
		plen = mss;
	last = gi->gi_pos + plen == gi->gi_len;
	seglen = hlen + plen;
	if (outlen < seglen) {
		gi->gi_done = 1;
		return (0);
	}
	memcpy(out, f, hlen);
	tcplen = seglen - th;

	if (GSO_KIND(gi) == OS_GSO_TCP4) {
		put16(out + l3 + 2, (uint32_t)(seglen - l3));
		put16(out + l3 + 4, get16(f + l3 + 4) + i);
		put16(out + l3 + 10, 0);
		put16(out + l3 + 10,
		    csum_fold(csum_add(0, out + l3, th - l3)));
		sum = csum_add(0, out + l3 + 12, 8);	/* addresses */
	} else {
		put16(out + l3 + 4, (uint32_t)(seglen - l3 - IP6_HDRLEN));
		sum = csum_add(0, out + l3 + 8, 32);	/* addresses */
	}
	sum += IPPROTO_TCP_NUM + (tcplen >> 16) + (tcplen & 0xffff);

	/* Sequence numbers wrap modulo 2^32 like the counter itself. */
	put32(out + th + 4,
	    get32(f + th + 4) + (uint32_t)(gi->gi_pos - hlen));
	if (!last)
		out[th + 13] &= (unsigned char)~(TCP_FIN | TCP_PSH);
	if (i > 0)
		out[th + 13] &= (unsigned char)~TCP_CWR;
	/* The payload is copied and summed in one pass. */
	put16(out + th + 16, 0);
	sum = csum_add(sum, out + th, hlen - th);
	sum = csum_copy(sum, out + hlen, f + gi->gi_pos, plen);
	put16(out + th + 16, csum_fold(sum));

	gi->gi_pos += plen;
	gi->gi_seg++;
	if (last)
		gi->gi_done = 1;
	return (seglen);
}

/* Write the next frame into out; its length, or 0 after the last. */
size_t
gso_next(struct gso_iter *gi, unsigned char *out, size_t outlen)
{
	if (gi->gi_done)
		return (0);
	if (GSO_KIND(gi) == OS_GSO_NONE)
		return (gso_next_one(gi, out, outlen));
	return (gso_next_tcp(gi, out, outlen));
}

/*
 * Is off a segmentation (of any kind, even one gso_init refuses) whose
 * segments are smaller than minseg payload bytes?  Such a frame could
 * stand for tens of thousands of frames (65,535 with a gso_size of 1): the
 * switch refuses it where it enters, before any work is spent on it.
 */
int
gso_undersized(const struct os_offload *off, unsigned int minseg)
{
	if (off == NULL || (off->oo_gso & ~OS_GSO_ECN) == OS_GSO_NONE)
		return (0);
	return (off->oo_gsosize < minseg);
}
