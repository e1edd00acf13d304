/*
 * pidfile.c: pid files of vde_switch, vde_plug, vde_plug2tap and dpipe.
 *
 * These programs often run as root and are told to put their pid file in
 * a directory other users can write (/tmp, /run/user/...).  So the file
 * is created with O_EXCL and O_NOFOLLOW relative to its directory, which
 * stays open until the file is removed: a symbolic link, a FIFO or any
 * other non-regular file at that name is refused and left alone, never
 * written through.  A regular file already there is read (without
 * following links, without blocking, at most PIDFILE_READMAX bytes): if
 * it names a live process the program refuses to start, otherwise it is
 * stale and replaced.  At exit the name is removed only while it still
 * leads to the file that was created.
 *
 * The file is created before a daemon forks (so that a refusal reaches
 * the terminal) and the pid written afterwards, on a descriptor that
 * stays open until the file is removed.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "pidfile.h"
#include "xmalloc.h"

#define PIDFILE_READMAX	64	/* more than any "-PID\n"; the rest is junk */
#define PIDFILE_TRIES	3	/* stale files replaced before giving up */

static const char *pidfile_kind(mode_t);
static long	pidfile_parse(const char *, size_t);
static int	pidfile_stale(struct pidfile *, char *, size_t);
static int	pidfile_fail(struct pidfile *, char *, size_t, const char *,
		    ...) __attribute__((__format__(printf, 4, 5)));

/* What a non-regular file is, for the refusal. */
static const char *
pidfile_kind(mode_t mode)
{
	if (S_ISLNK(mode))
		return ("a symbolic link");
	if (S_ISDIR(mode))
		return ("a directory");
	if (S_ISFIFO(mode))
		return ("a FIFO");
	if (S_ISSOCK(mode))
		return ("a socket");
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return ("a device");
	return ("not a regular file");
}

/*
 * The contents of a pid file: "PID" or "-PGID" (dpipe's process group),
 * each with an optional newline.  Returns the pid, the negated group, or
 * 0 for anything else (junk, an empty file, 0, 1 as a group).
 */
static long
pidfile_parse(const char *buf, size_t len)
{
	long	v = 0;
	size_t	i = 0;
	int	neg = 0;

	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (i < len && buf[i] == '-') {
		neg = 1;
		i++;
	}
	if (i == len)
		return (0);
	for (; i < len; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return (0);
		v = v * 10 + (buf[i] - '0');
		if (v > INT_MAX)
			return (0);
	}
	/* kill(-1, 0) would ask about every process. */
	if (neg && v <= 1)
		return (0);
	return (neg ? -v : v);
}

/* Undo pidfile_create's partial work, format err and return -1. */
static int
pidfile_fail(struct pidfile *pf, char *err, size_t errlen, const char *fmt,
    ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	if (err != NULL && errlen > 0)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (pf->pf_dirfd != -1)
		close(pf->pf_dirfd);
	if (pf->pf_fd != -1)
		close(pf->pf_fd);
	free(pf->pf_path);
	memset(pf, 0, sizeof(*pf));
	pf->pf_dirfd = pf->pf_fd = -1;
	errno = saved;
	return (-1);
}

/*
 * Something is at the pid file's name.  A regular file naming no live
 * process is removed (0: try creating again); anything else is an error.
 */
static int
pidfile_stale(struct pidfile *pf, char *err, size_t errlen)
{
	struct stat	 st, fst;
	char		 buf[PIDFILE_READMAX];
	ssize_t		 n;
	long		 pid;
	int		 fd;

	if (fstatat(pf->pf_dirfd, pf->pf_base, &st,
	    AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno == ENOENT)
			return (0);	/* gone meanwhile: create again */
		return (pidfile_fail(pf, err, errlen, "pidfile %s: %s",
		    pf->pf_path, strerror(errno)));
	}
	if (!S_ISREG(st.st_mode))
		return (pidfile_fail(pf, err, errlen, "pidfile %s exists and "
		    "is %s: refusing to use it (left alone)", pf->pf_path,
		    pidfile_kind(st.st_mode)));
	fd = openat(pf->pf_dirfd, pf->pf_base,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT)
			return (0);
		return (pidfile_fail(pf, err, errlen, "pidfile %s exists and "
		    "cannot be read: %s (left alone)", pf->pf_path,
		    strerror(errno)));
	}
	if (fstat(fd, &fst) == -1 || !S_ISREG(fst.st_mode) ||
	    fst.st_dev != st.st_dev || fst.st_ino != st.st_ino) {
		close(fd);
		return (pidfile_fail(pf, err, errlen, "pidfile %s changed "
		    "while being checked: refusing to use it (left alone)",
		    pf->pf_path));
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n == -1)
		return (pidfile_fail(pf, err, errlen, "pidfile %s: %s",
		    pf->pf_path, strerror(errno)));
	pid = pidfile_parse(buf, (size_t)n);
	if (pid != 0 && pid != (long)getpid() && pid != -(long)getpgrp() &&
	    (kill((pid_t)pid, 0) == 0 || errno == EPERM))
		return (pidfile_fail(pf, err, errlen, "pidfile %s: %s %ld is "
		    "running", pf->pf_path, pid > 0 ? "process" :
		    "process group", pid > 0 ? pid : -pid));
	log_info("replacing stale pidfile %s", pf->pf_path);
	/* unlinkat removes the name only: it never follows a link. */
	if (unlinkat(pf->pf_dirfd, pf->pf_base, 0) == -1 && errno != ENOENT)
		return (pidfile_fail(pf, err, errlen, "cannot remove stale "
		    "pidfile %s: %s", pf->pf_path, strerror(errno)));
	return (0);
}

