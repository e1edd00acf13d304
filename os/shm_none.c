/*
 * shm_none.c: systems without memory objects that can be sealed against
 * shrinking (configure's memfd probe failed).
 */
#include "config.h"

#include <stddef.h>
#include <errno.h>

#include "os/os.h"

/*
 * No memory object that can be sealed against shrinking: a client could
 * make the switch fault on its mapping, so there are no rings here and
 * clients keep their datagrams.
 */
int
os_shm_create(size_t size)
{
	errno = ENOSYS;
	return (-1);
}

/* No sealed memory objects here (os_shm_create): no rings. */
int
os_shm_check(int fd, size_t size)
{
	errno = ENOSYS;
	return (-1);
}
