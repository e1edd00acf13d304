/*
 * mgmtsock.c: the -M management socket.  It is bound without following a
 * path that could change under us, each accepted client becomes a console
 * session (mgmt_attach), and at exit the socket is removed only if it is
 * still the one we bound.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "sockstale.h"
#include "switch.h"
#include "mgmt.h"
#include "xmalloc.h"

#define MGMTSOCK_BACKLOG	15

static int		 mgmtsock_fd = -1;	/* the listening socket */
static char		*mgmtsock_file;
static mode_t		 mgmtsock_perm = 0600;
static dev_t		 mgmtsock_dev;	/* the socket we bound, for cleanup */
static ino_t		 mgmtsock_ino;

/* -M path, or NULL when there is no management socket. */
const char *
mgmtsock_path(void)
{
	return (mgmtsock_file);
}

/* The -M socket's permissions, for ds/showinfo. */
mode_t
mgmtsock_mode(void)
{
	return (mgmtsock_perm);
}

/* Accept clients of the -M socket: banner and prompt. */
static void
mgmtsock_accept(int fd, int revents, void *arg)
{
	int	cfd, i;

	for (i = 0; i < 16; i++) {
		if ((cfd = accept(fd, NULL, NULL)) == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ECONNABORTED)
				log_warn("console accept");
			return;
		}
		if (mgmt_clients() >= MGMT_MAXCLIENTS) {
			log_warnx("console: %d clients already, refusing "
			    "another", mgmt_clients());
			close(cfd);
			continue;
		}
		if (mgmt_attach(cfd) == -1) {
			log_warn("console client fcntl");
			close(cfd);
		}
	}
}

/*
 * Listen on path.  Only a stale socket (one nobody answers on, left by a
 * switch that crashed) is replaced; a live one, or any other kind of
 * file, stops the switch with the file left alone.  The socket gets its
 * mode from the umask at bind time and its group through the directory
 * that holds it, without following a path that could change under us.
 */
static int
mgmtsock_listen(const char *path, mode_t mode, gid_t gid)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	socklen_t		 len;
	mode_t			 omask;
	const char		*base;
	char			*dir, *slash;
	int			 fd, dfd;

	if ((len = os_sun_set(&sun, path)) == 0)
		fatalx("management socket path too long: %s", path);
	sockstale_clear("management socket", path, &sun, len);

	/* The directory that holds the socket, for fstatat and fchownat. */
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		dir = xstrdup(".");
		base = path;
	} else {
		base = path + (slash - dir) + 1;
		if (slash == dir)
			slash[1] = '\0';	/* "/name" */
		else
			*slash = '\0';
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		fatal("management socket directory %s", dir);

	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		fatal("management socket");
	omask = umask(~mode & 0777);
	if (bind(fd, (struct sockaddr *)&sun, len) == -1)
		fatal("management socket %s", path);
	(void)umask(omask);
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == -1)
		fatal("management socket %s", path);
	if (!S_ISSOCK(st.st_mode) || st.st_uid != geteuid())
		fatalx("management socket %s was replaced after bind", path);
	mgmtsock_dev = st.st_dev;
	mgmtsock_ino = st.st_ino;
	if (gid != GID_NONE && st.st_gid != gid &&
	    fchownat(dfd, base, (uid_t)-1, gid, AT_SYMLINK_NOFOLLOW) == -1)
		fatal("chown %s", path);
	close(dfd);
	free(dir);
	if (listen(fd, MGMTSOCK_BACKLOG) == -1)
		fatal("listen %s", path);
	if (loop_nonblock(fd) == -1)
		fatal("fcntl %s", path);
	return (fd);
}


/* Listen on path (the -M option) and accept its clients from the loop. */
void
mgmtsock_open(const char *path, mode_t mode, gid_t gid)
{
	mgmtsock_perm = mode;
	mgmtsock_fd = mgmtsock_listen(path, mode, gid);
	mgmtsock_file = xstrdup(path);
	loop_add(mgmtsock_fd, POLLIN, mgmtsock_accept, NULL);
}

/* Close the socket and remove it, if it is still the one we bound. */
void
mgmtsock_close(void)
{
	struct stat	 st;

	if (mgmtsock_fd != -1) {
		loop_del(mgmtsock_fd);
		close(mgmtsock_fd);
		mgmtsock_fd = -1;
	}
	if (mgmtsock_file != NULL) {
		/* Only our own socket: someone may have put another there. */
		if (lstat(mgmtsock_file, &st) == 0 && S_ISSOCK(st.st_mode) &&
		    st.st_dev == mgmtsock_dev && st.st_ino == mgmtsock_ino)
			(void)unlink(mgmtsock_file);
		free(mgmtsock_file);
		mgmtsock_file = NULL;
	}
}
