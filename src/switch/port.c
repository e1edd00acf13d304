/*
 * port.c: ports, their endpoints (cables), access control and counters
 * (spec sections 1.5, 1.6 and 4).
 *
 * Ports are numbered 0..N (-n N); a port object exists once a client or
 * the console made it and keeps its configuration after its endpoints
 * leave.  The active ports are also kept in a dense array so that
 * flooding visits only ports that have somebody to send to.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "xmalloc.h"
#include "switch.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0	/* SIGPIPE is ignored anyway */
#endif

/*
 * A cable that cannot take a frame right now (its socket queue is full)
 * gets a bounded queue of copies, sent when the socket is writable again.
 * It absorbs bursts; when it is full, frames are dropped and counted.  It
 * is allocated when the cable gets congested and freed when it has drained
 * (or with the cable).  All queues together hold at most
 * sw_conf.c_queuemem bytes: a cable that gets no queue within that budget
 * loses the frame instead, counted like any other drop.
 */
#define EPQ_BYTES	(256 * 1024)
#define EPQ_FRAMES	512

/*
 * A full socket says EAGAIN on Linux, and poll() reports POLLOUT when the
 * receiver's queue has room again.  FreeBSD's local datagram sockets may
 * say ENOBUFS instead, and there POLLOUT looks at the sender's own send
 * buffer, which datagrams never fill (sys/kern/uipc_usrreq.c: the data go
 * straight to the receiver's buffer), so waiting for POLLOUT would not
 * wait at all: the loop would spin.  After ENOBUFS the queue is retried
 * from a timer instead, EPQ_RETRY_MIN ms later, doubling up to
 * EPQ_RETRY_MAX ms while the socket keeps refusing.
 */
#define EPQ_RETRY_MIN	1
#define EPQ_RETRY_MAX	128

struct epq {
	size_t		 q_head;	/* offset of the oldest record */
	size_t		 q_tail;	/* where the next record goes */
	size_t		 q_used;	/* bytes held, wasted tail included */
	int		 q_n;		/* records held */
	unsigned int	 q_backoff;	/* ms to the next retry, 0: none */
	struct timer	 q_retry;	/* the retry after ENOBUFS */
	unsigned char	 q_buf[EPQ_BYTES];
};

/* A record: its length, then the frame, 4-byte aligned. */
#define EPQ_HDR		sizeof(uint32_t)
#define EPQ_RECLEN(n)	((EPQ_HDR + (n) + 3) & ~(size_t)3)
#define EPQ_WRAP	0xffffffffU	/* "continue at offset 0" */

/*
 * Staging: while forward.c handles one batch of received frames that no
 * one changes after sending (no 802.1Q rewriting), port_send() only notes
 * (pointer, length) per cable, and port_stage_end() sends each cable's
 * frames with one os_send_batch().  Fewer system calls and wake-ups on
 * Linux; FreeBSD's libc sends a batch one sendmsg at a time (os/mmsg.c),
 * which keeps the order and the wake-ups but not the saving.
 */
#define STAGE_MAX	64

struct epstage {
	int		 st_n;
	struct endpoint	*st_next;	/* cables with staged frames */
	struct os_frame	 st_f[STAGE_MAX];
};

static const unsigned char *stage_lo, *stage_hi; /* staging when set */
static struct endpoint	*stage_list;

/*
 * Offloads: while forward.c sends a frame read from a tap with offloads,
 * port_off describes it and port_offlen is its length then.  An egress
 * form with a tag more or less moves the headers, not the payload's end,
 * so the offsets move with the length.  Frames a cable without offloads
 * must get whole are made in off_buf: to a socket they go out in batches
 * like staged frames, to a tap without offloads one at a time.
 */
#define OFF_BUF		(96 * 1024)

static const struct os_offload *port_off;
static size_t		 port_offlen;
static unsigned char	 off_buf[OFF_BUF];
static const struct os_offload off_none;	/* a plain, complete frame */
static time_t		 off_warned;		/* one warning a second */

/* The bounds of --port-cables, --user-cables and --queue-memory. */
#define LIMIT_WARN	10	/* seconds between warnings of a kind */

struct port_user {
	uid_t		 pu_uid;
	int		 pu_n;		/* cables of pu_uid on the switch */
};

