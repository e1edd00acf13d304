/*
 * swdir.c: the switch directory and the socket files in it (spec sections
 * 1.1 and 1.7).
 *
 * The switch often runs as root while other users may write into this
 * directory, so nothing here follows a path that another user can change
 * between check and use: the directory is the switch user's own and
 * nobody else can rename what is in it (nor the directory itself, in its
 * parent), sockets get their mode from the umask at bind time, and their
 * owner, group and removal go through the directory's descriptor with
 * calls that never follow a link.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "xmalloc.h"
#include "switch.h"

/* Socket names in it: room for "/NNN.FFFF" in a sockaddr_un. */
#define SWDIR_PATHMAX	sizeof(((struct sockaddr_un *)0)->sun_path)
#define SWDIR_NAMEMAX	9

static int	swdir_fd = -1;		/* the switch directory */

/*
 * The canonical absolute name of the directory open as fd (realpath is not
 * in the POSIX base): change into it and ask getcwd, then come back.
 */
static int
swdir_realpath(int fd, char *buf, size_t size)
{
	int	here, r = 0, saved;

	if ((here = open(".", O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	if (fchdir(fd) == -1 || getcwd(buf, size) == NULL)
		r = -1;
	saved = errno;
	if (fchdir(here) == -1)
		fatal("fchdir");
	close(here);
	errno = saved;
	return (r);
}

/*
 * Can other users rename or remove entries of a directory with status st?
 * Not when only its owner may write it, or when it has the sticky bit.
 */
static int
swdir_shared(const struct stat *st)
{
	return ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
	    (st->st_mode & S_ISVTX) == 0);
}

/*
 * The mode of the directory: as asked, plus the sticky bit when others may
 * write it (they bind their client sockets there), so that nobody can
 * rename or remove what the switch and other users put in it.
 */
static mode_t
swdir_mode(void)
{
	mode_t	mode = sw_conf.c_dirmode;

	if ((mode & (S_IWGRP | S_IWOTH)) != 0)
		mode |= S_ISVTX;
	return (mode);
}

/*
 * The directory: made if missing, or adopted if it is the switch user's
 * own and nobody else can rename entries in it, then owned and moded as
 * asked through its descriptor.  Its parent must not let others rename
 * it either: every later path under it then names what the switch made.
 */
void
swdir_open(void)
{
	char		 real[PATH_MAX], *slash;
	struct stat	 st;
	mode_t		 mode;
	uid_t		 euid = geteuid();

	if (mkdir(sw_conf.c_sock, 0700) == -1 && errno != EEXIST)
		fatal("cannot create switch directory %s", sw_conf.c_sock);
	if ((swdir_fd = open(sw_conf.c_sock,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOTDIR || errno == ELOOP)
			fatalx("%s is not a directory (the old single-socket "
			    "layout is not supported)", sw_conf.c_sock);
		fatal("%s", sw_conf.c_sock);
	}
	if (fstat(swdir_fd, &st) == -1)
		fatal("%s", sw_conf.c_sock);
	if (st.st_uid != euid)
		fatalx("switch directory %s belongs to uid %lu, not to the "
		    "switch's user (uid %lu): refusing a directory that "
		    "another user controls", sw_conf.c_sock,
		    (unsigned long)st.st_uid, (unsigned long)euid);
	if (swdir_shared(&st))
		fatalx("switch directory %s is writable by others and has no "
		    "sticky bit: remove it, or chmod +t it", sw_conf.c_sock);
	if (swdir_realpath(swdir_fd, real, sizeof(real)) == -1)
		fatal("cannot resolve %s", sw_conf.c_sock);
	free(sw_conf.c_sock);
	sw_conf.c_sock = xstrdup(real);
	if (strlen(real) + SWDIR_NAMEMAX >= SWDIR_PATHMAX)
		fatalx("switch directory path too long (at most %zu bytes): "
		    "%s", (size_t)(SWDIR_PATHMAX - SWDIR_NAMEMAX - 1), real);

	/* The canonical parent: "/" for a directory at the top. */
	slash = strrchr(real, '/');
	if (slash == real)
		slash++;
	*slash = '\0';
	if (stat(real, &st) == -1)
		fatal("%s", real);
	if ((st.st_uid != euid && st.st_uid != 0) || swdir_shared(&st))
		fatalx("switch directory %s: its parent %s can be changed by "
		    "other users (not owned by root or you, or writable by "
		    "others without the sticky bit)", sw_conf.c_sock, real);

	if (sw_conf.c_gid != GID_NONE &&
	    fchown(swdir_fd, (uid_t)-1, sw_conf.c_gid) == -1)
		fatal("chown %s", sw_conf.c_sock);
	mode = swdir_mode();
	if (fchmod(swdir_fd, mode) == -1) {
		/*
		 * The BSDs give a new directory its parent's group (wheel
		 * under /tmp), and refuse the setgid bit to a user outside
		 * that group with EPERM where Linux clears it silently:
		 * FreeBSD's ufs_chmod (sys/ufs/ufs/ufs_vnops.c), tmpfs and
		 * ZFS alike, as chmod(2) there says.  The bit only asks for
		 * that inheritance, which the BSDs do anyway: retry
		 * without it.  tests/fbsd_test.sh shows this on Linux.
		 */
		if (errno != EPERM || (mode & S_ISGID) == 0 ||
		    fchmod(swdir_fd, mode & ~S_ISGID) == -1)
			fatal("chmod %s", sw_conf.c_sock);
	}
}

/*
 * Bind fd to name in the directory, with the socket's mode given by the
 * umask, so that no chmod by path is needed afterwards.
 */
int
swdir_bind(int fd, const char *name, mode_t mode)
{
	struct sockaddr_un	sun;
	char			path[sizeof(sun.sun_path)];
	socklen_t		len;
	mode_t			old;
	int			r;

	if (snprintf(path, sizeof(path), "%s/%s", sw_conf.c_sock, name) >=
	    (int)sizeof(path) || (len = os_sun_set(&sun, path)) == 0) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	old = umask(~mode & 0777);
	r = bind(fd, (struct sockaddr *)&sun, len);
	(void)umask(old);
	return (r);
}

/*
 * Give the socket the switch just bound as name in its directory an owner
 * and a group ((uid_t)-1, (gid_t)-1: unchanged).  Others cannot rename
 * entries of the directory and AT_SYMLINK_NOFOLLOW follows no link, so the
 * entry is the socket we made; checking that costs one call more.
 */
int
swdir_chown(const char *name, uid_t owner, gid_t gid)
{
	struct stat	st;

	if (fstatat(swdir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return (-1);
	if (!S_ISSOCK(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_nlink != 1) {
		errno = EPERM;
		return (-1);
	}
	if ((owner == (uid_t)-1 || owner == st.st_uid) &&
	    (gid == (gid_t)-1 || gid == st.st_gid))
		return (0);
	return (fchownat(swdir_fd, name, owner, gid, AT_SYMLINK_NOFOLLOW));
}

/* Is name a VDE 2 client socket name, ".PPPPP-SSSSS"? */
static int
swdir_clientname(const char *name)
{
	const char	*p = name + 1;

	if (name[0] != '.' || !isdigit((unsigned char)*p))
		return (0);
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != '-' || !isdigit((unsigned char)*p))
		return (0);
	while (isdigit((unsigned char)*p))
		p++;
	return (*p == '\0');
}

/*
 * Remove client sockets that crashed clients left in the directory and
 * nobody listens on any more, so that the directory can go.
 */
static void
swdir_sweep(void)
{
	struct sockaddr_un	 sun;
	struct dirent		*de;
	struct stat		 st;
	socklen_t		 len;
	DIR			*d;
	char			 path[sizeof(sun.sun_path)];
	int			 fd, r;

	if ((d = opendir(sw_conf.c_sock)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!swdir_clientname(de->d_name) ||
		    snprintf(path, sizeof(path), "%s/%s", sw_conf.c_sock,
		    de->d_name) >= (int)sizeof(path) ||
		    lstat(path, &st) == -1 || !S_ISSOCK(st.st_mode) ||
		    (len = os_sun_set(&sun, path)) == 0)
			continue;
		if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
			break;
		r = connect(fd, (struct sockaddr *)&sun, len);
		close(fd);
		if (r == -1 && errno == ECONNREFUSED && unlink(path) == 0)
			log_info("removed stale client socket %s", path);
	}
	closedir(d);
}

/* The status of name in the directory, without following a link. */
int
swdir_stat(const char *name, struct stat *st)
{
	return (fstatat(swdir_fd, name, st, AT_SYMLINK_NOFOLLOW));
}

/* Remove name from the directory (a name, never what a link points to). */
int
swdir_unlink(const char *name)
{
	return (unlinkat(swdir_fd, name, 0));
}

/*
 * At exit: the sockets crashed clients left behind, then the directory;
 * live leftovers of clients make the rmdir fail, which is only a warning.
 */
void
swdir_remove(void)
{
	if (swdir_fd == -1)
		return;
	swdir_sweep();
	if (rmdir(sw_conf.c_sock) == -1)
		log_warn("could not remove %s", sw_conf.c_sock);
	close(swdir_fd);
	swdir_fd = -1;
}
