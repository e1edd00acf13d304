/*
 * udp.c: VDE 2's UDP cable, "[srcaddr:]srcport->dstaddr:dstport" (spec
 * section 11.4): raw Ethernet frames as UDP payloads, no header.  The
 * socket is bound to the source and sends to the destination; frames are
 * accepted only from the destination address.  An IPv6 address is written
 * in brackets: "[::1]:5000".
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

static int	udp_split(char *, char **, char **);
static int	udp_resolve(const char *, const char *, int, int,
		    struct addrinfo **);

/*
 * Split "addr:port", "[v6addr]:port" or "port" in place into its address
 * (NULL when absent) and port.
 */
static int
udp_split(char *s, char **addr, char **port)
{
	char	*colon, *close;

	*addr = NULL;
	if (*s == '[') {
		if ((close = strchr(s, ']')) == NULL || close[1] != ':')
			return (-1);
		*close = '\0';
		*addr = s + 1;
		*port = close + 2;
	} else if ((colon = strrchr(s, ':')) != NULL) {
		*colon = '\0';
		*addr = s;
		*port = colon + 1;
	} else
		*port = s;
	return (**port == '\0' ? -1 : 0);
}

/* getaddrinfo() for one end of the cable. */
static int
udp_resolve(const char *addr, const char *port, int family, int passive,
    struct addrinfo **res)
{
	struct addrinfo	hints;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = passive ? AI_PASSIVE : 0;
	return (getaddrinfo(addr, port, &hints, res));
}

/* Open the cable described by spec. */
int
udp_open(struct vdeconn *vc, const char *spec, char *err, size_t errlen)
{
	struct addrinfo	*dst = NULL, *src = NULL;
	char		 buf[PATH_MAX], *arrow, *saddr, *sport, *daddr, *dport;
	int		 r, saved;

	vc->vc_kind = VNL_UDP;
	vc->vc_ctl = -1;
	strlcpy(buf, spec, sizeof(buf));
	arrow = strstr(buf, "->");
	*arrow = '\0';
	if (udp_split(buf, &saddr, &sport) == -1 ||
	    udp_split(arrow + 2, &daddr, &dport) == -1 || daddr == NULL) {
		snprintf(err, errlen, "bad UDP cable \"%s\" (want "
		    "[srcaddr:]srcport->dstaddr:dstport)", spec);
		errno = EINVAL;
		return (-1);
	}
	if ((r = udp_resolve(daddr, dport, AF_UNSPEC, 0, &dst)) != 0 ||
	    (r = udp_resolve(saddr, sport, dst->ai_family, 1, &src)) != 0) {
		snprintf(err, errlen, "UDP cable \"%s\": %s", spec,
		    gai_strerror(r));
		if (dst != NULL)
			freeaddrinfo(dst);
		errno = EADDRNOTAVAIL;
		return (-1);
	}
	memcpy(&vc->vc_peer, dst->ai_addr, dst->ai_addrlen);
	vc->vc_peerlen = dst->ai_addrlen;
	if ((vc->vc_data = socket(dst->ai_family, SOCK_DGRAM, 0)) == -1)
		goto fail;
	if (fcntl(vc->vc_data, F_SETFD, FD_CLOEXEC) == -1 ||
	    bind(vc->vc_data, src->ai_addr, src->ai_addrlen) == -1) {
		saved = errno;
		close(vc->vc_data);
		errno = saved;
		goto fail;
	}
	freeaddrinfo(src);
	freeaddrinfo(dst);
	return (0);
fail:
	saved = errno;
	freeaddrinfo(src);
	freeaddrinfo(dst);
	errno = saved;
	return (-1);
}

/*
 * One frame from the peer.  Datagrams from anyone else are not frames of
 * this cable: they are reported as a 1-byte "drop me" result, which every
 * caller ignores as too short to be a frame.
 */
ssize_t
udp_recv(struct vdeconn *vc, void *buf, size_t len)
{
	struct sockaddr_storage	from;
	socklen_t		flen = sizeof(from);
	ssize_t			n;

	n = recvfrom(vc->vc_data, buf, len, 0, (struct sockaddr *)&from,
	    &flen);
	if (n <= 0)
		return (n);
	if (from.ss_family != vc->vc_peer.ss_family)
		return (1);
	if (from.ss_family == AF_INET && memcmp(
	    &((struct sockaddr_in *)&from)->sin_addr,
	    &((struct sockaddr_in *)&vc->vc_peer)->sin_addr,
	    sizeof(struct in_addr)) != 0)
		return (1);
	if (from.ss_family == AF_INET6 && memcmp(
	    &((struct sockaddr_in6 *)&from)->sin6_addr,
	    &((struct sockaddr_in6 *)&vc->vc_peer)->sin6_addr,
	    sizeof(struct in6_addr)) != 0)
		return (1);
	return (n);
}

/* One frame to the peer.  ICMP errors from an absent peer are not ours. */
ssize_t
udp_send(struct vdeconn *vc, const void *buf, size_t len)
{
	ssize_t	n;

	n = sendto(vc->vc_data, buf, len, 0, (struct sockaddr *)&vc->vc_peer,
	    vc->vc_peerlen);
	if (n == -1 && (errno == ECONNREFUSED || errno == EHOSTUNREACH ||
	    errno == ENETUNREACH))
		return ((ssize_t)len);
	return (n);
}
