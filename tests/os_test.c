/*
 * os_test: the os/ layer of the platform being built.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "os/os.h"

ATF_TC(tap_open_creates);
ATF_TC_HEAD(tap_open_creates, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "os_tap_open should create a tap and return a non-blocking fd");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(tap_open_creates, tc)
{
	char	name[OS_TAPNAMELEN], want[32], buf[64];
	int	fd, fd2;

	if (access(os_tap_device(), R_OK | W_OK) != 0)
		atf_tc_fail("%s is not usable: %s", os_tap_device(),
		    strerror(errno));
	snprintf(want, sizeof(want), "vdeut%d", (int)getpid() % 100000);
	fd = os_tap_open(want, name, sizeof(name), NULL);
	ATF_REQUIRE_MSG(fd != -1, "os_tap_open: %s", strerror(errno));
	ATF_CHECK_STREQ(name, want);
	ATF_CHECK(if_nametoindex(name) != 0);
	ATF_CHECK((fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
	/* Nothing to read on a fresh, down interface: must not block. */
	ATF_CHECK(read(fd, buf, sizeof(buf)) == -1 && errno == EAGAIN);
	/* The interface is busy while we hold it. */
	fd2 = os_tap_open(want, NULL, 0, NULL);
	ATF_CHECK(fd2 == -1);
	close(fd);
	/* A non-persistent tap vanishes with its last fd. */
	ATF_CHECK_EQ(if_nametoindex(name), 0);
}

ATF_TC_WITHOUT_HEAD(tap_open_overlong);
ATF_TC_BODY(tap_open_overlong, tc)
{
	char	name[OS_TAPNAMELEN];

	errno = 0;
	ATF_CHECK_EQ(os_tap_open("averyveryverylongtapname0123456789", name,
	    sizeof(name), NULL), -1);
	ATF_CHECK(errno == ENAMETOOLONG || errno == ENOTSUP);
}

/*
 * Interface names hold IFNAMSIZ - 1 bytes: a longer one is refused, not
 * cut (FreeBSD's SIOCSIFNAME and TAPGIFNAME use IFNAMSIZ too).
 */
ATF_TC_WITHOUT_HEAD(tap_open_ifnamsiz);
ATF_TC_BODY(tap_open_ifnamsiz, tc)
{
	char	want[IF_NAMESIZE + 1], name[OS_TAPNAMELEN];

	memset(want, 'v', IF_NAMESIZE);
	want[IF_NAMESIZE] = '\0';
	errno = 0;
	ATF_CHECK_EQ(os_tap_open(want, name, sizeof(name), NULL), -1);
	ATF_CHECK_MSG(errno == ENAMETOOLONG || errno == ENOTSUP,
	    "a %d-byte name: %s", IF_NAMESIZE, strerror(errno));
}

ATF_TC_WITHOUT_HEAD(sun_set_refuses_overlong);
ATF_TC_BODY(sun_set_refuses_overlong, tc)
{
	struct sockaddr_un	sun;
	char			path[sizeof(sun.sun_path) + 8];

	ATF_CHECK(os_sun_set(&sun, "/tmp/x") > 0);
	ATF_CHECK_STREQ(sun.sun_path, "/tmp/x");
	ATF_CHECK_EQ(sun.sun_family, AF_UNIX);
	memset(path, 'a', sizeof(path));
	path[sizeof(sun.sun_path)] = '\0';	/* one byte too long */
	errno = 0;
	ATF_CHECK_EQ(os_sun_set(&sun, path), 0);
	ATF_CHECK_EQ(errno, ENAMETOOLONG);
	path[sizeof(sun.sun_path) - 1] = '\0';	/* fits exactly */
	ATF_CHECK(os_sun_set(&sun, path) > 0);
}

ATF_TC_WITHOUT_HEAD(peercred_of_socketpair);
ATF_TC_BODY(peercred_of_socketpair, tc)
{
	struct os_peercred	cred;
	int			sv[2];

	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	if (os_peercred(sv[0], &cred) == -1) {
		ATF_REQUIRE_EQ(errno, ENOTSUP);
		atf_tc_skip("no peer credentials on this system");
	}
	ATF_CHECK_EQ(cred.uid, getuid());
	ATF_CHECK_EQ(cred.gid, getgid());
	ATF_CHECK(cred.pid == -1 || cred.pid == getpid());
}

