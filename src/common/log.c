/*
 * log.c: messages of the switch.  Until log_init(0, ...) is called (the
 * daemon case) everything goes to stderr prefixed with the program name;
 * afterwards to syslog.  log_warn appends strerror(errno); fatal and fatalx
 * are for broken invariants and startup errors only, never for bad peers.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static void	 log_errno(int, int, const char *, va_list)
		    __attribute__((__format__(printf, 3, 0)));

static int		 log_foreground = 1;
static int		 log_verbose;
static const char	*log_name;

void
log_init(int foreground, int facility)
{
	log_foreground = foreground;
	if (log_name == NULL)
		log_name = getprogname();
	if (!foreground)
		openlog(log_name, LOG_PID | LOG_NDELAY, facility);
	tzset();
}

void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

int
log_getverbose(void)
{
	return (log_verbose);
}

void
log_procname(const char *name)
{
	log_name = name;
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	int	saved = errno;

	if (log_foreground) {
		fprintf(stderr, "%s: ", log_name != NULL ? log_name :
		    getprogname());
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		fflush(stderr);
	} else {
		char	buf[1024];

		/* vsyslog is not POSIX; format first. */
		(void)vsnprintf(buf, sizeof(buf), fmt, ap);
		syslog(pri, "%s", buf);
	}
	errno = saved;
}

/* Log fmt at pri, with ": strerror(errno)" appended when witherr. */
static void
log_errno(int pri, int witherr, const char *fmt, va_list ap)
{
	char	buf[1024];
	int	saved = errno;

	if (!witherr) {
		vlog(pri, fmt, ap);
		return;
	}
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	if (log_foreground) {
		fprintf(stderr, "%s: %s: %s\n", log_name != NULL ? log_name :
		    getprogname(), buf, strerror(saved));
		fflush(stderr);
	} else
		syslog(pri, "%s: %s", buf, strerror(saved));
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_errno(LOG_ERR, 1, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_errno(LOG_CRIT, 1, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
