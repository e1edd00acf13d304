/*
 * log.c: messages of the switch.  Until log_init(0, ...) is called (the
 * daemon case) everything goes to stderr prefixed with the program name;
 * afterwards to syslog.  log_warn appends strerror(errno); fatal and fatalx
 * are for broken invariants and startup errors only, never for bad peers.
 *
 * Messages often carry what a peer sent (a description, a path), so every
 * message is escaped before it is written: one call is one line, and a
 * peer can neither forge lines nor send terminal controls to the log.  A
 * message is cut at LOG_MSGMAX bytes before escaping; nothing allocates.
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

/*
 * Copy src to dst (dsize bytes, NUL-terminated), escaping what could
 * forge or garble a log line, in the manner of vis(3): newline, carriage
 * return, tab and backslash as a backslash and n, r, t or a backslash;
 * other control bytes and bytes from 0x7f up as a backslash and three
 * octal digits.  An escape is never cut in half.  Returns the length of
 * dst.
 */
size_t
log_escape(char *dst, size_t dsize, const char *src)
{
	const unsigned char	*p;
	char			 esc[4];
	size_t			 len = 0, n;

	if (dsize == 0)
		return (0);
	for (p = (const unsigned char *)src; *p != '\0'; p++) {
		esc[0] = '\\';
		n = 2;
		switch (*p) {
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		default:
			if (*p >= 0x20 && *p < 0x7f) {
				esc[0] = (char)*p;
				n = 1;
			} else {
				esc[1] = (char)('0' + ((*p >> 6) & 07));
				esc[2] = (char)('0' + ((*p >> 3) & 07));
				esc[3] = (char)('0' + (*p & 07));
				n = 4;
			}
			break;
		}
		if (len + n >= dsize)
			break;
		memcpy(dst + len, esc, n);
		len += n;
	}
	dst[len] = '\0';
	return (len);
}

/* Write one formatted message, escaped, to stderr or to syslog. */
static void
log_emit(int pri, const char *msg)
{
	char	out[LOG_MSGMAX * 4];

	(void)log_escape(out, sizeof(out), msg);
	if (log_foreground) {
		fprintf(stderr, "%s: %s\n", log_name != NULL ? log_name :
		    getprogname(), out);
		fflush(stderr);
	} else
		syslog(pri, "%s", out);
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char	msg[LOG_MSGMAX];
	int	saved = errno;

	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	log_emit(pri, msg);
	errno = saved;
}

/* Log fmt at pri, with ": strerror(errno)" appended when witherr. */
static void
log_errno(int pri, int witherr, const char *fmt, va_list ap)
{
	char	msg[LOG_MSGMAX];
	int	saved = errno;

	if (!witherr) {
		vlog(pri, fmt, ap);
		return;
	}
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	(void)strlcat(msg, ": ", sizeof(msg));
	(void)strlcat(msg, strerror(saved), sizeof(msg));
	log_emit(pri, msg);
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
