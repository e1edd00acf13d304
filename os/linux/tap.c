/*
 * Linux tap interfaces through the tun/tap clone device /dev/net/tun.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/uio.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>

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
 * The offloads a tap with a virtio-net header is given: frames toward the
 * switch may leave their checksum to be done (TUN_F_CSUM) and be TCP
 * segments of up to 64 KiB (TSO), which another such tap takes as they
 * are.  Without TUN_F_CSUM the kernel allows no TSO.
 */
#define TAP_OFFLOADS	(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN)

static int
tap_attach(int fd, const char *want, int flags, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	ifr->ifr_flags = IFF_TAP | IFF_NO_PI | flags;
	memcpy(ifr->ifr_name, want, strlen(want));
	return (ioctl(fd, TUNSETIFF, ifr));
}

/*
 * TUNSETIFF with IFF_TAP | IFF_NO_PI attaches to the tap called want, and
 * creates it when it does not exist.  The kernel may change the name (a
 * template such as "vde%d"), so the name is read back from the request.
 * Offloads add IFF_VNET_HDR: every frame then comes and goes after a
 * struct virtio_net_hdr.  A kernel that refuses them gets a plain tap.
 */
int
os_tap_open(const char *want, char *name, size_t namelen, int *offload)
{
	struct ifreq	ifr;
	int		fd, saved, hdrsz = sizeof(struct virtio_net_hdr);
	int		off = offload != NULL && *offload;

	if (want == NULL || strlen(want) >= IFNAMSIZ) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if ((fd = open(TUNDEV, O_RDWR | O_NONBLOCK | O_CLOEXEC)) == -1)
		return (-1);
	if (off && (tap_attach(fd, want, IFF_VNET_HDR, &ifr) == -1 ||
	    ioctl(fd, TUNSETVNETHDRSZ, &hdrsz) == -1 ||
	    ioctl(fd, TUNSETOFFLOAD, TAP_OFFLOADS) == -1)) {
		/* Start again on a fresh fd, without a header. */
		close(fd);
		if ((fd = open(TUNDEV, O_RDWR | O_NONBLOCK | O_CLOEXEC)) == -1)
			return (-1);
		off = 0;
	}
	if (!off && tap_attach(fd, want, 0, &ifr) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return (-1);
	}
	if (offload != NULL)
		*offload = off;
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

/*
 * The virtio-net header is in the host's byte order (a legacy header).
 * It travels in the same read(2) or write(2) as the frame: readv/writev
 * would cost more than the frame itself for small frames.  A read puts it
 * in the headroom before buf; a small frame is written from a copy after
 * the header, a large one (a TCP segment) with writev.
 */
#define TAP_COPYMAX	2048

/* A tap that was not made persistent disappears with its last close. */
int
os_tap_close(int fd)
{
	return (close(fd));
}

ssize_t
os_tap_read(int fd, void *buf, size_t len, struct os_offload *off)
{
	struct virtio_net_hdr	vh;
	unsigned char		*p = (unsigned char *)buf - sizeof(vh);
	ssize_t			 n;

	if (off == NULL)
		return (read(fd, buf, len));
	if ((n = read(fd, p, len + sizeof(vh))) == -1)
		return (-1);
	if ((size_t)n < sizeof(vh)) {
		errno = EIO;
		return (-1);
	}
	memcpy(&vh, p, sizeof(vh));
	memset(off, 0, sizeof(*off));
	if ((vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0)
		off->oo_flags |= OS_OFF_CSUM;
	if ((vh.flags & VIRTIO_NET_HDR_F_DATA_VALID) != 0)
		off->oo_flags |= OS_OFF_VALID;
	switch (vh.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_NONE:
		break;
	case VIRTIO_NET_HDR_GSO_TCPV4:
		off->oo_gso = OS_GSO_TCP4;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		off->oo_gso = OS_GSO_TCP6;
		break;
	default:
		off->oo_gso = OS_GSO_OTHER;
		break;
	}
	if (off->oo_gso != OS_GSO_NONE &&
	    (vh.gso_type & VIRTIO_NET_HDR_GSO_ECN) != 0)
		off->oo_gso |= OS_GSO_ECN;
	off->oo_gsosize = vh.gso_size;
	off->oo_hdrlen = vh.hdr_len;
	off->oo_csumstart = vh.csum_start;
	off->oo_csumoff = vh.csum_offset;
	return (n - (ssize_t)sizeof(vh));
}

ssize_t
os_tap_write(int fd, const void *buf, size_t len,
    const struct os_offload *off)
{
	struct virtio_net_hdr	vh;
	struct iovec		iov[2];
	unsigned char		copy[sizeof(vh) + TAP_COPYMAX];
	ssize_t			n;

	if (off == NULL)
		return (write(fd, buf, len));
	memset(&vh, 0, sizeof(vh));
	if ((off->oo_flags & OS_OFF_CSUM) != 0)
		vh.flags |= VIRTIO_NET_HDR_F_NEEDS_CSUM;
	if ((off->oo_flags & OS_OFF_VALID) != 0)
		vh.flags |= VIRTIO_NET_HDR_F_DATA_VALID;
	switch (off->oo_gso & ~OS_GSO_ECN) {
	case OS_GSO_NONE:
		break;
	case OS_GSO_TCP4:
		vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		break;
	case OS_GSO_TCP6:
		vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
		break;
	default:
		errno = EINVAL;
		return (-1);
	}
	if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
		if ((off->oo_gso & OS_GSO_ECN) != 0)
			vh.gso_type |= VIRTIO_NET_HDR_GSO_ECN;
		vh.gso_size = off->oo_gsosize;
	}
	vh.hdr_len = off->oo_hdrlen;
	vh.csum_start = off->oo_csumstart;
	vh.csum_offset = off->oo_csumoff;
	if (len <= TAP_COPYMAX) {
		memcpy(copy, &vh, sizeof(vh));
		memcpy(copy + sizeof(vh), buf, len);
		n = write(fd, copy, sizeof(vh) + len);
	} else {
		iov[0].iov_base = &vh;
		iov[0].iov_len = sizeof(vh);
		iov[1].iov_base = (void *)(uintptr_t)buf;
		iov[1].iov_len = len;
		n = writev(fd, iov, 2);
	}
	if (n == -1)
		return (-1);
	return (n < (ssize_t)sizeof(vh) ? 0 : n - (ssize_t)sizeof(vh));
}
