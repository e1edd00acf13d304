/*
 * ctlreq.c: the control-socket handshake request (spec section 1.3).
 *
 * ctlreq_parse() is what the switch runs on the bytes a client sent on its
 * control connection; it is a pure function so that it can be unit-tested
 * and fuzzed.  ctlreq_build() is what the plug and the library send.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <string.h>

#include "proto.h"

static uint32_t
get32(const unsigned char *p)
{
	uint32_t	v;

	memcpy(&v, p, sizeof(v));
	return (v);
}

/*
 * Keep the printable part of a raw description: user-mode-linux sends two
 * bytes of uninitialised padding where a description would be, and other
 * clients may pad with NULs.  Control characters become nothing, the result
 * is at most VDE_DESCR_MAX bytes, and trailing blanks are dropped.
 */
void
ctlreq_sanitize(char *descr, const void *raw, size_t len)
{
	const unsigned char	*p = raw;
	size_t			 i, n = 0;

	for (i = 0; i < len && n < VDE_DESCR_MAX; i++) {
		if (p[i] == '\0')
			break;
		if (p[i] >= 0x20 && p[i] < 0x7f)
			descr[n++] = (char)p[i];
	}
	while (n > 0 && descr[n - 1] == ' ')
		n--;
	descr[n] = '\0';
}

/*
 * Parse a request from the len bytes received so far.  Returns CTLREQ_MORE
 * while the header is incomplete, CTLREQ_DONE with *req filled, or
 * CTLREQ_BAD with *why describing the defect.  Bytes beyond the header are
 * the description; anything past VDE_REQ_MAX is an oversized request.
 */
int
ctlreq_parse(const void *buf, size_t len, struct vde_req *req,
    const char **why)
{
	const unsigned char	*p = buf;
	uint32_t		 word;
	size_t			 hdrlen, off;

	*why = NULL;
	if (len >= 4 && get32(p) != VDE_MAGIC) {
		*why = "bad magic (V0 request not supported)";
		return (CTLREQ_BAD);
	}
	if (len < 8)
		return (CTLREQ_MORE);
	word = get32(p + 4);
	memset(req, 0, sizeof(*req));
	if (word == VDE_REQ_VERSION) {
		hdrlen = VDE_REQ3_HDRLEN;
		off = VDE_REQ3_OFF_SOCK;
		req->rq_version = 3;
	} else if (word == VDE_REQ_NEW_CONTROL || word == VDE_REQ_NEW_PORT0) {
		hdrlen = VDE_REQ1_HDRLEN;
		off = VDE_REQ1_OFF_SOCK;
		req->rq_version = 1;
	} else {
		*why = "unsupported request version";
		return (CTLREQ_BAD);
	}
	if (len < hdrlen)
		return (CTLREQ_MORE);
	if (len > hdrlen + VDE_DESCR_MAX) {
		*why = "oversized request";
		return (CTLREQ_BAD);
	}

	if (req->rq_version == 3) {
		word = get32(p + 8);
		req->rq_type = (int)(word & 0xff);
		req->rq_port = (int)(word >> 8);
	} else {
		req->rq_type = (int)word;
		req->rq_port = 0;
	}
	switch (req->rq_type) {
	case VDE_REQ_NEW_CONTROL:
		break;
	case VDE_REQ_NEW_PORT0:
		req->rq_port = 0;
		break;
	default:
		*why = "bad request type";
		return (CTLREQ_BAD);
	}

	/* The address is copied verbatim: abstract names use all of it. */
	memcpy(&req->rq_sock, p + off, sizeof(req->rq_sock));
	if (req->rq_sock.sun_family != AF_UNIX) {
		*why = "client address is not AF_UNIX";
		return (CTLREQ_BAD);
	}
	req->rq_abstract = req->rq_sock.sun_path[0] == '\0';
	if (!req->rq_abstract &&
	    memchr(req->rq_sock.sun_path, '\0',
	    sizeof(req->rq_sock.sun_path)) == NULL) {
		*why = "client path not terminated";
		return (CTLREQ_BAD);
	}
	ctlreq_sanitize(req->rq_descr, p + hdrlen, len - hdrlen);
	return (CTLREQ_DONE);
}

/*
 * Build a version 3 request into buf; returns its length (the description
 * is sent without its NUL), or 0 when buf is too small.
 */
size_t
ctlreq_build(void *buf, size_t size, int type, int port,
    const struct sockaddr_un *sock, const char *descr)
{
	unsigned char	*p = buf;
	uint32_t	 v;
	size_t		 dlen = descr != NULL ? strlen(descr) : 0;

	if (dlen > VDE_DESCR_MAX - 1)
		dlen = VDE_DESCR_MAX - 1;
	if (size < VDE_REQ3_HDRLEN + dlen || port < 0 || port > VDE_PORT_MAX)
		return (0);
	v = VDE_MAGIC;
	memcpy(p, &v, 4);
	v = VDE_REQ_VERSION;
	memcpy(p + 4, &v, 4);
	v = (uint32_t)type | ((uint32_t)port << 8);
	memcpy(p + 8, &v, 4);
	memcpy(p + VDE_REQ3_OFF_SOCK, sock, sizeof(*sock));
	if (dlen > 0)
		memcpy(p + VDE_REQ3_HDRLEN, descr, dlen);
	return (VDE_REQ3_HDRLEN + dlen);
}
