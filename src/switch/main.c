/* vde_switch: placeholder until the core lands. */
#include "config.h"

#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "vde_switch: not built yet\n");
	return (1);
}