static struct port_user	*port_users;	/* users with cables, unordered */
static int		 port_nusers, port_userscap;
static uid_t		 port_selfuid;	/* the switch's own euid */
static struct port_limits port_lim;
static time_t		 epq_warned = -LIMIT_WARN;

static void	stage_unlink(struct endpoint *);
static void	epq_retry(void *);
static void	epq_free(struct endpoint *);

static struct port	**port_tab;	/* index = port number */
static int		  port_tabcap;
static int		  port_num;	/* N: ports 0..N exist at most */
static struct port	**port_act;	/* the active ports */
static int		  port_nact;
static struct port_listener *port_listeners;
static struct port_listener **port_listentail = &port_listeners;
static struct port_eplistener *port_eplisteners;

/* Set the number of ports and prepare the table. */
void
port_init(int numports)
{
	port_num = numports;
	port_selfuid = geteuid();
	port_tabcap = numports + 1 < 64 ? numports + 1 : 64;
	port_tab = xcalloc((size_t)port_tabcap, sizeof(*port_tab));
	port_act = xcalloc((size_t)port_tabcap, sizeof(*port_act));
}

/* Register a listener; it stays for the life of the switch. */
void
port_listen(struct port_listener *pl)
{
	pl->pl_next = NULL;
	*port_listentail = pl;
	port_listentail = &pl->pl_next;
}

/* Register an endpoint listener (the console's debug events). */
void
port_eplisten(struct port_eplistener *el)
{
	el->el_next = port_eplisteners;
	port_eplisteners = el;
}

struct port *
port_get(int n)
{
	if (n < 0 || n >= port_tabcap || n > port_num)
		return (NULL);
	return (port_tab[n]);
}

int
sw_numports(void)
{
	return (port_num);
}

int
port_count_active(void)
{
	return (port_nact);
}

struct port *
port_active(int i)
{
	return (i >= 0 && i < port_nact ? port_act[i] : NULL);
}

/* Make port n with the defaults of spec section 1.5. */
static struct port *
port_new(int n, int allocatable)
{
	struct port_listener	*pl;
	struct port		*p;
	int			 ncap;

	if (n >= port_tabcap) {
		/* n <= port_num <= PORT_MAX: the table stays small. */
		ncap = port_tabcap;
		while (ncap <= n)
			ncap *= 2;
		if (ncap > port_num + 1)
			ncap = port_num + 1;
		port_tab = xreallocarray(port_tab, (size_t)ncap,
		    sizeof(*port_tab));
		port_act = xreallocarray(port_act, (size_t)ncap,
		    sizeof(*port_act));
		memset(port_tab + port_tabcap, 0,
		    (size_t)(ncap - port_tabcap) * sizeof(*port_tab));
		port_tabcap = ncap;
	}
	p = xcalloc(1, sizeof(*p));
	p->p_num = n;
	p->p_allocatable = allocatable;
	p->p_user = UID_NONE;
	p->p_group = GID_NONE;
	p->p_curuser = UID_NONE;
	p->p_vlan = 0;
	p->p_active_idx = -1;
	port_tab[n] = p;
	for (pl = port_listeners; pl != NULL; pl = pl->pl_next)
		if (pl->pl_create != NULL)
			pl->pl_create(p);
	return (p);
}

static void
port_free(struct port *p)
{
	struct port_listener	*pl;

	for (pl = port_listeners; pl != NULL; pl = pl->pl_next)
		if (pl->pl_remove != NULL)
			pl->pl_remove(p);
	port_tab[p->p_num] = NULL;
	free(p);
}

/* Console: create port n, not allocatable to "any port" requests. */
int
port_create(int n)
{
	if (n < 0 || n > port_num)
		return (EINVAL);
	if (port_get(n) != NULL)
		return (EEXIST);
	port_new(n, 0);
	return (0);
}

/* Console: create the lowest free port; its number goes to *np. */
int
port_createauto(int *np)
{
	int	n;

	for (n = 1; n <= port_num; n++) {
		if (port_get(n) == NULL) {
			port_new(n, 0);
			*np = n;
			return (0);
		}
	}
	return (ENOSPC);
}

/* Console: remove an inactive port and its configuration. */
int
port_remove(int n)
{
	struct port	*p;

	if ((p = port_get(n)) == NULL)
		return (ENXIO);
	if (p->p_neps > 0)
		return (EADDRINUSE);
	port_free(p);
	return (0);
}

