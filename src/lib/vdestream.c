/*
 * vdestream.c: the stream framing of pipes and ssh cables for library
 * users (spec sections 3 and 11.2).  Decoding is the shared stateful
 * decoder of src/common/stream.c, so records split at any byte, empty
 * records and oversize records behave exactly as in vde_plug.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "proto.h"
#include "libvdeplug.h"
#include "lib.h"

struct vdestream {
	void		 *vs_opaque;
	int		  vs_fdout;
	ssize_t		(*vs_frecv)(void *, void *, size_t);
	void		(*vs_ferr)(void *, int, char *, ...);
	struct stream_dec vs_dec;
};

static char	vdestream_lenmsg[] = "Packet length error: %zu bytes";

static void	vdestream_frame(void *, const unsigned char *, size_t);
static void	vdestream_oversize(void *, size_t);

/* A complete record arrived: hand it to the user's callback. */
static void
vdestream_frame(void *arg, const unsigned char *frame, size_t len)
{
	struct vdestream	*vs = arg;

	vs->vs_frecv(vs->vs_opaque, (void *)(uintptr_t)frame, len);
}

/* A record longer than any frame: report it; the decoder skips it. */
static void
vdestream_oversize(void *arg, size_t len)
{
	struct vdestream	*vs = arg;

	if (vs->vs_ferr != NULL)
		vs->vs_ferr(vs->vs_opaque, PACKET_LENGTH_ERROR,
		    vdestream_lenmsg, len);
}

/* Start a stream that writes records to fdout and delivers to frecv. */
LIB_EXPORT VDESTREAM *
vdestream_open(void *opaque, int fdout,
    ssize_t (*frecv)(void *opaque, void *buf, size_t count),
    void (*ferr)(void *opaque, int type, char *format, ...))
{
	struct vdestream	*vs;

	if (frecv == NULL) {
		errno = EINVAL;
		return (NULL);
	}
	if ((vs = malloc(sizeof(*vs))) == NULL)
		return (NULL);
	vs->vs_opaque = opaque;
	vs->vs_fdout = fdout;
	vs->vs_frecv = frecv;
	vs->vs_ferr = ferr;
	stream_dec_init(&vs->vs_dec);
	return (vs);
}

/*
 * Write one record.  Returns the bytes written (header included), 0 when
 * the frame is too long to frame (it is dropped), -1 on a write error.
 */
LIB_EXPORT ssize_t
vdestream_send(VDESTREAM *vs, const void *buf, size_t len)
{
	unsigned char	 hdr[VDE_STREAM_HDRLEN];
	struct iovec	 iov[2];
	size_t		 total, done = 0;
	ssize_t		 n;
	int		 i = 0;

	if (vs == NULL) {
		errno = EBADF;
		return (-1);
	}
	if (stream_header(hdr, len) == -1)
		return (0);
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = (void *)(uintptr_t)buf;
	iov[1].iov_len = len;
	total = sizeof(hdr) + len;
	/* A pipe may take part of a large record: finish it, or lose sync. */
	while (done < total) {
		n = writev(vs->vs_fdout, iov + i, 2 - i);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (done > 0 ? (ssize_t)done : -1);
		}
		done += (size_t)n;
		while (i < 2 && (size_t)n >= iov[i].iov_len) {
			n -= (ssize_t)iov[i].iov_len;
			iov[i].iov_len = 0;
			i++;
		}
		if (i < 2) {
			iov[i].iov_base = (char *)iov[i].iov_base + n;
			iov[i].iov_len -= (size_t)n;
		}
	}
	return ((ssize_t)total);
}

/* Feed len bytes read from the stream; whole records go to frecv. */
LIB_EXPORT void
vdestream_recv(VDESTREAM *vs, unsigned char *buf, size_t len)
{
	if (vs == NULL)
		return;
	stream_dec_feed(&vs->vs_dec, buf, len, vdestream_frame,
	    vdestream_oversize, vs);
}

/* Free the stream; the caller owns and closes the fds. */
LIB_EXPORT void
vdestream_close(VDESTREAM *vs)
{
	free(vs);
}
