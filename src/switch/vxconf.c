/*
 * vxconf.c: the options of a VXLAN port (vxport.c) as --vxlan and the
 * console's vxlan/create and vxlan/set give them: KEY=VALUE pairs
 * separated by commas, checked and collected in a struct vxconf before
 * anything is opened, and the numeric addresses they name.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vxlan.h"
#include "switch.h"
#include "vxport.h"

/* Parse a numeric address of family (AF_UNSPEC: either) with port. */
int
vxconf_addr(const char *s, int family, int port, struct vxaddr *a)
{
	struct addrinfo	 hints, *res;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(s, NULL, &hints, &res) != 0)
		return (EINVAL);
	if (res->ai_addrlen > sizeof(a->va_ss)) {
		freeaddrinfo(res);
		return (EINVAL);
	}
	memset(a, 0, sizeof(*a));
	memcpy(&a->va_ss, res->ai_addr, res->ai_addrlen);
	a->va_len = res->ai_addrlen;
	freeaddrinfo(res);
	if (a->va_ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a->va_ss)->sin_port =
		    htons((uint16_t)port);
	else if (a->va_ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a->va_ss)->sin6_port =
		    htons((uint16_t)port);
	else
		return (EAFNOSUPPORT);
	return (0);
}

/* The same IP address (ports aside)? */
int
vxconf_sameip(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return (0);
	if (a->sa_family == AF_INET)
		return (((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		    ((const struct sockaddr_in *)b)->sin_addr.s_addr);
	if (a->sa_family == AF_INET6)
		return (memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		    &((const struct sockaddr_in6 *)b)->sin6_addr,
		    sizeof(struct in6_addr)) == 0);
	return (0);
}

/* --- options -------------------------------------------------------- */

static int
vxconf_num(const char *v, long min, long max, long *out)
{
	long long	n;

	if (cmd_int(v, min, max, &n) != 0)
		return (EINVAL);
	*out = (long)n;
	return (0);
}

/*
 * One KEY=VALUE (or v4, v6) of an option string into c.  create says
 * whether the keys that only vxlan/create and --vxlan take are allowed.
 */
static int
vxconf_opt(struct vxconf *c, char *kv, int create, char *err, size_t errlen)
{
	char	*v, *dash;

	if ((v = strchr(kv, '=')) != NULL)
		*v++ = '\0';
	if (create && v == NULL && strcmp(kv, "v4") == 0) {
		c->c_family = AF_INET;
		return (0);
	}
	if (create && v == NULL && strcmp(kv, "v6") == 0) {
		c->c_family = AF_INET6;
		return (0);
	}
	if (v == NULL || *v == '\0')
		goto bad;
	if (strcmp(kv, "ttl") == 0)
		return (vxconf_num(v, 1, 255, &c->c_ttl) ? -1 : 0);
	if (strcmp(kv, "mtu") == 0) {
		if (vxconf_num(v, 576, 65535, &c->c_mtu) != 0)
			goto bad;
		return (0);
	}
	if (strcmp(kv, "learnsrc") == 0)
		return (vxconf_num(v, 0, 1, &c->c_learnsrc) ? -1 : 0);
	if (strcmp(kv, "expire") == 0 || strcmp(kv, "expiretime") == 0)
		return (vxconf_num(v, 1, 1000000, &c->c_expire) ? -1 : 0);
	if (strcmp(kv, "learnrate") == 0)
		return (vxconf_num(v, 1, 1000000, &c->c_rate) ? -1 : 0);
	if (strcmp(kv, "fdbmax") == 0)
		return (vxconf_num(v, 1, VX_FDBMAX_MAX, &c->c_fdbmax) ?
		    -1 : 0);
	if (!create)
		goto bad;
	if (strcmp(kv, "vni") == 0)
		return (vxconf_num(v, 0, VXLAN_VNI_MAX, &c->c_vni) ?
		    -1 : 0);
	if (strcmp(kv, "port") == 0)
		return (vxconf_num(v, 1, 65535, &c->c_udpport) ? -1 : 0);
	if (strcmp(kv, "swport") == 0)
		return (vxconf_num(v, 1, PORT_MAX, &c->c_swport) ? -1 : 0);
	if (strcmp(kv, "udpcsum") == 0)
		return (vxconf_num(v, 0, 1, &c->c_udpcsum) ? -1 : 0);
	if (strcmp(kv, "group") == 0) {
		c->c_group = v;
		return (0);
	}
	if (strcmp(kv, "local") == 0) {
		c->c_local = v;
		return (0);
	}
	if (strcmp(kv, "if") == 0) {
		if (strlen(v) >= IF_NAMESIZE)
			goto bad;
		c->c_ifname = v;
		return (0);
	}
	if (strcmp(kv, "remote") == 0) {
		if (c->c_nremotes == VX_REMOTES_MAX) {
			snprintf(err, errlen, "more than %d remotes",
			    VX_REMOTES_MAX);
			return (-1);
		}
		c->c_remotes[c->c_nremotes++] = v;
		return (0);
	}
	if (strcmp(kv, "srcport") == 0) {
		if ((dash = strchr(v, '-')) == NULL)
			goto bad;
		*dash++ = '\0';
		if (vxconf_num(v, 1, 65535, &c->c_sportlo) != 0 ||
		    vxconf_num(dash, c->c_sportlo, 65535,
		    &c->c_sporthi) != 0 ||
		    c->c_sporthi - c->c_sportlo >= VX_SPORTS_MAX) {
			snprintf(err, errlen, "srcport: LO-HI, at most %d "
			    "ports", VX_SPORTS_MAX);
			return (-1);
		}
		return (0);
	}
bad:
	snprintf(err, errlen, "bad option: %s%s%s", kv, v != NULL ? "=" : "",
	    v != NULL ? v : "");
	return (-1);
}

/* Split opts (changed in place) on commas into c. */
int
vxconf_parse(struct vxconf *c, char *opts, int create, char *err,
    size_t errlen)
{
	char	*kv, *next;

	for (kv = opts; kv != NULL && *kv != '\0'; kv = next) {
		if ((next = strchr(kv, ',')) != NULL)
			*next++ = '\0';
		if (*kv == '\0')
			continue;
		if (vxconf_opt(c, kv, create, err, errlen) != 0) {
			if (err[0] == '\0')
				snprintf(err, errlen, "bad option: %s", kv);
			return (EINVAL);
		}
	}
	return (0);
}
