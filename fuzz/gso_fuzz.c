/*
 * gso_fuzz: libFuzzer target for the software checksum and segmentation
 * of frames from taps with offloads (src/switch/gso.c).
 *
 * Input: the first 10 bytes are the description (flags, kind, segment
 * size, header length hint, checksum start and offset; 16-bit fields big
 * endian), the rest is the frame.  Invariants checked (abort on
 * violation): no frame made is longer than maxlen; the iteration ends
 * within len + 1 frames; a copy or checksum completion makes one frame
 * of the input's length; a TCP segmentation makes frames of headers plus
 * at most one segment size of payload, and their payload bytes add up to
 * the frame's.  ASan catches any read outside the frame.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "switch.h"

#define FZ_HDR		10
#define FZ_MAXLEN	VDE_ETHBUFSIZE

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static unsigned char	fz_out[VDE_ETHBUFSIZE + 4];

static uint16_t
fz16(const uint8_t *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct os_offload	 oo;
	struct gso_iter		 gi;
	const char		*why;
	unsigned char		*frame;
	size_t			 len, n, seglen, pay = 0, hlen = 0;
	int			 kind;

	if (size < FZ_HDR)
		return (0);
	oo.oo_flags = data[0];
	oo.oo_gso = data[1];
	oo.oo_gsosize = fz16(data + 2);
	oo.oo_hdrlen = fz16(data + 4);
	oo.oo_csumstart = fz16(data + 6);
	oo.oo_csumoff = fz16(data + 8);
	len = size - FZ_HDR;
	/* A buffer of exactly the frame's size, so ASan sees overreads. */
	if ((frame = malloc(len ? len : 1)) == NULL)
		abort();
	memcpy(frame, data + FZ_HDR, len);

	if (gso_init(&gi, frame, len, &oo, FZ_MAXLEN, &why) != 0) {
		if (why == NULL || why[0] == '\0')
			abort();
		free(frame);
		return (0);
	}
	kind = oo.oo_gso & ~OS_GSO_ECN;
	for (n = 0; (seglen = gso_next(&gi, fz_out, sizeof(fz_out))) != 0;
	    n++) {
		if (n > len || seglen > FZ_MAXLEN)
			abort();
		if (kind == OS_GSO_NONE) {
			if (seglen != len || n > 0)
				abort();
			continue;
		}
		/* Accepted: the TCP header is at the checksum start. */
		if (n == 0)
			hlen = (size_t)oo.oo_csumstart +
			    (size_t)(frame[oo.oo_csumstart + 12] >> 4) * 4;
		if (seglen <= hlen || seglen - hlen > oo.oo_gsosize)
			abort();
		pay += seglen - hlen;
	}
	if (kind == OS_GSO_NONE && n != 1)
		abort();
	if (kind != OS_GSO_NONE && (n == 0 || pay != len - hlen))
		abort();
	free(frame);
	return (0);
}
