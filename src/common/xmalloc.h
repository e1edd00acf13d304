/*
 * xmalloc.h: allocation that cannot fail.  For start-up and configuration
 * paths only: an allocation failure there is fatal.  The per-frame path
 * never allocates.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((__format__(printf, 2, 3)));

#endif /* XMALLOC_H */
