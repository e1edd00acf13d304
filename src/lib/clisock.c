/*
 * clisock.c: where the client's data socket is bound, and how it gets the
 * group and mode the switch needs (spec 1.2 steps 4 and 5), without ever
 * changing a file by a path that another user can redirect.
 *
 * A client run as root (QEMU, vde_plug) must not be made to chown or
 * chmod a file of the attacker's choice.  The socket's name is easy to
 * guess (".PPPPP-SSSSS", the process id and a counter from 0), so in a
 * directory that others may write, someone can rename a symbolic link
 * over it between bind(2) and the calls that set its group and mode.  So:
 *
 * - A directory is safe when it belongs to us or to root and others
 *   cannot write it, or it has the sticky bit (others cannot then rename
 *   or remove our entries).  The switch directory is used only when it
 *   is safe; else the socket goes into a private directory, made with
 *   mkdtemp(3) in a safe temporary directory ($TMPDIR, else /tmp), mode
 *   0711 so that the switch can reach the socket but nobody else can add
 *   or rename anything in it.  It is removed with the socket.
 * - The directory is held open, and after the bind every operation is
 *   made relative to it: the entry must be a socket of ours with one link
 *   (fstatat with AT_SYMLINK_NOFOLLOW), its group is set with fchownat(...,
 *   AT_SYMLINK_NOFOLLOW), its mode with fchmodat(..., AT_SYMLINK_NOFOLLOW)
 *   where the system supports that for sockets, and it is unlinked with
 *   unlinkat.  If a directory on the path was swapped meanwhile, the bind
 *   lands elsewhere and the check finds no socket of ours: nothing is
 *   changed.
 * - Without the no-follow flag, fchmodat falls back to following: there
 *   is no portable lchmod, and giving the socket its mode at bind time
 *   would need umask(2), which is process-wide and would race the other
 *   threads of the program (QEMU).  In a safe directory that is sound:
 *   only we and root can put an entry there, and the entry was just seen
 *   to be our own socket, which nobody else can replace.
 *
 * Nothing here changes the working directory or the umask, so it can run
 * in one thread while others open files.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/os.h"
#include "lib.h"

#define CLISOCK_SEQ_MAX		100000	/* %05d */
#define CLISOCK_PRIVMODE	0711	/* the switch may pass, not list */

static int	clisock_opendir(const char *, int);
static int	clisock_safe(int);
static int	clisock_ours(const struct clisock *);
static int	clisock_bindat(int, struct clisock *, const char *);
static int	clisock_private(int, struct clisock *);
static int	clisock_tmpdir(int, struct clisock *, const char *);

/*
 * Open a directory to work in.  The switch directory is opened without
 * following a symbolic link in its last part (a link there sends the
 * socket to a private directory instead); temporary directories may be
 * links (/tmp is one on some systems).  Either way, what counts is the
 * directory actually opened: everything later is checked against it.
 */
static int
clisock_opendir(const char *path, int nofollow)
{
	return (open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    (nofollow ? O_NOFOLLOW : 0)));
}

/* Whether nobody but us and root can replace our entries in dfd. */
static int
clisock_safe(int dfd)
{
	struct stat	st;

	if (fstat(dfd, &st) == -1 || !S_ISDIR(st.st_mode))
		return (0);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return (0);
	return ((st.st_mode & (S_IWGRP | S_IWOTH)) == 0 ||
	    (st.st_mode & S_ISVTX) != 0);
}

/*
 * Whether the name we bound is, in our directory, a socket of ours with
 * no other name (not a hard link that someone made to another socket).
 */
static int
clisock_ours(const struct clisock *cs)
{
	struct stat	st;

	if (fstatat(cs->cs_dirfd, cs->cs_name, &st, AT_SYMLINK_NOFOLLOW) ==
	    -1)
		return (0);
	return (S_ISSOCK(st.st_mode) && st.st_uid == geteuid() &&
	    st.st_nlink == 1);
}

/*
 * Bind fd to a fresh ".PPPPP-SSSSS" in the directory cs_dirfd, whose path
 * is dir, and check that the socket really is there.
 */
static int
clisock_bindat(int fd, struct clisock *cs, const char *dir)
{
	struct sockaddr_un	sun;
	socklen_t		slen;
	char			name[sizeof(cs->cs_name)];
	int			seq, r;

	for (seq = 0; seq < CLISOCK_SEQ_MAX; seq++) {
		r = snprintf(name, sizeof(name), ".%05ld-%05d",
		    (long)getpid(), seq);
		if (r < 0 || (size_t)r >= sizeof(name)) {
			errno = ENAMETOOLONG;
			return (-1);
		}
		r = snprintf(cs->cs_path, sizeof(cs->cs_path), "%s/%s",
		    strcmp(dir, "/") == 0 ? "" : dir, name);
		if (r < 0 || (size_t)r >= sizeof(cs->cs_path) ||
		    (slen = os_sun_set(&sun, cs->cs_path)) == 0) {
			errno = ENAMETOOLONG;
			return (-1);
		}
		if (bind(fd, (struct sockaddr *)&sun, slen) == 0)
			break;
		if (errno != EADDRINUSE)
			return (-1);
	}
	if (seq == CLISOCK_SEQ_MAX) {
		errno = EADDRINUSE;
		return (-1);
	}
	/* From here on, the name is ours to remove. */
	strlcpy(cs->cs_name, name, sizeof(cs->cs_name));
	if (!clisock_ours(cs)) {
		/*
		 * The path led somewhere else than the directory we hold:
		 * leave alone whatever the bind made there.
		 */
		cs->cs_name[0] = '\0';
		errno = EPERM;
		return (-1);
	}
	return (0);
}

