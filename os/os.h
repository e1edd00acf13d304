/*
 * os.h: the whole operating-system interface of vde.
 *
 * Everything that differs between Linux, the BSDs and other POSIX systems
 * is behind these few functions; the build picks the files under os/$(OS).  Callers
 * never test for an operating system.  Functions return -1 with errno set
 * and never log: the caller decides whether a failure is a warning or fatal.
 */
#ifndef OS_H
#define OS_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <stdint.h>

#define OS_TAPNAMELEN	64	/* room for any interface or device name */

/*
 * Open the tap interface "want", creating it when the system can and it
 * does not exist yet.  On success return a non-blocking fd that reads and
 * writes whole Ethernet frames (no packet-info header) and store the
 * interface's real name in name.  ENOTSUP where taps are not supported.
 *
 * offload, when not NULL and non-zero, asks for the system's offloads:
 * the tap then exchanges frames with an os_offload description, large
 * segmentation-offload frames (up to OS_TAP_FRAMEMAX bytes) and frames
 * whose checksum is still to be computed.  On return *offload says
 * whether the fd has them; os_tap_read and os_tap_write must then be
 * given an os_offload, and without them NULL.
 */
int	 os_tap_open(const char *want, char *name, size_t namelen,
	    int *offload);

/*
 * Close a tap fd from os_tap_open.  A tap os_tap_open created goes away
 * with it, one that existed before stays: on Linux closing does that
 * (a tap not made persistent disappears), on FreeBSD taps outlive their
 * descriptor (tap(4)) and os_tap_close destroys the ones it made.
 */
int	 os_tap_close(int fd);

/*
 * What a tap says about a frame, or is told about one (on Linux the
 * virtio-net header).  A frame with oo_gso set is a TCP segment of up to
 * 64 KiB that stands for several frames of at most oo_gsosize payload
 * bytes each; OS_OFF_CSUM says that the checksum from oo_csumstart to the
 * end of the frame is still to be computed and stored at oo_csumstart +
 * oo_csumoff (the field holds the pseudo-header's sum); OS_OFF_VALID says
 * that the checksums were verified.  All zero: a plain, complete frame.
 */
#define OS_TAP_FRAMEMAX	(65536 + 64)	/* the largest offloaded frame */

#define OS_OFF_CSUM	0x01
#define OS_OFF_VALID	0x02

#define OS_GSO_NONE	0
#define OS_GSO_TCP4	1		/* TCP over IPv4 */
#define OS_GSO_TCP6	2		/* TCP over IPv6 */
#define OS_GSO_OTHER	3		/* a kind vde cannot segment */
#define OS_GSO_ECN	0x80		/* flag: the first segment has CWR */

struct os_offload {
	uint8_t		oo_flags;
	uint8_t		oo_gso;
	uint16_t	oo_gsosize;
	uint16_t	oo_hdrlen;	/* a hint: bytes up to the payload */
	uint16_t	oo_csumstart;
	uint16_t	oo_csumoff;
};

/*
 * One frame from or to a tap fd, with off (NULL for a tap opened without
 * offloads).  Like read(2) and write(2), counting frame bytes only.
 * os_tap_read with off may use the OS_TAP_HEADROOM bytes before buf (the
 * system's description is read there with the frame, in one system call).
 */
#define OS_TAP_HEADROOM	16

ssize_t	 os_tap_read(int fd, void *buf, size_t len, struct os_offload *off);
ssize_t	 os_tap_write(int fd, const void *buf, size_t len,
	    const struct os_offload *off);

/* The system's name for the tap device, for messages ("/dev/net/tun"). */
const char *os_tap_device(void);

/*
 * Credentials of the process at the other end of a connected Unix socket:
 * its effective ids and, where the system tells, its groups (else only
 * gid, ngroups 1; a process in more than OS_NGROUPS groups is also given
 * gid alone, which can only deny it more).
 */
#define OS_NGROUPS	64

struct os_peercred {
	uid_t	uid;
	gid_t	gid;
	pid_t	pid;		/* -1 where the system does not tell */
	int	ngroups;
	gid_t	groups[OS_NGROUPS];
};
int	 os_peercred(int sock, struct os_peercred *cred);

/*
 * Take the file-system identity of the peer cred describes: effective uid,
 * gid and groups.  Only root can; EPERM otherwise.  Paths a client names
 * are resolved and opened between os_asuser and os_asself, never as root.
 * os_asself returns to the switch's own identity; if it fails the process
 * is in an unknown state and must stop.
 */
int	 os_asuser(const struct os_peercred *cred);
int	 os_asself(void);

/*
 * Fill a sockaddr_un for path, including sun_len where the system has it.
 * Return the length to pass to bind/connect, or 0 with ENAMETOOLONG when
 * the path does not fit: paths are refused, never truncated.
 */
socklen_t os_sun_set(struct sockaddr_un *sun, const char *path);

