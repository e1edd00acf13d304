/*
 * mgmtscript.c: console scripts, the "load" command and rc files.  A
 * script runs line by line on a session as if typed there; who may read
 * which file is decided by mgmtscript_open, and how much one load may read
 * is bounded.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "switch.h"
#include "mgmt.h"
#include "xmalloc.h"

#define MGMTSCRIPT_MAXDEPTH	8		/* nested "load" */
#define MGMTSCRIPT_LOADMAX	(1024 * 1024)	/* bytes one "load" reads,
						   nested files included */

/*
 * Run a script held in buf (size bytes, with one more byte of room): each
 * line as a command.  With echo (the "load" command), each command line
 * is first written as "vde[path]: line".  Stops early when a command ends
 * the session or the switch.
 */
static int
mgmtscript_lines(struct mgmt_out *s, char *buf, size_t size, const char *path,
    int echo)
{
	const char	*text;
	char		*end = buf + size, *line, *nl, *p;
	size_t		 len;
	int		 rv = 0, lineno = 0;

	for (line = buf; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;	/* the last line, without \n */
		*nl = '\0';
		lineno++;
		len = (size_t)(nl - line);
		while (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0' && p == line + len)
			continue;
		if (*p == '#')
			continue;
		if (echo)
			mgmt_printf(s, "vde[%s]: %s\n", path, line);
		if (len > MGMT_LINEMAX || strlen(line) != len) {
			rv = len > MGMT_LINEMAX ? EMSGSIZE : EINVAL;
			mgmt_status(s, rv);
		} else
			rv = mgmt_exec(s, line);
		if (rv > 0 && s->mo_kind == MGMT_RC) {
			(void)mgmterr_code(rv, &text);
			log_warnx("%s:%d: %s: %s", path, lineno, line, text);
		}
		if (rv == CMD_LOGOUT && s->mo_kind != MGMT_SOCK)
			rv = 0;		/* nothing to log out of */
		if (rv < 0)
			break;
		if (s->mo_dead)
			break;
	}
	return (rv < 0 ? rv : 0);
}

/*
 * Open a script that session s names, with the identity of whoever is
 * behind s: the stdin console and rc files are the switch's operator and
 * open as the switch itself; a client of the -M socket opens as the user
 * at the other end.  A root switch takes that user's identity around the
 * open; a switch of another user cannot, and accepts only a file that
 * the client owns.  Without the client's credentials nothing is opened.
 * Only a regular file of at most max bytes is accepted; the open does not
 * block on a FIFO and never makes a terminal ours.  Returns the fd and
 * its size in *sizep, or -1 with errno set.
 */
static int
mgmtscript_open(struct mgmt_out *s, const char *path, size_t max, size_t *sizep)
{
	struct stat	st;
	int		fd, saved, asuser = 0, mustown = 0;

	if (s->mo_kind == MGMT_SOCK) {
		if (!s->mo_credok) {
			errno = EACCES;
			return (-1);
		}
		if (s->mo_cred.uid != geteuid()) {
			if (geteuid() == 0)
				asuser = 1;
			else
				mustown = 1;
		}
	}
	if (asuser && os_asuser(&s->mo_cred) == -1)
		return (-1);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	saved = errno;
	if (asuser && os_asself() == -1)
		fatal("cannot return to the switch's own credentials");
	if (fd == -1) {
		errno = saved;
		return (-1);
	}
	if (fstat(fd, &st) == -1)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		/* FIFOs, devices: they would block or never end. */
		errno = EINVAL;
		goto fail;
	}
	if (mustown && st.st_uid != s->mo_cred.uid) {
		errno = EACCES;
		goto fail;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	*sizep = (size_t)st.st_size;
	return (fd);
 fail:
	saved = errno;
	close(fd);
	errno = saved;
	return (-1);
}

/*
 * Read and run a script on s (see mgmtscript_open for who may read what).  The
 * bytes read by one top-level load, nested ones included, are bounded by
 * MGMTSCRIPT_LOADMAX, which bounds both the memory and the time a script takes.
 * Returns 0, a positive errno when the file is refused or unreadable
 * (nothing of it is run or shown then), or CMD_LOGOUT / CMD_SHUTDOWN.
 */
int
mgmtscript_run(struct mgmt_out *s, const char *path, int echo)
{
	char	*buf;
	size_t	 size, len = 0;
	ssize_t	 n;
	int	 fd, rv;

	if (s->mo_depth == 0)
		s->mo_loaded = 0;
	if ((fd = mgmtscript_open(s, path, MGMTSCRIPT_LOADMAX - s->mo_loaded,
	    &size)) == -1) {
		rv = errno;
		log_debug("console: script %s refused: %s", path,
		    strerror(rv));
		return (rv);
	}
	/* Read what fstat saw, no more: a growing file is cut there. */
	buf = xmalloc(size + 1);
	while (len < size) {
		if ((n = read(fd, buf + len, size - len)) == -1) {
			if (errno == EINTR)
				continue;
			rv = errno == EAGAIN ? EIO : errno;
			free(buf);
			close(fd);
			return (rv);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	s->mo_loaded += len;
	s->mo_depth++;
	rv = mgmtscript_lines(s, buf, len, path, echo);
	s->mo_depth--;
	free(buf);
	return (rv);
}

/* The "load" command: run the commands of a file on this session. */
int
mgmtscript_load(struct mgmt_out *s, const char *path)
{
	if (*path == '\0')
		return (EINVAL);
	if (s->mo_depth >= MGMTSCRIPT_MAXDEPTH)
		return (ELOOP);
	return (mgmtscript_run(s, path, 1));
}
