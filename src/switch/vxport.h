/*
 * vxport.h: what the VXLAN port (vxport.c) and its option parser
 * (vxconf.c) share.
 */
#ifndef VXPORT_H
#define VXPORT_H

#include <sys/types.h>
#include <sys/socket.h>

/* An address and its length, as sendmsg and bind take it. */
struct vxaddr {
	struct sockaddr_storage	 va_ss;
	socklen_t		 va_len;
};

/* What an option string asks for, before anything is opened. */
struct vxconf {
	long		 c_vni, c_udpport, c_ttl, c_mtu, c_learnsrc;
	long		 c_udpcsum, c_fdbmax, c_expire, c_rate, c_swport;
	long		 c_sportlo, c_sporthi;
	int		 c_family;	/* AF_UNSPEC until an address says */
	const char	*c_group, *c_local, *c_ifname;
	const char	*c_remotes[VX_REMOTES_MAX];
	int		 c_nremotes;
};

int	vxconf_addr(const char *, int family, int port, struct vxaddr *);
int	vxconf_sameip(const struct sockaddr *, const struct sockaddr *);
int	vxconf_parse(struct vxconf *, char *opts, int create, char *err,
	    size_t errlen);

#endif /* VXPORT_H */
