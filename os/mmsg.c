/*
 * os/mmsg.c: batched datagram I/O with recvmmsg/sendmmsg (Linux, FreeBSD
 * 11 and later).  Chosen by configure when the probe finds both calls;
 * os/single.c serves everywhere else.
 *
 * On Linux both are system calls: several frames per call.  FreeBSD's
 * libc implements them as loops of recvmsg/sendmsg (lib/libc/gen/
 * recvmmsg.c and sendmmsg.c): correct, with the same results, but one
 * system call per frame all the same, so batching saves no system calls
 * there.  FreeBSD's sendmmsg returns -1 when the first message fails and
 * the count sent so far when a later one does, as Linux does.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>

#include "os/os.h"

#define BATCH_MAX	64

/*
 * Point one message header per frame at that frame's buffer.  Only the
 * fields the calls read are set, one header at a time: no memset of the
 * whole batch (a receive round asks for BATCH_MAX frames and often gets
 * one; clearing 64 headers was most of a paced switch's instructions).
 */
static int
mmsg_fill(struct mmsghdr *msgs, struct iovec *iov, struct os_frame *frames,
    int n)
{
	struct msghdr	*h;
	int		 i;

	if (n > BATCH_MAX)
		n = BATCH_MAX;
	for (i = 0; i < n; i++) {
		iov[i].iov_base = frames[i].of_buf;
		iov[i].iov_len = frames[i].of_len;
		h = &msgs[i].msg_hdr;
		h->msg_name = NULL;
		h->msg_namelen = 0;
		h->msg_iov = &iov[i];
		h->msg_iovlen = 1;
		h->msg_control = NULL;
		h->msg_controllen = 0;
		h->msg_flags = 0;
		msgs[i].msg_len = 0;
		frames[i].of_trunc = 0;
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

/*
 * sendmmsg stops at the first message that fails and reports only the
 * count before it (the error itself is lost on Linux), so a short count
 * is followed by one more call from that message: it tells whether the
 * socket is full (stop there, errno says how) or the datagram is too
 * large (EMSGSIZE: drop that one frame and carry on with the next).
 * FreeBSD refuses a local datagram larger than net.local.dgram.maxdgram
 * with EMSGSIZE (sys/kern/uipc_usrreq.c), Linux one larger than the send
 * buffer (net/unix/af_unix.c); neither may cost the rest of the batch.
 */
int
os_send_batch(int fd, struct os_frame *frames, int n)
{
	struct mmsghdr	msgs[BATCH_MAX];
	struct iovec	iov[BATCH_MAX];
	int		done = 0, sent;

	n = mmsg_fill(msgs, iov, frames, n);
	while (done < n) {
		sent = (int)sendmmsg(fd, msgs + done, (unsigned int)(n - done),
		    MSG_DONTWAIT | MSG_NOSIGNAL);
		if (sent > 0) {
			done += sent;
			continue;
		}
		if (sent == -1 && errno == EMSGSIZE) {
			frames[done++].of_trunc = 1;
			continue;
		}
		if (sent == -1 && !mmsg_wouldblock(errno) && done == 0)
			return (-1);
		break;
	}
	return (done);
}
