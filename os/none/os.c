/*
 * Generic POSIX: peer credentials from getpeereid(2) where it exists
 * (OpenBSD, NetBSD, macOS, libbsd), and a daemon() written with
 * fork/setsid.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"

int
os_peercred(int sock, struct os_peercred *cred)
{
#if HAVE_GETPEEREID
	uid_t	uid;
	gid_t	gid;

	if (getpeereid(sock, &uid, &gid) == -1)
		return (-1);
	cred->uid = uid;
	cred->gid = gid;
	cred->pid = -1;
	cred->groups[0] = gid;		/* the others are not told */
	cred->ngroups = 1;
	return (0);
#else
	/* The caller then trusts no foreign socket (see ctl.c). */
	(void)sock;
	(void)cred;
	errno = ENOTSUP;
	return (-1);
#endif
}

int
os_daemon(void)
{
	int	fd;

	switch (fork()) {
	case -1:
		return (-1);
	case 0:
		break;
	default:
		_exit(0);
	}
	if (setsid() == -1)
		return (-1);
	(void)chdir("/");
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		(void)dup2(fd, 0);
		(void)dup2(fd, 1);
		(void)dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return (0);
}
