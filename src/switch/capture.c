/*
 * capture.c: a port's frames into a pcap savefile or a FIFO.
 *
 * The per-frame path (capture_frame) only filters the frame and appends
 * its record to the capture's buffer, a fixed CAPTURE_BUFSIZE bytes made
 * at capture/start.  libpcap's savefile writer (pcap_dump_fopen) writes
 * each file's header into it through a memory stream; the records, a
 * 16-byte header and the frame, are copied in directly in the same
 * format (pcap_dump through the stream cost a fifth more switch CPU
 * per 1500-byte frame).  The file or FIFO is written from the poll
 * loop (capture_io), never from the per-frame path, and a FIFO is
 * non-blocking: a slow reader or disk fills the buffer and further frames
 * are dropped from the capture and counted, never from the traffic.  The
 * writes may also take only a share of the switch's CPU time
 * (capbudget.c, "share" of capture/start, 10% by default): a capture of
 * more than the machine can write at that share drops frames rather than
 * slow forwarding much.
 *
 * Files are opened with the identity of the console user who started the
 * capture (mgmtcred_get, os_asuser), without following a symbolic link
 * in the last component.  With a size limit, files rotate: PATH, PATH.1,
 * ... PATH.K-1, then PATH again (files K), each a complete savefile of at
 * most the limit (a single record larger than the limit gets a file of
 * its own).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "log.h"
#include "os/os.h"
#include "xmalloc.h"
#include "switch.h"

#define CAPTURE_FILEHDR	24	/* pcap file header */
#define CAPTURE_RECHDR	16	/* pcap record header, as written */
#define CAPTURE_SECOFF	0	/* its fields: 32-bit, the host's order */
#define CAPTURE_USECOFF	4
#define CAPTURE_CAPOFF	8
#define CAPTURE_LENOFF	12
#define CAPTURE_NOCUT	((size_t)-1)
#define CAPTURE_FLUSHMIN ((size_t)64 << 10)	/* write at once from here */
#define CAPTURE_FLUSHMS	50	/* less waits at most this long */

struct capture {
	struct port	*c_port;
	unsigned int	 c_dir;
	char		*c_base;	/* the path as given */
	char		*c_path;	/* the file being written */
	int		 c_fd;
	int		 c_fifo;
	int		 c_armed;	/* POLLOUT asked for */
	int		 c_held;	/* over budget: waits for c_timer */
	struct capbudget c_budget;	/* of time spent writing */
	struct timer	 c_timer;	/* writes out a small remainder */
	struct os_peercred c_cred;
	int		 c_asuser;
	unsigned int	 c_snaplen;
	uint64_t	 c_limit;
	unsigned int	 c_files;
	unsigned int	 c_fileno;
	char		*c_filter;
	struct bpf_program c_prog;
	int		 c_hasprog;
	pcap_t		*c_dead;	/* link type and snap length */
	FILE		*c_mem;		/* the stream file headers go to */
	pcap_dumper_t	*c_dump;
	unsigned char	*c_buf;		/* CAPTURE_BUFSIZE bytes */
	size_t		 c_off;		/* first byte not yet written */
	size_t		 c_len;		/* end of the records */
	size_t		 c_cut;		/* where the next file starts */
	uint64_t	 c_filebytes;	/* of the current file, pending too */
	uint64_t	 c_nextbytes;	/* after c_cut: of the next file */
	uint64_t	 c_frames, c_filtered, c_dropped, c_bytes;
};

static int	 capture_n;

static void	capture_portgone(struct port *);
static void	capture_io(int, int, void *);
static void	capture_tick(void *);
static int	capture_rotate(struct capture *);

