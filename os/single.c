/*
 * os/single.c: batched datagram I/O done one datagram per system call, for
 * systems without recvmmsg/sendmmsg.  Same contract as os/mmsg.c.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <string.h>

#include "os/os.h"

/* The sockets are non-blocking anyway; MSG_DONTWAIT is not POSIX. */
#ifndef MSG_DONTWAIT
#define MSG_DONTWAIT	0
#endif

int
os_recv_batch(int fd, struct os_frame *frames, int n)
{
	struct msghdr	msg;
	struct iovec	iov;
	ssize_t		len;
	int		i;

	for (i = 0; i < n; i++) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = frames[i].of_buf;
		iov.iov_len = frames[i].of_len;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if ((len = recvmsg(fd, &msg, MSG_DONTWAIT)) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return (i > 0 ? i : -1);
		}
		frames[i].of_len = (size_t)len;
		frames[i].of_trunc = (msg.msg_flags & MSG_TRUNC) != 0;
	}
	return (i);
}

/*
 * A datagram too large for the socket (EMSGSIZE: FreeBSD's
 * net.local.dgram.maxdgram, sys/kern/uipc_usrreq.c) loses only itself.
 */
int
os_send_batch(int fd, struct os_frame *frames, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		frames[i].of_trunc = 0;
		if (send(fd, frames[i].of_buf, frames[i].of_len,
		    MSG_DONTWAIT | MSG_NOSIGNAL) == -1) {
			if (errno == EMSGSIZE) {
				frames[i].of_trunc = 1;
				continue;
			}
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == ENOBUFS)
				break;
			return (i > 0 ? i : -1);
		}
	}
	return (i);
}
