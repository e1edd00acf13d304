/* vde_plug2tap: placeholder until its issue lands. */
#include "config.h"

#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "vde_plug2tap: not built yet\n");
	return (1);
}
