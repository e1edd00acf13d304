/*
 * bpdu_fuzz: libFuzzer target for the BPDU codec (src/switch/bpdu.c) and
 * the spanning tree state machines behind it (src/switch/stp.c).
 *
 * The input is a sequence of records: an op byte (bit 0: advance one
 * second first; bit 1: port 1 or 2; bit 2: take port 3 down and up), a
 * length byte, then that many frame bytes.  Every frame is decoded: a
 * frame that decodes must encode again to a frame that decodes to the same
 * BPDU.  Every frame is also fed to a three-port bridge, which must keep
 * its invariants: a forwarding port also learns, and every BPDU it sends
 * decodes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "switch.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const uint8_t	fuzz_mac[6] = { 0x00, 0xff, 0x00, 0x00, 0x00, 0x42 };

/* The loop's timers: the target advances time itself. */
void
timer_set(struct timer *t, void (*fn)(void *), void *arg)
{
}

void
timer_add(struct timer *t, uint64_t msec)
{
}

void
timer_del(struct timer *t)
{
}

static void
fuzz_send(int port, const uint8_t *frame, size_t len)
{
	struct bpdu	b;

	if (port < 1 || port > 3 || bpdu_decode(frame, len, &b) != 0)
		abort();
}

static void
fuzz_flush(int port)
{
	if (port < 1 || port > 3)
		abort();
}

static void
fuzz_roundtrip(const uint8_t *frame, size_t len)
{
	struct bpdu	b, c;
	uint8_t		out[BPDU_FRAMELEN];
	size_t		n;

	if (bpdu_decode(frame, len, &b) != 0)
		return;
	if ((n = bpdu_encode(out, sizeof(out), frame + 6, &b)) == 0)
		abort();
	if (bpdu_decode(out, n, &c) != 0)
		abort();
	if (c.b_type != b.b_type || c.b_flags != b.b_flags)
		abort();
	if (b.b_type != BPDU_TYPE_TCN && (c.b_root != b.b_root ||
	    c.b_cost != b.b_cost || c.b_bridge != b.b_bridge ||
	    c.b_port != b.b_port || c.b_msgage != b.b_msgage ||
	    c.b_maxage != b.b_maxage || c.b_hello != b.b_hello ||
	    c.b_fwddelay != b.b_fwddelay))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct stp_ops	ops = {
		fuzz_send, fuzz_flush, NULL, NULL
	};
	uint8_t				frame[256];
	size_t				len;
	int				op, port, i;

	stp_init(fuzz_mac, 32768, &ops);
	stp_enable(1);
	for (i = 1; i <= 3; i++)
		stp_port_up(i);
	while (size >= 2) {
		op = data[0];
		len = data[1];
		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		/* A copy, so reads past len are caught by ASan. */
		memcpy(frame, data, len);
		data += len;
		size -= len;
		if (op & 1)
			stp_tick();
		if (op & 4) {
			stp_port_down(3);
			stp_port_up(3);
		}
		port = (op & 2) ? 2 : 1;
		fuzz_roundtrip(frame, len);
		stp_input(port, frame, len);
		for (i = 1; i <= 3; i++)
			if (stp_forwarding(i) && !stp_learning(i))
				abort();
	}
	return (0);
}
