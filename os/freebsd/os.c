/*
 * FreeBSD: peer credentials, sockaddr_un (with sun_len, 104-byte path),
 * daemon and batched datagram I/O (recvmmsg/sendmmsg, FreeBSD 11 and later).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/ucred.h>
#include <sys/un.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"

#define BATCH_MAX	64

int
os_peercred(int sock, struct os_peercred *cred)
{
	struct xucred	xuc;
	socklen_t	len = sizeof(xuc);

	memset(&xuc, 0, sizeof(xuc));
	if (getsockopt(sock, 0, LOCAL_PEERCRED, &xuc, &len) == -1)
		return (-1);
	if (xuc.cr_version != XUCRED_VERSION) {
		errno = EINVAL;
		return (-1);
	}
	cred->uid = xuc.cr_uid;
	cred->gid = xuc.cr_ngroups > 0 ? xuc.cr_groups[0] : (gid_t)-1;
#ifdef cr_pid
	cred->pid = xuc.cr_pid;		/* FreeBSD 13 and later */
#else
	cred->pid = -1;
#endif
	return (0);
}

socklen_t
os_sun_set(struct sockaddr_un *sun, const char *path)
{
	size_t	len = strlen(path);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (len >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return (0);
	}
	memcpy(sun->sun_path, path, len);
	sun->sun_len = SUN_LEN(sun);
	return (sizeof(*sun));
}

int
os_daemon(void)
{
	return (daemon(0, 0));
}

int
os_recv_batch(int fd, struct os_frame *frames, int n)
{
	struct mmsghdr	msgs[BATCH_MAX];
	struct iovec	iov[BATCH_MAX];
	ssize_t		got;
	int		i;

	if (n > BATCH_MAX)
		n = BATCH_MAX;
	memset(msgs, 0, sizeof(msgs[0]) * n);
	for (i = 0; i < n; i++) {
		iov[i].iov_base = frames[i].of_buf;
		iov[i].iov_len = frames[i].of_len;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	got = recvmmsg(fd, msgs, n, MSG_DONTWAIT, NULL);
	if (got == -1)
		return ((errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1);
	for (i = 0; i < got; i++) {
		frames[i].of_trunc = (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
		frames[i].of_len = msgs[i].msg_len;
	}
	return ((int)got);
}

/*
 * FreeBSD reports a full socket buffer on a datagram socket as ENOBUFS
 * rather than EAGAIN; both mean "drop or retry later", never busy-wait.
 */
int
os_send_batch(int fd, const struct os_frame *frames, int n)
{
	struct mmsghdr	msgs[BATCH_MAX];
	struct iovec	iov[BATCH_MAX];
	ssize_t		sent;
	int		i;

	if (n > BATCH_MAX)
		n = BATCH_MAX;
	memset(msgs, 0, sizeof(msgs[0]) * n);
	for (i = 0; i < n; i++) {
		iov[i].iov_base = frames[i].of_buf;
		iov[i].iov_len = frames[i].of_len;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	sent = sendmmsg(fd, msgs, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (sent == -1)
		return ((errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == ENOBUFS) ? 0 : -1);
	return ((int)sent);
}
