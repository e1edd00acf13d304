/*
 * vde_plug2tap: join a host tap interface to a VDE switch from the client
 * side (spec section 10), so that the switch can run unprivileged and only
 * this small process needs the right to open the tap.  With "-s -" the
 * tap is joined to stdin/stdout in the stream framing of vde_plug instead,
 * for "dpipe vde_plug2tap -s - tap0 = ssh host vde_plug".
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

#include "log.h"
#include "os/os.h"
#include "proto.h"
#include "libvdeplug.h"
#include "outq.h"
#include "pidfile.h"
#include "tool.h"

#define P2T_READSZ	65536

static struct outq		 p2t_out;
static unsigned char		 p2t_inbuf[P2T_READSZ];
static unsigned char		 p2t_frame[VDE_FRAMEBUF];
static int			 p2t_tap = -1;
static char			 p2t_name[OS_TAPNAMELEN];
static unsigned long		 p2t_tapdrops;
static volatile sig_atomic_t	 p2t_quit;
static struct pidfile		 p2t_pidfile;

static __dead void p2t_usage(void);
static void	p2t_signal(int);
static void	p2t_totap(const void *, size_t);
static ssize_t	p2t_fromstream(void *, void *, size_t);
static int	p2t_tapread(ssize_t *);
static void	p2t_switch(VDECONN *);
static void	p2t_stream(void);

/* Print the usage and exit 1. */
static __dead void
p2t_usage(void)
{
	fprintf(stderr, "usage: vde_plug2tap [-d] [-g group] [-m mode] "
	    "[-P pidfile] [-p port] [-s dir | -] tap\n"
	    "       vde_plug2tap -v\n");
	exit(1);
}

/* SIGTERM, SIGINT, SIGHUP: end the main loop and clean up. */
static void
p2t_signal(int sig)
{
	p2t_quit = 1;
}

/* One frame to the tap; a full tap queue costs that frame only. */
static void
p2t_totap(const void *frame, size_t len)
{
	if (len < VDE_ETHHDRLEN)
		return;
	/*
	 * A full queue (EAGAIN) or an interface that is down (EIO) costs
	 * this frame only; a tap that is gone shows up on the read side.
	 */
	if (write(p2t_tap, frame, len) == -1)
		p2t_tapdrops++;
}

/* A record from the stream: one frame for the tap. */
static ssize_t
p2t_fromstream(void *opaque, void *buf, size_t len)
{
	p2t_totap(buf, len);
	return ((ssize_t)len);
}

/*
 * Read one frame from the tap into p2t_frame.  Returns 1 with *len set, 0
 * when nothing was waiting, -1 when the tap is gone (deleted, EOF).
 */
static int
p2t_tapread(ssize_t *len)
{
	*len = read(p2t_tap, p2t_frame, sizeof(p2t_frame));
	if (*len > 0)
		return (1);
	if (*len == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return (0);
	if (*len == 0)
		log_warnx("tap %s closed", p2t_name);
	else
		log_warn("tap %s", p2t_name);
	return (-1);
}

/* Tap to switch and back until either goes away. */
static void
p2t_switch(VDECONN *conn)
{
	struct pollfd	pfd[3];
	ssize_t		n;
	int		r;

	while (!p2t_quit) {
		pfd[0].fd = p2t_tap;
		pfd[1].fd = vde_datafd(conn);
		pfd[2].fd = vde_ctlfd(conn);
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
		if (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			log_warnx("tap %s is gone", p2t_name);
			break;
		}
		if (pfd[1].revents & (POLLERR | POLLHUP | POLLNVAL))
			break;
		if (pfd[0].revents & POLLIN) {
			if ((r = p2t_tapread(&n)) == -1)
				break;
			if (r == 1)
				(void)vde_send(conn, p2t_frame, (size_t)n, 0);
		}
		if (pfd[1].revents & POLLIN) {
			n = vde_recv(conn, p2t_frame, sizeof(p2t_frame), 0);
			if (n > 0)
				p2t_totap(p2t_frame, (size_t)n);
		}
	}
}

/* Tap to stdout and stdin to tap, in the stream framing. */
static void
p2t_stream(void)
{
	struct pollfd	 pfd[3];
	VDESTREAM	*vs;
	ssize_t		 n;
	int		 r;

	if ((vs = vdestream_open(NULL, STDOUT_FILENO, p2t_fromstream,
	    NULL)) == NULL)
		fatal("vdestream_open");
	if (outq_init(&p2t_out, STDOUT_FILENO) == -1)
		fatal("stdout");
	while (!p2t_quit) {
		pfd[0].fd = p2t_tap;
		pfd[0].events = POLLIN;
		pfd[1].fd = STDIN_FILENO;
		pfd[1].events = POLLIN;
		pfd[2].fd = STDOUT_FILENO;
		pfd[2].events = outq_pending(&p2t_out) ? POLLOUT : 0;
		if (poll(pfd, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			log_warnx("tap %s is gone", p2t_name);
			break;
		}
		if (pfd[2].revents & (POLLERR | POLLNVAL))
			break;
		if ((pfd[2].revents & POLLOUT) && outq_flush(&p2t_out) == -1)
			break;
		if (pfd[0].revents & POLLIN) {
			if ((r = p2t_tapread(&n)) == -1)
				break;
			if (r == 1 && outq_put(&p2t_out, p2t_frame,
			    (size_t)n) == -1)
				break;
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(STDIN_FILENO, p2t_inbuf, sizeof(p2t_inbuf));
			if (n == 0 || (n == -1 && errno != EINTR &&
			    errno != EAGAIN))
				break;
			if (n > 0)
				vdestream_recv(vs, p2t_inbuf, (size_t)n);
		}
	}
	outq_fini(&p2t_out);
	vdestream_close(vs);
}

int
main(int argc, char **argv)
{
	struct tool_ifopts	 po;
	VDECONN		*conn = NULL;
	char		 descr[OS_TAPNAMELEN + 32];

	log_procname("vde_plug2tap");
	tool_ifargs(argc, argv, &po, p2t_usage);

	if ((p2t_tap = os_tap_open(po.io_if, p2t_name,
	    sizeof(p2t_name), NULL)) == -1)
		fatal("cannot open tap %s through %s", po.io_if,
		    os_tap_device());
	if (po.io_sock == NULL || strcmp(po.io_sock, "-") != 0) {
		snprintf(descr, sizeof(descr), "vde_plug2tap(%s):", p2t_name);
		if ((conn = vde_open((char *)po.io_sock, descr,
		    &po.io_args)) == NULL)
			fatal("cannot connect to the switch %s",
			    po.io_sock != NULL ? po.io_sock : "(default)");
	}

	tool_signals(p2t_signal);
	tool_detach(po.io_daemon, po.io_pidfile, &p2t_pidfile);

	if (conn != NULL) {
		p2t_switch(conn);
		vde_close(conn);
	} else
		p2t_stream();
	/* A tap this program created goes away with it (os_tap_close). */
	(void)os_tap_close(p2t_tap);
	if (p2t_tapdrops > 0)
		log_info("%lu frames dropped: the tap queue was full",
		    p2t_tapdrops);
	pidfile_unlink(&p2t_pidfile);
	return (0);
}