ATF_TC_WITHOUT_HEAD(batch_io);
ATF_TC_BODY(batch_io, tc)
{
	struct os_frame	out[3], in[4];
	unsigned char	a[100], b[2000], c[9000], r[4][1600];
	int		sv[2], i;

	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
	memset(a, 1, sizeof(a));
	memset(b, 2, sizeof(b));
	memset(c, 3, sizeof(c));
	out[0].of_buf = a; out[0].of_len = sizeof(a);
	out[1].of_buf = b; out[1].of_len = sizeof(b);
	out[2].of_buf = c; out[2].of_len = sizeof(c);
	ATF_REQUIRE_EQ(os_send_batch(sv[0], out, 3), 3);
	for (i = 0; i < 4; i++) {
		in[i].of_buf = r[i];
		in[i].of_len = sizeof(r[i]);
		in[i].of_trunc = 0;
	}
	ATF_REQUIRE_EQ(os_recv_batch(sv[1], in, 4), 3);
	ATF_CHECK_EQ(in[0].of_len, 100);
	ATF_CHECK_EQ(in[0].of_trunc, 0);
	ATF_CHECK_EQ(r[0][99], 1);
	/* Larger than the buffer: flagged, so that it can be dropped. */
	ATF_CHECK_EQ(in[1].of_trunc, 1);
	ATF_CHECK_EQ(in[2].of_trunc, 1);
	/* Nothing left: 0, not an error. */
	ATF_CHECK_EQ(os_recv_batch(sv[1], in, 4), 0);
}

/*
 * A datagram larger than the socket may send (EMSGSIZE: FreeBSD's
 * net.local.dgram.maxdgram, or on Linux a send buffer smaller than the
 * datagram) is dropped alone; the frames around it, the first of the
 * batch included, still go.
 */
ATF_TC_WITHOUT_HEAD(batch_emsgsize);
ATF_TC_BODY(batch_emsgsize, tc)
{
	static unsigned char	big[65000];
	struct os_frame		out[5], in[8];
	unsigned char		s1[100], s2[200], s3[300], r[8][400];
	int			sv[2], i, buf = 4096;

	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
	ATF_REQUIRE(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &buf,
	    sizeof(buf)) == 0);
	/* The premise: this system refuses the large one alone. */
	errno = 0;
	ATF_REQUIRE_MSG(send(sv[0], big, sizeof(big), 0) == -1 &&
	    errno == EMSGSIZE, "a %zu-byte datagram with SO_SNDBUF %d: %s",
	    sizeof(big), buf, strerror(errno));
	memset(s1, 1, sizeof(s1));
	memset(s2, 2, sizeof(s2));
	memset(s3, 3, sizeof(s3));
	out[0].of_buf = big; out[0].of_len = sizeof(big);
	out[1].of_buf = s1; out[1].of_len = sizeof(s1);
	out[2].of_buf = s2; out[2].of_len = sizeof(s2);
	out[3].of_buf = big; out[3].of_len = sizeof(big);
	out[4].of_buf = s3; out[4].of_len = sizeof(s3);
	for (i = 0; i < 5; i++)
		out[i].of_trunc = 0;
	ATF_REQUIRE_EQ(os_send_batch(sv[0], out, 5), 5);
	ATF_CHECK_EQ(out[0].of_trunc, 1);
	ATF_CHECK_EQ(out[1].of_trunc, 0);
	ATF_CHECK_EQ(out[2].of_trunc, 0);
	ATF_CHECK_EQ(out[3].of_trunc, 1);
	ATF_CHECK_EQ(out[4].of_trunc, 0);
	for (i = 0; i < 8; i++) {
		in[i].of_buf = r[i];
		in[i].of_len = sizeof(r[i]);
		in[i].of_trunc = 0;
	}
	ATF_REQUIRE_EQ(os_recv_batch(sv[1], in, 8), 3);
	ATF_CHECK_EQ(in[0].of_len, 100);
	ATF_CHECK_EQ(in[1].of_len, 200);
	ATF_CHECK_EQ(in[2].of_len, 300);
	ATF_CHECK_EQ(r[2][299], 3);
	/* A batch of nothing but refused frames: all done, all dropped. */
	ATF_CHECK_EQ(os_send_batch(sv[0], out, 1), 1);
	ATF_CHECK_EQ(out[0].of_trunc, 1);
	ATF_CHECK_EQ(os_recv_batch(sv[1], in, 8), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, tap_open_creates);
	ATF_TP_ADD_TC(tp, tap_open_overlong);
	ATF_TP_ADD_TC(tp, sun_set_refuses_overlong);
	ATF_TP_ADD_TC(tp, peercred_of_socketpair);
	ATF_TP_ADD_TC(tp, batch_io);
	ATF_TP_ADD_TC(tp, batch_emsgsize);
	ATF_TP_ADD_TC(tp, tap_open_ifnamsiz);
	return (atf_no_error());
}
