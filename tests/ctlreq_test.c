/*
 * ctlreq_test: the control handshake request parser and builder.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <atf-c.h>
#include <stdint.h>
#include <string.h>

#include "proto.h"

static size_t
mkreq(unsigned char *buf, uint32_t magic, uint32_t version, uint32_t type,
    const char *path, const char *descr)
{
	struct sockaddr_un	sun;
	size_t			dlen = strlen(descr);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	memcpy(buf, &magic, 4);
	memcpy(buf + 4, &version, 4);
	memcpy(buf + 8, &type, 4);
	memcpy(buf + 12, &sun, sizeof(sun));
	memcpy(buf + VDE_REQ3_HDRLEN, descr, dlen);
	return (VDE_REQ3_HDRLEN + dlen);
}

ATF_TC_WITHOUT_HEAD(v3_any_port);
ATF_TC_BODY(v3_any_port, tc)
{
	unsigned char	buf[512];
	struct vde_req	req;
	const char	*why;
	size_t		len;

	len = mkreq(buf, VDE_MAGIC, 3, 0, "/tmp/vde.ctl/.04711-00000",
	    "QEMU user=1000 pid=4711");
	ATF_CHECK_EQ(ctlreq_parse(buf, len, &req, &why), CTLREQ_DONE);
	ATF_CHECK_EQ(req.rq_version, 3);
	ATF_CHECK_EQ(req.rq_type, VDE_REQ_NEW_CONTROL);
	ATF_CHECK_EQ(req.rq_port, 0);
	ATF_CHECK_EQ(req.rq_abstract, 0);
	ATF_CHECK_STREQ(req.rq_sock.sun_path, "/tmp/vde.ctl/.04711-00000");
	ATF_CHECK_STREQ(req.rq_descr, "QEMU user=1000 pid=4711");
}

ATF_TC_WITHOUT_HEAD(v3_port_encoding);
ATF_TC_BODY(v3_port_encoding, tc)
{
	unsigned char	buf[512];
	struct vde_req	req;
	const char	*why;
	size_t		len;

	len = mkreq(buf, VDE_MAGIC, 3, 300 << 8, "/x", "");
	ATF_REQUIRE_EQ(ctlreq_parse(buf, len, &req, &why), CTLREQ_DONE);
	ATF_CHECK_EQ(req.rq_port, 300);
	ATF_CHECK_EQ(buf[9], 0x2c);
	ATF_CHECK_EQ(buf[10], 0x01);
	/* REQ_NEW_PORT0 ignores the port bits. */
	len = mkreq(buf, VDE_MAGIC, 3, 1 | (7 << 8), "/x", "");
	ATF_REQUIRE_EQ(ctlreq_parse(buf, len, &req, &why), CTLREQ_DONE);
	ATF_CHECK_EQ(req.rq_type, VDE_REQ_NEW_PORT0);
	ATF_CHECK_EQ(req.rq_port, 0);
	ATF_CHECK_STREQ(req.rq_descr, "");
}

ATF_TC_WITHOUT_HEAD(incomplete_until_header);
ATF_TC_BODY(incomplete_until_header, tc)
{
	unsigned char	buf[512];
	struct vde_req	req;
	const char	*why;
	size_t		len, i;

	len = mkreq(buf, VDE_MAGIC, 3, 0, "/tmp/a", "d");
	for (i = 0; i < VDE_REQ3_HDRLEN; i++)
		ATF_CHECK_EQ_MSG(ctlreq_parse(buf, i, &req, &why), CTLREQ_MORE,
		    "at %zu bytes", i);
	ATF_CHECK_EQ(ctlreq_parse(buf, len, &req, &why), CTLREQ_DONE);
}

ATF_TC_WITHOUT_HEAD(rejects_garbage);
ATF_TC_BODY(rejects_garbage, tc)
{
	unsigned char	buf[1024];
	struct vde_req	req;
	const char	*why;
	size_t		len;

	len = mkreq(buf, 0xdeadbeef, 3, 0, "/x", "");
	ATF_CHECK_EQ(ctlreq_parse(buf, len, &req, &why), CTLREQ_BAD);
	ATF_CHECK(why != NULL && strstr(why, "magic") != NULL);
	/* Bad magic is seen as soon as 4 bytes are in. */
	ATF_CHECK_EQ(ctlreq_parse(buf, 4, &req, &why), CTLREQ_BAD);

	len = mkreq(buf, VDE_MAGIC, 2, 0, "/x", "");
	ATF_CHECK_EQ(ctlreq_parse(buf, len, &req, &why), CTLREQ_BAD);
	len = mkreq(buf, VDE_MAGIC, 4, 0, "/x", "");
	ATF_CHECK_EQ(ctlreq_parse(buf, len, &req, &why), CTLREQ_BAD);
	len = mkreq(buf, VDE_MAGIC, 3, 2, "/x", "");
	ATF_CHECK_EQ(ctlreq_parse(buf, len, &req, &why), CTLREQ_BAD);
	ATF_CHECK(strstr(why, "type") != NULL);

	/* Oversized: more description than any client sends. */
	memset(buf, 'a', sizeof(buf));
	mkreq(buf, VDE_MAGIC, 3, 0, "/x", "");
	ATF_CHECK_EQ(ctlreq_parse(buf, VDE_REQ3_HDRLEN + VDE_DESCR_MAX + 1,
	    &req, &why), CTLREQ_BAD);
	ATF_CHECK_EQ(ctlreq_parse(buf, VDE_REQ3_HDRLEN + VDE_DESCR_MAX,
	    &req, &why), CTLREQ_DONE);
	ATF_CHECK_EQ(strlen(req.rq_descr), VDE_DESCR_MAX);

	/* A path with no terminating NUL. */
	len = mkreq(buf, VDE_MAGIC, 3, 0, "/x", "");
	memset(buf + VDE_REQ3_OFF_SOCK + offsetof(struct sockaddr_un, sun_path),
	    'p', sizeof(((struct sockaddr_un *)0)->sun_path));
	ATF_CHECK_EQ(ctlreq_parse(buf, len, &req, &why), CTLREQ_BAD);
}

