/*
 * FreeBSD tap interfaces, per tap(4) and sys/net/if_tuntap.c.
 *
 * Opening /dev/tapN attaches to interface tapN, creating it through devfs
 * cloning when net.link.tap.devfs_cloning allows.  Opening the bare /dev/tap
 * clones the next free unit; TAPGIFNAME then tells which interface it is.
 * Any other name is made by cloning and renaming the new interface with
 * SIOCSIFNAME.  A name starting with '/' is opened as the device path.
 *
 * Unlike Linux's, a FreeBSD tap outlives its descriptor: closing only
 * brings it down, and it stays until "ifconfig destroy" (tap(4)).  A tap
 * that os_tap_open created therefore goes away in os_tap_close: marked
 * TAPSTRANSIENT where the system has it (FreeBSD 15, if_tap.h), so that
 * its last close destroys it, else destroyed with SIOCIFDESTROY, as
 * "ifconfig destroy" does.  A tap that existed before is left alone.
 *
 * Without root, opening taps needs net.link.tap.user_open=1 and access to
 * the device nodes (tap(4)); renaming and destroying need root.
 *
 * DragonFly's tap has another header (<net/tap/if_tap.h>) and is not
 * served here: configure picks OS=none there.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <net/if.h>
#include <net/if_tap.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"

#define TAPCLONE	"/dev/tap"

/* The taps os_tap_open created and os_tap_close must destroy. */
struct tapmade {
	int		 tm_fd;
	char		 tm_name[IFNAMSIZ];
	struct tapmade	*tm_next;
};

static struct tapmade	*tap_made;

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

/* Destroy interface name, as ifconfig(8) "destroy" does (SIOCIFDESTROY). */
static int
tap_destroy(const char *name)
{
	struct ifreq	ifr;
	int		s, rv, saved;

	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return (-1);
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	rv = ioctl(s, SIOCIFDESTROY, &ifr);
	saved = errno;
	close(s);
	errno = saved;
	return (rv);
}

/*
 * fd is a tap this process created, named name: see that it goes away
 * with fd.  On failure the tap is destroyed and fd closed.
 */
static int
tap_made_add(int fd, const char *name)
{
	struct tapmade	*tm;
#ifdef TAPSTRANSIENT
	int		 one = 1;

	/* FreeBSD 15: the last close destroys it. */
	if (ioctl(fd, TAPSTRANSIENT, &one) == 0)
		return (0);
#endif
	if ((tm = malloc(sizeof(*tm))) == NULL) {
		(void)tap_destroy(name);
		return (tap_fail(fd));
	}
	tm->tm_fd = fd;
	strlcpy(tm->tm_name, name, sizeof(tm->tm_name));
	tm->tm_next = tap_made;
	tap_made = tm;
	return (0);
}

int
os_tap_close(int fd)
{
	struct tapmade	**tmp, *tm;
	int		  rv, saved;

	rv = close(fd);
	saved = errno;
	for (tmp = &tap_made; (tm = *tmp) != NULL; tmp = &tm->tm_next) {
		if (tm->tm_fd == fd) {
			*tmp = tm->tm_next;
			/* Down since the close; now gone. */
			if (tap_destroy(tm->tm_name) == -1 && rv == 0) {
				rv = -1;
				saved = errno;
			}
			free(tm);
			break;
		}
	}
	errno = saved;
	return (rv);
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
	/* Both fit: os_tap_open refused longer names. */
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
	char		 path[OS_TAPNAMELEN + 8], ifname[IFNAMSIZ];
	const char	*base;
	int		 fd, existed, saved;

	/*
	 * An interface name has at most IFNAMSIZ - 1 bytes (sys/net/if.h);
	 * SIOCSIFNAME would cut a longer one.  Refused, never truncated.
	 */
	if (want == NULL || (want[0] != '/' && strlen(want) >= IFNAMSIZ) ||
	    strlen(want) >= OS_TAPNAMELEN) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if (want[0] == '/')
		strlcpy(path, want, sizeof(path));
	else
		snprintf(path, sizeof(path), "/dev/%s", want);
	base = strrchr(path, '/') + 1;
	/* The clone device always makes a new one; tapN may exist. */
	existed = strcmp(path, TAPCLONE) != 0 && if_nametoindex(base) != 0;

	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && want[0] != '/' &&
	    strncmp(want, "tap", 3) != 0) {
		/* A free-form name: clone a tap, then rename it. */
		if ((fd = open(TAPCLONE, O_RDWR | O_NONBLOCK | O_CLOEXEC)) == -1)
			return (-1);
		if (tap_ifname(fd, ifname, sizeof(ifname)) == -1)
			return (tap_fail(fd));
		/*
		 * The clone exists from the open on: when the rename fails
		 * (EEXIST, or EPERM without root) it must not stay behind.
		 */
		if (tap_rename(ifname, want) == -1) {
			saved = errno;
			(void)tap_destroy(ifname);
			close(fd);
			errno = saved;
			return (-1);
		}
		existed = 0;
	}
	if (fd == -1)
		return (-1);
	if (tap_ifname(fd, ifname, sizeof(ifname)) == -1)
		return (tap_fail(fd));
	if (!existed && tap_made_add(fd, ifname) == -1)
		return (-1);
	if (name != NULL && strlcpy(name, ifname, namelen) >= namelen) {
		(void)os_tap_close(fd);
		errno = ENAMETOOLONG;
		return (-1);
	}
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
