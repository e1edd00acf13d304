/*
 * vxurl_test: the library's vxvde:// and vxlan:// networks without a
 * network: option parsing (vxurl.c) and its dispatch from vnl.c, the
 * bounded table of learned stations (vxtab.c), and the receive path of
 * vxnet.c on loopback (a vxlan:// network whose one remote is 127.0.0.1
 * is its own peer).  The interop runs in vxnet_test.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <atf-c.h>
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vxlan.h"
#include "libvdeplug.h"
#include "lib.h"

#define S(x)	((char *)(uintptr_t)(x))

ATF_TC_WITHOUT_HEAD(defaults);
ATF_TC_BODY(defaults, tc)
{
	struct vxurl	u;
	char		err[256];

	ATF_REQUIRE(vxurl_parse("", VNL_VXVDE, &u, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(u.vu_host, "");
	ATF_CHECK_EQ(u.vu_family, AF_UNSPEC);
	ATF_CHECK_EQ(u.vu_port, 14789);
	ATF_CHECK_EQ(u.vu_vni, 1);
	ATF_CHECK_EQ(u.vu_ttl, 1);
	ATF_CHECK_EQ(u.vu_hashsize, VXURL_HASHSIZE);
	ATF_CHECK_EQ(u.vu_expire, VXURL_EXPIRE);
	ATF_CHECK(!u.vu_grpset && u.vu_if[0] == '\0');
	ATF_REQUIRE(vxurl_parse("", VNL_VXLAN, &u, err, sizeof(err)) == 0);
	ATF_CHECK_EQ(u.vu_port, 4789);
	ATF_CHECK_EQ(u.vu_vni, 1);
}

ATF_TC_WITHOUT_HEAD(options);
ATF_TC_BODY(options, tc)
{
	struct vxurl	u;
	char		err[256];

	ATF_REQUIRE(vxurl_parse("ff15::3/port=12345/vni=42", VNL_VXVDE, &u,
	    err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(u.vu_host, "ff15::3");
	ATF_CHECK_EQ(u.vu_port, 12345);
	ATF_CHECK_EQ(u.vu_vni, 42);
	ATF_REQUIRE(vxurl_parse("[ff15::3]/v6", VNL_VXVDE, &u, err,
	    sizeof(err)) == 0);
	ATF_CHECK_STREQ(u.vu_host, "ff15::3");
	ATF_CHECK_EQ(u.vu_family, AF_INET6);
	ATF_REQUIRE(vxurl_parse("239.0.0.9//v4/ttl=8/if=eth0/hashsize=7/"
	    "expiretime=30/", VNL_VXLAN, &u, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(u.vu_host, "239.0.0.9");
	ATF_CHECK_EQ(u.vu_family, AF_INET);
	ATF_CHECK_EQ(u.vu_ttl, 8);
	ATF_CHECK_STREQ(u.vu_if, "eth0");
	ATF_CHECK_EQ(u.vu_hashsize, 7);
	ATF_CHECK_EQ(u.vu_expire, 30);
	/* grp= sets the VNI too; a later vni= wins. */
	ATF_REQUIRE(vxurl_parse("/grp=1000", VNL_VXVDE, &u, err,
	    sizeof(err)) == 0);
	ATF_CHECK(u.vu_grpset && u.vu_grp == 1000 && u.vu_vni == 1000);
	ATF_REQUIRE(vxurl_parse("/grp=1000/vni=5", VNL_VXVDE, &u, err,
	    sizeof(err)) == 0);
	ATF_CHECK(u.vu_grp == 1000 && u.vu_vni == 5);
	/* A group name stands for its id. */
	ATF_REQUIRE(getgrgid(0) != NULL);
	ATF_REQUIRE(vxurl_parse("/vni=5/vni=root", VNL_VXVDE, &u, err,
	    sizeof(err)) == 0);
	ATF_CHECK_EQ(u.vu_vni, 0);
	ATF_REQUIRE(vxurl_parse("/vni=16777215/port=65535/ttl=255",
	    VNL_VXVDE, &u, err, sizeof(err)) == 0);
	ATF_CHECK(u.vu_vni == 16777215 && u.vu_port == 65535 &&
	    u.vu_ttl == 255);
}

