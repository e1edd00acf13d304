/*
 * toolpid.h: pid files of the tools (vde_plug, vde_plug2tap, dpipe).
 */
#ifndef TOOLPID_H
#define TOOLPID_H

char	*toolpid_path(const char *path);
int	 toolpid_write(const char *path, const char *prefix, long id);

#endif /* TOOLPID_H */
