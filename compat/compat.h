/*
 * compat.h: declarations of the shims in compat/, each under the guard that
 * configure sets when the platform (libc, or libc plus libbsd) lacks it.
 * Included from config.h, so every source file sees it first.
 */
#ifndef COMPAT_H
#define COMPAT_H

#include <stddef.h>

#if !HAVE_STRLCPY
/* compat/strlcpy.c */
size_t		 strlcpy(char *, const char *, size_t);
#endif

#if !HAVE_STRLCAT
/* compat/strlcat.c */
size_t		 strlcat(char *, const char *, size_t);
#endif

#if !HAVE_STRTONUM
/* compat/strtonum.c */
long long	 strtonum(const char *, long long, long long, const char **);
#endif

#if !HAVE_REALLOCARRAY
/* compat/reallocarray.c */
void		*reallocarray(void *, size_t, size_t);
#endif

#if !HAVE_GETPROGNAME
/* compat/getprogname.c */
const char	*getprogname(void);
void		 setprogname(const char *);
#endif

/* The sticky bit is XSI, not in the POSIX base; its value is the same on
 * every system. */
#include <sys/stat.h>
#ifndef S_ISVTX
#define S_ISVTX		01000
#endif

#endif /* COMPAT_H */