ATF_TC_WITHOUT_HEAD(errors);
ATF_TC_BODY(errors, tc)
{
	static const char *const bad[][2] = {
		{ "/port=0", "port is not a number" },
		{ "/port=65536", "port is not a number" },
		{ "/port=", "port is not a number" },
		{ "/vni=16777216", "vni is not a number" },
		{ "/vni=-1", "vni is not a number" },
		{ "/vni=nosuchgroupxyz", "vni is not a number" },
		{ "/grp=x1", "grp is not a number" },
		{ "/ttl=0", "ttl is not a number" },
		{ "/ttl=256", "ttl is not a number" },
		{ "/hashsize=0", "hashsize is not a number" },
		{ "/hashsize=65537", "hashsize is not a number" },
		{ "/expiretime=0", "expiretime is not a number" },
		{ "/expiretime=86401", "expiretime is not a number" },
		{ "/if=", "bad interface name" },
		{ "/v5", "unknown option \"v5\"" },
		{ "/color=red", "unknown option \"color=red\"" },
	};
	struct vxurl	u;
	char		err[256];
	size_t		i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ATF_CHECK_EQ_MSG(vxurl_parse(bad[i][0], VNL_VXVDE, &u, err,
		    sizeof(err)), -1, "%s accepted", bad[i][0]);
		ATF_CHECK_EQ(errno, EINVAL);
		ATF_CHECK_MSG(strstr(err, bad[i][1]) != NULL,
		    "%s: message \"%s\"", bad[i][0], err);
	}
}