/* Console: N usable ports 1..N; ports above N must be inactive. */
int
port_setnumports(int n)
{
	struct port	*p;
	int		 i;

	if (n < 1 || n > PORT_MAX)
		return (EINVAL);
	for (i = n + 1; i < port_tabcap && i <= port_num; i++)
		if ((p = port_tab[i]) != NULL && p->p_neps > 0)
			return (EADDRINUSE);
	for (i = n + 1; i < port_tabcap && i <= port_num; i++)
		if ((p = port_tab[i]) != NULL)
			port_free(p);
	port_num = n;
	return (0);
}

int
port_allocatable(int n, int on)
{
	struct port	*p;

	if ((p = port_get(n)) == NULL)
		return (ENXIO);
	p->p_allocatable = on != 0;
	return (0);
}

int
port_setuser(int n, uid_t uid)
{
	struct port	*p;

	if ((p = port_get(n)) == NULL)
		return (ENXIO);
	p->p_user = uid;
	return (0);
}

int
port_setgroup(int n, gid_t gid)
{
	struct port	*p;

	if ((p = port_get(n)) == NULL)
		return (ENXIO);
	p->p_group = gid;
	return (0);
}

/* Untagged VLAN of port n; what it learned there is forgotten. */
int
port_setvlan(int n, int vid)
{
	struct port	*p;

	if (vid < 0 || vid > VLAN_MAX)
		return (EINVAL);
	if ((p = port_get(n)) == NULL)
		return (ENXIO);
	fdb_flush_port(n);
	p->p_vlan = vid;
	return (0);
}

static void
port_counters_zero(struct port *p)
{
	struct endpoint	*ep;

	p->p_in_frames = p->p_in_bytes = 0;
	p->p_out_frames = p->p_out_bytes = 0;
	p->p_drop_in = p->p_drop_out = 0;
	for (ep = p->p_eps; ep != NULL; ep = ep->ep_next)
		ep->ep_drops = 0;
}

/* Zero the counters of port n, or of every port when n is -1. */
int
port_resetcounter(int n)
{
	struct port	*p;
	int		 i;

	if (n == -1) {
		for (i = 0; i < port_tabcap && i <= port_num; i++)
			if (port_tab[i] != NULL)
				port_counters_zero(port_tab[i]);
		return (0);
	}
	if ((p = port_get(n)) == NULL)
		return (ENXIO);
	port_counters_zero(p);
	return (0);
}

/*
 * May uid use port p?  Only restricted ports (a user or group set) say
 * no: root, the user, and members of the group are let in.  An unknown
 * uid is never let into a restricted port.
 */
int
port_access(const struct port *p, uid_t uid)
{
	struct passwd	*pw;
	struct group	*gr;
	char		**m;

	if (p->p_user == UID_NONE && p->p_group == GID_NONE)
		return (1);
	if (uid == UID_NONE)
		return (0);
	if (uid == 0 || uid == p->p_user)
		return (1);
	if (p->p_group == GID_NONE || (pw = getpwuid(uid)) == NULL)
		return (0);
	if (pw->pw_gid == p->p_group)
		return (1);
	if ((gr = getgrgid(p->p_group)) == NULL)
		return (0);
	for (m = gr->gr_mem; *m != NULL; m++)
		if (strcmp(*m, pw->pw_name) == 0)
			return (1);
	return (0);
}

/* The entry of uid in the table of users with cables, or NULL. */
static struct port_user *
port_user_find(uid_t uid)
{
	int	i;

	for (i = 0; i < port_nusers; i++)
		if (port_users[i].pu_uid == uid)
			return (&port_users[i]);
	return (NULL);
}

/*
 * Count a cable of uid in or out (delta 1 or -1).  Cables of unknown users
 * (taps) are not counted.  The table holds only users with cables.
 */
static void
port_user_count(uid_t uid, int delta)
{
	struct port_user	*pu;

	if (uid == UID_NONE)
		return;
	if ((pu = port_user_find(uid)) == NULL) {
		if (delta < 0)
			return;
		if (port_nusers == port_userscap) {
			port_userscap = port_userscap == 0 ? 8 :
			    port_userscap * 2;
			port_users = xreallocarray(port_users,
			    (size_t)port_userscap, sizeof(*port_users));
		}
		pu = &port_users[port_nusers++];
		pu->pu_uid = uid;
		pu->pu_n = 0;
	}
	pu->pu_n += delta;
	if (pu->pu_n <= 0)
		*pu = port_users[--port_nusers];
}

