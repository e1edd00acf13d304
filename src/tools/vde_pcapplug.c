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
#include <getopt.h>
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
#include "version.h"

#define PCAP_BATCH	64	/* captured frames handled per wake-up */

struct pcp_opts {
	struct vde_open_args	 po_args;
	const char		*po_sock;
	const char		*po_if;
	const char		*po_pidfile;
	int			 po_daemon;
};

static pcap_t			*pcp_pcap;
static VDECONN			*pcp_conn;
static unsigned char		 pcp_frame[VDE_FRAMEBUF];
static unsigned long		 pcp_injectfail, pcp_sendfail;
static volatile sig_atomic_t	 pcp_quit;
static struct pidfile		 pcp_pidfile;

static __dead void pcp_usage(void);
static void	pcp_args(int, char **, struct pcp_opts *);
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

static void
pcp_args(int argc, char **argv, struct pcp_opts *po)
{
	static const struct option longopts[] = {
		{ "sock",	required_argument,	NULL,	's' },
		{ "vdesock",	required_argument,	NULL,	's' },
		{ "unix",	required_argument,	NULL,	's' },
		{ "port",	required_argument,	NULL,	'p' },
		{ "group",	required_argument,	NULL,	'g' },
		{ "mod",	required_argument,	NULL,	'm' },
		{ "mode",	required_argument,	NULL,	'm' },
		{ "daemon",	no_argument,		NULL,	'd' },
		{ "pidfile",	required_argument,	NULL,	'P' },
		{ "help",	no_argument,		NULL,	'h' },
		{ "version",	no_argument,		NULL,	'v' },
		{ NULL,		0,			NULL,	0 }
	};
	int	ch;

	memset(po, 0, sizeof(*po));
	while ((ch = getopt_long(argc, argv, "dg:hm:p:P:s:v", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			po->po_daemon = 1;
			break;
		case 'g':
			po->po_args.group = optarg;
			break;
		case 'm':
			po->po_args.mode = tool_mode(optarg);
			break;
		case 'p':
			po->po_args.port = tool_port(optarg);
			break;
		case 'P':
			po->po_pidfile = optarg;
			break;
		case 's':
			po->po_sock = optarg;
			break;
		case 'v':
			version_exit();
		default:
			pcp_usage();
		}
	}
	if (argc - optind != 1)
		pcp_usage();
	po->po_if = argv[optind];
}

int
main(int argc, char **argv)
{
	struct pcp_opts	po;
	char		descr[128];

	log_procname("vde_pcapplug");
	pcp_args(argc, argv, &po);

	pcp_pcap = pcp_open(po.po_if);
	snprintf(descr, sizeof(descr), "vde_pcapplug(%s):", po.po_if);
	if ((pcp_conn = vde_open((char *)po.po_sock, descr,
	    &po.po_args)) == NULL)
		fatal("cannot connect to the switch %s",
		    po.po_sock != NULL ? po.po_sock : "(default)");

	tool_signals(pcp_signal);
	tool_detach(po.po_daemon, po.po_pidfile, &pcp_pidfile);
	pcp_loop();

	vde_close(pcp_conn);
	pcap_close(pcp_pcap);
	if (pcp_injectfail > 0 || pcp_sendfail > 0)
		log_info("%lu frames not injected, %lu not taken by the "
		    "switch", pcp_injectfail, pcp_sendfail);
	pidfile_unlink(&pcp_pidfile);
	return (0);
}
