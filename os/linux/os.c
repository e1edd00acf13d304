/*
 * Linux: peer credentials (SO_PEERCRED) and daemon.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"

int
os_peercred(int sock, struct os_peercred *cred)
{
	struct ucred	uc;
	socklen_t	len = sizeof(uc);

	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1)
		return (-1);
	cred->uid = uc.uid;
	cred->gid = uc.gid;
	cred->pid = uc.pid;
	/* SO_PEERGROUPS: Linux 4.13 and later; ERANGE beyond OS_NGROUPS. */
	len = sizeof(cred->groups);
	if (getsockopt(sock, SOL_SOCKET, SO_PEERGROUPS, cred->groups,
	    &len) == 0)
		cred->ngroups = (int)(len / sizeof(cred->groups[0]));
	else {
		cred->groups[0] = uc.gid;
		cred->ngroups = 1;
	}
	return (0);
}

int
os_daemon(void)
{
	return (daemon(0, 0));
}

/*
 * A memory object of size bytes for the shared-memory rings: anonymous,
 * close-on-exec, and sealed at that size so that nobody holding it (the
 * client it is given to) can shrink it under the switch's mapping.
 */
int
os_shm_create(size_t size)
{
	int	fd, saved;

	if ((fd = memfd_create("vde-ring", MFD_CLOEXEC |
	    MFD_ALLOW_SEALING)) == -1)
		return (-1);
	if (ftruncate(fd, (off_t)size) == -1 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_SEAL) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return (-1);
	}
	return (fd);
}

/*
 * A client's check of the memory object a switch sent: at least size
 * bytes, and sealed against shrinking, so that a switch (perhaps another
 * user's program posing as one) cannot make the client fault on it.
 */
int
os_shm_check(int fd, size_t size)
{
	struct stat	st;
	int		seals;

	if (fstat(fd, &st) == -1)
		return (-1);
	if ((seals = fcntl(fd, F_GET_SEALS)) == -1 ||
	    (seals & F_SEAL_SHRINK) == 0 || st.st_size < 0 ||
	    (uintmax_t)st.st_size < size) {
		errno = EPROTO;
		return (-1);
	}
	return (0);
}
