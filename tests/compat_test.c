/*
 * compat_test: our own shims in compat/, tested whether or not this build
 * uses them (with libbsd they are not linked, so they are compiled here
 * under other names).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#define strlcpy		t_strlcpy
#define strlcat		t_strlcat
#define strtonum	t_strtonum
#define reallocarray	t_reallocarray
#define getprogname	t_getprogname
#define setprogname	t_setprogname
size_t		 t_strlcpy(char *, const char *, size_t);
size_t		 t_strlcat(char *, const char *, size_t);
long long	 t_strtonum(const char *, long long, long long, const char **);
void		*t_reallocarray(void *, size_t, size_t);
const char	*t_getprogname(void);
void		 t_setprogname(const char *);
#include "compat/strlcpy.c"
#include "compat/strlcat.c"
#include "compat/strtonum.c"
#include "compat/reallocarray.c"
#include "compat/getprogname.c"

ATF_TC_WITHOUT_HEAD(strlcpy_truncates);
ATF_TC_BODY(strlcpy_truncates, tc)
{
	char	buf[4];

	ATF_CHECK_EQ(t_strlcpy(buf, "abcdef", sizeof(buf)), 6);
	ATF_CHECK_STREQ(buf, "abc");
	ATF_CHECK_EQ(t_strlcpy(buf, "ab", sizeof(buf)), 2);
	ATF_CHECK_STREQ(buf, "ab");
	buf[0] = 'x';
	ATF_CHECK_EQ(t_strlcpy(buf, "ab", 0), 2);
	ATF_CHECK_EQ(buf[0], 'x');
}

ATF_TC_WITHOUT_HEAD(strlcat_truncates);
ATF_TC_BODY(strlcat_truncates, tc)
{
	char	buf[6] = "ab";

	ATF_CHECK_EQ(t_strlcat(buf, "cd", sizeof(buf)), 4);
	ATF_CHECK_STREQ(buf, "abcd");
	ATF_CHECK_EQ(t_strlcat(buf, "efgh", sizeof(buf)), 8);
	ATF_CHECK_STREQ(buf, "abcde");
	/* dst not terminated within size: report size + strlen(src). */
	memcpy(buf, "xxxxxx", 6);
	ATF_CHECK_EQ(t_strlcat(buf, "ab", 3), 5);
}

ATF_TC_WITHOUT_HEAD(strtonum_ranges);
ATF_TC_BODY(strtonum_ranges, tc)
{
	const char	*e;

	ATF_CHECK_EQ(t_strtonum("42", 1, 100, &e), 42);
	ATF_CHECK(e == NULL);
	ATF_CHECK_EQ(t_strtonum("0", 1, 100, &e), 0);
	ATF_CHECK_STREQ(e, "too small");
	ATF_CHECK_EQ(t_strtonum("101", 1, 100, &e), 0);
	ATF_CHECK_STREQ(e, "too large");
	ATF_CHECK_EQ(t_strtonum("4x", 1, 100, &e), 0);
	ATF_CHECK_STREQ(e, "invalid");
	ATF_CHECK_EQ(t_strtonum("", 1, 100, &e), 0);
	ATF_CHECK_STREQ(e, "invalid");
	ATF_CHECK_EQ(t_strtonum("99999999999999999999", 0, 100, &e), 0);
	ATF_CHECK_STREQ(e, "too large");
	ATF_CHECK_EQ(t_strtonum("5", 10, 1, &e), 0);
	ATF_CHECK_STREQ(e, "invalid");
}

ATF_TC_WITHOUT_HEAD(reallocarray_overflow);
ATF_TC_BODY(reallocarray_overflow, tc)
{
	void	*p;

	errno = 0;
	ATF_CHECK(t_reallocarray(NULL, SIZE_MAX / 2, 4) == NULL);
	ATF_CHECK_EQ(errno, ENOMEM);
	p = t_reallocarray(NULL, 16, 16);
	ATF_REQUIRE(p != NULL);
	memset(p, 0, 256);
	free(p);
}

ATF_TC_WITHOUT_HEAD(progname_basename);
ATF_TC_BODY(progname_basename, tc)
{
	t_setprogname("/usr/local/bin/vde_switch");
	ATF_CHECK_STREQ(t_getprogname(), "vde_switch");
	t_setprogname("");
	ATF_CHECK_STREQ(t_getprogname(), "vde_switch");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, strlcpy_truncates);
	ATF_TP_ADD_TC(tp, strlcat_truncates);
	ATF_TP_ADD_TC(tp, strtonum_ranges);
	ATF_TP_ADD_TC(tp, reallocarray_overflow);
	ATF_TP_ADD_TC(tp, progname_basename);
	return (atf_no_error());
}
