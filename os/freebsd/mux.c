/*
 * FreeBSD: os_mux_open, a kqueue over several sockets (a kqueue polls
 * readable while any of its events is pending).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/event.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "os/os.h"

int
os_mux_open(const int *fds, int n)
{
	struct kevent	ev;
	int		kq, i, saved;

	if ((kq = kqueue()) == -1)
		return (-1);
	if (fcntl(kq, F_SETFD, FD_CLOEXEC) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		EV_SET(&ev, fds[i], EVFILT_READ, EV_ADD, 0, 0, NULL);
		if (kevent(kq, &ev, 1, NULL, 0, NULL) == -1)
			goto fail;
	}
	return (kq);
fail:
	saved = errno;
	close(kq);
	errno = saved;
	return (-1);
}
