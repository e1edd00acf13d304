/*
 * Systems without a supported tap driver: everything builds, and asking
 * for a tap fails with a clear "not supported".
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <sys/types.h>
#include <unistd.h>

#include "os/os.h"

const char *
os_tap_device(void)
{
	return ("(none)");
}

int
os_tap_open(const char *want, char *name, size_t namelen, int *offload)
{
	(void)want;
	(void)offload;
	(void)name;
	(void)namelen;
	errno = ENOTSUP;
	return (-1);
}

/* A tap that was not made persistent disappears with its last close. */
int
os_tap_close(int fd)
{
	return (close(fd));
}

ssize_t
os_tap_read(int fd, void *buf, size_t len, struct os_offload *off)
{
	(void)fd;
	(void)buf;
	(void)len;
	(void)off;
	errno = ENOTSUP;
	return (-1);
}

ssize_t
os_tap_write(int fd, const void *buf, size_t len,
    const struct os_offload *off)
{
	(void)fd;
	(void)buf;
	(void)len;
	(void)off;
	errno = ENOTSUP;
	return (-1);
}