/* May uid add one more cable to the switch (--user-cables)? */
static int
port_user_room(uid_t uid)
{
	struct port_user	*pu;

	if (uid == UID_NONE || uid == 0 || uid == port_selfuid)
		return (1);
	pu = port_user_find(uid);
	return ((pu != NULL ? pu->pu_n : 0) < sw_conf.c_usercables);
}

/* Can uid add an endpoint to port n (which may not exist yet)? */
static int
port_usable(int n, uid_t uid)
{
	struct port	*p = port_get(n);

	if (p == NULL)
		return (0);
	if (p->p_neps > 0) {
		if (uid != p->p_curuser)
			return (EADDRINUSE);
		if (p->p_neps >= sw_conf.c_portcables) {
			port_lim.lim_refused_port++;
			return (EMLINK);
		}
		return (0);
	}
	return (port_access(p, uid) ? 0 : EPERM);
}

/*
 * Choose the port for a request (spec section 1.5): port 0 for
 * REQ_NEW_PORT0, the named port, or the lowest free allocatable port the
 * user may use.  Returns 0 with *np set, or an errno value: besides those
 * of the spec, EMLINK for a port with --port-cables cables and EDQUOT for
 * a user with --user-cables cables.
 */
int
port_select(int want, int port0, uid_t uid, int *np)
{
	struct port	*p;
	int		 n;

	if (port0)
		want = 0;
	if ((port0 || want > 0) && want > port_num)
		return (EINVAL);
	if (!port_user_room(uid)) {
		port_lim.lim_refused_user++;
		return (EDQUOT);
	}
	if (port0 || want > 0) {
		*np = want;
		return (port_get(want) == NULL ? 0 : port_usable(want, uid));
	}
	for (n = 1; n <= port_num; n++) {
		if ((p = port_get(n)) == NULL) {
			*np = n;
			return (0);
		}
		if (p->p_neps == 0 && p->p_allocatable &&
		    port_access(p, uid)) {
			*np = n;
			return (0);
		}
	}
	return (ENOSPC);
}

/*
 * Add an endpoint to port n (made if needed): fd is its data descriptor,
 * id its control descriptor (the same for a tap).  The caller registers
 * fd with the loop; port_detach() undoes everything.
 */
struct endpoint *
port_attach(int n, int fd, int id, uid_t uid, const char *module,
    const char *descr, const char *path)
{
	struct port_eplistener	*el;
	struct port_listener	*pl;
	struct endpoint		*ep;
	struct port		*p;

	if ((p = port_get(n)) == NULL)
		p = port_new(n, 1);
	ep = xcalloc(1, sizeof(*ep));
	ep->ep_fd = fd;
	ep->ep_id = id;
	ep->ep_uid = uid;
	ep->ep_tap = id == fd;
	ep->ep_module = module;
	strlcpy(ep->ep_descr, descr != NULL ? descr : "",
	    sizeof(ep->ep_descr));
	strlcpy(ep->ep_path, path != NULL ? path : "", sizeof(ep->ep_path));
	if (!ep->ep_tap)
		ep->ep_stage = xcalloc(1, sizeof(*ep->ep_stage));
	ep->ep_port = p;
	ep->ep_next = p->p_eps;
	p->p_eps = ep;
	port_user_count(uid, 1);
	if (p->p_neps++ == 0) {
		p->p_curuser = uid;
		p->p_active_idx = port_nact;
		port_act[port_nact++] = p;
		fdb_flush_port(n);
		for (pl = port_listeners; pl != NULL; pl = pl->pl_next)
			if (pl->pl_up != NULL)
				pl->pl_up(p);
	}
	/* Endpoint listeners (the console's debug events). */
	for (el = port_eplisteners; el != NULL; el = el->el_next)
		el->el_up(ep);
	log_debug("port %d: endpoint %d up (%s)", n, id, ep->ep_descr);
	return (ep);
}

/*
 * Remove an endpoint: stop watching and close its descriptors, unlink its
 * data socket.  The last endpoint out makes the port inactive: its MAC
 * entries are flushed and the listeners told.
 */