/* Detach from the terminal and run in the background (daemon(0, 0)). */
int	 os_daemon(void);

/*
 * Batched datagram I/O: the speed of the switch comes from moving several
 * frames per system call where the system can (recvmmsg/sendmmsg).
 *
 * os_recv_batch fills up to n frames from a non-blocking socket.  On entry
 * of_len is each buffer's size; on return it is the datagram's length, and
 * of_trunc is set when the datagram did not fit (it must be dropped).  It
 * returns the number of frames received, 0 when nothing was waiting, or -1
 * on error (errno set; EOF of a stream is not possible on datagrams).
 *
 * os_send_batch sends frames[0..n) on a connected socket and returns how
 * many it is done with (a short count means the rest would block: errno
 * is then EAGAIN, or ENOBUFS where the system says so instead), or -1
 * when the first failed with another error.  A frame the socket refuses
 * as too large (EMSGSIZE) is dropped alone and counted as done, with its
 * of_trunc set; of_trunc of the others is cleared.
 *
 * Where recvmmsg/sendmmsg are libc loops (FreeBSD) or missing, a batch
 * still costs one system call per frame: the batching is an interface,
 * the saving is Linux's.
 */
struct os_frame {
	void	*of_buf;
	size_t	 of_len;
	int	 of_trunc;
};
int	 os_recv_batch(int fd, struct os_frame *frames, int n);
int	 os_send_batch(int fd, struct os_frame *frames, int n);

/*
 * Multicast (os/mcast.c).  os_mcast_join joins the group grp (AF_INET or
 * AF_INET6) on interface ifindex (0: the one the system routes it to).
 * os_mcast_sender sets what fd sends: the interface for multicast
 * (ifindex, 0: as routed), ttl as the hop limit of multicast and unicast,
 * and whether multicast loops back to this host.
 */
int	 os_mcast_join(int fd, const struct sockaddr *grp, socklen_t len,
	    unsigned int ifindex);
int	 os_mcast_sender(int fd, int family, unsigned int ifindex, int ttl,
	    int loop);

/*
 * One descriptor that polls readable when any of fds[0..n) is readable
 * (epoll on Linux, kqueue on the BSDs), for a connection made of several
 * sockets that must show its user one; close(2) it.  ENOTSUP elsewhere.
 */
int	 os_mux_open(const int *fds, int n);

/*
 * UDP sockets of the switch's VXLAN ports (os/inet.c), which join their
 * group with os_mcast_join.  os_inet_mcast sets the interface, hop limit
 * (-1: default) and no loopback of multicast sent; os_inet_ttl the unicast hop limit;
 * os_inet_bindif restricts the socket to one interface; os_inet_nocsum
 * sends IPv4 datagrams with checksum 0.  ENOTSUP where a system cannot.
 * os_inet_bufs asks for socket buffers of bytes each way (best effort).
 */
int	 os_inet_mcast(int fd, int family, unsigned int ifindex, int ttl);
int	 os_inet_ttl(int fd, int family, int ttl);
int	 os_inet_bindif(int fd, const char *ifname);
int	 os_inet_nocsum(int fd);
void	 os_inet_bufs(int fd, int bytes);

/*
 * UDP segmentation offload (os/udpseg.c).  os_udpseg_send sends len bytes
 * of buf to one address as datagrams of segsize bytes each (the last may
 * be shorter) in one call: at most OS_UDPSEG_MAX of them and
 * OS_UDPSEG_BYTES in all; ENOTSUP where the system cannot, and another
 * error (EINVAL, EIO) where it cannot for this socket or route: the
 * caller then sends them one by one.  os_udpseg_enable asks fd to hand
 * over several datagrams of one flow in one read; os_udpseg_recv is
 * recvfrom(2) that also says, in *segsize, the size of the datagrams a
 * read holds (0: one datagram), and returns len + 1 for a datagram longer
 * than len.
 */
#define OS_UDPSEG_MAX	64
#define OS_UDPSEG_BYTES	65000

int	 os_udpseg_enable(int fd);
ssize_t	 os_udpseg_send(int fd, const void *buf, size_t len, size_t segsize,
	    const struct sockaddr *to, socklen_t tolen);
ssize_t	 os_udpseg_recv(int fd, void *buf, size_t len,
	    struct sockaddr_storage *from, socklen_t *fromlen, size_t *segsize);

/*
 * A memory object of size bytes for shared-memory rings (the switch's
 * ringport.c): close-on-exec, and fixed at that size for whoever else
 * gets the descriptor, so that a mapping of it can never fault.  -1 with
 * ENOSYS where the system cannot promise that.
 */
int	 os_shm_create(size_t size);
/*
 * The client's side: is fd such an object, of at least size bytes?  0,
 * or -1 with EPROTO (ENOSYS where there are none).
 */
int	 os_shm_check(int fd, size_t size);

#endif /* OS_H */
