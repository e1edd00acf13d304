/*
 * log.h: OpenBSD-style logging for the switch: stderr in the foreground,
 * syslog once daemonized.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

#ifndef __dead
#define __dead		__attribute__((__noreturn__))
#endif

#include <stddef.h>

#define LOG_MSGMAX	1024	/* a message is cut there, before escaping */

void	 log_init(int foreground, int facility);
size_t	 log_escape(char *dst, size_t dsize, const char *src);
void	 log_setverbose(int verbose);
int	 log_getverbose(void);
void	 log_procname(const char *name);
void	 log_warn(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	 log_warnx(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	 log_info(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	 log_debug(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	 vlog(int pri, const char *, va_list)
	    __attribute__((__format__(printf, 2, 0)));
__dead void fatal(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
__dead void fatalx(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));

#endif /* LOG_H */