void
port_detach(struct endpoint *ep)
{
	struct port_eplistener	*el;
	struct port_listener	*pl;
	struct port		*p = ep->ep_port;
	struct endpoint		**epp;

	/* Endpoint listeners (the console's debug events). */
	for (el = port_eplisteners; el != NULL; el = el->el_next)
		el->el_down(ep);
	for (epp = &p->p_eps; *epp != NULL; epp = &(*epp)->ep_next) {
		if (*epp == ep) {
			*epp = ep->ep_next;
			break;
		}
	}
	loop_del(ep->ep_fd);
	/* A tap the switch created goes away with it (os_tap_close). */
	if (ep->ep_tap)
		(void)os_tap_close(ep->ep_fd);
	else
		close(ep->ep_fd);
	if (ep->ep_id != ep->ep_fd) {
		loop_del(ep->ep_id);
		close(ep->ep_id);
	}
	if (ep->ep_path[0] != '\0' && unlink(ep->ep_path) == -1 &&
	    errno != ENOENT)
		log_warn("unlink %s", ep->ep_path);
	log_debug("port %d: endpoint %d down", p->p_num, ep->ep_id);
	if (ep->ep_stage != NULL && ep->ep_stage->st_n > 0)
		stage_unlink(ep);
	free(ep->ep_stage);
	epq_free(ep);
	port_user_count(ep->ep_uid, -1);
	free(ep);
	if (--p->p_neps == 0) {
		p->p_curuser = UID_NONE;
		port_act[p->p_active_idx] = port_act[--port_nact];
		port_act[p->p_active_idx]->p_active_idx = p->p_active_idx;
		p->p_active_idx = -1;
		fdb_flush_port(p->p_num);
		for (pl = port_listeners; pl != NULL; pl = pl->pl_next)
			if (pl->pl_down != NULL)
				pl->pl_down(p);
	}
}

/* Console: close the endpoint with ID id on port n. */
int
port_epclose(int n, int id)
{
	struct port	*p;
	struct endpoint	*ep;

	if ((p = port_get(n)) == NULL)
		return (ENXIO);
	for (ep = p->p_eps; ep != NULL; ep = ep->ep_next) {
		if (ep->ep_id == id) {
			port_detach(ep);
			return (0);
		}
	}
	return (ENXIO);
}

/* Queue a copy of frame on ep; 0, or -1 when the queue is full. */
static int
epq_put(struct endpoint *ep, const void *frame, size_t len)
{
	struct epq	*q = ep->ep_q;
	size_t		 rec = EPQ_RECLEN(len), waste = 0;
	uint32_t	 v;

	if (q == NULL) {
		/* Not the per-frame path: once per congestion episode. */
		if (port_lim.lim_queue_used > sw_conf.c_queuemem ||
		    sw_conf.c_queuemem - port_lim.lim_queue_used < sizeof(*q)) {
			port_lim.lim_queue_refused++;
			if (loop_sec() - epq_warned >= LIMIT_WARN) {
				epq_warned = loop_sec();
				log_warnx("port %d: output queues hold their "
				    "maximum of %zu bytes (--queue-memory), "
				    "frames to congested cables are dropped",
				    ep->ep_port->p_num, sw_conf.c_queuemem);
			}
			return (-1);
		}
		port_lim.lim_queue_used += sizeof(*q);
		q = ep->ep_q = xmalloc(sizeof(*q));
		q->q_head = q->q_tail = q->q_used = 0;
		q->q_n = 0;
		q->q_backoff = 0;
		timer_set(&q->q_retry, epq_retry, ep);
	}
	if (q->q_n >= EPQ_FRAMES)
		return (-1);
	/*
	 * Records run from head to tail, perhaps wrapping once.  tail never
	 * catches up with head while records are held, so "tail >= head"
	 * always means "not wrapped".
	 */
	if (q->q_n > 0 && q->q_tail < q->q_head) {
		if (q->q_tail + rec >= q->q_head)
			return (-1);
	} else if (q->q_tail + rec > EPQ_BYTES) {
		/* No room at the end: continue at the start. */
		if (q->q_n > 0 && rec >= q->q_head)
			return (-1);
		waste = EPQ_BYTES - q->q_tail;
		if (waste >= EPQ_HDR) {
			v = EPQ_WRAP;
			memcpy(q->q_buf + q->q_tail, &v, EPQ_HDR);
		}
		q->q_used += waste;
		q->q_tail = 0;
	}
	v = (uint32_t)len;
	memcpy(q->q_buf + q->q_tail, &v, EPQ_HDR);
	memcpy(q->q_buf + q->q_tail + EPQ_HDR, frame, len);
	q->q_tail += rec;
	q->q_used += rec;
	q->q_n++;
	return (0);
}

