#include <string.h>
int
main(void)
{
	char buf[4] = "ab";

	return (strlcat(buf, "cdef", sizeof(buf)) == 6 && buf[3] == '\0') ? 0 : 1;
}