/* Nanoseconds of clock id, for the capture's budget. */
static uint64_t
capture_ns(clockid_t id)
{
	struct timespec	ts;

	if (clock_gettime(id, &ts) == -1)
		fatal("clock_gettime");
	return ((uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec);
}

static struct port_listener capture_listener = {
	.pl_remove = capture_portgone,
};

void
capture_init(void)
{
	port_listen(&capture_listener);
}

/* At exit: every capture is flushed and closed. */
void
capture_cleanup(void)
{
	struct port	*p;
	int		 n;

	for (n = 0; n <= sw_numports() && capture_n > 0; n++)
		if ((p = port_get(n)) != NULL && p->p_cap != NULL)
			(void)capture_stop(n);
}

/* The name of file number k of the rotation. */
static char *
capture_name(const struct capture *c, unsigned int k)
{
	char	*s;

	if (k == 0)
		return (xstrdup(c->c_base));
	(void)xasprintf(&s, "%s.%u", c->c_base, k);
	return (s);
}

/*
 * Open file path for writing as the capture's user: a new or truncated
 * regular file (mode 0600), or a FIFO that has a reader.  Anything else
 * is refused.  Returns the fd, or -1 with errno set.
 */
static int
capture_open(const struct capture *c, const char *path, int *fifo)
{
	struct stat	st;
	int		fd, saved;

	if (c->c_asuser && os_asuser(&c->c_cred) == -1)
		return (-1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
	saved = errno;
	if (c->c_asuser && os_asself() == -1)
		fatal("cannot return to the switch's own credentials");
	if (fd == -1) {
		errno = saved;
		return (-1);
	}
	if (fstat(fd, &st) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return (-1);
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return (-1);
	}
	*fifo = S_ISFIFO(st.st_mode);
	return (fd);
}

/* Append a file header to the buffer (there is always room for one). */
static void
capture_header(struct capture *c)
{
	if (fseeko(c->c_mem, (off_t)c->c_len, SEEK_SET) == -1)
		fatal("capture: memory stream");
	if ((c->c_dump = pcap_dump_fopen(c->c_dead, c->c_mem)) == NULL)
		fatalx("capture: file header: %s", pcap_geterr(c->c_dead));
	c->c_len += CAPTURE_FILEHDR;
}

/* Free a capture that is not (or no longer) registered anywhere. */
static void
capture_free(struct capture *c)
{
	if (c->c_mem != NULL)
		fclose(c->c_mem);
	if (c->c_hasprog)
		pcap_freecode(&c->c_prog);
	if (c->c_dead != NULL)
		pcap_close(c->c_dead);
	free(c->c_buf);
	free(c->c_filter);
	free(c->c_base);
	free(c->c_path);
	free(c);
}

/*
 * End the capture of port p: what is pending goes to a file (a FIFO gets
 * what it takes now), then everything is closed.
 */
static void
capture_end(struct capture *c)
{
	struct port	*p = c->c_port;
	size_t		 end;
	ssize_t		 n;

	p->p_watch &= ~(PORT_W_CAPIN | PORT_W_CAPOUT);
	p->p_cap = NULL;
	while (c->c_off < c->c_len) {
		end = c->c_cut != CAPTURE_NOCUT ? c->c_cut : c->c_len;
		if (c->c_off == end) {
			if (capture_rotate(c) == -1)
				break;
			continue;
		}
		n = write(c->c_fd, c->c_buf + c->c_off, end - c->c_off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		c->c_off += (size_t)n;
		c->c_bytes += (uint64_t)n;
	}
	loop_del(c->c_fd);
	close(c->c_fd);
	timer_del(&c->c_timer);
	capture_n--;
	capture_free(c);
}

/*
 * capture/start: check the configuration, compile the filter, open the
 * first file and start.  The errors: ENXIO (no such port), EADDRINUSE
 * (the port is captured already), ENOSPC (CAPTURE_MAX captures), EINVAL
 * (bad values or filter, with a message in errbuf), and those of open.
 */
int
capture_start(const struct capture_conf *cc, const struct os_peercred *cred,
    int asuser, char *errbuf, size_t errlen)
{
	struct capture	*c;
	struct port	*p;
	int		 rv;

	*errbuf = '\0';
	if ((p = port_get(cc->cc_port)) == NULL)
		return (ENXIO);
	if (p->p_cap != NULL)
		return (EADDRINUSE);
	if (capture_n >= CAPTURE_MAX)
		return (ENOSPC);
	if (cc->cc_dir == 0 || (cc->cc_dir & ~(PORT_W_CAPIN |
	    PORT_W_CAPOUT)) != 0 || cc->cc_snaplen < CAPTURE_SNAPMIN ||
	    cc->cc_snaplen > CAPTURE_SNAPMAX || *cc->cc_path == '\0' ||
	    (cc->cc_limit != 0 && cc->cc_limit < CAPTURE_LIMITMIN) ||
	    cc->cc_files > CAPTURE_FILESMAX || cc->cc_share > 100 ||
	    (cc->cc_files != 0 && cc->cc_limit == 0))
		return (EINVAL);
	c = xcalloc(1, sizeof(*c));
	c->c_port = p;
	c->c_dir = cc->cc_dir;
	c->c_fd = -1;
	c->c_cut = CAPTURE_NOCUT;
	timer_set(&c->c_timer, capture_tick, c);
	c->c_base = xstrdup(cc->cc_path);
	c->c_snaplen = cc->cc_snaplen;
	c->c_limit = cc->cc_limit;
	c->c_files = cc->cc_files;
	if (cred != NULL)
		c->c_cred = *cred;
	c->c_asuser = asuser;
	if ((c->c_dead = pcap_open_dead(DLT_EN10MB, (int)c->c_snaplen)) ==
	    NULL) {
		rv = ENOMEM;
		goto fail;
	}
	if (cc->cc_filter != NULL) {
		c->c_filter = xstrdup(cc->cc_filter);
		if (pcap_compile(c->c_dead, &c->c_prog, c->c_filter, 1,
		    PCAP_NETMASK_UNKNOWN) == -1) {
			(void)snprintf(errbuf, errlen, "bad filter \"%s\": %s",
			    c->c_filter, pcap_geterr(c->c_dead));
			rv = EINVAL;
			goto fail;
		}
		c->c_hasprog = 1;
	}
	c->c_buf = xmalloc(CAPTURE_BUFSIZE);
	if ((c->c_mem = fmemopen(c->c_buf, CAPTURE_BUFSIZE, "w")) == NULL) {
		rv = errno;
		goto fail;
	}
	setvbuf(c->c_mem, NULL, _IONBF, 0);
	c->c_path = capture_name(c, 0);
	if ((c->c_fd = capture_open(c, c->c_path, &c->c_fifo)) == -1) {
		rv = errno;
		goto fail;
	}
	if (c->c_fifo && c->c_limit != 0) {
		(void)snprintf(errbuf, errlen, "a FIFO has no size limit");
		close(c->c_fd);
		rv = EINVAL;
		goto fail;
	}
	capture_header(c);
	c->c_filebytes = CAPTURE_FILEHDR;
	capbudget_init(&c->c_budget, cc->cc_share != 0 ? cc->cc_share :
	    CAPBUDGET_SHARE, capture_ns(CLOCK_MONOTONIC),
	    capture_ns(CLOCK_PROCESS_CPUTIME_ID));
	loop_add(c->c_fd, POLLOUT, capture_io, c);
	c->c_armed = 1;
	capture_n++;
	p->p_cap = c;
	p->p_watch |= c->c_dir;
	log_info("capture: port %d into %s", p->p_num, c->c_path);
	return (0);
 fail:
	capture_free(c);
	return (rv);
}

/* capture/stop. */
int
capture_stop(int port)
{
	struct port	*p;

	if ((p = port_get(port)) == NULL || p->p_cap == NULL)
		return (ENXIO);
	log_info("capture: port %d stopped", port);
	capture_end(p->p_cap);
	return (0);
}

int
capture_info(int port, struct capture_info *ci)
{
	struct capture	*c;
	struct port	*p;

	if ((p = port_get(port)) == NULL || (c = p->p_cap) == NULL)
		return (ENXIO);
	ci->ci_port = port;
	ci->ci_dir = c->c_dir;
	ci->ci_path = c->c_path;
	ci->ci_fifo = c->c_fifo;
	ci->ci_snaplen = c->c_snaplen;
	ci->ci_limit = c->c_limit;
	ci->ci_files = c->c_files;
	ci->ci_share = c->c_budget.cb_share;
	ci->ci_filter = c->c_filter != NULL ? c->c_filter : "";
	ci->ci_frames = c->c_frames;
	ci->ci_filtered = c->c_filtered;
	ci->ci_dropped = c->c_dropped;
	ci->ci_bytes = c->c_bytes;
	ci->ci_pending = c->c_len - c->c_off;
	ci->ci_fileno = c->c_fileno;
	return (0);
}

/* The port is removed: its capture ends. */
static void
capture_portgone(struct port *p)
{
	if (p->p_cap != NULL) {
		log_info("capture: port %d removed, capture ended", p->p_num);
		capture_end(p->p_cap);
	}
}

/*
 * The per-frame path: one frame entering or leaving the port.  No
 * allocation, no system call but the clock; a frame that does not fit in
 * the buffer is counted as dropped.
 */
void
capture_frame(struct capture *c, const unsigned char *frame, size_t len,
    unsigned int dir)
{
	struct pcap_pkthdr	 h;
	struct timespec		 ts;
	unsigned char		*r;
	uint32_t		 v;
	size_t			 need;

	if ((c->c_dir & dir) == 0)
		return;
	h.caplen = len < c->c_snaplen ? (bpf_u_int32)len : c->c_snaplen;
	h.len = (bpf_u_int32)len;
	if (c->c_hasprog && pcap_offline_filter(&c->c_prog, &h, frame) == 0) {
		c->c_filtered++;
		return;
	}
	need = CAPTURE_RECHDR + h.caplen;
	if (c->c_len + need + CAPTURE_FILEHDR + 1 > CAPTURE_BUFSIZE) {
		c->c_dropped++;
		return;
	}
	if (c->c_limit != 0) {
		if (c->c_cut == CAPTURE_NOCUT) {
			if (c->c_filebytes + need > c->c_limit &&
			    c->c_filebytes > CAPTURE_FILEHDR) {
				/* The next file starts here. */
				c->c_cut = c->c_len;
				capture_header(c);
				c->c_nextbytes = CAPTURE_FILEHDR;
			}
		} else if (c->c_nextbytes + need > c->c_limit &&
		    c->c_nextbytes > CAPTURE_FILEHDR) {
			/* Two rotations pending: the file is not open yet. */
			c->c_dropped++;
			return;
		}
	}
	(void)clock_gettime(CLOCK_REALTIME, &ts);
	/* The savefile's record: what pcap_dump would write. */
	r = c->c_buf + c->c_len;
	v = (uint32_t)ts.tv_sec;
	memcpy(r + CAPTURE_SECOFF, &v, sizeof(v));
	v = (uint32_t)(ts.tv_nsec / 1000);
	memcpy(r + CAPTURE_USECOFF, &v, sizeof(v));
	v = h.caplen;
	memcpy(r + CAPTURE_CAPOFF, &v, sizeof(v));
	v = h.len;
	memcpy(r + CAPTURE_LENOFF, &v, sizeof(v));
	memcpy(r + CAPTURE_RECHDR, frame, h.caplen);
	c->c_len += need;
	if (c->c_cut == CAPTURE_NOCUT)
		c->c_filebytes += need;
	else
		c->c_nextbytes += need;
	c->c_frames++;
	/*
	 * The file is written in chunks of CAPTURE_FLUSHMIN, or what came
	 * in CAPTURE_FLUSHMS: fewer system calls and loop rounds per frame.
	 */
	if (!c->c_armed && !c->c_held) {
		if (c->c_len - c->c_off >= CAPTURE_FLUSHMIN) {
			timer_del(&c->c_timer);
			loop_events(c->c_fd, POLLOUT);
			c->c_armed = 1;
		} else if (!c->c_timer.t_on)
			timer_add(&c->c_timer, CAPTURE_FLUSHMS);
	}
}

/*
 * The timer: what is pending is written out from the poll loop (a small
 * remainder, or what waited for the budget).
 */
static void
capture_tick(void *arg)
{
	struct capture	*c = arg;

	c->c_held = 0;
	if (!c->c_armed && c->c_off != c->c_len) {
		loop_events(c->c_fd, POLLOUT);
		c->c_armed = 1;
	}
}

/* The next file of the rotation replaces the current one. */
static int
capture_rotate(struct capture *c)
{
	unsigned int	 k;
	char		*path;
	int		 fd, fifo;

	k = c->c_fileno + 1;
	if (c->c_files != 0 && k >= c->c_files)
		k = 0;
	path = capture_name(c, k);
	if ((fd = capture_open(c, path, &fifo)) == -1) {
		log_warn("capture: port %d: %s", c->c_port->p_num, path);
		free(path);
		return (-1);
	}
	loop_del(c->c_fd);
	close(c->c_fd);
	free(c->c_path);
	c->c_path = path;
	c->c_fd = fd;
	c->c_fileno = k;
	loop_add(c->c_fd, POLLOUT, capture_io, c);
	c->c_armed = 1;
	c->c_filebytes = c->c_nextbytes;
	c->c_cut = CAPTURE_NOCUT;
	return (0);
}

/*
 * The poll loop: write what is pending, as much as the file or FIFO takes
 * now and the budget allows (capbudget.c: over it, the capture waits for
 * its timer).  A FIFO whose reader went away ends the capture.
 */
static void
capture_io(int fd, int revents, void *arg)
{
	struct capture	*c = arg;
	size_t		 end;
	ssize_t		 n;
	uint64_t	 t0, wait = 0;
	int		 port = c->c_port->p_num;

	if ((revents & (POLLERR | POLLHUP | POLLNVAL)) != 0 &&
	    c->c_off == c->c_len) {
		log_warnx("capture: port %d: the reader of %s went away, "
		    "capture ended", port, c->c_path);
		capture_end(c);
		return;
	}
	for (;;) {
		end = c->c_cut != CAPTURE_NOCUT ? c->c_cut : c->c_len;
		if (c->c_off == end && end == c->c_cut) {
			if (capture_rotate(c) == -1) {
				log_warnx("capture: port %d ended", port);
				capture_end(c);
				return;
			}
			continue;
		}
		if (c->c_off == end)
			break;
		/*
		 * A hang-up is reported whatever the events asked for: it
		 * is answered at once (the write tells EPIPE), never held,
		 * or the loop would come back here every round.
		 */
		t0 = capture_ns(CLOCK_MONOTONIC);
		if ((revents & (POLLERR | POLLHUP | POLLNVAL)) == 0 &&
		    (wait = capbudget_wait(&c->c_budget, t0,
		    capture_ns(CLOCK_PROCESS_CPUTIME_ID))) != 0)
			break;
		n = write(c->c_fd, c->c_buf + c->c_off, end - c->c_off);
		capbudget_spend(&c->c_budget, capture_ns(CLOCK_MONOTONIC) - t0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			if (errno == EPIPE)
				log_warnx("capture: port %d: the reader of %s "
				    "went away, capture ended", port,
				    c->c_path);
			else
				log_warn("capture: port %d: %s, capture ended",
				    port, c->c_path);
			capture_end(c);
			return;
		}
		c->c_off += (size_t)n;
		c->c_bytes += (uint64_t)n;
	}
	if (c->c_off == c->c_len) {
		c->c_off = c->c_len = 0;
		if (c->c_cut != CAPTURE_NOCUT)
			fatalx("capture: a cut past the end");
	} else if (c->c_off >= CAPTURE_BUFSIZE / 2) {
		/* Room again at the end; amortised over half a buffer. */
		memmove(c->c_buf, c->c_buf + c->c_off, c->c_len - c->c_off);
		c->c_len -= c->c_off;
		if (c->c_cut != CAPTURE_NOCUT)
			c->c_cut -= c->c_off;
		c->c_off = 0;
	}
	if (c->c_off == c->c_len || wait != 0) {
		loop_events(c->c_fd, 0);
		c->c_armed = 0;
	}
	if (wait != 0) {
		/* Over the budget: the timer writes on. */
		c->c_held = 1;
		timer_del(&c->c_timer);
		timer_add(&c->c_timer, (wait + 999999) / 1000000);
	}
}
