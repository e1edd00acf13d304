/*
 * proto.h: the VDE 2 wire format shared by the switch, the plug and the
 * library: the control-socket handshake (spec section 1), the data-plane
 * frame limits (section 2) and the stdin/stdout stream framing (section 3).
 *
 * Integers in the handshake are in host byte order: the protocol only runs
 * over local Unix sockets.  Layouts are given as offsets, not as packed
 * structs, so the parser never makes unaligned accesses.
 */
#ifndef PROTO_H
#define PROTO_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <stddef.h>
#include <stdint.h>

/* Control handshake. */
#define VDE_MAGIC		0xfeedfaceU
#define VDE_REQ_VERSION		3
#define VDE_REQ_NEW_CONTROL	0	/* a normal port */
#define VDE_REQ_NEW_PORT0	1	/* the management port 0 */

#define VDE_REQ3_OFF_SOCK	12	/* magic, version, type word */
#define VDE_REQ3_HDRLEN		(VDE_REQ3_OFF_SOCK + sizeof(struct sockaddr_un))
#define VDE_REQ1_OFF_SOCK	14	/* magic, type, 6-byte MAC */
#define VDE_REQ1_HDRLEN		(VDE_REQ1_OFF_SOCK + sizeof(struct sockaddr_un))
#define VDE_DESCR_MAX		128	/* description bytes kept */
#define VDE_REQ_MAX		(VDE_REQ1_HDRLEN + VDE_DESCR_MAX)
#define VDE_PORT_MAX		0xffffff	/* 24 bits in the type word */

/* A request as the switch understands it, whatever its version. */
struct vde_req {
	int			 rq_version;	/* 1 or 3 */
	int			 rq_type;	/* VDE_REQ_* */
	int			 rq_port;	/* 0: any free port */
	struct sockaddr_un	 rq_sock;	/* client data socket, verbatim */
	int			 rq_abstract;	/* sun_path[0] == '\0' */
	char			 rq_descr[VDE_DESCR_MAX + 1];
};

/* src/common/ctlreq.c */
#define CTLREQ_MORE	0	/* need more bytes */
#define CTLREQ_DONE	1	/* a whole request parsed */
#define CTLREQ_BAD	(-1)	/* garbage: close the connection */
int	 ctlreq_parse(const void *buf, size_t len, struct vde_req *req,
	    const char **why);
size_t	 ctlreq_build(void *buf, size_t size, int type, int port,
	    const struct sockaddr_un *sock, const char *descr);
void	 ctlreq_sanitize(char *descr, const void *raw, size_t len);

/* Data plane. */
#define VDE_ETHHDRLEN		14
#define VDE_ETHMIN		60	/* runts are zero-padded to this */
#define VDE_MAXMTU		9216
#define VDE_ETHBUFSIZE		(VDE_MAXMTU + VDE_ETHHDRLEN + 4) /* 9234 */
#define VDE_FRAMEBUF		(VDE_ETHBUFSIZE + 4)	/* room for a tag */

/* Stream framing: 2-byte big-endian length (excluding itself), frame. */
#define VDE_STREAM_HDRLEN	2
#define VDE_STREAM_MAX		(VDE_ETHBUFSIZE + 2)	/* 9236 */

/* src/common/stream.c */
struct stream_dec {
	size_t		sd_have;	/* bytes of the current record held */
	size_t		sd_need;	/* its length, once the header is in */
	size_t		sd_skip;	/* bytes of an oversize record to drop */
	int		sd_hdr;		/* header bytes seen (0..2) */
	unsigned char	sd_hbuf[VDE_STREAM_HDRLEN];
	unsigned long	sd_oversize;	/* records dropped for their size */
	unsigned long	sd_empty;	/* zero-length records skipped */
	unsigned char	sd_buf[VDE_STREAM_MAX];
};
typedef void	(*stream_frame_cb)(void *arg, const unsigned char *frame,
		    size_t len);
typedef void	(*stream_error_cb)(void *arg, size_t len);

void	 stream_dec_init(struct stream_dec *);
void	 stream_dec_feed(struct stream_dec *, const void *data, size_t len,
	    stream_frame_cb frame, stream_error_cb oversize, void *arg);
int	 stream_header(unsigned char hdr[VDE_STREAM_HDRLEN], size_t len);

#endif /* PROTO_H */
