/*
 * Linux: os_mux_open, an epoll descriptor over several sockets.
 */
#include "config.h"

#include <sys/epoll.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"

int
os_mux_open(const int *fds, int n)
{
	struct epoll_event	ev;
	int			ep, i, saved;

	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return (-1);
	for (i = 0; i < n; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.fd = fds[i];
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev) == -1) {
			saved = errno;
			close(ep);
			errno = saved;
			return (-1);
		}
	}
	return (ep);
}
