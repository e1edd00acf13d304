/*
 * wfmgmt.h: wirefilter's console: the -M socket's clients, the terminal of
 * -v and the scripts (-f, load), all speaking the VDE 2 console protocol.
 */
#ifndef WFMGMT_H
#define WFMGMT_H

#include <sys/types.h>

#include <poll.h>
#include <stdint.h>

#include "wfmodel.h"

#define WFMGMT_CLIENTS	16	/* -M clients at once; more are refused */
#define WFMGMT_LINEMAX	1024	/* a command line, newline included */
#define WFMGMT_OUTMAX	(64 * 1024)	/* unread output: the client goes */
#define WFMGMT_NFDS	(WFMGMT_CLIENTS + 2)

void	 wfmgmt_init(struct wfmodel *, uint64_t seed);
void	 wfmgmt_listen(const char *path, mode_t mode);
void	 wfmgmt_console(int in, int out);
int	 wfmgmt_script(const char *path, char *err, size_t errlen);
int	 wfmgmt_pollfds(struct pollfd *pfd);
void	 wfmgmt_events(const struct pollfd *pfd, int n);
int	 wfmgmt_shutdown(void);
void	 wfmgmt_close(void);
void	 wfmgmt_trace(int from, int to);

#endif /* WFMGMT_H */
