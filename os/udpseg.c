/*
 * os/udpseg.c: UDP segmentation offload for the switch's VXLAN ports.
 *
 * Sending: several datagrams to one address, laid end to end in one
 * buffer, all of one size but the last (which may be shorter), go down
 * in one system call, and the system cuts them (UDP_SEGMENT on Linux).
 * Receiving: the system may hand over several datagrams of one flow in
 * one read, laid out the same way, and says their size (UDP_GRO).
 *
 * Where the system has neither (the BSDs today), os_udpseg_send fails
 * with ENOTSUP and the caller sends datagram by datagram, and
 * os_udpseg_recv reads one datagram at a time.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <netinet/in.h>
#include <netinet/udp.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "os/os.h"

#if defined(UDP_SEGMENT) && defined(UDP_GRO) && defined(SOL_UDP)
#define HAVE_UDPSEG	1
#endif

int
os_udpseg_enable(int fd)
{
#ifdef HAVE_UDPSEG
	int	on = 1;

	return (setsockopt(fd, SOL_UDP, UDP_GRO, &on, sizeof(on)));
#else
	(void)fd;
	errno = ENOTSUP;
	return (-1);
#endif
}

ssize_t
os_udpseg_send(int fd, const void *buf, size_t len, size_t segsize,
    const struct sockaddr *to, socklen_t tolen)
{
#ifdef HAVE_UDPSEG
	union {
		struct cmsghdr	hdr;
		unsigned char	buf[CMSG_SPACE(sizeof(uint16_t))];
	}		 ctl;
	struct msghdr	 msg;
	struct cmsghdr	*cm;
	struct iovec	 iov;
	uint16_t	 size;

	if (segsize == 0 || segsize > UINT16_MAX) {
		errno = EINVAL;
		return (-1);
	}
	size = (uint16_t)segsize;
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	memset(&msg, 0, sizeof(msg));
	memset(&ctl, 0, sizeof(ctl));
	msg.msg_name = (void *)(uintptr_t)to;
	msg.msg_namelen = tolen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_UDP;
	cm->cmsg_type = UDP_SEGMENT;
	cm->cmsg_len = CMSG_LEN(sizeof(size));
	memcpy(CMSG_DATA(cm), &size, sizeof(size));
	return (sendmsg(fd, &msg, MSG_DONTWAIT));
#else
	(void)fd;
	(void)buf;
	(void)len;
	(void)segsize;
	(void)to;
	(void)tolen;
	errno = ENOTSUP;
	return (-1);
#endif
}

ssize_t
os_udpseg_recv(int fd, void *buf, size_t len, struct sockaddr_storage *from,
    socklen_t *fromlen, size_t *segsize)
{
	union {
		struct cmsghdr	hdr;
		unsigned char	buf[CMSG_SPACE(sizeof(int))];
	}		 ctl;
	struct msghdr	 msg;
	struct iovec	 iov;
	ssize_t		 n;
#ifdef HAVE_UDPSEG
	struct cmsghdr	*cm;
	int		 size;
#endif

	iov.iov_base = buf;
	iov.iov_len = len;
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = from;
	msg.msg_namelen = *fromlen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	*segsize = 0;
	if ((n = recvmsg(fd, &msg, MSG_DONTWAIT)) == -1)
		return (-1);
	*fromlen = msg.msg_namelen;
	if ((msg.msg_flags & MSG_TRUNC) != 0) {
		/* Longer than any datagram the caller takes: say so. */
		return ((ssize_t)len + 1);
	}
#ifdef HAVE_UDPSEG
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_UDP && cm->cmsg_type == UDP_GRO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(size))) {
			memcpy(&size, CMSG_DATA(cm), sizeof(size));
			if (size > 0 && size < n)
				*segsize = (size_t)size;
		}
#endif
	return (n);
}
