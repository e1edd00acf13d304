/* vde_plug: placeholder until its issue lands. */
#include "config.h"

#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "vde_plug: not built yet\n");
	return (1);
}
