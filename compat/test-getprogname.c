#include <stdlib.h>
int
main(void)
{
	return (getprogname() != NULL) ? 0 : 1;
}
