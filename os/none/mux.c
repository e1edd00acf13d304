/*
 * Generic POSIX: no descriptor can stand for several others.
 */
#include "config.h"

#include <errno.h>

#include "os/os.h"

int
os_mux_open(const int *fds, int n)
{
	(void)fds;
	(void)n;
	errno = ENOTSUP;
	return (-1);
}
