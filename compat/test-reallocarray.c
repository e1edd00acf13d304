#include <stdlib.h>
int
main(void)
{
	void *p;

	if ((p = reallocarray(NULL, 2, 8)) == NULL)
		return (1);
	free(p);
	return (0);
}
