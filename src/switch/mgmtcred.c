/*
 * mgmtcred.c: the identity behind a console session, for commands that
 * open files a user names (capture/start).  The rule is the one of the
 * "load" command (mgmtscript.c): the stdin console and rc files are the
 * switch's operator and act as the switch itself; a client of the -M
 * socket acts as the user at the other end, which a root switch takes on
 * around each open (os_asuser).  A switch that is not root cannot, and
 * serves only its own user.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"
#include "switch.h"
#include "mgmt.h"

int
mgmtcred_get(struct mgmt_out *s, struct os_peercred *cred, int *asuser)
{
	memset(cred, 0, sizeof(*cred));
	*asuser = 0;
	if (s->mo_kind != MGMT_SOCK)
		return (0);
	if (!s->mo_credok)
		return (EACCES);
	if (s->mo_cred.uid == geteuid())
		return (0);
	if (geteuid() != 0)
		return (EPERM);
	*cred = s->mo_cred;
	*asuser = 1;
	return (0);
}
