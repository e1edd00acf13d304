/* configure: memfd_create(2) with seals (os/shm_memfd.c)? */
#include <sys/mman.h>

#include <fcntl.h>
#include <unistd.h>

int
main(void)
{
	int	fd;

	if ((fd = memfd_create("probe", MFD_CLOEXEC | MFD_ALLOW_SEALING)) == -1)
		return (1);
	if (ftruncate(fd, 4096) == -1 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) == -1)
		return (1);
	return ((fcntl(fd, F_GET_SEALS) & F_SEAL_SHRINK) != 0 ? 0 : 1);
}
