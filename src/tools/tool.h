/*
 * tool.h: what vde_plug, vde_plug2tap and vde_pcapplug do alike around
 * their main loops (option values, the command line of the interface
 * plugs, the signals that end the loop, going to the background).
 */
#ifndef TOOL_H
#define TOOL_H

#include <sys/types.h>

#include "libvdeplug.h"

struct pidfile;

/*
 * The command line vde_plug2tap and vde_pcapplug share, as VDE 2 has it:
 * [-d] [-g group] [-m mode] [-P pidfile] [-p port] [-s sock] [-v]
 * interface, with the long names --daemon, --group, --mod/--mode,
 * --pidfile, --port, --sock/--vdesock/--unix, --help and --version.
 */
struct tool_ifopts {
	struct vde_open_args	 io_args;
	const char		*io_sock;	/* NULL: default; "-": stdio */
	const char		*io_if;		/* the interface */
	const char		*io_pidfile;
	int			 io_daemon;
};

mode_t	 tool_mode(const char *s);
int	 tool_port(const char *s);
void	 tool_signals(void (*quit)(int));
void	 tool_detach(int daemonize, const char *path, struct pidfile *pf);
void	 tool_ifargs(int argc, char **argv, struct tool_ifopts *,
	    void (*usage)(void));

#endif /* TOOL_H */
