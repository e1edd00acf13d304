/*
 * mcast.c: the socket options of IP multicast, which POSIX leaves to the
 * systems (struct ip_mreqn, struct group_req, IP_MULTICAST_TTL): join a
 * group, and choose the interface, hop limit and loopback of what a
 * socket sends.  Linux and the BSDs share RFC 3678's MCAST_JOIN_GROUP.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <string.h>

#include "os/os.h"

/* Join the group grp (an AF_INET or AF_INET6 address) on interface ifindex. */
int
os_mcast_join(int fd, const struct sockaddr *grp, socklen_t len,
    unsigned int ifindex)
{
	struct group_req	gr;
	int			level;

	if (len > sizeof(gr.gr_group)) {
		errno = EINVAL;
		return (-1);
	}
	memset(&gr, 0, sizeof(gr));
	gr.gr_interface = ifindex;
	memcpy(&gr.gr_group, grp, len);
	level = grp->sa_family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
	return (setsockopt(fd, level, MCAST_JOIN_GROUP, &gr, sizeof(gr)));
}

/*
 * What fd sends: out of interface ifindex (0: as routed) with ttl as the
 * hop limit of multicast and unicast alike, multicast looped back to this
 * host when loop is set.
 */
int
os_mcast_sender(int fd, int family, unsigned int ifindex, int ttl, int loop)
{
	struct ip_mreqn	mr;
	unsigned char	c;
	unsigned int	u;

	if (family == AF_INET6) {
		u = ifindex;
		if (ifindex != 0 && setsockopt(fd, IPPROTO_IPV6,
		    IPV6_MULTICAST_IF, &u, sizeof(u)) == -1)
			return (-1);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl,
		    sizeof(ttl)) == -1 || setsockopt(fd, IPPROTO_IPV6,
		    IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)) == -1)
			return (-1);
		u = loop != 0;
		return (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &u,
		    sizeof(u)));
	}
	if (ifindex != 0) {
		memset(&mr, 0, sizeof(mr));
		mr.imr_ifindex = (int)ifindex;
		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
		    sizeof(mr)) == -1)
			return (-1);
	}
	c = (unsigned char)ttl;
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &c, sizeof(c)) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == -1)
		return (-1);
	c = loop != 0;
	return (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &c, sizeof(c)));
}
