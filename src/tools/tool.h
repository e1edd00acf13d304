/*
 * tool.h: what vde_plug and vde_plug2tap do alike around their main loops
 * (option values, the signals that end the loop, going to the background).
 */
#ifndef TOOL_H
#define TOOL_H

#include <sys/types.h>

struct pidfile;

mode_t	 tool_mode(const char *s);
int	 tool_port(const char *s);
void	 tool_signals(void (*quit)(int));
void	 tool_detach(int daemonize, const char *path, struct pidfile *pf);

#endif /* TOOL_H */
