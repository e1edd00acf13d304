/*
 * tapport.c: host tap interfaces as switch ports (-t, spec section 10).
 *
 * A tap has no control connection: its descriptor is both the data and
 * the control side of the endpoint, and its ID.  The description is the
 * interface name, the module "tuntap".  A tap that disappears under the
 * switch (ip link del) ends its endpoint; a full tap loses frames, counted
 * by port_send(), and never blocks the switch.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "switch.h"

#define TAP_BATCH	64

/*
 * Frames read in one wake-up are kept in TAP_STAGE buffers, so that their
 * sends to client sockets can be staged and batched (see port.c).
 */
#define TAP_STAGE	16

static unsigned char	tap_buf[TAP_STAGE][FWD_HEADROOM + VDE_FRAMEBUF];

/* loop callback: read up to TAP_BATCH frames from a tap. */
static void
tapport_input(int fd, int revents, void *arg)
{
	struct endpoint	*ep = arg;
	unsigned char	*f;
	ssize_t		 n;
	int		 i, k = 0, stage = !vlan_aware();

	if (stage)
		port_stage_begin(tap_buf, tap_buf + TAP_STAGE);
	for (i = 0; i < TAP_BATCH; i++) {
		if (k == TAP_STAGE) {
			if (stage) {
				port_stage_end();
				port_stage_begin(tap_buf, tap_buf + TAP_STAGE);
			}
			k = 0;
		}
		f = tap_buf[k] + FWD_HEADROOM;
		n = read(fd, f, VDE_ETHBUFSIZE);
		if (n > 0) {
			forward_frame(ep->ep_port, f, (size_t)n);
			k++;
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			break;
		if (stage)
			port_stage_end();
		log_warnx("port %d: tap %s %s, closing the port",
		    ep->ep_port->p_num, ep->ep_descr,
		    n == 0 ? "reached end of file" : "failed");
		if (n == -1)
			log_warn("port %d: tap %s", ep->ep_port->p_num,
			    ep->ep_descr);
		port_detach(ep);
		return;
	}
	if (stage)
		port_stage_end();
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
	int		 fd, n, err;

	if ((err = port_select(0, 0, UID_NONE, &n)) != 0)
		return (err);
	if ((fd = os_tap_open(ifname, name, sizeof(name), NULL)) == -1)
		return (errno);
	ep = port_attach(n, fd, fd, UID_NONE, "tuntap", name, NULL);
	loop_add(fd, POLLIN, tapport_input, ep);
	log_info("port %d: tap %s", n, name);
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
