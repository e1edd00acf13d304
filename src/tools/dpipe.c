/* dpipe: placeholder until its issue lands. */
#include "config.h"

#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "dpipe: not built yet\n");
	return (1);
}
