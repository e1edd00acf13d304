/*
 * os/mmsg.c: batched datagram I/O with recvmmsg/sendmmsg (Linux, FreeBSD
 * 11 and later): several frames per system call.  Chosen by configure
 * when the probe finds both calls; os/single.c serves everywhere else.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <string.h>

#include "os/os.h"

#define BATCH_MAX	64

/* Point one message header per frame at that frame's buffer. */
static int
mmsg_fill(struct mmsghdr *msgs, struct iovec *iov,
    const struct os_frame *frames, int n)
{
	int	i;

	if (n > BATCH_MAX)
		n = BATCH_MAX;
	memset(msgs, 0, sizeof(msgs[0]) * (size_t)n);
	for (i = 0; i < n; i++) {
		iov[i].iov_base = frames[i].of_buf;
		iov[i].iov_len = frames[i].of_len;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	return (n);
}

/*
 * A full socket buffer is EAGAIN on Linux and may be ENOBUFS on the BSDs;
 * either way the caller keeps or drops the frames, it never waits here.
 */
static int
mmsg_wouldblock(int error)
{
	return (error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS);
}

int
os_recv_batch(int fd, struct os_frame *frames, int n)
{
	struct mmsghdr	msgs[BATCH_MAX];
	struct iovec	iov[BATCH_MAX];
	int		i, got;

	n = mmsg_fill(msgs, iov, frames, n);
	got = (int)recvmmsg(fd, msgs, (unsigned int)n, MSG_DONTWAIT, NULL);
	if (got == -1)
		return (mmsg_wouldblock(errno) ? 0 : -1);
	for (i = 0; i < got; i++) {
		frames[i].of_trunc = (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
		frames[i].of_len = msgs[i].msg_len;
	}
	return (got);
}

int
os_send_batch(int fd, const struct os_frame *frames, int n)
{
	struct mmsghdr	msgs[BATCH_MAX];
	struct iovec	iov[BATCH_MAX];
	int		sent;

	n = mmsg_fill(msgs, iov, frames, n);
	sent = (int)sendmmsg(fd, msgs, (unsigned int)n,
	    MSG_DONTWAIT | MSG_NOSIGNAL);
	if (sent == -1)
		return (mmsg_wouldblock(errno) ? 0 : -1);
	return (sent);
}
