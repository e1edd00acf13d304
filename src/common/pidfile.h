/*
 * pidfile.h: pid files of the switch and the tools, made and removed so
 * that a privileged program never acts through a name another user
 * planted (see pidfile.c).
 */
#ifndef PIDFILE_H
#define PIDFILE_H

#include <sys/types.h>

#include <stddef.h>

struct pidfile {
	char	*pf_path;	/* as given, for messages */
	char	*pf_base;	/* its last component, inside pf_path */
	int	 pf_dirfd;	/* the directory holding it, while ours */
	int	 pf_fd;		/* the file, open while ours */
	dev_t	 pf_dev;	/* what we created: removed only if the */
	ino_t	 pf_ino;	/* name still leads to this file */
	int	 pf_ours;	/* 0: no pid file (a zeroed struct is that) */
};

int	pidfile_create(struct pidfile *pf, const char *path, char *err,
	    size_t errlen);
int	pidfile_putpid(struct pidfile *pf, const char *prefix, long id);
void	pidfile_unlink(struct pidfile *pf);
void	pidfile_release(struct pidfile *pf);

#endif /* PIDFILE_H */
