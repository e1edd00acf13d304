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
