/*
 * version.c: what "--version" prints, the same way in every program.
 *
 * The release comes from the VERSION file at the top of the tree, which
 * configure copies into config.h as VDE_VERSION; nothing else names it.
 * A new program calls version_exit() from its "--version" (and "-v",
 * where that letter is free) and needs nothing more.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "version.h"

/*
 * Print "PROGRAM (vde) VERSION" on standard output and exit 0, or 1 when
 * the line could not be written (a closed or full output).
 */
void
version_exit(void)
{
	printf("%s (vde) %s\n", getprogname(), VDE_VERSION);
	if (fflush(stdout) == EOF || ferror(stdout))
		exit(1);
	exit(0);
}