/* Drop the oldest record of a non-empty queue. */
static void
epq_pop(struct epq *q)
{
	uint32_t	v;

	memcpy(&v, q->q_buf + q->q_head, EPQ_HDR);
	q->q_head += EPQ_RECLEN(v);
	q->q_used -= EPQ_RECLEN(v);
	if (--q->q_n == 0)
		q->q_head = q->q_tail = q->q_used = 0;
}

/* The oldest record of a non-empty queue. */
static unsigned char *
epq_peek(struct epq *q, size_t *len)
{
	uint32_t	v;

	if (EPQ_BYTES - q->q_head < EPQ_HDR) {
		q->q_used -= EPQ_BYTES - q->q_head;
		q->q_head = 0;
	}
	memcpy(&v, q->q_buf + q->q_head, EPQ_HDR);
	if (v == EPQ_WRAP) {
		q->q_used -= EPQ_BYTES - q->q_head;
		q->q_head = 0;
		memcpy(&v, q->q_buf, EPQ_HDR);
	}
	*len = v;
	return (q->q_buf + q->q_head + EPQ_HDR);
}

/* Free ep's queue: its memory goes back to the budget of all queues. */
static void
epq_free(struct endpoint *ep)
{
	struct epq	*q = ep->ep_q;

	if (q == NULL)
		return;
	timer_del(&q->q_retry);
	free(q);
	ep->ep_q = NULL;
	port_lim.lim_queue_used -= sizeof(*q);
}

/*
 * The socket of ep, whose queue holds frames, refused one with error:
 * wait for POLLOUT after EAGAIN, retry from the timer after ENOBUFS (see
 * EPQ_RETRY_MIN).
 */
static void
epq_wait(struct endpoint *ep, int error)
{
	struct epq	*q = ep->ep_q;

	if (error != ENOBUFS) {
		q->q_backoff = 0;
		timer_del(&q->q_retry);
		loop_events(ep->ep_fd, POLLIN | POLLOUT);
		return;
	}
	if (q->q_backoff == 0)
		q->q_backoff = EPQ_RETRY_MIN;
	else if (q->q_backoff < EPQ_RETRY_MAX)
		q->q_backoff *= 2;
	loop_events(ep->ep_fd, POLLIN);
	timer_add(&q->q_retry, q->q_backoff);
}

/* The retry timer of a queue: try its socket again. */
static void
epq_retry(void *arg)
{
	port_flush(arg);
}

/*
 * The cable's socket is writable again (or the retry timer ran): send
 * what waits, in order, until it is full again or the queue is empty.
 */
void
port_flush(struct endpoint *ep)
{
	struct epq	*q = ep->ep_q;
	unsigned char	*f;
	size_t		 len;
	ssize_t		 n;

	while (q != NULL && q->q_n > 0) {
		f = epq_peek(q, &len);
		n = send(ep->ep_fd, f, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == ENOBUFS || errno == EINTR)) {
			epq_wait(ep, errno);
			return;
		}
		if (n != (ssize_t)len) {
			ep->ep_drops++;
			ep->ep_port->p_drop_out++;
		}
		epq_pop(q);
	}
	/* Drained. */
	epq_free(ep);
	loop_events(ep->ep_fd, POLLIN);
}

/* The limits' counters, for the console. */
void
port_getlimits(struct port_limits *lim)
{
	*lim = port_lim;
}

/* Start staging sends of frames that lie in [lo, hi). */
void
port_stage_begin(const void *lo, const void *hi)
{
	stage_lo = lo;
	stage_hi = hi;
}

/*
 * Send ep's staged frames in one batch, after the frames already queued
 * for it; what the socket does not take is queued or dropped.
 */