ATF_TC_WITHOUT_HEAD(uml_abstract_padding);
ATF_TC_BODY(uml_abstract_padding, tc)
{
	unsigned char	buf[512];
	struct vde_req	req;
	const char	*why;
	size_t		len;

	/* UML: abstract name, full garbage path, 2 uninitialised bytes. */
	len = mkreq(buf, VDE_MAGIC, 3, 0, "", "");
	memset(buf + 12 + offsetof(struct sockaddr_un, sun_path) + 1, 0xa5,
	    sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
	buf[len] = 0x01;
	buf[len + 1] = 0xff;
	ATF_REQUIRE_EQ(ctlreq_parse(buf, len + 2, &req, &why), CTLREQ_DONE);
	ATF_CHECK_EQ(req.rq_abstract, 1);
	ATF_CHECK_EQ((unsigned char)req.rq_sock.sun_path[5], 0xa5);
	ATF_CHECK_STREQ(req.rq_descr, "");
}

ATF_TC_WITHOUT_HEAD(v1_request);
ATF_TC_BODY(v1_request, tc)
{
	unsigned char		buf[512];
	struct sockaddr_un	sun;
	struct vde_req		req;
	const char		*why;
	uint32_t		v;

	memset(buf, 0, sizeof(buf));
	v = VDE_MAGIC;
	memcpy(buf, &v, 4);
	v = VDE_REQ_NEW_CONTROL;
	memcpy(buf + 4, &v, 4);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, "/tmp/old", sizeof(sun.sun_path));
	memcpy(buf + VDE_REQ1_OFF_SOCK, &sun, sizeof(sun));
	memcpy(buf + VDE_REQ1_HDRLEN, "legacy", 6);
	ATF_REQUIRE_EQ(ctlreq_parse(buf, VDE_REQ1_HDRLEN + 6, &req, &why),
	    CTLREQ_DONE);
	ATF_CHECK_EQ(req.rq_version, 1);
	ATF_CHECK_STREQ(req.rq_sock.sun_path, "/tmp/old");
	ATF_CHECK_STREQ(req.rq_descr, "legacy");
}

ATF_TC_WITHOUT_HEAD(build_roundtrip);
ATF_TC_BODY(build_roundtrip, tc)
{
	unsigned char		buf[512];
	struct sockaddr_un	sun;
	struct vde_req		req;
	const char		*why;
	size_t			len;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, "/tmp/sw/.00001-00000", sizeof(sun.sun_path));
	len = ctlreq_build(buf, sizeof(buf), VDE_REQ_NEW_CONTROL, 5, &sun,
	    "vde_plug: user=root pid=1");
	ATF_CHECK_EQ(len, VDE_REQ3_HDRLEN + 25);
	ATF_CHECK_EQ(buf[0], 0xce);
	ATF_CHECK_EQ(buf[9], 5);
	ATF_REQUIRE_EQ(ctlreq_parse(buf, len, &req, &why), CTLREQ_DONE);
	ATF_CHECK_EQ(req.rq_port, 5);
	ATF_CHECK_STREQ(req.rq_descr, "vde_plug: user=root pid=1");
	ATF_CHECK_EQ(ctlreq_build(buf, 10, 0, 0, &sun, ""), 0);
	ATF_CHECK_EQ(ctlreq_build(buf, sizeof(buf), 0, VDE_PORT_MAX + 1, &sun,
	    ""), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, v3_any_port);
	ATF_TP_ADD_TC(tp, v3_port_encoding);
	ATF_TP_ADD_TC(tp, incomplete_until_header);
	ATF_TP_ADD_TC(tp, rejects_garbage);
	ATF_TP_ADD_TC(tp, uml_abstract_padding);
	ATF_TP_ADD_TC(tp, v1_request);
	ATF_TP_ADD_TC(tp, build_roundtrip);
	return (atf_no_error());
}
