/*
 * tapport.c: host tap interfaces as switch ports (-t, spec section 10).
 *
 * A tap has no control connection: its descriptor is both the data and
 * the control side of the endpoint, and its ID.  The description is the
 * interface name, the module "tuntap".  A tap that disappears under the
 * switch (ip link del) ends its endpoint; a full tap loses frames, counted
 * by portq.c, and never blocks the switch.
 *
 * Where the system has them, taps are opened with offloads: a TCP stream
 * between two taps then crosses the switch in segments of up to 64 KiB,
 * one read and one write each, and other ports get the frames that such
 * a segment stands for (portq.c, gso.c).
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "switch.h"

#define TAP_BATCH	64

/*
 * Frames read in one wake-up are kept in an arena, one after the other,
 * so that their sends to client sockets can be staged and batched (see
 * portq.c) until TAP_STAGE frames are held or the room left could not take
 * the largest frame.  A tap with offloads hands over TCP segments of up to
 * 64 KiB, so a read needs that much room; the arena's pages are touched
 * only as far as frames fill them.
 */
#define TAP_STAGE	16
#define TAP_HEAD	(FWD_HEADROOM + OS_TAP_HEADROOM)
#define TAP_SLOT	(TAP_HEAD + OS_TAP_FRAMEMAX)
#define TAP_ARENA	(2 * TAP_SLOT)
#define TAP_ALIGN(n)	(((n) + 15) & ~(size_t)15)

static unsigned char	tap_arena[TAP_ARENA];
static uint64_t		tap_toolong;	/* frames over VDE_ETHBUFSIZE */
static uint64_t		tap_undersized;	/* segments under --min-segment */
static time_t		tap_undersized_warned = -10;

/* A frame the switch cannot carry: too long, and no offload explains it. */
static int
tapport_toolong_frame(struct endpoint *ep, size_t len,
    const struct os_offload *off)
{
	if (len <= VDE_ETHBUFSIZE ||
	    (off != NULL && off->oo_gso != OS_GSO_NONE))
		return (0);
	if (tap_toolong++ == 0)
		log_warnx("port %d: tap %s sent a frame of %zu bytes, more "
		    "than %d; such frames are dropped (is its MTU too large?)",
		    ep->ep_port->p_num, ep->ep_descr, len, VDE_ETHBUFSIZE);
	ep->ep_port->p_drop_in++;
	return (1);
}

/*
 * A segmentation into segments smaller than --min-segment: dropped before
 * any work is spent on it, counted with the port's input drops, and
 * logged at most once every 10 seconds.
 */
static int
tapport_undersized_frame(struct endpoint *ep, const struct os_offload *off)
{
	if (!gso_undersized(off, (unsigned int)sw_conf.c_minsegment))
		return (0);
	tap_undersized++;
	ep->ep_port->p_drop_in++;
	if (loop_sec() - tap_undersized_warned >= 10) {
		tap_undersized_warned = loop_sec();
		log_warnx("port %d: tap %s sent a segmentation offload frame "
		    "with segments of %u bytes, less than %d (--min-segment): "
		    "dropped (%llu such frames so far)", ep->ep_port->p_num,
		    ep->ep_descr, (unsigned int)off->oo_gsosize,
		    sw_conf.c_minsegment, (unsigned long long)tap_undersized);
	}
	return (1);
}

/* Frames dropped for segments under --min-segment, for the console. */
uint64_t
tapport_undersized(void)
{
	return (tap_undersized);
}

/* Frames dropped for being longer than the switch carries, for the console. */
uint64_t
tapport_toolong(void)
{
	return (tap_toolong);
}

/* loop callback: read up to TAP_BATCH frames from a tap. */
static void
tapport_input(int fd, int revents, void *arg)
{
	struct endpoint		*ep = arg;
	struct os_offload	 off, *offp = ep->ep_offload ? &off : NULL;
	struct portq_batch	 batch = { NULL };
	struct portq_batch	*bp = vlan_aware() ? NULL : &batch;
	unsigned char		*f;
	size_t			 pos = 0;
	ssize_t			 n;
	int			 i, k = 0;

	for (i = 0; i < TAP_BATCH; i++) {
		if (k == TAP_STAGE || pos + TAP_SLOT > TAP_ARENA) {
			/* The arena is reused: what it holds goes now. */
			portq_batch_end(bp);
			k = 0;
			pos = 0;
		}
		f = tap_arena + pos + TAP_HEAD;
		n = os_tap_read(fd, f, OS_TAP_FRAMEMAX, offp);
		if (n > 0) {
			if (tapport_toolong_frame(ep, (size_t)n, offp) ||
			    tapport_undersized_frame(ep, offp))
				continue;
			forward_frame(ep->ep_port, f, (size_t)n, offp, bp);
			/* Padding may have made it VDE_ETHMIN bytes long. */
			pos += TAP_HEAD + TAP_ALIGN(n < VDE_ETHMIN ?
			    VDE_ETHMIN : (size_t)n);
			k++;
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			break;
		portq_batch_end(bp);
		log_warnx("port %d: tap %s %s, closing the port",
		    ep->ep_port->p_num, ep->ep_descr,
		    n == 0 ? "reached end of file" : "failed");
		if (n == -1)
			log_warn("port %d: tap %s", ep->ep_port->p_num,
			    ep->ep_descr);
		port_detach(ep);
		return;
	}
	portq_batch_end(bp);
	if (i == 0 && (revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
		log_warnx("port %d: tap %s went away, closing the port",
		    ep->ep_port->p_num, ep->ep_descr);
		port_detach(ep);
	}
}

/*
 * Attach tap ifname (created if missing) to the lowest free allocatable
 * port.  Returns 0 with the port in *np, or an errno value.
 */
int
tapport_open(const char *ifname, int *np)
{
	struct endpoint	*ep;
	char		 name[OS_TAPNAMELEN];
	int		 fd, n, err, offload = 1;

	if ((err = port_select(0, 0, UID_NONE, &n)) != 0)
		return (err);
	if ((fd = os_tap_open(ifname, name, sizeof(name), &offload)) == -1)
		return (errno);
	ep = port_attach(n, fd, fd, UID_NONE, "tuntap", name, NULL);
	ep->ep_offload = offload;
	loop_add(fd, POLLIN, tapport_input, ep);
	log_info("port %d: tap %s%s", n, name,
	    offload ? " (checksum and segmentation offloads)" : "");
	*np = n;
	return (0);
}

/* Attach every -t interface; a failure is fatal at startup. */
void
tapport_init(void)
{
	int	i, n, err;

	for (i = 0; i < sw_conf.c_ntaps; i++) {
		if ((err = tapport_open(sw_conf.c_taps[i], &n)) != 0)
			fatalx("cannot open tap %s (%s): %s",
			    sw_conf.c_taps[i], os_tap_device(),
			    strerror(err));
	}
}
