/*
 * shm_memfd.c: the memory objects of the shared-memory rings, made with
 * memfd_create(2) and sealed with F_ADD_SEALS (Linux 3.17, FreeBSD 13);
 * configure picks this file when the system has both, else shm_none.c.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "os/os.h"

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
