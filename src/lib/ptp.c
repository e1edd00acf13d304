/*
 * ptp.c: VDE 2's point-to-point cables between two programs, without a
 * switch (spec section 11.4).  "path[]" is the female end: it binds path
 * and sends to "path+".  A plain "path" that names a socket (and not a
 * switch directory) is the male end: it binds "path+" and sends to path.
 *
 * A zero-length datagram means "I am leaving": the receiver forgets its
 * peer (connect to AF_UNSPEC) so that a new one can attach, and connects
 * again on the next send.  A frame sent while nobody is attached is lost,
 * as on an unplugged cable.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"
#include "lib.h"

static int	ptp_bind(int, const char *);
static int	ptp_connect(struct vdeconn *);
static void	ptp_forget(struct vdeconn *);

/*
 * Bind fd to path.  A socket already there is removed when nobody answers
 * on it (left by a crash), and refused with EADDRINUSE when someone does.
 */
static int
ptp_bind(int fd, const char *path)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	int			probe, live;

	if ((len = os_sun_set(&sun, path)) == 0)
		return (-1);
	if (bind(fd, (struct sockaddr *)&sun, len) == 0)
		return (0);
	if (errno != EADDRINUSE)
		return (-1);
	if ((probe = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
		return (-1);
	live = connect(probe, (struct sockaddr *)&sun, len) == 0 ||
	    errno != ECONNREFUSED;
	close(probe);
	if (live) {
		errno = EADDRINUSE;
		return (-1);
	}
	if (unlink(path) == -1)
		return (-1);
	return (bind(fd, (struct sockaddr *)&sun, len));
}

/* Attach to the peer, if it is there. */
static int
ptp_connect(struct vdeconn *vc)
{
	if (connect(vc->vc_data, (struct sockaddr *)&vc->vc_peer,
	    vc->vc_peerlen) == -1)
		return (-1);
	vc->vc_connected = 1;
	return (0);
}

/* The peer left: detach, so that the next one may attach. */
static void
ptp_forget(struct vdeconn *vc)
{
	struct sockaddr	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNSPEC;
	(void)connect(vc->vc_data, &sa, sizeof(sa));
	vc->vc_connected = 0;
}

/* Open the female ("path[]") or male end of a cable at path. */
int
ptp_open(struct vdeconn *vc, const char *path, int female)
{
	char	peer[PATH_MAX];
	int	saved;

	vc->vc_kind = VNL_PTP;
	vc->vc_ctl = -1;
	if (strlen(path) + 2 > sizeof(peer)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	strlcpy(vc->vc_path, path, sizeof(vc->vc_path));
	strlcpy(peer, path, sizeof(peer));
	strlcat(female ? peer : vc->vc_path, "+", PATH_MAX);
	vc->vc_peerlen = os_sun_set((struct sockaddr_un *)&vc->vc_peer, peer);
	if (vc->vc_peerlen == 0)
		return (-1);
	if ((vc->vc_data = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
		return (-1);
	if (fcntl(vc->vc_data, F_SETFD, FD_CLOEXEC) == -1 ||
	    ptp_bind(vc->vc_data, vc->vc_path) == -1)
		goto fail;
	/* The female may wait for her peer; the male needs his. */
	if (ptp_connect(vc) == -1 && !female) {
		saved = errno;
		unlink(vc->vc_path);
		errno = saved;
		goto fail;
	}
	return (0);
fail:
	saved = errno;
	close(vc->vc_data);
	errno = saved;
	return (-1);
}

/* One frame; a zero-length datagram detaches the peer and returns 0. */
ssize_t
ptp_recv(struct vdeconn *vc, void *buf, size_t len)
{
	ssize_t	n;

	if ((n = recv(vc->vc_data, buf, len, 0)) == 0)
		ptp_forget(vc);
	else if (n > 0 && !vc->vc_connected)
		(void)ptp_connect(vc);
	return (n);
}

/* One frame to the peer; lost (but not an error) when nobody is there. */
ssize_t
ptp_send(struct vdeconn *vc, const void *buf, size_t len)
{
	ssize_t	n;

	if (!vc->vc_connected && ptp_connect(vc) == -1)
		return ((ssize_t)len);
	if ((n = send(vc->vc_data, buf, len, 0)) >= 0)
		return (n);
	if (errno != ECONNREFUSED && errno != ENOTCONN && errno != ENOENT)
		return (-1);
	/* The peer went away without a word; a new one may be there. */
	ptp_forget(vc);
	if (ptp_connect(vc) == -1 ||
	    (n = send(vc->vc_data, buf, len, 0)) == -1)
		return ((ssize_t)len);
	return (n);
}

/* Say goodbye with an empty datagram and remove our name. */
void
ptp_close(struct vdeconn *vc)
{
	if (vc->vc_connected)
		(void)send(vc->vc_data, "", 0, 0);
	unlink(vc->vc_path);
}