/*
 * Make a private directory in the temporary directory tmp, if that is
 * safe and the socket's path fits, and bind fd in it.
 */
static int
clisock_tmpdir(int fd, struct clisock *cs, const char *tmp)
{
	struct stat	 st;
	char		 tmpl[sizeof(cs->cs_path)], *base;
	int		 r;

	if ((cs->cs_tmpfd = clisock_opendir(tmp, 0)) == -1)
		return (-1);
	if (!clisock_safe(cs->cs_tmpfd)) {
		errno = EPERM;
		return (-1);
	}
	/* Room for "/vde.XXXXXX/.PPPPPPP-SSSSS" after it. */
	r = snprintf(tmpl, sizeof(tmpl), "%s/vde.XXXXXX",
	    strcmp(tmp, "/") == 0 ? "" : tmp);
	if (r < 0 || (size_t)r + 16 >= sizeof(tmpl)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if (mkdtemp(tmpl) == NULL)
		return (-1);
	base = strrchr(tmpl, '/') + 1;
	strlcpy(cs->cs_priv, base, sizeof(cs->cs_priv));
	/*
	 * Find it again in the directory we checked: ours, private, and
	 * not a link.  Only then give others the right to pass through.
	 */
	if ((cs->cs_dirfd = openat(cs->cs_tmpfd, cs->cs_priv, O_RDONLY |
	    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    fstat(cs->cs_dirfd, &st) == -1 || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0) {
		cs->cs_priv[0] = '\0';
		errno = EPERM;
		return (-1);
	}
	if (fchmod(cs->cs_dirfd, CLISOCK_PRIVMODE) == -1)
		return (-1);
	return (clisock_bindat(fd, cs, tmpl));
}

/* Bind fd in a private directory: under $TMPDIR if safe, else /tmp. */
static int
clisock_private(int fd, struct clisock *cs)
{
	const char	*env;

	env = getenv("TMPDIR");
	if (env != NULL && env[0] == '/' && strcmp(env, "/tmp") != 0) {
		if (clisock_tmpdir(fd, cs, env) == 0)
			return (0);
		clisock_close(cs);
	}
	if (clisock_tmpdir(fd, cs, "/tmp") == 0)
		return (0);
	clisock_close(cs);
	return (-1);
}

/*
 * Bind fd, the client's datagram socket, for a switch in dir: in dir when
 * it is safe, else in a private directory.  cs says where; clisock_close
 * removes it.
 */
int
clisock_bind(int fd, const char *dir, struct clisock *cs)
{
	memset(cs, 0, sizeof(*cs));
	cs->cs_dirfd = cs->cs_tmpfd = -1;
	if ((cs->cs_dirfd = clisock_opendir(dir, 1)) != -1 &&
	    clisock_safe(cs->cs_dirfd) &&
	    clisock_bindat(fd, cs, dir) == 0)
		return (0);
	clisock_close(cs);
	return (clisock_private(fd, cs));
}

/*
 * Give the client socket its group and mode (spec 1.2 step 5).  Without
 * an explicit group, a private mode and a switch run by another user, the
 * socket is handed to the switch's group when we may, else opened to all:
 * the switch must be able to send to it.
 */
int
clisock_perms(const struct clisock *cs, const char *ctlpath,
    const char *group, mode_t mode)
{
	struct group	*gr;
	struct stat	 st;
	const char	*errstr;
	gid_t		 gid;

	if (!clisock_ours(cs)) {
		errno = EPERM;
		return (-1);
	}
	if (group != NULL) {
		if ((gr = getgrnam(group)) != NULL)
			gid = gr->gr_gid;
		else {
			gid = (gid_t)strtonum(group, 0, INT_MAX, &errstr);
			if (errstr != NULL) {
				errno = EINVAL;
				return (-1);
			}
		}
		if (fchownat(cs->cs_dirfd, cs->cs_name, (uid_t)-1, gid,
		    AT_SYMLINK_NOFOLLOW) == -1)
			return (-1);
	} else if ((mode & 077) == 0 && stat(ctlpath, &st) == 0 &&
	    st.st_uid != 0 && st.st_uid != geteuid()) {
		if (fchownat(cs->cs_dirfd, cs->cs_name, (uid_t)-1, st.st_gid,
		    AT_SYMLINK_NOFOLLOW) == 0)
			mode |= 070;
		else
			mode |= 077;
	}
	if (fchmodat(cs->cs_dirfd, cs->cs_name, mode,
	    AT_SYMLINK_NOFOLLOW) == 0)
		return (0);
	if (errno != EOPNOTSUPP && errno != ENOTSUP)
		return (-1);
	/* No lchmod here (or no /proc for it): safe, see the top. */
	return (fchmodat(cs->cs_dirfd, cs->cs_name, mode, 0));
}

/* Remove the socket and the private directory; keeps errno. */
void
clisock_close(struct clisock *cs)
{
	int	saved = errno;

	if (cs->cs_dirfd != -1 && cs->cs_name[0] != '\0')
		(void)unlinkat(cs->cs_dirfd, cs->cs_name, 0);
	if (cs->cs_tmpfd != -1 && cs->cs_priv[0] != '\0')
		(void)unlinkat(cs->cs_tmpfd, cs->cs_priv, AT_REMOVEDIR);
	if (cs->cs_dirfd != -1)
		close(cs->cs_dirfd);
	if (cs->cs_tmpfd != -1)
		close(cs->cs_tmpfd);
	cs->cs_dirfd = cs->cs_tmpfd = -1;
	cs->cs_name[0] = cs->cs_priv[0] = '\0';
	errno = saved;
}