ATF_TC_WITHOUT_HEAD(vnl_dispatch);
ATF_TC_BODY(vnl_dispatch, tc)
{
	struct vnl	v;
	char		err[256];

	ATF_REQUIRE(vnl_parse("vxvde://239.1.1.1/vni=3", &v, err,
	    sizeof(err)) == 0);
	ATF_CHECK_EQ(v.v_kind, VNL_VXVDE);
	ATF_CHECK_STREQ(v.v_path, "239.1.1.1/vni=3");
	ATF_REQUIRE(vnl_parse("vxlan://", &v, err, sizeof(err)) == 0);
	ATF_CHECK_EQ(v.v_kind, VNL_VXLAN);
	ATF_CHECK_STREQ(v.v_path, "");
	ATF_CHECK_EQ(vnl_parse("vxvdex://", &v, err, sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EPROTONOSUPPORT);
	/* vde_open reports a bad option and sets errno. */
	errno = 0;
	ATF_CHECK(vde_open(S("vxvde:///ttl=0"), S("t"), NULL) == NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK(vde_open(S("vxvde://10.0.0.1"), S("t"), NULL) == NULL);
	ATF_CHECK_EQ(errno, EINVAL);
}

/* A MAC address 02:00:00:00:hi:lo. */
static void
mac(unsigned char *m, unsigned int n)
{
	memset(m, 0, 6);
	m[0] = 0x02;
	m[4] = (n >> 8) & 0xff;
	m[5] = n & 0xff;
}

ATF_TC_WITHOUT_HEAD(table_bounded);
ATF_TC_BODY(table_bounded, tc)
{
	struct vxtab		 t;
	struct sockaddr_in	 sa;
	const struct vxtab_ent	*e;
	unsigned char		 m[6];
	unsigned int		 i, found;

	ATF_REQUIRE(vxtab_init(&t, 16, 60) == 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	/* Ten thousand stations: the table keeps at most its 16 slots. */
	for (i = 0; i < 10000; i++) {
		mac(m, i);
		sa.sin_port = htons((uint16_t)i);
		vxtab_learn(&t, m, (struct sockaddr *)&sa, sizeof(sa), 100);
	}
	for (found = 0, i = 0; i < 10000; i++) {
		mac(m, i);
		if ((e = vxtab_lookup(&t, m, 100)) != NULL) {
			found++;
			ATF_CHECK_EQ(ntohs(((const struct sockaddr_in *)
			    &e->ve_addr)->sin_port), i);
		}
	}
	ATF_CHECK(found > 0 && found <= 16);
	/* The last one learned is there, until it expires. */
	mac(m, 9999);
	ATF_CHECK(vxtab_lookup(&t, m, 160) != NULL);
	ATF_CHECK(vxtab_lookup(&t, m, 161) == NULL);
	/* A station that moves is found at its new address. */
	sa.sin_port = htons(7);
	vxtab_learn(&t, m, (struct sockaddr *)&sa, sizeof(sa), 200);
	ATF_REQUIRE((e = vxtab_lookup(&t, m, 200)) != NULL);
	ATF_CHECK_EQ(ntohs(((const struct sockaddr_in *)&e->ve_addr)->
	    sin_port), 7);
	vxtab_free(&t);
}

/* A free UDP port on loopback (bound then released). */
static unsigned int
free_port(void)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof(sa);
	int			fd;

	ATF_REQUIRE((fd = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ATF_REQUIRE(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	ATF_REQUIRE(getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
	close(fd);
	return (ntohs(sa.sin_port));
}

/* Send one datagram of len bytes to 127.0.0.1:port from fd. */
static void
dgram(int fd, unsigned int port, const void *buf, size_t len)
{
	struct sockaddr_in	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ATF_REQUIRE(sendto(fd, buf, len, 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == (ssize_t)len);
}

/* Wait until conn has something to read. */
static void
readable(VDECONN *conn)
{
	struct pollfd	pfd;

	pfd.fd = vde_datafd(conn);
	pfd.events = POLLIN;
	ATF_REQUIRE(poll(&pfd, 1, 5000) == 1);
}

ATF_TC_WITHOUT_HEAD(recv_path);
ATF_TC_BODY(recv_path, tc)
{
	VDECONN		*conn;
	unsigned char	 d[VXLAN_HDRLEN + 60], buf[2048];
	char		 name[64];
	unsigned int	 port = free_port();
	ssize_t		 n;
	int		 fd;

	snprintf(name, sizeof(name), "vxlan://127.0.0.1/port=%u/vni=77",
	    port);
	ATF_REQUIRE((conn = vde_open(name, S("t"), NULL)) != NULL);
	ATF_CHECK_EQ(vde_ctlfd(conn), -1);
	ATF_REQUIRE((fd = socket(AF_INET, SOCK_DGRAM, 0)) != -1);

	memset(d, 0, sizeof(d));
	vxlan_encap(d, 77);
	memset(d + VXLAN_HDRLEN, 0xff, 6);
	d[VXLAN_HDRLEN + 6] = 0x02;
	d[VXLAN_HDRLEN + 12] = 0x88;
	d[VXLAN_HDRLEN + 13] = 0xb5;
	d[VXLAN_HDRLEN + 14] = 'x';

	/* Bad: I flag clear, another VNI, short, inner frame of 13. */
	d[0] = 0;
	dgram(fd, port, d, sizeof(d));
	d[0] = VXLAN_FLAG_VNI;
	d[6] = 78;
	dgram(fd, port, d, sizeof(d));
	d[6] = 77;
	dgram(fd, port, d, 5);
	dgram(fd, port, d, VXLAN_HDRLEN + 13);
	readable(conn);
	errno = 0;
	ATF_CHECK_EQ(vde_recv(conn, buf, sizeof(buf), 0), -1);
	ATF_CHECK_EQ(errno, EAGAIN);
	/* A frame longer than the caller's buffer is dropped, not cut. */
	dgram(fd, port, d, sizeof(d));
	readable(conn);
	ATF_CHECK_EQ(vde_recv(conn, buf, 20, 0), -1);
	/* Good: the inner frame alone, reserved bits ignored. */
	d[1] = 0xff;
	dgram(fd, port, d, sizeof(d));
	readable(conn);
	n = vde_recv(conn, buf, sizeof(buf), 0);
	ATF_REQUIRE_EQ(n, 60);
	ATF_CHECK(memcmp(buf, d + VXLAN_HDRLEN, 60) == 0);

	/* Sent frames carry the header; this one loops back to us. */
	memset(buf, 0xff, 6);
	ATF_REQUIRE_EQ(vde_send(conn, buf, 60, 0), 60);
	readable(conn);
	ATF_CHECK_EQ(vde_recv(conn, d, sizeof(d), 0), 60);
	ATF_CHECK(vde_send(conn, buf, 13, 0) == -1);
	close(fd);
	ATF_CHECK_EQ(vde_close(conn), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, defaults);
	ATF_TP_ADD_TC(tp, options);
	ATF_TP_ADD_TC(tp, errors);
	ATF_TP_ADD_TC(tp, vnl_dispatch);
	ATF_TP_ADD_TC(tp, table_bounded);
	ATF_TP_ADD_TC(tp, recv_path);
	return (atf_no_error());
}