/*
 * Create the pid file path (empty, mode 0644 less the umask) and keep it
 * open for pidfile_putpid.  On failure return -1 with a sentence for the
 * user in err; nothing at path has been changed then, except a stale pid
 * file removed.
 */
int
pidfile_create(struct pidfile *pf, const char *path, char *err,
    size_t errlen)
{
	struct stat	 st;
	char		*slash, *dir;
	int		 fd, tries, saved;

	memset(pf, 0, sizeof(*pf));
	pf->pf_dirfd = pf->pf_fd = -1;
	pf->pf_path = xstrdup(path);
	if ((slash = strrchr(pf->pf_path, '/')) == NULL) {
		dir = xstrdup(".");
		pf->pf_base = pf->pf_path;
	} else {
		dir = xstrdup(pf->pf_path);
		dir[slash == pf->pf_path ? 1 : slash - pf->pf_path] = '\0';
		pf->pf_base = slash + 1;
	}
	if (*pf->pf_base == '\0' || strcmp(pf->pf_base, ".") == 0 ||
	    strcmp(pf->pf_base, "..") == 0) {
		free(dir);
		return (pidfile_fail(pf, err, errlen, "pidfile %s: not a file "
		    "name", path));
	}
	pf->pf_dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pf->pf_dirfd == -1) {
		free(dir);
		return (pidfile_fail(pf, err, errlen, "pidfile %s: directory: "
		    "%s", path, strerror(errno)));
	}
	free(dir);
	for (tries = 0;; tries++) {
		fd = openat(pf->pf_dirfd, pf->pf_base, O_WRONLY | O_CREAT |
		    O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd != -1)
			break;
		if (errno != EEXIST || tries == PIDFILE_TRIES)
			return (pidfile_fail(pf, err, errlen, "cannot create "
			    "pidfile %s: %s", path, strerror(errno)));
		if (pidfile_stale(pf, err, errlen) == -1)
			return (-1);
	}
	pf->pf_fd = fd;
	if (fstat(fd, &st) == -1) {
		saved = errno;
		(void)unlinkat(pf->pf_dirfd, pf->pf_base, 0);
		errno = saved;
		return (pidfile_fail(pf, err, errlen, "pidfile %s: %s", path,
		    strerror(errno)));
	}
	pf->pf_dev = st.st_dev;
	pf->pf_ino = st.st_ino;
	pf->pf_ours = 1;
	return (0);
}

/*
 * Write "PREFIXID\n" to the file pidfile_create made.  The file stays
 * open until pidfile_unlink: while it is, no other file can get its inode
 * number, so the check there cannot be fooled by a new file that reuses
 * it.  A no-op without a pid file; -1 with errno on failure.
 */
int
pidfile_putpid(struct pidfile *pf, const char *prefix, long id)
{
	char	buf[PIDFILE_READMAX];
	ssize_t	n;
	int	len;

	if (!pf->pf_ours)
		return (0);
	len = snprintf(buf, sizeof(buf), "%s%ld\n", prefix, id);
	if (len < 0 || (size_t)len >= sizeof(buf)) {
		errno = EINVAL;
		return (-1);
	}
	if ((n = write(pf->pf_fd, buf, (size_t)len)) != len) {
		if (n != -1)
			errno = EIO;
		return (-1);
	}
	return (0);
}

/*
 * Remove the pid file at exit, if its name still leads to the file
 * pidfile_create made: one replaced meanwhile is left alone.
 */
void
pidfile_unlink(struct pidfile *pf)
{
	struct stat	st;

	if (!pf->pf_ours)
		return;
	pf->pf_ours = 0;
	if (fstatat(pf->pf_dirfd, pf->pf_base, &st,
	    AT_SYMLINK_NOFOLLOW) == 0) {
		if (st.st_dev == pf->pf_dev && st.st_ino == pf->pf_ino) {
			if (unlinkat(pf->pf_dirfd, pf->pf_base, 0) == -1)
				log_warn("unlink %s", pf->pf_path);
		} else
			log_warnx("pidfile %s was replaced by another file: "
			    "left alone", pf->pf_path);
	}
	close(pf->pf_fd);
	close(pf->pf_dirfd);
	pf->pf_fd = pf->pf_dirfd = -1;
	free(pf->pf_path);
	pf->pf_path = pf->pf_base = NULL;
}

/*
 * In a child process that is about to run another program: close the
 * descriptors of the pid file (they would take the lowest free numbers)
 * without removing it.
 */
void
pidfile_release(struct pidfile *pf)
{
	if (!pf->pf_ours)
		return;
	pf->pf_ours = 0;
	close(pf->pf_fd);
	close(pf->pf_dirfd);
	pf->pf_fd = pf->pf_dirfd = -1;
}
