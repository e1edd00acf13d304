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

#define OS_TAPNAMELEN	64	/* room for any interface or device name */

/*
 * Open the tap interface "want", creating it when the system can and it
 * does not exist yet.  On success return a non-blocking fd that reads and
 * writes whole Ethernet frames (no packet-info header) and store the
 * interface's real name in name.  ENOTSUP where taps are not supported.
 */
int	 os_tap_open(const char *want, char *name, size_t namelen);

/* The system's name for the tap device, for messages ("/dev/net/tun"). */
const char *os_tap_device(void);

/* Credentials of the process at the other end of a connected Unix socket. */
struct os_peercred {
	uid_t	uid;
	gid_t	gid;
	pid_t	pid;		/* -1 where the system does not tell */
};
int	 os_peercred(int sock, struct os_peercred *cred);

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
 * many were accepted (a short count means the rest would block), or -1
 * when the first failed with an error other than EAGAIN.
 */
struct os_frame {
	void	*of_buf;
	size_t	 of_len;
	int	 of_trunc;
};
int	 os_recv_batch(int fd, struct os_frame *frames, int n);
int	 os_send_batch(int fd, const struct os_frame *frames, int n);

#endif /* OS_H */
