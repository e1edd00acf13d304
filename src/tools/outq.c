/*
 * outq.c: records for a stream peer (stdout of vde_plug, an ssh cable)
 * are written without ever blocking.  A plug that blocked on its stdout
 * would stop reading its stdin, and two plugs joined by dpipe could then
 * wait on each other forever under load.  Instead a record that does not
 * fit in the queue is dropped whole, as a switch drops a frame, and the
 * stream never loses sync: records are only ever queued entirely.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "proto.h"
#include "outq.h"

/* Take over fd for output and make it non-blocking. */
int
outq_init(struct outq *oq, int fd)
{
	oq->oq_fd = fd;
	oq->oq_head = oq->oq_tail = 0;
	oq->oq_drops = 0;
	if ((oq->oq_flags = fcntl(fd, F_GETFL)) == -1)
		return (-1);
	return (fcntl(fd, F_SETFL, oq->oq_flags | O_NONBLOCK));
}

/*
 * Write what is still queued, as far as it goes without blocking, and
 * give the fd its flags back: the file description may be shared with
 * the shell that started us (a terminal), which expects blocking I/O.
 */
void
outq_fini(struct outq *oq)
{
	(void)outq_flush(oq);
	(void)fcntl(oq->oq_fd, F_SETFL, oq->oq_flags);
}

/* Whether bytes are waiting: the caller then polls for POLLOUT. */
int
outq_pending(const struct outq *oq)
{
	return (oq->oq_tail > oq->oq_head);
}

/*
 * Write what is queued, as far as the peer takes it.  Returns 0, or -1
 * when the peer is gone (EPIPE and other hard errors).
 */
int
outq_flush(struct outq *oq)
{
	ssize_t	n;

	while (oq->oq_tail > oq->oq_head) {
		n = write(oq->oq_fd, oq->oq_buf + oq->oq_head,
		    oq->oq_tail - oq->oq_head);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return (0);
			return (-1);
		}
		oq->oq_head += (size_t)n;
	}
	oq->oq_head = oq->oq_tail = 0;
	return (0);
}

/*
 * Queue one frame as a record and try to write it.  A frame too long for
 * the framing or for the room left is dropped (and counted).  Returns -1
 * only when the peer is gone.
 */
int
outq_put(struct outq *oq, const void *frame, size_t len)
{
	unsigned char	hdr[VDE_STREAM_HDRLEN];

	if (stream_header(hdr, len) == -1) {
		oq->oq_drops++;
		return (0);
	}
	if (oq->oq_head > 0 &&
	    OUTQ_SIZE - oq->oq_tail < sizeof(hdr) + len) {
		memmove(oq->oq_buf, oq->oq_buf + oq->oq_head,
		    oq->oq_tail - oq->oq_head);
		oq->oq_tail -= oq->oq_head;
		oq->oq_head = 0;
	}
	if (OUTQ_SIZE - oq->oq_tail < sizeof(hdr) + len) {
		oq->oq_drops++;
		return (0);
	}
	memcpy(oq->oq_buf + oq->oq_tail, hdr, sizeof(hdr));
	memcpy(oq->oq_buf + oq->oq_tail + sizeof(hdr), frame, len);
	oq->oq_tail += sizeof(hdr) + len;
	return (outq_flush(oq));
}
