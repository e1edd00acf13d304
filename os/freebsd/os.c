/*
 * FreeBSD: peer credentials (LOCAL_PEERCRED, with the pid on FreeBSD 13
 * and later) and daemon.
 */
#include "config.h"

#include <sys/param.h>		/* __FreeBSD_version */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/ucred.h>
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
	struct xucred	xuc;
	socklen_t	len = sizeof(xuc);

	memset(&xuc, 0, sizeof(xuc));
	if (getsockopt(sock, 0, LOCAL_PEERCRED, &xuc, &len) == -1)
		return (-1);
	if (xuc.cr_version != XUCRED_VERSION) {
		errno = EINVAL;
		return (-1);
	}
	cred->uid = xuc.cr_uid;
	cred->gid = xuc.cr_ngroups > 0 ? xuc.cr_groups[0] : (gid_t)-1;
	/* cr_groups[0] is the effective gid, the rest the groups. */
	cred->ngroups = xuc.cr_ngroups < OS_NGROUPS ? xuc.cr_ngroups : 1;
	memcpy(cred->groups, xuc.cr_groups,
	    (size_t)cred->ngroups * sizeof(cred->groups[0]));
	/*
	 * FreeBSD 13 put the peer's pid in xucred, as cr_pid, a member of
	 * an anonymous union (sys/sys/ucred.h): a field, not a macro that
	 * #ifdef could see.  The release is what tells.
	 */
#if defined(__FreeBSD_version) && __FreeBSD_version >= 1300000
	cred->pid = xuc.cr_pid;
#else
	cred->pid = -1;
#endif
	return (0);
}

int
os_daemon(void)
{
	return (daemon(0, 0));
}

/*
 * A memory object of size bytes for the shared-memory rings: anonymous,
 * close-on-exec, and sealed at that size (FreeBSD 13 and later) so that
 * the client it is given to cannot shrink it under the switch's mapping.
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
