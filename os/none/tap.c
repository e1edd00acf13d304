/*
 * Systems without a supported tap driver: everything builds, and asking
 * for a tap fails with a clear "not supported".
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "os/os.h"

const char *
os_tap_device(void)
{
	return ("(none)");
}

int
os_tap_open(const char *want, char *name, size_t namelen)
{
	(void)want;
	(void)name;
	(void)namelen;
	errno = ENOTSUP;
	return (-1);
}
