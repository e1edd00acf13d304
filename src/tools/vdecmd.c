/* vdecmd: placeholder until its issue lands. */
#include "config.h"

#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "vdecmd: not built yet\n");
	return (1);
}
