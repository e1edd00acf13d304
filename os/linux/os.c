/*
 * Linux: peer credentials, sockaddr_un, daemon and batched datagram I/O.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
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
	struct ucred	uc;
	socklen_t	len = sizeof(uc);

	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1)
		return (-1);
	cred->uid = uc.uid;
	cred->gid = uc.gid;
	cred->pid = uc.pid;
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
	int		i, got;

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
	return (got);
}

int
os_send_batch(int fd, const struct os_frame *frames, int n)
{
	struct mmsghdr	msgs[BATCH_MAX];
	struct iovec	iov[BATCH_MAX];
	int		i, sent;

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
		return ((errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1);
	return (sent);
}
