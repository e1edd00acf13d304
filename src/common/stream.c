/*
 * stream.c: the stream framing of vde_plug's stdin/stdout (spec section 3):
 * each record is a 2-byte big-endian length, not counting itself, followed
 * by one Ethernet frame.
 *
 * The decoder keeps its state across calls, so a record (or its 2-byte
 * header) may be split at any byte.  Unlike the original it never loses
 * sync: a zero-length record is skipped, and an oversize record is
 * reported once and then skipped by exactly its length.
 */
#include "config.h"

#include <string.h>

#include "proto.h"

void
stream_dec_init(struct stream_dec *sd)
{
	sd->sd_have = sd->sd_need = sd->sd_skip = 0;
	sd->sd_hdr = 0;
	sd->sd_oversize = sd->sd_empty = 0;
}

void
stream_dec_feed(struct stream_dec *sd, const void *data, size_t len,
    stream_frame_cb frame, stream_error_cb oversize, void *arg)
{
	const unsigned char	*p = data;
	size_t			 n, rlen;

	while (len > 0) {
		if (sd->sd_skip > 0) {
			n = len < sd->sd_skip ? len : sd->sd_skip;
			sd->sd_skip -= n;
			p += n;
			len -= n;
			continue;
		}
		if (sd->sd_hdr < VDE_STREAM_HDRLEN) {
			sd->sd_hbuf[sd->sd_hdr++] = *p++;
			len--;
			if (sd->sd_hdr < VDE_STREAM_HDRLEN)
				continue;
			rlen = (size_t)sd->sd_hbuf[0] << 8 | sd->sd_hbuf[1];
			if (rlen == 0) {
				sd->sd_empty++;
				sd->sd_hdr = 0;
			} else if (rlen > VDE_STREAM_MAX) {
				sd->sd_oversize++;
				if (oversize != NULL)
					oversize(arg, rlen);
				sd->sd_skip = rlen;
				sd->sd_hdr = 0;
			} else {
				sd->sd_need = rlen;
				sd->sd_have = 0;
			}
			continue;
		}
		/* A whole record in the input needs no copy. */
		if (sd->sd_have == 0 && len >= sd->sd_need) {
			frame(arg, p, sd->sd_need);
			p += sd->sd_need;
			len -= sd->sd_need;
			sd->sd_hdr = 0;
			continue;
		}
		n = sd->sd_need - sd->sd_have;
		if (n > len)
			n = len;
		memcpy(sd->sd_buf + sd->sd_have, p, n);
		sd->sd_have += n;
		p += n;
		len -= n;
		if (sd->sd_have == sd->sd_need) {
			frame(arg, sd->sd_buf, sd->sd_need);
			sd->sd_have = 0;
			sd->sd_hdr = 0;
		}
	}
}

/* Fill a record header for a frame of len bytes; -1 if it cannot be sent. */
int
stream_header(unsigned char hdr[VDE_STREAM_HDRLEN], size_t len)
{
	if (len > VDE_STREAM_MAX)
		return (-1);
	hdr[0] = (unsigned char)(len >> 8);
	hdr[1] = (unsigned char)(len & 0xff);
	return (0);
}
