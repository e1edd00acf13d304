/*
 * strlcat: append to a NUL-terminated string in a sized buffer; return the
 * length the result would have had without truncation.
 */
#include "config.h"

#include <string.h>

size_t
strlcat(char *dst, const char *src, size_t size)
{
	size_t	dlen, slen = strlen(src);

	/* Never look past size for the end of dst. */
	for (dlen = 0; dlen < size && dst[dlen] != '\0'; dlen++)
		;
	if (dlen == size)
		return (size + slen);
	return (dlen + strlcpy(dst + dlen, src, size - dlen));
}
