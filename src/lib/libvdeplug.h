/*
 * libvdeplug.h: the VDE 2 client API.  A program joins a VDE switch with
 * vde_open(), moves one Ethernet frame per vde_send()/vde_recv() call and
 * polls vde_datafd(); the vdestream_* functions speak the 2-byte length
 * framing used on pipes and ssh cables.  Binary compatible with the
 * libvdeplug.so.2 that distributions ship (QEMU links against it).
 */
#ifndef LIBVDEPLUG_H
#define LIBVDEPLUG_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBVDEPLUG_INTERFACE_VERSION	1

#ifndef VDE_MAXMTU
#define VDE_MAXMTU	9216
#endif
#ifndef VDE_ETHBUFSIZE
#define VDE_ETHBUFSIZE	(VDE_MAXMTU + 14 + 4)
#endif

/* An open connection to a switch; opaque. */
typedef struct vdeconn VDECONN;

/*
 * Options of vde_open: port 0 is any free port, -1 the management port 0;
 * group (a name or a number) and mode (0 means 0700) apply to the client's
 * data socket.
 */
struct vde_open_args {
	int	 port;
	char	*group;
	mode_t	 mode;
};

#define vde_open(vnl, descr, open_args) \
	vde_open_real((vnl), (descr), LIBVDEPLUG_INTERFACE_VERSION, (open_args))

VDECONN	*vde_open_real(char *vnl, char *descr, int interface_version,
	    struct vde_open_args *open_args);
ssize_t	 vde_recv(VDECONN *conn, void *buf, size_t len, int flags);
ssize_t	 vde_send(VDECONN *conn, const void *buf, size_t len, int flags);
int	 vde_datafd(VDECONN *conn);
int	 vde_ctlfd(VDECONN *conn);
int	 vde_close(VDECONN *conn);

/* Stream framing over a byte stream (pipes, ssh); opaque. */
typedef struct vdestream VDESTREAM;

#define PACKET_LENGTH_ERROR	1

VDESTREAM *vdestream_open(void *opaque, int fdout,
	    ssize_t (*frecv)(void *opaque, void *buf, size_t count),
	    void (*ferr)(void *opaque, int type, char *format, ...));
ssize_t	 vdestream_send(VDESTREAM *vs, const void *buf, size_t len);
void	 vdestream_recv(VDESTREAM *vs, unsigned char *buf, size_t len);
void	 vdestream_close(VDESTREAM *vs);

#ifdef __cplusplus
}
#endif

#endif /* LIBVDEPLUG_H */
