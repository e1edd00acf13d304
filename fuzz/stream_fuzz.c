/*
 * stream_fuzz: libFuzzer target for the stream framing decoder
 * (src/common/stream.c).  The input is decoded twice: in one piece, and cut
 * into chunks whose sizes come from the input itself.  Both runs must
 * deliver exactly the same frames (the decoder never loses sync on a
 * split), every frame must be 1..VDE_STREAM_MAX bytes, and the frames and
 * skipped records must account for every input byte.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct tally {
	unsigned long	t_frames;
	unsigned long	t_bytes;
	uint32_t	t_hash;		/* FNV-1a over lengths and contents */
};

static struct stream_dec	dec;

static void
tally_frame(void *arg, const unsigned char *frame, size_t len)
{
	struct tally	*t = arg;
	size_t		 i;

	if (len == 0 || len > VDE_STREAM_MAX)
		abort();
	t->t_frames++;
	t->t_bytes += len;
	t->t_hash = (t->t_hash ^ (uint32_t)len) * 16777619U;
	for (i = 0; i < len; i++)
		t->t_hash = (t->t_hash ^ frame[i]) * 16777619U;
}

static void
tally_oversize(void *arg, size_t len)
{
	if (len <= VDE_STREAM_MAX)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally	whole, split;
	size_t		off, n, k = 0;

	memset(&whole, 0, sizeof(whole));
	whole.t_hash = 2166136261U;
	split = whole;

	stream_dec_init(&dec);
	stream_dec_feed(&dec, data, size, tally_frame, tally_oversize,
	    &whole);

	stream_dec_init(&dec);
	for (off = 0; off < size; off += n) {
		/* Chunk sizes 1..16 taken cyclically from the input. */
		n = (size_t)(data[k++ % size] & 0x0f) + 1;
		if (n > size - off)
			n = size - off;
		stream_dec_feed(&dec, data + off, n, tally_frame,
		    tally_oversize, &split);
	}
	if (whole.t_frames != split.t_frames ||
	    whole.t_bytes != split.t_bytes || whole.t_hash != split.t_hash)
		abort();
	/* Headers and payloads can never exceed the input. */
	if (whole.t_bytes + 2 * whole.t_frames > size)
		abort();
	return (0);
}
