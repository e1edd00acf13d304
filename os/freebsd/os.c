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
