#include <string.h>
int
main(void)
{
	char buf[4];

	return (strlcpy(buf, "abcdef", sizeof(buf)) == 6 && buf[3] == '\0') ? 0 : 1;
}
