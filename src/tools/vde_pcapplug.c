/*
 * vde_pcapplug: join an existing network interface (a NIC, a veth, a
 * macvlan) to a VDE switch through libpcap, without a tap or a bridge.
 * What the switch sends is injected on the interface (pcap_inject); what
 * the interface receives is captured and sent to the switch.  Only frames
 * coming in are captured (pcap_setdirection), so the frames injected here
 * never come back into the switch.
 *
 * The capture is non-blocking and read in the same poll loop as the
 * switch, at most PCAP_BATCH frames per wake-up.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "log.h"
#include "proto.h"
#include "libvdeplug.h"
#include "pidfile.h"
#include "tool.h"

#define PCAP_BATCH	64	/* captured frames handled per wake-up */

static pcap_t			*pcp_pcap;
static VDECONN			*pcp_conn;
static unsigned char		 pcp_frame[VDE_FRAMEBUF];
static unsigned long		 pcp_injectfail, pcp_sendfail;
static volatile sig_atomic_t	 pcp_quit;
static struct pidfile		 pcp_pidfile;

static __dead void pcp_usage(void);
static void	pcp_signal(int);
static void	pcp_captured(u_char *, const struct pcap_pkthdr *,
		    const u_char *);
static pcap_t	*pcp_open(const char *);
static void	pcp_loop(void);

static __dead void
pcp_usage(void)
{
	fprintf(stderr, "usage: vde_pcapplug [-d] [-g group] [-m mode] "
	    "[-P pidfile] [-p port] [-s dir] interface\n");
	exit(1);
}

static void
pcp_signal(int sig)
{
	pcp_quit = 1;
}

/* A frame the interface received: to the switch, whole frames only. */
static void
pcp_captured(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	if (h->caplen != h->len || h->caplen < VDE_ETHHDRLEN ||
	    h->caplen > VDE_ETHBUFSIZE)
		return;
	if (vde_send(pcp_conn, bytes, h->caplen, 0) == -1)
		pcp_sendfail++;
}

/* Open the interface for capture and injection; exits on failure. */
static pcap_t *
pcp_open(const char *ifname)
{
	char	 errbuf[PCAP_ERRBUF_SIZE];
	pcap_t	*p;
	int	 r;

	errbuf[0] = '\0';
	if ((p = pcap_create(ifname, errbuf)) == NULL)
		fatalx("interface %s: %s", ifname, errbuf);
	if (pcap_set_snaplen(p, VDE_ETHBUFSIZE) != 0 ||
	    pcap_set_promisc(p, 1) != 0 ||
	    pcap_set_immediate_mode(p, 1) != 0)
		fatalx("interface %s: %s", ifname, pcap_geterr(p));
	if ((r = pcap_activate(p)) < 0)
		fatalx("interface %s: %s%s%s", ifname,
		    pcap_statustostr(r), r == PCAP_ERROR ? ": " : "",
		    r == PCAP_ERROR ? pcap_geterr(p) : "");
	if (r > 0)
		log_warnx("interface %s: %s", ifname, pcap_statustostr(r));
	if (pcap_datalink(p) != DLT_EN10MB)
		fatalx("interface %s is not an Ethernet interface", ifname);
	if (pcap_setdirection(p, PCAP_D_IN) != 0)
		fatalx("interface %s: cannot capture incoming frames only "
		    "(%s), the injected ones would loop", ifname,
		    pcap_geterr(p));
	if (pcap_setnonblock(p, 1, errbuf) != 0)
		fatalx("interface %s: %s", ifname, errbuf);
	if (pcap_get_selectable_fd(p) == -1)
		fatalx("interface %s: no descriptor to poll", ifname);
	return (p);
}

static void
pcp_loop(void)
{
	struct pollfd	pfd[3];
	ssize_t		n;

	while (!pcp_quit) {
		pfd[0].fd = pcap_get_selectable_fd(pcp_pcap);
		pfd[1].fd = vde_datafd(pcp_conn);
		pfd[2].fd = vde_ctlfd(pcp_conn);
		pfd[0].events = pfd[1].events = pfd[2].events = POLLIN;
		if (poll(pfd, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[2].revents != 0) {
			log_warnx("the switch closed the connection");
			break;
		}
		if (pfd[1].revents & (POLLERR | POLLHUP | POLLNVAL))
			break;
		if (pfd[0].revents & (POLLERR | POLLNVAL)) {
			log_warnx("the interface is gone");
			break;
		}
		if (pfd[0].revents & (POLLIN | POLLHUP) &&
		    pcap_dispatch(pcp_pcap, PCAP_BATCH, pcp_captured,
		    NULL) == PCAP_ERROR) {
			log_warnx("capture: %s", pcap_geterr(pcp_pcap));
			break;
		}
		if (pfd[1].revents & POLLIN) {
			n = vde_recv(pcp_conn, pcp_frame, sizeof(pcp_frame),
			    0);
			if (n >= VDE_ETHHDRLEN &&
			    pcap_inject(pcp_pcap, pcp_frame, (size_t)n) == -1)
				pcp_injectfail++;
		}
	}
}

int
main(int argc, char **argv)
{
	struct tool_ifopts po;
	char		descr[128];

	log_procname("vde_pcapplug");
	tool_ifargs(argc, argv, &po, pcp_usage);

	pcp_pcap = pcp_open(po.io_if);
	snprintf(descr, sizeof(descr), "vde_pcapplug(%s):", po.io_if);
	if ((pcp_conn = vde_open((char *)po.io_sock, descr,
	    &po.io_args)) == NULL)
		fatal("cannot connect to the switch %s",
		    po.io_sock != NULL ? po.io_sock : "(default)");

	tool_signals(pcp_signal);
	tool_detach(po.io_daemon, po.io_pidfile, &pcp_pidfile);
	pcp_loop();

	vde_close(pcp_conn);
	pcap_close(pcp_pcap);
	if (pcp_injectfail > 0 || pcp_sendfail > 0)
		log_info("%lu frames not injected, %lu not taken by the "
		    "switch", pcp_injectfail, pcp_sendfail);
	pidfile_unlink(&pcp_pidfile);
	return (0);
}
