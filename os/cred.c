/*
 * os/cred.c: acting with a client's file-system credentials, on every
 * system.  A root switch resolves the paths a client names (its data
 * socket, a file to "load") as that client, so that it can reach nothing
 * the client could not reach itself.  The switch is single-threaded, so
 * changing the effective ids of the whole process is what we want.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "os/os.h"

#ifndef NGROUPS_MAX
#define NGROUPS_MAX	65536
#endif

static gid_t	 cred_groups[NGROUPS_MAX > 1024 ? 1024 : NGROUPS_MAX];
static int	 cred_ngroups = -1;
static uid_t	 cred_euid;
static gid_t	 cred_egid;
static int	 cred_as;		/* between os_asuser and os_asself */

int
os_asuser(const struct os_peercred *cred)
{
	if (cred_as) {
		errno = EBUSY;
		return (-1);
	}
	if (geteuid() != 0) {
		errno = EPERM;
		return (-1);
	}
	cred_euid = geteuid();
	cred_egid = getegid();
	if ((cred_ngroups = getgroups((int)(sizeof(cred_groups) /
	    sizeof(cred_groups[0])), cred_groups)) == -1)
		return (-1);
	/*
	 * Groups first, then the gid, then the uid: once the uid is not
	 * root any more, the others cannot be changed.
	 */
	if (cred->ngroups > 0 ?
	    setgroups((size_t)cred->ngroups, cred->groups) == -1 :
	    setgroups(1, &cred->gid) == -1)
		return (-1);
	/*
	 * On a failure, back to our own gid and groups: the same calls
	 * succeeded when this process took them, so if they fail now its
	 * identity is unknown, and it stops rather than run on so.
	 */
	if (setegid(cred->gid) == -1) {
		if (setgroups((size_t)cred_ngroups, cred_groups) == -1)
			abort();
		return (-1);
	}
	if (seteuid(cred->uid) == -1) {
		if (setegid(cred_egid) == -1 ||
		    setgroups((size_t)cred_ngroups, cred_groups) == -1)
			abort();
		return (-1);
	}
	cred_as = 1;
	return (0);
}

int
os_asself(void)
{
	if (!cred_as)
		return (0);
	if (seteuid(cred_euid) == -1 || setegid(cred_egid) == -1 ||
	    setgroups((size_t)cred_ngroups, cred_groups) == -1)
		return (-1);
	cred_as = 0;
	return (0);
}
