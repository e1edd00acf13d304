/*
 * mgmterr.c: the console's error numbers.  Replies carry Linux's errno
 * numbers and texts on every system (spec section 6), because vdecmd,
 * unixcmd and scripts read the number.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "log.h"
#include "switch.h"

/*
 * Linux errno numbers and texts, so that replies (and the exit status of
 * vdecmd and unixcmd, which use the number) are the same everywhere.
 */
static const struct {
	int		 e_errno;
	int		 e_linux;
	const char	*e_text;
} mgmterr_tab[] = {
	{ EPERM, 1, "Operation not permitted" },
	{ ENOENT, 2, "No such file or directory" },
	{ ESRCH, 3, "No such process" },
	{ EINTR, 4, "Interrupted system call" },
	{ EIO, 5, "Input/output error" },
	{ ENXIO, 6, "No such device or address" },
	{ E2BIG, 7, "Argument list too long" },
	{ EBADF, 9, "Bad file descriptor" },
	{ EAGAIN, 11, "Resource temporarily unavailable" },
	{ ENOMEM, 12, "Cannot allocate memory" },
	{ EACCES, 13, "Permission denied" },
	{ EFAULT, 14, "Bad address" },
	{ EBUSY, 16, "Device or resource busy" },
	{ EEXIST, 17, "File exists" },
	{ ENODEV, 19, "No such device" },
	{ ENOTDIR, 20, "Not a directory" },
	{ EISDIR, 21, "Is a directory" },
	{ EINVAL, 22, "Invalid argument" },
	{ ENFILE, 23, "Too many open files in system" },
	{ EMFILE, 24, "Too many open files" },
	{ EFBIG, 27, "File too large" },
	{ ENOSPC, 28, "No space left on device" },
	{ EROFS, 30, "Read-only file system" },
	{ EPIPE, 32, "Broken pipe" },
	{ ERANGE, 34, "Numerical result out of range" },
	{ ENAMETOOLONG, 36, "File name too long" },
	{ ENOSYS, 38, "Function not implemented" },
	{ ELOOP, 40, "Too many levels of symbolic links" },
	{ EMSGSIZE, 90, "Message too long" },
	{ ENOTSUP, 95, "Operation not supported" },
	{ EOPNOTSUPP, 95, "Operation not supported" },
	{ EADDRINUSE, 98, "Address already in use" },
	{ ENOTCONN, 107, "Transport endpoint is not connected" },
	{ ETIMEDOUT, 110, "Connection timed out" },
	{ ECONNREFUSED, 111, "Connection refused" },
};

/*
 * The Linux number and text of err.  An errno missing from the table is
 * reported as EIO rather than with a number that differs by system.
 */
int
mgmterr_code(int err, const char **text)
{
	size_t	i;

	for (i = 0; i < sizeof(mgmterr_tab) / sizeof(mgmterr_tab[0]); i++)
		if (mgmterr_tab[i].e_errno == err) {
			*text = mgmterr_tab[i].e_text;
			return (mgmterr_tab[i].e_linux);
		}
	log_debug("console: errno %d has no Linux code, replying EIO", err);
	*text = "Input/output error";
	return (5);
}
