/*
 * gso_dump: run gso.c on one frame for tests/gsowire_test, where Scapy
 * checks what it made.  Reads from stdin a 10-byte description (flags,
 * kind, segment size, header length hint, checksum start and offset;
 * 16-bit fields big endian, the layout fuzz/gso_fuzz takes) followed by
 * the frame, and writes each frame gso makes as one line of hex.  Exit
 * status 1 with the reason on stderr when gso refuses the frame, 2 on a
 * usage error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switch.h"

#define DUMP_HDR	10

static unsigned char	dump_in[DUMP_HDR + OS_TAP_FRAMEMAX + 1];
static unsigned char	dump_out[VDE_ETHBUFSIZE + 4];

int
main(int argc, char **argv)
{
	struct os_offload	 oo;
	struct gso_iter		 gi;
	const char		*why;
	size_t			 n, len, i, maxlen = VDE_ETHBUFSIZE;

	if (argc > 2 || (argc == 2 && (maxlen = strtoul(argv[1], NULL, 10))
	    == 0)) {
		fprintf(stderr, "usage: gso_dump [maxlen] < input\n");
		return (2);
	}
	if (maxlen > VDE_ETHBUFSIZE)
		maxlen = VDE_ETHBUFSIZE;
	n = fread(dump_in, 1, sizeof(dump_in), stdin);
	if (n < DUMP_HDR || n == sizeof(dump_in)) {
		fprintf(stderr, "gso_dump: input of %zu bytes\n", n);
		return (2);
	}
	oo.oo_flags = dump_in[0];
	oo.oo_gso = dump_in[1];
	oo.oo_gsosize = (uint16_t)(dump_in[2] << 8 | dump_in[3]);
	oo.oo_hdrlen = (uint16_t)(dump_in[4] << 8 | dump_in[5]);
	oo.oo_csumstart = (uint16_t)(dump_in[6] << 8 | dump_in[7]);
	oo.oo_csumoff = (uint16_t)(dump_in[8] << 8 | dump_in[9]);
	if (gso_init(&gi, dump_in + DUMP_HDR, n - DUMP_HDR, &oo, maxlen,
	    &why) != 0) {
		fprintf(stderr, "gso_dump: %s\n", why);
		return (1);
	}
	while ((len = gso_next(&gi, dump_out, sizeof(dump_out))) != 0) {
		for (i = 0; i < len; i++)
			printf("%02x", dump_out[i]);
		printf("\n");
	}
	return (fflush(stdout) == 0 ? 0 : 2);
}