static void
stage_send(struct endpoint *ep)
{
	struct epstage	*st = ep->ep_stage;
	int		 i, sent = 0, error = EAGAIN, waiting;

	waiting = ep->ep_q != NULL && ep->ep_q->q_n > 0;
	if (!waiting) {
		sent = os_send_batch(ep->ep_fd, st->st_f, st->st_n);
		error = errno;
		if (sent == -1) {
			/* A hard error: every frame is lost. */
			ep->ep_drops += (uint64_t)st->st_n;
			ep->ep_port->p_drop_out += (uint64_t)st->st_n;
			st->st_n = 0;
			return;
		}
		/* Frames too large for the socket were dropped alone. */
		for (i = 0; i < sent; i++)
			if (st->st_f[i].of_trunc) {
				ep->ep_drops++;
				ep->ep_port->p_drop_out++;
			}
	}
	for (i = sent; i < st->st_n; i++) {
		if (epq_put(ep, st->st_f[i].of_buf, st->st_f[i].of_len) == -1) {
			ep->ep_drops++;
			ep->ep_port->p_drop_out++;
		}
	}
	/* A queue that was waiting already goes on waiting as it was. */
	if (!waiting && sent < st->st_n && ep->ep_q != NULL &&
	    ep->ep_q->q_n > 0)
		epq_wait(ep, error);
	st->st_n = 0;
}

/* Take ep off the list of cables with staged frames. */
static void
stage_unlink(struct endpoint *ep)
{
	struct endpoint	**sp;

	for (sp = &stage_list; *sp != NULL; sp = &(*sp)->ep_stage->st_next)
		if (*sp == ep) {
			*sp = ep->ep_stage->st_next;
			break;
		}
	ep->ep_stage->st_next = NULL;
}

/* End of a batch: send everything staged. */
void
port_stage_end(void)
{
	struct endpoint	*ep;

	stage_lo = stage_hi = NULL;
	while ((ep = stage_list) != NULL) {
		stage_list = ep->ep_stage->st_next;
		ep->ep_stage->st_next = NULL;
		stage_send(ep);
	}
}

/* Send what is staged for ep now, ahead of what comes next. */
static void
stage_flush(struct endpoint *ep)
{
	if (ep->ep_stage != NULL && ep->ep_stage->st_n > 0) {
		stage_unlink(ep);
		stage_send(ep);
	}
}

/* Note a frame for ep's next batch; 0, or -1 when the batch is full. */
static int
stage_add(struct endpoint *ep, const void *frame, size_t len)
{
	struct epstage	*st = ep->ep_stage;

	if (st->st_n == STAGE_MAX)
		return (-1);
	if (st->st_n == 0) {
		st->st_next = stage_list;
		stage_list = ep;
	}
	st->st_f[st->st_n].of_buf = (void *)(uintptr_t)frame;
	st->st_f[st->st_n].of_len = len;
	st->st_f[st->st_n++].of_trunc = 0;
	return (0);
}

/*
 * One frame to one cable, never blocking.  A tap with offloads takes it
 * with its description off (NULL: a plain frame).
 */
static void
port_send_raw(struct port *p, struct endpoint *ep, const void *frame,
    size_t len, const struct os_offload *off)
{
	ssize_t		 n;
	int		 error;

	if (ep->ep_stage != NULL &&
	    (uintptr_t)frame >= (uintptr_t)stage_lo &&
	    (uintptr_t)frame < (uintptr_t)stage_hi &&
	    stage_add(ep, frame, len) == 0)
		return;
	/* Anything staged for this cable goes before this frame. */
	stage_flush(ep);
	if (ep->ep_tap) {
		if (ep->ep_offload && off == NULL)
			off = &off_none;
		if (os_tap_write(ep->ep_fd, frame, len,
		    ep->ep_offload ? off : NULL) != (ssize_t)len)
			goto drop;
		return;
	}
	/* Frames already waiting go first. */
	if (ep->ep_q != NULL && ep->ep_q->q_n > 0) {
		if (epq_put(ep, frame, len) == -1)
			goto drop;
		return;
	}
	n = send(ep->ep_fd, frame, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n == (ssize_t)len)
		return;
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == ENOBUFS)) {
		error = errno;
		if (epq_put(ep, frame, len) == 0) {
			epq_wait(ep, error);
			return;
		}
	}
drop:
	ep->ep_drops++;
	p->p_drop_out++;
}

