/*
 * toolpid.c: pid files of the tools.  The name is made absolute when the
 * options are read, because daemonizing changes the working directory to
 * "/" before the file can be written (the pid is only known afterwards).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolpid.h"

/* path, absolute; NULL on failure (errno set). */
char *
toolpid_path(const char *path)
{
	char	cwd[PATH_MAX], *abs;
	size_t	len;

	if (path[0] == '/')
		return (strdup(path));
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return (NULL);
	len = strlen(cwd) + 1 + strlen(path) + 1;
	if ((abs = malloc(len)) == NULL)
		return (NULL);
	snprintf(abs, len, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path);
	return (abs);
}

/* Write "PREFIXID\n" to path; -1 with errno on failure. */
int
toolpid_write(const char *path, const char *prefix, long id)
{
	FILE	*fp;

	if ((fp = fopen(path, "w")) == NULL)
		return (-1);
	fprintf(fp, "%s%ld\n", prefix, id);
	return (fclose(fp) == EOF ? -1 : 0);
}
