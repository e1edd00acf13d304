/*
 * lib.h: the private interface between the files of libvdeplug.  Nothing
 * here is exported: the build hides every symbol except those marked
 * LIB_EXPORT, which are exactly the public API of libvdeplug.h.
 */
#ifndef LIB_H
#define LIB_H

#include <sys/types.h>

#include <limits.h>

#define LIB_EXPORT	__attribute__((__visibility__("default")))

#define VNL_GROUPLEN	64

/* A parsed Virtual Network Locator (vde://PATH[options] or a bare PATH). */
struct vnl {
	int	v_default;		/* no path: look up the default switch */
	char	v_path[PATH_MAX];	/* switch directory (or ctl socket) */
	int	v_portset;		/* the name chose a port */
	int	v_port;			/* 0 with v_portset: management port */
	char	v_portgroup[VNL_GROUPLEN];	/* named port group, "" if none */
	char	v_group[VNL_GROUPLEN];	/* group of the client socket, "" */
	int	v_modeset;
	mode_t	v_mode;
};

/* src/lib/vnl.c */
int	 vnl_parse(const char *name, struct vnl *v, char *err, size_t errlen);
int	 vnl_default(struct vnl *v, char *err, size_t errlen);

/* src/lib/vdeconn.c */
void	 vdeconn_error(const char *msg);

#endif /* LIB_H */
