/*
 * os/inet.c: the UDP socket options of the switch's VXLAN ports that
 * differ between systems: the interface multicast leaves by, binding a
 * socket to an interface, IPv4 datagrams without a UDP checksum.  The
 * ports join their group with os_mcast_join (os/mcast.c).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/udp.h>

#include <errno.h>
#include <string.h>

#include "os/os.h"

/*
 * Multicast from fd leaves by interface ifindex, with ttl hops (-1: the
 * system's default), and is not looped back to this host's own sockets.
 */
int
os_inet_mcast(int fd, int family, unsigned int ifindex, int ttl)
{
	struct ip_mreqn	mr;
	unsigned int	idx = ifindex;
	int		off = 0;
	unsigned char	coff = 0, cttl;

	if (family == AF_INET6) {
		if (ifindex != 0 && setsockopt(fd, IPPROTO_IPV6,
		    IPV6_MULTICAST_IF, &idx, sizeof(idx)) == -1)
			return (-1);
		if (ttl >= 0 && setsockopt(fd, IPPROTO_IPV6,
		    IPV6_MULTICAST_HOPS, &ttl, sizeof(ttl)) == -1)
			return (-1);
		return (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP,
		    &off, sizeof(off)));
	}
	if (ifindex != 0) {
		memset(&mr, 0, sizeof(mr));
		mr.imr_ifindex = (int)ifindex;
		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
		    sizeof(mr)) == -1)
			return (-1);
	}
	cttl = (unsigned char)ttl;
	if (ttl >= 0 && setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &cttl,
	    sizeof(cttl)) == -1)
		return (-1);
	return (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &coff,
	    sizeof(coff)));
}

/* Unicast hop limit of fd. */
int
os_inet_ttl(int fd, int family, int ttl)
{
	if (family == AF_INET6)
		return (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
		    sizeof(ttl)));
	return (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)));
}

/* Send and receive on interface ifname only; ENOTSUP where impossible. */
int
os_inet_bindif(int fd, const char *ifname)
{
#ifdef SO_BINDTODEVICE
	return (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
	    (socklen_t)strlen(ifname) + 1));
#else
	(void)fd;
	(void)ifname;
	errno = ENOTSUP;
	return (-1);
#endif
}

/*
 * IPv4 datagrams from fd carry checksum 0 (RFC 768 allows it); ENOTSUP
 * where the system always computes it.  IPv6 always has one (RFC 8200).
 */
int
os_inet_nocsum(int fd)
{
#ifdef SO_NO_CHECK
	int	on = 1;

	return (setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &on, sizeof(on)));
#else
	(void)fd;
	errno = ENOTSUP;
	return (-1);
#endif
}

/*
 * Socket buffers of bytes each way, so that a burst of datagrams (a
 * 64 KiB segment cut into frames) is not lost while the switch works.
 * Root may go past the system's maximum where the system allows it
 * (Linux); otherwise the system caps the request.  Best effort.
 */
void
os_inet_bufs(int fd, int bytes)
{
#ifdef SO_RCVBUFFORCE
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes,
	    sizeof(bytes)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes,
		    sizeof(bytes));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes,
	    sizeof(bytes)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes,
		    sizeof(bytes));
#else
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof(bytes));
#endif
}
