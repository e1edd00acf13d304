/*
 * ctlreq_fuzz: libFuzzer target for the switch's handshake parser,
 * ctlreq_parse() (spec section 1.3).  Besides not crashing, every accepted
 * request must be sane (known type, port in range, printable description
 * of bounded length), and a version 3 request rebuilt by ctlreq_build()
 * must parse back to the same fields.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vde_req	 req, again;
	unsigned char	 buf[VDE_REQ_MAX];
	char		 want[VDE_DESCR_MAX + 1];
	const char	*why;
	size_t		 i, len;
	int		 r;

	r = ctlreq_parse(data, size, &req, &why);
	if (r == CTLREQ_BAD && why == NULL)
		abort();	/* a refusal must say why */
	if (r != CTLREQ_DONE)
		return (0);
	if (req.rq_type != VDE_REQ_NEW_CONTROL &&
	    req.rq_type != VDE_REQ_NEW_PORT0)
		abort();
	if (req.rq_port < 0 || req.rq_port > VDE_PORT_MAX)
		abort();
	len = strlen(req.rq_descr);
	if (len > VDE_DESCR_MAX)
		abort();
	for (i = 0; i < len; i++)
		if ((unsigned char)req.rq_descr[i] < 0x20 ||
		    (unsigned char)req.rq_descr[i] >= 0x7f)
			abort();
	if (req.rq_version != 3 || req.rq_abstract)
		return (0);
	len = ctlreq_build(buf, sizeof(buf), req.rq_type, req.rq_port,
	    &req.rq_sock, req.rq_descr);
	if (len == 0)
		abort();
	if (ctlreq_parse(buf, len, &again, &why) != CTLREQ_DONE)
		abort();
	/* The builder sends at most 127 bytes; the parser drops trailing
	 * blanks, which the cut may have exposed. */
	memcpy(want, req.rq_descr, sizeof(want));
	want[VDE_DESCR_MAX - 1] = '\0';
	for (i = strlen(want); i > 0 && want[i - 1] == ' '; i--)
		want[i - 1] = '\0';
	if (again.rq_type != req.rq_type || again.rq_port != req.rq_port ||
	    strcmp(again.rq_descr, want) != 0 ||
	    strcmp(again.rq_sock.sun_path, req.rq_sock.sun_path) != 0)
		abort();
	return (0);
}
