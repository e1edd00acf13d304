/*
 * getprogname/setprogname: the program's short name, for messages.  Programs
 * call setprogname(argv[0]) first thing in main().
 */
#include "config.h"

#include <string.h>

static const char *progname = "vde";

const char *
getprogname(void)
{
	return (progname);
}

void
setprogname(const char *argv0)
{
	const char *p;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	p = strrchr(argv0, '/');
	progname = p != NULL ? p + 1 : argv0;
}
