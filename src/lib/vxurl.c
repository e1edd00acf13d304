/*
 * vxurl.c: the options of the vxvde:// and vxlan:// networks, written as
 * in vdeplug4: an optional group address, then options separated by '/':
 * "v4", "v6", "port=N", "vni=N|GROUP", "ttl=N", "grp=N|GROUP", "if=NAME",
 * "hashsize=N", "expiretime=SECONDS".  Pure string work (group names are
 * looked up in the group database), so it is unit-tested and fuzzed;
 * vxnet.c resolves the address and opens the sockets.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vxlan.h"
#include "lib.h"

static int	vxurl_fail(char *, size_t, const char *, const char *);
static int	vxurl_num(const char *, long long, long long, long long *);
static int	vxurl_gid(const char *, unsigned long *);
static int	vxurl_option(struct vxurl *, char *, char *, size_t);

/* Say why spec was refused, set errno and return -1. */
static int
vxurl_fail(char *err, size_t errlen, const char *what, const char *arg)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s \"%s\"", what, arg);
	errno = EINVAL;
	return (-1);
}

/* A decimal number in [min, max] into *n; -1 if s is not one. */
static int
vxurl_num(const char *s, long long min, long long max, long long *n)
{
	const char	*errstr;

	*n = strtonum(s, min, max, &errstr);
	return (errstr == NULL ? 0 : -1);
}

/* A group number, or the id of a group name; -1 if neither. */
static int
vxurl_gid(const char *s, unsigned long *gid)
{
	struct group	*gr;
	long long	 n;

	if (*s >= '0' && *s <= '9') {
		if (vxurl_num(s, 0, VXLAN_VNI_MAX, &n) == -1)
			return (-1);
		*gid = (unsigned long)n;
		return (0);
	}
	if (*s == '\0' || (gr = getgrnam(s)) == NULL ||
	    (unsigned long)gr->gr_gid > VXLAN_VNI_MAX)
		return (-1);
	*gid = (unsigned long)gr->gr_gid;
	return (0);
}

/* Apply one option. */
static int
vxurl_option(struct vxurl *u, char *opt, char *err, size_t errlen)
{
	char		*val;
	long long	 n;

	if (strcmp(opt, "v4") == 0) {
		u->vu_family = AF_INET;
		return (0);
	}
	if (strcmp(opt, "v6") == 0) {
		u->vu_family = AF_INET6;
		return (0);
	}
	if ((val = strchr(opt, '=')) == NULL)
		return (vxurl_fail(err, errlen, "unknown option", opt));
	*val++ = '\0';
	if (strcmp(opt, "port") == 0) {
		if (vxurl_num(val, 1, 65535, &n) == -1)
			return (vxurl_fail(err, errlen,
			    "port is not a number from 1 to 65535:", val));
		u->vu_port = (unsigned int)n;
	} else if (strcmp(opt, "vni") == 0) {
		if (vxurl_gid(val, &u->vu_vni) == -1)
			return (vxurl_fail(err, errlen,
			    "vni is not a number from 0 to 16777215 or a "
			    "group:", val));
	} else if (strcmp(opt, "grp") == 0) {
		if (vxurl_gid(val, &u->vu_grp) == -1)
			return (vxurl_fail(err, errlen,
			    "grp is not a number from 0 to 16777215 or a "
			    "group:", val));
		u->vu_grpset = 1;
		u->vu_vni = u->vu_grp;
	} else if (strcmp(opt, "ttl") == 0) {
		if (vxurl_num(val, 1, 255, &n) == -1)
			return (vxurl_fail(err, errlen,
			    "ttl is not a number from 1 to 255:", val));
		u->vu_ttl = (int)n;
	} else if (strcmp(opt, "if") == 0) {
		if (*val == '\0' || strlen(val) >= sizeof(u->vu_if))
			return (vxurl_fail(err, errlen, "bad interface name",
			    val));
		strlcpy(u->vu_if, val, sizeof(u->vu_if));
	} else if (strcmp(opt, "hashsize") == 0) {
		if (vxurl_num(val, 1, VXURL_HASHMAX, &n) == -1)
			return (vxurl_fail(err, errlen,
			    "hashsize is not a number from 1 to 65536:", val));
		u->vu_hashsize = (unsigned int)n;
	} else if (strcmp(opt, "expiretime") == 0) {
		if (vxurl_num(val, 1, VXURL_EXPIREMAX, &n) == -1)
			return (vxurl_fail(err, errlen,
			    "expiretime is not a number of seconds from 1 to "
			    "86400:", val));
		u->vu_expire = (unsigned int)n;
	} else {
		val[-1] = '=';
		return (vxurl_fail(err, errlen, "unknown option", opt));
	}
	return (0);
}

/*
 * Parse spec (what follows "vxvde://" or "vxlan://") into *u with the
 * defaults of kind filled in.  An IPv6 address may be written bare or in
 * brackets.  On failure errno is EINVAL and err holds a sentence.
 */
int
vxurl_parse(const char *spec, int kind, struct vxurl *u, char *err,
    size_t errlen)
{
	char	 buf[1024], *opt, *next, *host;
	size_t	 len;

	memset(u, 0, sizeof(*u));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	u->vu_kind = kind;
	u->vu_family = AF_UNSPEC;
	u->vu_port = kind == VNL_VXVDE ? VXURL_VXVDE_PORT : VXLAN_PORT;
	u->vu_vni = VXURL_VNI;
	u->vu_ttl = VXURL_TTL;
	u->vu_hashsize = VXURL_HASHSIZE;
	u->vu_expire = VXURL_EXPIRE;
	if (strlcpy(buf, spec, sizeof(buf)) >= sizeof(buf))
		return (vxurl_fail(err, errlen, "name too long:", spec));
	host = buf;
	if ((next = strchr(buf, '/')) != NULL)
		*next++ = '\0';
	len = strlen(host);
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		host[len - 1] = '\0';
		host++;
	}
	if (strlen(host) >= sizeof(u->vu_host))
		return (vxurl_fail(err, errlen, "address too long:", host));
	strlcpy(u->vu_host, host, sizeof(u->vu_host));
	for (opt = next; opt != NULL; opt = next) {
		if ((next = strchr(opt, '/')) != NULL)
			*next++ = '\0';
		if (*opt == '\0')
			continue;
		if (vxurl_option(u, opt, err, errlen) == -1)
			return (-1);
	}
	return (0);
}
