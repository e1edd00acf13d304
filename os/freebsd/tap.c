/*
 * FreeBSD (and DragonFly) tap interfaces, per tap(4).
 *
 * Opening /dev/tapN attaches to interface tapN, creating it through devfs
 * cloning when net.link.tap.devfs_cloning allows.  Opening the bare /dev/tap
 * clones the next free unit; TAPGIFNAME then tells which interface it is.
 * Any other name is made by cloning and renaming the new interface with
 * SIOCSIFNAME.  A name starting with '/' is opened as the device path.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/if_tap.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"

#define TAPCLONE	"/dev/tap"

const char *
os_tap_device(void)
{
	return (TAPCLONE);
}

static int
tap_fail(int fd)
{
	int	saved = errno;

	if (fd != -1)
		close(fd);
	errno = saved;
	return (-1);
}

/* The interface behind an open tap device. */
static int
tap_ifname(int fd, char *name, size_t namelen)
{
	struct ifreq	ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TAPGIFNAME, &ifr) == -1)
		return (-1);
	if (strlcpy(name, ifr.ifr_name, namelen) >= namelen) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (0);
}

/* Rename interface from to to, as ifconfig(8) "name" does. */
static int
tap_rename(const char *from, const char *to)
{
	struct ifreq	ifr;
	char		newname[IFNAMSIZ];
	int		s, rv;

	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return (-1);
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, from, sizeof(ifr.ifr_name));
	strlcpy(newname, to, sizeof(newname));
	ifr.ifr_data = newname;
	rv = ioctl(s, SIOCSIFNAME, &ifr);
	tap_fail(s);
	return (rv);
}

/*
 * Offloads: tap(4) has a virtio-net header too (TAPSVNETHDR), but vde
 * does not use it yet here; the tap exchanges plain frames.
 */
int
os_tap_open(const char *want, char *name, size_t namelen, int *offload)
{
	char	path[OS_TAPNAMELEN + 8], ifname[IFNAMSIZ];
	int	fd;

	if (want == NULL || strlen(want) >= OS_TAPNAMELEN) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if (want[0] == '/')
		strlcpy(path, want, sizeof(path));
	else
		snprintf(path, sizeof(path), "/dev/%s", want);

	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && want[0] != '/' &&
	    strncmp(want, "tap", 3) != 0) {
		/* A free-form name: clone a tap, then rename it. */
		if ((fd = open(TAPCLONE, O_RDWR | O_NONBLOCK | O_CLOEXEC)) == -1)
			return (-1);
		if (tap_ifname(fd, ifname, sizeof(ifname)) == -1 ||
		    tap_rename(ifname, want) == -1)
			return (tap_fail(fd));
	}
	if (fd == -1)
		return (-1);
	if (name != NULL && tap_ifname(fd, name, namelen) == -1)
		return (tap_fail(fd));
	if (offload != NULL)
		*offload = 0;
	return (fd);
}

ssize_t
os_tap_read(int fd, void *buf, size_t len, struct os_offload *off)
{
	if (off != NULL)
		memset(off, 0, sizeof(*off));
	return (read(fd, buf, len));
}

ssize_t
os_tap_write(int fd, const void *buf, size_t len,
    const struct os_offload *off)
{
	if (off != NULL && (off->oo_gso != OS_GSO_NONE ||
	    (off->oo_flags & OS_OFF_CSUM) != 0)) {
		errno = EINVAL;
		return (-1);
	}
	return (write(fd, buf, len));
}
