/*
 * libvdeplug_test: the client library.  Name parsing (vnl.c) is tested
 * directly; vde_open() is tested against a small fake switch run in a
 * child process, which checks the request bytes, the client socket's
 * place, mode and group at the moment of the request, and echoes frames.
 * The interop with real switches is in plug_test and qemu_test.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <atf-c.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"
#include "proto.h"
#include "libvdeplug.h"
#include "lib.h"

/* What the fake switch saw, sent back to the test over a pipe. */
struct fake_report {
	int	fr_type;
	int	fr_port;
	int	fr_mode;	/* client socket permissions, -1: missing */
	long	fr_gid;
	int	fr_dirmode;	/* permissions of its directory */
	long	fr_diruid;
	char	fr_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char	fr_descr[VDE_DESCR_MAX + 1];
};

/* The API takes char *, as the original does. */
#define S(x)	((char *)(uintptr_t)(x))

#define FAKE_ACCEPT	0
#define FAKE_REFUSE	1	/* close without a reply, like a full switch */

static pid_t	fake_pid = -1;
static int	fake_rd = -1;
static char	fake_dir[PATH_MAX];

/* The fake switch's life: one client, then exit when it leaves. */
static void
fake_serve(int lfd, int wr, int how)
{
	struct fake_report	 rep;
	struct vde_req		 req;
	struct sockaddr_un	 sun;
	struct pollfd		 pfd[2];
	struct stat		 st;
	unsigned char		 buf[VDE_REQ_MAX + 16], frame[VDE_FRAMEBUF];
	const char		*why;
	char			 dpath[PATH_MAX + 16], *slash;
	size_t			 have = 0;
	ssize_t			 n;
	int			 cfd, dfd, r = CTLREQ_MORE;

	if ((cfd = accept(lfd, NULL, NULL)) == -1)
		_exit(2);
	while (r == CTLREQ_MORE) {
		/* A client that gives up before its request is fine. */
		if ((n = read(cfd, buf + have, sizeof(buf) - have)) <= 0)
			_exit(have == 0 ? 0 : 3);
		have += (size_t)n;
		r = ctlreq_parse(buf, have, &req, &why);
	}
	if (r != CTLREQ_DONE)
		_exit(4);
	memset(&rep, 0, sizeof(rep));
	rep.fr_type = req.rq_type;
	rep.fr_port = req.rq_port;
	strlcpy(rep.fr_path, req.rq_sock.sun_path, sizeof(rep.fr_path));
	strlcpy(rep.fr_descr, req.rq_descr, sizeof(rep.fr_descr));
	rep.fr_mode = -1;
	if (stat(rep.fr_path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		rep.fr_mode = (int)(st.st_mode & 07777);
		rep.fr_gid = (long)st.st_gid;
	}
	strlcpy(dpath, rep.fr_path, sizeof(dpath));
	if ((slash = strrchr(dpath, '/')) != NULL) {
		*slash = '\0';
		if (stat(dpath, &st) == 0) {
			rep.fr_dirmode = (int)(st.st_mode & 07777);
			rep.fr_diruid = (long)st.st_uid;
		}
	}
	if (how == FAKE_REFUSE) {
		close(cfd);
		if (write(wr, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
			_exit(7);
		_exit(0);
	}
	snprintf(dpath, sizeof(dpath), "%s/001.9", fake_dir);
	if ((dfd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    os_sun_set(&sun, dpath) == 0 ||
	    bind(dfd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    connect(dfd, (struct sockaddr *)&req.rq_sock,
	    sizeof(req.rq_sock)) == -1)
		_exit(5);
	if (write(cfd, &sun, sizeof(sun)) != (ssize_t)sizeof(sun))
		_exit(6);
	if (write(wr, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
		_exit(7);
	for (;;) {
		pfd[0].fd = cfd;
		pfd[1].fd = dfd;
		pfd[0].events = pfd[1].events = POLLIN;
		if (poll(pfd, 2, 10000) <= 0 || pfd[0].revents != 0)
			break;
		if ((n = recv(dfd, frame, sizeof(frame), 0)) > 0)
			(void)send(dfd, frame, (size_t)n, 0);
	}
	unlink(dpath);
	_exit(0);
}

/* Start a fake switch in ./sw (listening before this returns). */
static void
fake_start(int how)
{
	struct sockaddr_un	sun;
	char			ctl[PATH_MAX + 8];
	int			lfd, p[2];

	ATF_REQUIRE(getcwd(fake_dir, sizeof(fake_dir) - 4) != NULL);
	strlcat(fake_dir, "/sw", sizeof(fake_dir));
	ATF_REQUIRE(mkdir(fake_dir, 0700) == 0 || errno == EEXIST);
	snprintf(ctl, sizeof(ctl), "%s/ctl", fake_dir);
	ATF_REQUIRE(os_sun_set(&sun, ctl) != 0);
	ATF_REQUIRE((lfd = socket(AF_UNIX, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	ATF_REQUIRE(listen(lfd, 5) == 0);
	ATF_REQUIRE(pipe(p) == 0);
	ATF_REQUIRE((fake_pid = fork()) != -1);
	if (fake_pid == 0) {
		close(p[0]);
		fake_serve(lfd, p[1], how);
	}
	close(lfd);
	close(p[1]);
	fake_rd = p[0];
}

/* The fake switch's report of the request it got. */
static void
fake_report(struct fake_report *rep)
{
	struct pollfd	pfd;

	pfd.fd = fake_rd;
	pfd.events = POLLIN;
	ATF_REQUIRE_MSG(poll(&pfd, 1, 5000) == 1, "fake switch silent");
	ATF_REQUIRE(read(fake_rd, rep, sizeof(*rep)) == sizeof(*rep));
}

/* Wait for the fake switch to end; its exit status must be 0. */
static void
fake_stop(void)
{
	int	status;

	ATF_REQUIRE(waitpid(fake_pid, &status, 0) == fake_pid);
	ATF_CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "fake switch failed: status %d", status);
	close(fake_rd);
	unlink("sw/ctl");
}

/* Names in ./sw other than ctl and the fake's data socket. */
static int
leftovers(void)
{
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	ATF_REQUIRE((d = opendir("sw")) != NULL);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, "ctl") == 0 ||
		    strcmp(de->d_name, "001.9") == 0)
			continue;
		fprintf(stderr, "left over: sw/%s\n", de->d_name);
		n++;
	}
	closedir(d);
	return (n);
}

ATF_TC_WITHOUT_HEAD(vnl_forms);
ATF_TC_BODY(vnl_forms, tc)
{
	struct vnl	v;
	char		err[256];

	ATF_REQUIRE(vnl_parse("/tmp/sw", &v, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(v.v_path, "/tmp/sw");
	ATF_CHECK(!v.v_portset && !v.v_default && !v.v_modeset);

	ATF_REQUIRE(vnl_parse("/tmp/sw/[12]", &v, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(v.v_path, "/tmp/sw");
	ATF_CHECK(v.v_portset && v.v_port == 12);

	ATF_REQUIRE(vnl_parse("rel/sw[0]", &v, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(v.v_path, "rel/sw");
	ATF_CHECK(v.v_portset && v.v_port == 0);

	ATF_REQUIRE(vnl_parse("vde:///a/b[port=7/group=staff/mode=0660]",
	    &v, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(v.v_path, "/a/b");
	ATF_CHECK(v.v_portset && v.v_port == 7);
	ATF_CHECK_STREQ(v.v_group, "staff");
	ATF_CHECK(v.v_modeset && v.v_mode == 0660);

	/* Keys may be abbreviated; "p" is port, a bare word a port group. */
	ATF_REQUIRE(vnl_parse("/a[p=3/g=wheel/m=640/lab]", &v, err,
	    sizeof(err)) == 0);
	ATF_CHECK(v.v_port == 3 && v.v_mode == 0640);
	ATF_CHECK_STREQ(v.v_group, "wheel");
	ATF_CHECK_STREQ(v.v_portgroup, "lab");

	/* A bracket inside the path is part of the name. */
	ATF_REQUIRE(vnl_parse("/a[1]/b", &v, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(v.v_path, "/a[1]/b");
	ATF_CHECK(!v.v_portset);
}

ATF_TC_WITHOUT_HEAD(vnl_default_names);
ATF_TC_BODY(vnl_default_names, tc)
{
	struct vnl	v;
	char		err[256];

	ATF_REQUIRE(vnl_parse(NULL, &v, err, sizeof(err)) == 0);
	ATF_CHECK(v.v_default);
	ATF_REQUIRE(vnl_parse("", &v, err, sizeof(err)) == 0);
	ATF_CHECK(v.v_default);
	ATF_REQUIRE(vnl_parse("vde://", &v, err, sizeof(err)) == 0);
	ATF_CHECK(v.v_default);
	ATF_REQUIRE(vnl_parse("[4]", &v, err, sizeof(err)) == 0);
	ATF_CHECK(v.v_default && v.v_portset && v.v_port == 4);
}

ATF_TC_WITHOUT_HEAD(vnl_default_files);
ATF_TC_BODY(vnl_default_files, tc)
{
	struct vnl	 v;
	char		 err[256], home[PATH_MAX];
	FILE		*fp;

	ATF_REQUIRE(getcwd(home, sizeof(home)) != NULL);
	ATF_REQUIRE(setenv("HOME", home, 1) == 0);
	ATF_REQUIRE(vnl_parse(NULL, &v, err, sizeof(err)) == 0);
	ATF_CHECK_EQ(vnl_default(&v, err, sizeof(err)), 0);

	/* vde-2: ~/.vde2/default.switch as a link to the directory. */
	ATF_REQUIRE(mkdir(".vde2", 0700) == 0);
	ATF_REQUIRE(symlink("/some/switch", ".vde2/default.switch") == 0);
	ATF_REQUIRE(vnl_parse("[5]", &v, err, sizeof(err)) == 0);
	ATF_REQUIRE_EQ(vnl_default(&v, err, sizeof(err)), 1);
	ATF_CHECK(!v.v_default && v.v_port == 5);
	ATF_CHECK_MSG(strstr(v.v_path, "/.vde2/default.switch") != NULL,
	    "path %s", v.v_path);

	/* vdeplug4: ~/.vdeplug/default holds a name, and wins. */
	ATF_REQUIRE(mkdir(".vdeplug", 0700) == 0);
	ATF_REQUIRE((fp = fopen(".vdeplug/default", "w")) != NULL);
	fprintf(fp, "vde:///var/lab/sw[port=9/mode=0660]\nignored\n");
	fclose(fp);
	ATF_REQUIRE(vnl_parse(NULL, &v, err, sizeof(err)) == 0);
	ATF_REQUIRE_EQ(vnl_default(&v, err, sizeof(err)), 1);
	ATF_CHECK_STREQ(v.v_path, "/var/lab/sw");
	ATF_CHECK(v.v_port == 9 && v.v_mode == 0660);
}

ATF_TC_WITHOUT_HEAD(vnl_errors);
ATF_TC_BODY(vnl_errors, tc)
{
	struct vnl	v;
	char		err[256];

	ATF_CHECK_EQ(vnl_parse("tap://tap0", &v, err, sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EPROTONOSUPPORT);
	ATF_CHECK_MSG(strstr(err, "tap://") != NULL, "message: %s", err);
	ATF_CHECK_EQ(vnl_parse("/a[port=x]", &v, err, sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_EQ(vnl_parse("/a[99999999]", &v, err, sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_EQ(vnl_parse("/a[mode=0999]", &v, err, sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_EQ(vnl_parse("/a[frob=1]", &v, err, sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_MSG(strstr(err, "frob") != NULL, "message: %s", err);
	ATF_CHECK_EQ(vnl_parse("[]", &v, err, sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EINVAL);
}

ATF_TC_WITHOUT_HEAD(vnl_legacy_forms);
ATF_TC_BODY(vnl_legacy_forms, tc)
{
	struct vnl	v;
	char		err[256];

	ATF_REQUIRE(vnl_parse("/a/sock[]", &v, err, sizeof(err)) == 0);
	ATF_CHECK_EQ(v.v_kind, VNL_PTP);
	ATF_CHECK_STREQ(v.v_path, "/a/sock");
	ATF_REQUIRE(vnl_parse("5000->10.0.0.1:5001", &v, err,
	    sizeof(err)) == 0);
	ATF_CHECK_EQ(v.v_kind, VNL_UDP);
	ATF_CHECK_STREQ(v.v_path, "5000->10.0.0.1:5001");
	ATF_REQUIRE(vnl_parse("[::1]:5000->[::1]:5001", &v, err,
	    sizeof(err)) == 0);
	ATF_CHECK_EQ(v.v_kind, VNL_UDP);
	ATF_REQUIRE(vnl_parse("udp://5000->h:5001", &v, err,
	    sizeof(err)) == 0);
	ATF_CHECK_EQ(v.v_kind, VNL_UDP);
	ATF_CHECK_STREQ(v.v_path, "5000->h:5001");
	ATF_REQUIRE(vnl_parse("/a/sw", &v, err, sizeof(err)) == 0);
	ATF_CHECK_EQ(v.v_kind, VNL_SWITCH);
}

ATF_TC_WITHOUT_HEAD(ptp_cable);
ATF_TC_BODY(ptp_cable, tc)
{
	struct sockaddr_un	 sun;
	VDECONN			*f, *m;
	unsigned char		 a[64], b[VDE_FRAMEBUF];
	int			 fd;

	/* A stale socket (nobody bound to it any more) is replaced. */
	ATF_REQUIRE((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) != -1);
	ATF_REQUIRE(os_sun_set(&sun, "cab") != 0);
	ATF_REQUIRE(bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	close(fd);
	ATF_REQUIRE((f = vde_open(S("cab[]"), S("f"), NULL)) != NULL);
	ATF_CHECK_EQ(vde_ctlfd(f), -1);
	/* A live one is not. */
	ATF_CHECK(vde_open(S("cab[]"), S("f2"), NULL) == NULL);
	ATF_CHECK_EQ(errno, EADDRINUSE);
	/* A frame sent before anyone attached is lost, not an error. */
	memset(a, 0x11, sizeof(a));
	ATF_CHECK_EQ(vde_send(f, a, sizeof(a), 0), 64);

	ATF_REQUIRE((m = vde_open(S("cab"), S("m"), NULL)) != NULL);
	ATF_CHECK(access("cab+", F_OK) == 0);
	memset(a, 0x22, sizeof(a));
	ATF_CHECK_EQ(vde_send(m, a, sizeof(a), 0), 64);
	ATF_CHECK_EQ(vde_recv(f, b, sizeof(b), 0), 64);
	ATF_CHECK(memcmp(a, b, sizeof(a)) == 0);
	memset(a, 0x33, sizeof(a));
	ATF_CHECK_EQ(vde_send(f, a, sizeof(a), 0), 64);
	ATF_CHECK_EQ(vde_recv(m, b, sizeof(b), 0), 64);
	ATF_CHECK(memcmp(a, b, sizeof(a)) == 0);

	/* The male leaves: the female hears an empty datagram. */
	ATF_CHECK_EQ(vde_close(m), 0);
	ATF_CHECK(access("cab+", F_OK) == -1);
	ATF_CHECK_EQ(vde_recv(f, b, sizeof(b), 0), 0);
	/* A new male can attach. */
	ATF_REQUIRE((m = vde_open(S("cab"), S("m"), NULL)) != NULL);
	ATF_CHECK_EQ(vde_send(f, a, sizeof(a), 0), 64);
	ATF_CHECK_EQ(vde_recv(m, b, sizeof(b), 0), 64);
	vde_close(m);
	vde_close(f);
	ATF_CHECK(access("cab", F_OK) == -1 && access("cab+", F_OK) == -1);
}

ATF_TC_WITHOUT_HEAD(udp_cable);
ATF_TC_BODY(udp_cable, tc)
{
	VDECONN		*a, *b;
	unsigned char	 f[64], g[VDE_FRAMEBUF];
	char		 na[64], nb[64];
	int		 port = 20000 + (int)(getpid() % 20000);

	snprintf(na, sizeof(na), "127.0.0.1:%d->127.0.0.1:%d", port,
	    port + 1);
	snprintf(nb, sizeof(nb), "%d->127.0.0.1:%d", port + 1, port);
	ATF_REQUIRE((a = vde_open(na, S("a"), NULL)) != NULL);
	ATF_REQUIRE((b = vde_open(nb, S("b"), NULL)) != NULL);
	memset(f, 0x44, sizeof(f));
	ATF_CHECK_EQ(vde_send(a, f, sizeof(f), 0), 64);
	ATF_CHECK_EQ(vde_recv(b, g, sizeof(g), 0), 64);
	ATF_CHECK(memcmp(f, g, sizeof(f)) == 0);
	ATF_CHECK_EQ(vde_send(b, f, 20, 0), 20);
	ATF_CHECK_EQ(vde_recv(a, g, sizeof(g), 0), 20);
	vde_close(a);
	vde_close(b);
	ATF_CHECK(vde_open(S("x->127.0.0.1:1"), S("a"), NULL) == NULL);
	ATF_CHECK(vde_open(S("1->:1"), S("a"), NULL) == NULL);
}

ATF_TC_WITHOUT_HEAD(open_errors);
ATF_TC_BODY(open_errors, tc)
{
	struct vde_open_args	args = { 0, NULL, 0 };

	errno = 0;
	ATF_CHECK(vde_open(S("tap://tap0"), S("t"), &args) == NULL);
	ATF_CHECK_EQ(errno, EPROTONOSUPPORT);
	ATF_CHECK(vde_open_real(S("sw"), S("t"), 2, &args) == NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	args.port = -2;
	ATF_CHECK(vde_open(S("sw"), S("t"), &args) == NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK(vde_open(S("./no/such/switch"), S("t"), NULL) == NULL);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_CHECK_EQ(vde_close(NULL), -1);
	ATF_CHECK_EQ(errno, EBADF);
	ATF_CHECK_EQ(vde_datafd(NULL), -1);
	ATF_CHECK_EQ(vde_ctlfd(NULL), -1);
	ATF_CHECK_EQ(vde_send(NULL, "x", 1, 0), -1);
	ATF_CHECK_EQ(vde_recv(NULL, NULL, 0, 0), -1);
	ATF_CHECK_EQ(errno, EBADF);
}

ATF_TC_WITHOUT_HEAD(open_any_port);
ATF_TC_BODY(open_any_port, tc)
{
	struct fake_report	 rep;
	VDECONN			*conn;
	unsigned char		 frame[64], back[VDE_FRAMEBUF];
	char			 want[256];
	struct passwd;

	unsetenv("SSH_CLIENT");
	fake_start(FAKE_ACCEPT);
	/* A relative name: the switch must be told an absolute path. */
	ATF_REQUIRE((conn = vde_open(S("sw"), S("test:"), NULL)) != NULL);
	fake_report(&rep);
	ATF_CHECK_EQ(rep.fr_type, VDE_REQ_NEW_CONTROL);
	ATF_CHECK_EQ(rep.fr_port, 0);
	ATF_CHECK_MSG(rep.fr_path[0] == '/' &&
	    strstr(rep.fr_path, "/sw/.") != NULL, "client at %s", rep.fr_path);
	ATF_CHECK_EQ_MSG(rep.fr_mode, 0700, "mode %o", rep.fr_mode);
	snprintf(want, sizeof(want), " pid=%ld", (long)getpid());
	ATF_CHECK_MSG(strncmp(rep.fr_descr, "test: user=", 11) == 0 &&
	    strstr(rep.fr_descr, want) != NULL, "descr %s", rep.fr_descr);
	/* The client socket is gone as soon as vde_open returns. */
	ATF_CHECK(access(rep.fr_path, F_OK) == -1 && errno == ENOENT);
	ATF_CHECK_EQ(leftovers(), 0);

	memset(frame, 0xab, sizeof(frame));
	ATF_CHECK_EQ(vde_send(conn, frame, sizeof(frame), 0), 64);
	ATF_CHECK_EQ(vde_recv(conn, back, sizeof(back), 0), 64);
	ATF_CHECK(memcmp(frame, back, sizeof(frame)) == 0);
	ATF_CHECK(vde_datafd(conn) >= 0 && vde_ctlfd(conn) >= 0);
	ATF_CHECK_EQ(vde_close(conn), 0);
	fake_stop();
	ATF_CHECK_EQ(leftovers(), 0);
}

ATF_TC_WITHOUT_HEAD(open_ports);
ATF_TC_BODY(open_ports, tc)
{
	struct vde_open_args	 args = { 9, NULL, 0 };
	struct fake_report	 rep;
	VDECONN			*conn;

	fake_start(FAKE_ACCEPT);
	ATF_REQUIRE((conn = vde_open(S("sw"), S("t"), &args)) != NULL);
	fake_report(&rep);
	ATF_CHECK(rep.fr_type == VDE_REQ_NEW_CONTROL && rep.fr_port == 9);
	vde_close(conn);
	fake_stop();

	/* The name's bracket wins over the arguments. */
	fake_start(FAKE_ACCEPT);
	ATF_REQUIRE((conn = vde_open(S("vde://sw[300]"), S("t"), &args)) != NULL);
	fake_report(&rep);
	ATF_CHECK(rep.fr_type == VDE_REQ_NEW_CONTROL && rep.fr_port == 300);
	vde_close(conn);
	fake_stop();

	/* Port -1 (as vdeplug4) and [0] ask for the management port 0. */
	args.port = -1;
	fake_start(FAKE_ACCEPT);
	ATF_REQUIRE((conn = vde_open(S("sw"), S("t"), &args)) != NULL);
	fake_report(&rep);
	ATF_CHECK_EQ(rep.fr_type, VDE_REQ_NEW_PORT0);
	vde_close(conn);
	fake_stop();

	args.port = 4;
	fake_start(FAKE_ACCEPT);
	ATF_REQUIRE((conn = vde_open(S("sw[0]"), S("t"), &args)) != NULL);
	fake_report(&rep);
	ATF_CHECK_EQ(rep.fr_type, VDE_REQ_NEW_PORT0);
	vde_close(conn);
	fake_stop();

	/* The control socket named directly, in the old style. */
	fake_start(FAKE_ACCEPT);
	ATF_REQUIRE((conn = vde_open(S("sw/ctl[8]"), S("t"), NULL)) != NULL);
	fake_report(&rep);
	ATF_CHECK(rep.fr_type == VDE_REQ_NEW_CONTROL && rep.fr_port == 8);
	ATF_CHECK_MSG(strstr(rep.fr_path, "/sw/.") != NULL,
	    "client at %s", rep.fr_path);
	vde_close(conn);
	fake_stop();
	ATF_CHECK_EQ(leftovers(), 0);
}

ATF_TC_WITHOUT_HEAD(open_mode_group);
ATF_TC_BODY(open_mode_group, tc)
{
	struct vde_open_args	 args = { 0, NULL, 0 };
	struct fake_report	 rep;
	struct group		*gr;
	VDECONN			*conn;
	char			 name[128], gid[32];

	/* mode 0 means 0700, not 0. */
	fake_start(FAKE_ACCEPT);
	ATF_REQUIRE((conn = vde_open(S("sw"), S("t"), &args)) != NULL);
	fake_report(&rep);
	ATF_CHECK_EQ_MSG(rep.fr_mode, 0700, "mode %o", rep.fr_mode);
	vde_close(conn);
	fake_stop();

	/* Mode and group from the arguments; group by number. */
	args.mode = 0660;
	snprintf(gid, sizeof(gid), "%d", 2);
	args.group = gid;
	fake_start(FAKE_ACCEPT);
	ATF_REQUIRE((conn = vde_open(S("sw"), S("t"), &args)) != NULL);
	fake_report(&rep);
	ATF_CHECK_EQ_MSG(rep.fr_mode, 0660, "mode %o", rep.fr_mode);
	ATF_CHECK_EQ(rep.fr_gid, 2);
	vde_close(conn);
	fake_stop();

	/* Group by name and mode in the bracket. */
	ATF_REQUIRE((gr = getgrgid(1)) != NULL);
	snprintf(name, sizeof(name), "sw[group=%s/mode=0640]", gr->gr_name);
	fake_start(FAKE_ACCEPT);
	ATF_REQUIRE((conn = vde_open(name, S("t"), NULL)) != NULL);
	fake_report(&rep);
	ATF_CHECK_EQ_MSG(rep.fr_mode, 0640, "mode %o", rep.fr_mode);
	ATF_CHECK_EQ(rep.fr_gid, 1);
	vde_close(conn);
	fake_stop();

	/* An unknown group name is an error, and leaves nothing behind. */
	fake_start(FAKE_ACCEPT);
	ATF_CHECK(vde_open(S("sw[group=no-such-group-xyz]"), S("t"), NULL) ==
	    NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	fake_stop();
	ATF_CHECK_EQ(leftovers(), 0);
}

ATF_TC_WITHOUT_HEAD(open_refused_cleans_up);
ATF_TC_BODY(open_refused_cleans_up, tc)
{
	struct fake_report	rep;

	fake_start(FAKE_REFUSE);
	errno = 0;
	ATF_CHECK(vde_open(S("sw[7]"), S("t"), NULL) == NULL);
	ATF_CHECK_EQ(errno, ECONNREFUSED);
	fake_report(&rep);
	ATF_CHECK_EQ(rep.fr_port, 7);
	fake_stop();
	ATF_CHECK_EQ(leftovers(), 0);
}

/*
 * Whether path is ".PPPPP-SSSSS" in a private directory "vde.XXXXXX" of
 * tmp, as the switch saw it; the directory was 0711 and ours.
 */
static int
in_private(const struct fake_report *rep, const char *tmp)
{
	const char	*p = rep->fr_path;
	size_t		 len = strlen(tmp);
	char		 want[32];

	snprintf(want, sizeof(want), "/.%05ld-", (long)getpid());
	if (strncmp(p, tmp, len) != 0 || strncmp(p + len, "/vde.", 5) != 0 ||
	    strlen(p + len) < 11 + strlen(want) ||
	    strncmp(p + len + 11, want, strlen(want)) != 0 ||
	    strchr(p + len + 11 + 1, '/') != NULL) {
		fprintf(stderr, "client at %s, not in %s/vde.XXXXXX\n", p,
		    tmp);
		return (0);
	}
	if (rep->fr_dirmode != 0711 || rep->fr_diruid != (long)geteuid()) {
		fprintf(stderr, "%s: mode %o, uid %ld\n", p, rep->fr_dirmode,
		    rep->fr_diruid);
		return (0);
	}
	return (1);
}

/* Whether the client socket and, if private, its directory are gone. */
static int
all_gone(const struct fake_report *rep)
{
	char	dir[sizeof(rep->fr_path)];

	if (access(rep->fr_path, F_OK) == 0 || errno != ENOENT)
		return (0);
	strlcpy(dir, rep->fr_path, sizeof(dir));
	*strrchr(dir, '/') = '\0';
	if (strstr(dir, "/vde.") == NULL)
		return (1);
	return (access(dir, F_OK) == -1 && errno == ENOENT);
}

ATF_TC_WITHOUT_HEAD(open_fallback_dir);
ATF_TC_BODY(open_fallback_dir, tc)
{
	struct fake_report	 rep;
	VDECONN			*conn;
	const char		*tmp;
	char			 cwd[PATH_MAX], deep[PATH_MAX];
	size_t			 len;

	/*
	 * A switch directory of 100 bytes has room for its ctl and data
	 * sockets but not for ".PPPPP-SSSSS": the client socket must go to
	 * a private directory in $TMPDIR (kyua gives each test one) or
	 * /tmp, and both be gone afterwards.
	 */
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	len = strlen(cwd);
	if (len + 5 > 97)
		atf_tc_skip("work directory too deep: %s", cwd);
	memset(deep, 'd', 96 - len);
	deep[96 - len] = '\0';
	ATF_REQUIRE(mkdir(deep, 0700) == 0);
	ATF_REQUIRE(chdir(deep) == 0);
	fake_start(FAKE_ACCEPT);
	ATF_REQUIRE_EQ(strlen(fake_dir), 100);
	ATF_REQUIRE((conn = vde_open(fake_dir, S("t"), NULL)) != NULL);
	fake_report(&rep);
	tmp = getenv("TMPDIR");
	ATF_CHECK(in_private(&rep, "/tmp") ||
	    (tmp != NULL && in_private(&rep, tmp)));
	ATF_CHECK_EQ_MSG(rep.fr_mode, 0700, "mode %o", rep.fr_mode);
	ATF_CHECK(all_gone(&rep));
	vde_close(conn);
	fake_stop();
	ATF_CHECK_EQ(leftovers(), 0);
}

/*
 * Open the fake switch in ./sw, after giving the directory mode dmode,
 * with a client socket of mode 0660 and group 1, and check the switch saw
 * that socket in the switch directory (priv NULL) or in a private
 * directory of priv, and that nothing is left afterwards.
 */
static void
open_in(mode_t dmode, const char *priv)
{
	struct vde_open_args	 args = { 0, S("1"), 0660 };
	struct fake_report	 rep;
	VDECONN			*conn;

	fake_start(FAKE_ACCEPT);
	ATF_REQUIRE(chmod("sw", dmode) == 0);
	ATF_REQUIRE((conn = vde_open(S("sw"), S("t"), &args)) != NULL);
	fake_report(&rep);
	if (priv == NULL)
		ATF_CHECK_MSG(strstr(rep.fr_path, "/sw/.") != NULL,
		    "dir %o: client at %s", (unsigned)dmode, rep.fr_path);
	else
		ATF_CHECK_MSG(in_private(&rep, priv), "dir %o",
		    (unsigned)dmode);
	ATF_CHECK_EQ_MSG(rep.fr_mode, 0660, "dir %o: mode %o",
	    (unsigned)dmode, rep.fr_mode);
	ATF_CHECK_EQ_MSG(rep.fr_gid, 1, "dir %o: gid %ld", (unsigned)dmode,
	    rep.fr_gid);
	ATF_CHECK_MSG(all_gone(&rep), "dir %o: %s left", (unsigned)dmode,
	    rep.fr_path);
	vde_close(conn);
	fake_stop();
	ATF_CHECK_EQ(leftovers(), 0);
	ATF_REQUIRE(chmod("sw", 0700) == 0);
}

ATF_TC_WITHOUT_HEAD(open_unsafe_dir);
ATF_TC_BODY(open_unsafe_dir, tc)
{
	struct passwd	*pw;
	char		 cwd[PATH_MAX], tmp[PATH_MAX + 8];

	/*
	 * The switch directory takes the client socket only when others
	 * cannot replace entries in it: not writable by them, or sticky.
	 */
	ATF_REQUIRE(unsetenv("TMPDIR") == 0);
	open_in(0700, NULL);
	open_in(02770, "/tmp");
	open_in(0777, "/tmp");
	open_in(02777, "/tmp");
	open_in(01777, NULL);
	open_in(03770, NULL);

	/* A safe $TMPDIR holds the private directory; an unsafe one not. */
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(tmp, sizeof(tmp), "%s/t", cwd);
	ATF_REQUIRE(mkdir(tmp, 0700) == 0);
	ATF_REQUIRE(setenv("TMPDIR", tmp, 1) == 0);
	open_in(0777, tmp);
	ATF_REQUIRE(chmod(tmp, 0777) == 0);
	open_in(0777, "/tmp");
	ATF_REQUIRE(chmod(tmp, 01777) == 0);
	open_in(0777, tmp);

	/*
	 * A directory of another user is not safe for root, whatever its
	 * mode: its owner may replace our entry.
	 */
	if (geteuid() != 0)
		return;
	ATF_REQUIRE((pw = getpwnam("nobody")) != NULL);
	ATF_REQUIRE(chown("sw", pw->pw_uid, (gid_t)-1) == 0);
	open_in(0700, tmp);
	open_in(01777, tmp);
	ATF_REQUIRE(chown("sw", 0, (gid_t)-1) == 0);
	open_in(0755, NULL);
}

ATF_TC_WITHOUT_HEAD(descr_ssh);
ATF_TC_BODY(descr_ssh, tc)
{
	struct fake_report	 rep;
	VDECONN			*conn;
	char			 big[300];

	ATF_REQUIRE(setenv("SSH_CLIENT", "192.0.2.7 40000 22", 1) == 0);
	fake_start(FAKE_ACCEPT);
	ATF_REQUIRE((conn = vde_open(S("sw"), S("QEMU"), NULL)) != NULL);
	fake_report(&rep);
	ATF_CHECK_MSG(strncmp(rep.fr_descr, "QEMU user=", 10) == 0,
	    "descr %s", rep.fr_descr);
	ATF_CHECK_MSG(strstr(rep.fr_descr, " SSH=192.0.2.7") != NULL &&
	    strstr(rep.fr_descr, "40000") == NULL, "descr %s", rep.fr_descr);
	vde_close(conn);
	fake_stop();

	/* A long description is cut, never overflows the request. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fake_start(FAKE_ACCEPT);
	ATF_REQUIRE((conn = vde_open(S("sw"), big, NULL)) != NULL);
	fake_report(&rep);
	ATF_CHECK(strlen(rep.fr_descr) == VDE_DESCR_MAX - 1);
	vde_close(conn);
	fake_stop();
}

static int	got_len;

static ssize_t
got_frame(void *opaque, void *buf, size_t len)
{
	got_len = (int)len;
	return ((ssize_t)len);
}

ATF_TC_WITHOUT_HEAD(vdestream_roundtrip);
ATF_TC_BODY(vdestream_roundtrip, tc)
{
	VDESTREAM	*vs;
	unsigned char	 frame[9000], wire[9100];
	int		 p[2], i;

	ATF_REQUIRE(pipe(p) == 0);
	ATF_REQUIRE((vs = vdestream_open(NULL, p[1], got_frame, NULL)) !=
	    NULL);
	memset(frame, 0x5a, sizeof(frame));
	ATF_CHECK_EQ(vdestream_send(vs, frame, 60), 62);
	ATF_REQUIRE(read(p[0], wire, sizeof(wire)) == 62);
	ATF_CHECK(wire[0] == 0 && wire[1] == 60);
	/* Fed back one byte at a time, the record still comes out whole. */
	got_len = 0;
	for (i = 0; i < 62; i++)
		vdestream_recv(vs, wire + i, 1);
	ATF_CHECK_EQ(got_len, 60);
	ATF_CHECK_EQ(vdestream_send(vs, frame, 70000), 0);
	vdestream_close(vs);
	close(p[0]);
	close(p[1]);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, vnl_forms);
	ATF_TP_ADD_TC(tp, vnl_default_names);
	ATF_TP_ADD_TC(tp, vnl_default_files);
	ATF_TP_ADD_TC(tp, vnl_errors);
	ATF_TP_ADD_TC(tp, vnl_legacy_forms);
	ATF_TP_ADD_TC(tp, ptp_cable);
	ATF_TP_ADD_TC(tp, udp_cable);
	ATF_TP_ADD_TC(tp, open_errors);
	ATF_TP_ADD_TC(tp, open_any_port);
	ATF_TP_ADD_TC(tp, open_ports);
	ATF_TP_ADD_TC(tp, open_mode_group);
	ATF_TP_ADD_TC(tp, open_refused_cleans_up);
	ATF_TP_ADD_TC(tp, open_fallback_dir);
	ATF_TP_ADD_TC(tp, open_unsafe_dir);
	ATF_TP_ADD_TC(tp, descr_ssh);
	ATF_TP_ADD_TC(tp, vdestream_roundtrip);
	return (atf_no_error());
}
