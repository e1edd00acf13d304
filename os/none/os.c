/*
 * Generic POSIX: no peer credentials, one datagram per system call, and a
 * daemon() written with fork/setsid.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"

int
os_peercred(int sock, struct os_peercred *cred)
{
	(void)sock;
	(void)cred;
	errno = ENOTSUP;
	return (-1);
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
	int	fd;

	switch (fork()) {
	case -1:
		return (-1);
	case 0:
		break;
	default:
		_exit(0);
	}
	if (setsid() == -1)
		return (-1);
	(void)chdir("/");
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		(void)dup2(fd, 0);
		(void)dup2(fd, 1);
		(void)dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return (0);
}

int
os_recv_batch(int fd, struct os_frame *frames, int n)
{
	struct msghdr	msg;
	struct iovec	iov;
	ssize_t		len;
	int		i;

	for (i = 0; i < n; i++) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = frames[i].of_buf;
		iov.iov_len = frames[i].of_len;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if ((len = recvmsg(fd, &msg, MSG_DONTWAIT)) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return (i > 0 ? i : -1);
		}
		frames[i].of_len = (size_t)len;
		frames[i].of_trunc = (msg.msg_flags & MSG_TRUNC) != 0;
	}
	return (i);
}

int
os_send_batch(int fd, const struct os_frame *frames, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		if (send(fd, frames[i].of_buf, frames[i].of_len,
		    MSG_DONTWAIT | MSG_NOSIGNAL) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == ENOBUFS)
				break;
			return (i > 0 ? i : -1);
		}
	}
	return (i);
}
