/*
 * fakeos: an LD_PRELOAD library that makes Linux answer a few system calls
 * the way FreeBSD does, so that the code written for FreeBSD's answers
 * runs in the tests here.  Each behaviour is off unless its variable is
 * set in the environment:
 *
 * FAKEOS_SETGID_EPERM=1
 *	chmod/fchmod/fchmodat with S_ISGID fail with EPERM, as FreeBSD's
 *	ufs_chmod (sys/ufs/ufs/ufs_vnops.c) and tmpfs do for a caller
 *	outside the file's group (a new directory there takes its parent's
 *	group, wheel under /tmp).
 *
 * FAKEOS_ENOBUFS=PATH
 *	while PATH exists, sending on a datagram socket fails with ENOBUFS,
 *	and poll() still reports the socket writable: FreeBSD's local
 *	datagram sockets report POLLOUT from the sender's own buffer,
 *	which datagrams never fill (sys/kern/uipc_usrreq.c).  Each refusal
 *	is counted; FAKEOS_COUNT=FILE holds the count.
 *
 * FAKEOS_SNDBUF=N
 *	a program's SO_SNDBUF request is replaced by N: on FreeBSD 13 the
 *	send buffer is also the largest local datagram (larger ones fail
 *	with EMSGSIZE, sys/kern/uipc_usrreq.c), as it is on Linux, so a
 *	small N shows what FreeBSD's net.local.dgram.maxdgram does.
 */
#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long	refused;
static int		countfd = -1;

static void *
next(const char *sym)
{
	void	*p;

	if ((p = dlsym(RTLD_NEXT, sym)) == NULL)
		abort();
	return (p);
}

static int
setgid_refused(mode_t mode)
{
	const char	*v = getenv("FAKEOS_SETGID_EPERM");

	if (v == NULL || *v == '\0' || (mode & S_ISGID) == 0)
		return (0);
	errno = EPERM;
	return (1);
}

/* A send on fd is to be refused with ENOBUFS now. */
static int
stalled(int fd)
{
	const char	*flag = getenv("FAKEOS_ENOBUFS"), *cf;
	char		 buf[32];
	int		 type, saved = errno;
	socklen_t	 len = sizeof(type);

	if (flag == NULL || access(flag, F_OK) == -1 ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_DGRAM) {
		errno = saved;
		return (0);
	}
	refused++;
	if (countfd == -1 && (cf = getenv("FAKEOS_COUNT")) != NULL)
		countfd = open(cf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (countfd != -1) {
		snprintf(buf, sizeof(buf), "%20lu\n", refused);
		(void)pwrite(countfd, buf, strlen(buf), 0);
	}
	errno = ENOBUFS;
	return (1);
}

int
chmod(const char *path, mode_t mode)
{
	int	(*real)(const char *, mode_t) = next("chmod");

	return (setgid_refused(mode) ? -1 : real(path, mode));
}

int
fchmod(int fd, mode_t mode)
{
	int	(*real)(int, mode_t) = next("fchmod");

	return (setgid_refused(mode) ? -1 : real(fd, mode));
}

int
fchmodat(int dfd, const char *path, mode_t mode, int flag)
{
	int	(*real)(int, const char *, mode_t, int) = next("fchmodat");

	return (setgid_refused(mode) ? -1 : real(dfd, path, mode, flag));
}

ssize_t
send(int fd, const void *buf, size_t len, int flags)
{
	ssize_t	(*real)(int, const void *, size_t, int) = next("send");

	return (stalled(fd) ? -1 : real(fd, buf, len, flags));
}

ssize_t
sendto(int fd, const void *buf, size_t len, int flags,
    const struct sockaddr *to, socklen_t tolen)
{
	ssize_t	(*real)(int, const void *, size_t, int,
	    const struct sockaddr *, socklen_t) = next("sendto");

	return (stalled(fd) ? -1 : real(fd, buf, len, flags, to, tolen));
}

ssize_t
sendmsg(int fd, const struct msghdr *msg, int flags)
{
	ssize_t	(*real)(int, const struct msghdr *, int) = next("sendmsg");

	return (stalled(fd) ? -1 : real(fd, msg, flags));
}

int
setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	int		(*real)(int, int, int, const void *, socklen_t) =
			    next("setsockopt");
	const char	*v = getenv("FAKEOS_SNDBUF");
	int		 n;

	if (v != NULL && level == SOL_SOCKET && name == SO_SNDBUF) {
		n = atoi(v);
		return (real(fd, level, name, &n, sizeof(n)));
	}
	return (real(fd, level, name, val, len));
}

#ifdef __linux__
/* glibc's sendmmsg is a system call of its own; FreeBSD's calls sendmsg. */
int
sendmmsg(int fd, struct mmsghdr *msgs, unsigned int n, int flags)
{
	int	(*real)(int, struct mmsghdr *, unsigned int, int) =
	    next("sendmmsg");

	return (stalled(fd) ? -1 : real(fd, msgs, n, flags));
}
#endif
