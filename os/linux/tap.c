/*
 * Linux tap interfaces through the tun/tap clone device /dev/net/tun.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <linux/if.h>
#include <linux/if_tun.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"

#define TUNDEV	"/dev/net/tun"

const char *
os_tap_device(void)
{
	return (TUNDEV);
}

/*
 * TUNSETIFF with IFF_TAP | IFF_NO_PI attaches to the tap called want, and
 * creates it when it does not exist.  The kernel may change the name (a
 * template such as "vde%d"), so the name is read back from the request.
 */
int
os_tap_open(const char *want, char *name, size_t namelen)
{
	struct ifreq	ifr;
	int		fd, saved;

	if (want == NULL || strlen(want) >= IFNAMSIZ) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if ((fd = open(TUNDEV, O_RDWR | O_NONBLOCK | O_CLOEXEC)) == -1)
		return (-1);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, want, strlen(want));
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return (-1);
	}
	if (name != NULL && namelen > 0) {
		ifr.ifr_name[IFNAMSIZ - 1] = '\0';
		if (strlcpy(name, ifr.ifr_name, namelen) >= namelen) {
			close(fd);
			errno = ENAMETOOLONG;
			return (-1);
		}
	}
	return (fd);
}
