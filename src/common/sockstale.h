/*
 * sockstale.h: make room for a listening Unix socket at a path, replacing
 * only a stale socket (the switch's and wirefilter's -M).
 */
#ifndef SOCKSTALE_H
#define SOCKSTALE_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

void	sockstale_clear(const char *what, const char *path,
	    const struct sockaddr_un *sun, socklen_t len);

#endif /* SOCKSTALE_H */
