/*
 * os/sun.c: filling a struct sockaddr_un, on every system.  The BSDs have
 * a sun_len member (and a 104-byte sun_path); configure's probe tells.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <string.h>

#include "os/os.h"

socklen_t
os_sun_set(struct sockaddr_un *sun, const char *path)
{
	size_t	len = strlen(path);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (len >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return (0);
	}
	memcpy(sun->sun_path, path, len);
#if HAVE_SUN_LEN
	sun->sun_len = (unsigned char)SUN_LEN(sun);
#endif
	return (sizeof(*sun));
}