/* The frame being sent comes from a tap with offloads (forward.c). */
void
port_offload_begin(const struct os_offload *off, size_t len)
{
	if (off != NULL && (off->oo_gso != OS_GSO_NONE || off->oo_flags != 0)) {
		port_off = off;
		port_offlen = len;
	} else
		port_off = NULL;
}

void
port_offload_end(void)
{
	port_off = NULL;
}

/*
 * A frame with offloads to a cable that cannot take them: the complete
 * frames it stands for, batched to a socket (in order after what is staged
 * for it).  A description that does not match the frame loses it (warned
 * about once a second at most).
 */
static void
port_send_soft(struct port *p, struct endpoint *ep, const void *frame,
    size_t len, const struct os_offload *off)
{
	struct gso_iter	 gi;
	const char	*why;
	size_t		 n, pos = 0;
	int		 made = 0;

	if (gso_init(&gi, frame, len, off, VDE_ETHBUFSIZE, &why) == -1) {
		if (off_warned != loop_sec()) {
			off_warned = loop_sec();
			log_warnx("port %d: offloaded frame of %zu bytes "
			    "dropped: %s", p->p_num, len, why);
		}
		goto drop;
	}
	while ((n = gso_next(&gi, off_buf + pos, OFF_BUF - pos)) > 0) {
		made++;
		if (ep->ep_stage == NULL) {
			port_send_raw(p, ep, off_buf, n, NULL);
			continue;
		}
		/* After what is staged already, in order. */
		if (stage_add(ep, off_buf + pos, n) == -1) {
			stage_flush(ep);
			(void)stage_add(ep, off_buf + pos, n);
		}
		pos += (n + 15) & ~(size_t)15;
		if (OFF_BUF - pos < VDE_FRAMEBUF) {
			stage_flush(ep);
			pos = 0;
		}
	}
	/* off_buf is reused by the next frame: nothing may stay staged. */
	stage_flush(ep);
	if (made > 0)
		return;
drop:
	ep->ep_drops++;
	p->p_drop_out++;
}

/*
 * One frame to one cable.  With offloads, its description's offsets are
 * moved by what a tag added or took away in front.
 */
static void
port_send_ep(struct port *p, struct endpoint *ep, const void *frame,
    size_t len)
{
	struct os_offload	o;
	long			delta;

	if (port_off == NULL) {
		port_send_raw(p, ep, frame, len, NULL);
		return;
	}
	o = *port_off;
	delta = (long)len - (long)port_offlen;
	if (delta != 0) {
		if ((long)o.oo_csumstart + delta < 0) {
			ep->ep_drops++;
			p->p_drop_out++;
			return;
		}
		o.oo_csumstart = (uint16_t)(o.oo_csumstart + delta);
		if (o.oo_hdrlen != 0 && (long)o.oo_hdrlen + delta > 0)
			o.oo_hdrlen = (uint16_t)(o.oo_hdrlen + delta);
	}
	if (ep->ep_offload)
		port_send_raw(p, ep, frame, len, &o);
	else if (o.oo_gso != OS_GSO_NONE || (o.oo_flags & OS_OFF_CSUM) != 0)
		port_send_soft(p, ep, frame, len, &o);
	else
		port_send_raw(p, ep, frame, len, NULL);
}

/*
 * Send one frame to every endpoint of p without ever blocking: a cable
 * that cannot take it now gets it queued, or loses it when its queue is
 * full, and the port counts the drop.
 */
void
port_send(struct port *p, const void *frame, size_t len)
{
	struct endpoint	*ep;

	p->p_out_frames++;
	p->p_out_bytes += len;
	for (ep = p->p_eps; ep != NULL; ep = ep->ep_next)
		port_send_ep(p, ep, frame, len);
}

/* At exit: close every endpoint (unlinking data sockets), free ports. */
void
port_cleanup(void)
{
	int	i;

	for (i = 0; i < port_tabcap; i++) {
		if (port_tab[i] == NULL)
			continue;
		while (port_tab[i]->p_eps != NULL)
			port_detach(port_tab[i]->p_eps);
		port_free(port_tab[i]);
	}
	free(port_tab);
	free(port_act);
	free(port_users);
	port_users = NULL;
	port_nusers = port_userscap = 0;
	port_tab = port_act = NULL;
	port_tabcap = port_nact = 0;
}
