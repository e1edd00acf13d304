/*
 * sockstale.c: before binding a listening socket at a path, clear the way.
 * Nothing there: fine.  A socket that nobody answers on (left by a process
 * that died) is removed.  A socket someone answers on, or a file of any
 * other kind, stops the program with the file left alone.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <unistd.h>

#include "log.h"
#include "sockstale.h"

/*
 * what names the socket in messages ("management socket"); sun and len
 * are its address, as os_sun_set made it from path.
 */
void
sockstale_clear(const char *what, const char *path,
    const struct sockaddr_un *sun, socklen_t len)
{
	struct stat	st;
	int		fd;

	if (lstat(path, &st) == -1) {
		if (errno != ENOENT)
			fatal("%s %s", what, path);
		return;
	}
	if (!S_ISSOCK(st.st_mode))
		fatalx("%s %s: a file that is not a socket is in the way, "
		    "not touching it", what, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		fatal("%s", what);
	if (connect(fd, (const struct sockaddr *)sun, len) == 0)
		fatalx("%s %s is in use by another process", what, path);
	if (errno != ECONNREFUSED)
		fatal("%s %s", what, path);
	close(fd);
	log_info("removing stale %s %s", what, path);
	if (unlink(path) == -1 && errno != ENOENT)
		fatal("unlink %s", path);
}
