/*
 * strlcpy: copy a string into a sized buffer, always NUL-terminating it
 * (when size > 0), and return the length of the source so that callers can
 * detect truncation with "ret >= size".
 */
#include "config.h"

#include <string.h>

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t	len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return (len);
}
