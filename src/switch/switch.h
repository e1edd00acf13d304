/*
 * switch.h: the internal interface of vde_switch.  Structures first, then
 * one block per source file (the file name is the function prefix).
 *
 * Ownership: the core (loop, timer, ctl, port, fdb, forward, tapport, main)
 * defines the data model; mgmt*.c and the cmd_*.c files, vlan.c, stp.c and
 * bpdu.c use it through the functions declared here.
 */
#ifndef SWITCH_H
#define SWITCH_H

#include <sys/types.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "os/os.h"
#include "proto.h"

#define ETHER_ADDR_LEN		6
#define VLAN_MAX		4095	/* NOVLAN: a port with no untagged VLAN */
#define VLAN_NONE		4095
#define PORT_NONE		(-1)
#define UID_NONE		((uid_t)-1)
#define GID_NONE		((gid_t)-1)

/*
 * --- The core's interface contract --------------------------------------
 *
 * Everything below up to the loop.c block is owned by the core and kept
 * stable: changes are additive only.  In short:
 *
 *  - sw_conf holds every command-line option (main.c parses all of them,
 *    including those other parts implement: -M, --mgmtmode, --mgmtgroup,
 *    -f, -F, --macaddr, --priority).
 *  - Ports are numbered 0..sw_numports(); port_get(n) gives NULL for a
 *    port that does not exist.  A port holds a list of endpoints (cables);
 *    it is "active" while it has at least one (p_neps > 0).
 *  - Port operations return 0 or an errno value (never -1), so a console
 *    command can return them directly.
 *  - forward.c keys the MAC table by (MAC, VLAN id) and sends to a port
 *    with port_send(), which duplicates the frame to every endpoint.
 *    port_send() never blocks and may be called with any buffer: a cable
 *    whose socket is full gets a copy queued (bounded, sent on POLLOUT),
 *    or loses the frame, counted in p_drop_out and ep_drops.  Its struct
 *    sendctx says whether the frame may be staged in the caller's batch
 *    and which offloads it comes with (portq.c).
 *  - Frames reach forward_frame() with FWD_HEADROOM writable bytes in
 *    front, so a tag can be pushed in place.
 *  - A frame from a tap with offloads comes with its os_offload (it may
 *    be a 64 KiB TCP segment, or lack its checksum).  forward_frame()
 *    puts it in the sendctx of the sends of that frame only: taps with offloads take it as it is, every other
 *    cable gets the complete frames gso.c makes of it.
 *  - The optional parts the data path consults are called by name, in
 *    the order forward_frame() reads: fstp_input() (BPDUs), vlan_ingress(),
 *    fstp_learning(), fstp_forwarding(), vlan_flood()/vlan_egress().  Each
 *    answers "nothing to do" cheaply while its part is off, and none
 *    allocates.  Port life-cycle events go to listeners registered with
 *    port_listen().
 *  - Time: loop_sec() (whole seconds since start, monotonic) for the MAC
 *    table and ages; timers (timer_set/timer_add) run from the poll loop,
 *    never from a signal handler.  sw_shutdown() ends the loop; main()
 *    then cleans up and exits 0.
 */

/* All options of the command line (spec section 5). */
struct sw_config {
	char		*c_sock;	/* switch directory (absolute) */
	mode_t		 c_mode;	/* ctl and data sockets */
	mode_t		 c_dirmode;	/* the directory */
	gid_t		 c_gid;		/* -g, GID_NONE when not given */
	const char	*c_group;
	int		 c_numports;	/* -n: ports 1..N (plus port 0) */
	int		 c_hub;		/* -x at start; then forward_gethub() */
	int		 c_daemon;	/* -d */
	int		 c_nostdin;	/* --nostdin */
	char		*c_pidfile;	/* -p, made absolute */
	const char	*c_rcfile;	/* -f; NULL: the default search */
	const char	*c_mgmt;	/* -M: management socket path */
	mode_t		 c_mgmtmode;	/* --mgmtmode (default 0600) */
	const char	*c_mgmtgroup;	/* --mgmtgroup */
	gid_t		 c_mgmtgid;	/* GID_NONE when not given */
	int		 c_fstp;	/* -F (off when -x) */
	unsigned char	 c_macaddr[ETHER_ADDR_LEN]; /* --macaddr or random */
	int		 c_priority;	/* --priority, 16 bits, 0x8000 */
	int		 c_hashsize;	/* --hashsize, power of 2 */
	char		**c_taps;	/* -t, split on commas */
	int		 c_ntaps;
	int		 c_userhs;	/* --user-handshakes: pending per user */
	/* Bounds on what peers can make the switch allocate (limits). */
	int		 c_portcables;	/* --port-cables: cables per port */
	int		 c_usercables;	/* --user-cables: cables per user */
	size_t		 c_queuemem;	/* --queue-memory: all output queues */
	int		 c_minsegment;	/* --min-segment: smallest gso_size */
	int		 c_debugclients; /* -D: debug/add sessions, -1: any */
	char		**c_vxlans;	/* --vxlan, one option string each */
	int		 c_nvxlans;
	size_t		 c_ringmem;	/* --ring-memory: all clients' rings */
};

/* Defaults and maxima of the bounds above and of -n. */
#define PORT_MAX		65535	/* -n and port/setnumports */
#define DEF_PORTCABLES		16
#define DEF_USERCABLES		64
#define DEF_QUEUEMEM		((size_t)16 << 20)
#define DEF_MINSEGMENT		256
#define DEF_RINGMEM		((size_t)128 << 20)	/* 28 ring clients */
extern struct sw_config	sw_conf;

/*
 * A kind of cable with a transport of its own (a VXLAN port, a client on
 * shared-memory rings).  An endpoint with ep_ops NULL is a client's data
 * socket or a tap, handled by port.c and portq.c themselves.
 *  - eo_write: send one complete frame (no offloads left) without
 *    blocking; 0 when it was sent or queued, -1 when it was lost (the
 *    caller counts the drop).
 *  - eo_close: release the kind's descriptors and state (ep_priv); called
 *    by port_detach() instead of closing ep_fd and ep_id.
 *  - eo_write_segs (may be NULL): send the frames a frame with offloads
 *    (a TCP segment of up to 64 KiB, or a checksum to compute) stands
 *    for; portq.c has checked it and hands over gi, set up to cut it
 *    (gso.c), and the kind cuts it itself, e.g. to send the pieces in one
 *    system call; same return as eo_write.  NULL: portq.c cuts it and
 *    calls eo_write for each frame.
 */
struct endpoint;
struct gso_iter;
struct ep_ops {
	const char	*eo_kind;	/* for port/print: "vxlan", "ring" */
	int		(*eo_write)(struct endpoint *, const void *frame,
			    size_t len);
	void		(*eo_close)(struct endpoint *);
	int		(*eo_write_segs)(struct endpoint *, struct gso_iter *);
};

/* One cable: a client's data socket (or a tap) on a port. */
struct endpoint {
	int		 ep_fd;		/* data socket, or the tap fd */
	int		 ep_id;		/* control fd (tap: the tap fd) = ID */
	uid_t		 ep_uid;	/* UID_NONE when unknown */
	int		 ep_tap;	/* a tap: write()s, no data socket */
	int		 ep_offload;	/* a tap with offloads (os_tap_open) */
	const char	*ep_module;	/* "vde" or "tuntap" */
	const struct ep_ops *ep_ops;	/* NULL: a data socket or a tap */
	void		*ep_priv;	/* the kind's own state */
	char		 ep_descr[VDE_DESCR_MAX + 1];
	char		 ep_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
					/* switch-side socket, "" for taps */
	uint64_t	 ep_drops;	/* frames this cable could not take */
	struct epq	*ep_q;		/* frames waiting for POLLOUT (portq.c) */
	struct epstage	*ep_stage;	/* frames staged in a batch (portq.c) */
	struct port	*ep_port;
	struct endpoint	*ep_next;
};

/* A switch port: its configuration survives its endpoints. */
struct port {
	int		 p_num;
	struct endpoint	*p_eps;		/* the cables, newest first */
	int		 p_neps;	/* > 0: the port is active */
	int		 p_allocatable;	/* may "any port" requests get it? */
	uid_t		 p_user;	/* ACL user, UID_NONE: none */
	gid_t		 p_group;	/* ACL group, GID_NONE: none */
	uid_t		 p_curuser;	/* uid of the first endpoint */
	int		 p_active_idx;	/* index in the active list, or -1 */

	/* Counters: never reset when a client reuses the port. */
	uint64_t	 p_in_frames;
	uint64_t	 p_in_bytes;
	uint64_t	 p_out_frames;	/* once per port, not per endpoint */
	uint64_t	 p_out_bytes;
	uint64_t	 p_drop_in;	/* runts < 14 bytes, truncated */
	uint64_t	 p_drop_out;	/* full or failing endpoints */

	/* Capture and mirroring (capture.c, mirror.c): 0 = nothing to do. */
	unsigned int	 p_watch;	/* PORT_W_* */
	struct capture	*p_cap;		/* this port's capture, or NULL */
	struct mirror	*p_mirror;	/* this port as a mirror source */
};

#define PORT_W_CAPIN	0x01	/* capture frames entering the port */
#define PORT_W_CAPOUT	0x02	/* capture frames leaving the port */
#define PORT_W_MIRIN	0x04	/* mirror frames entering the port */
#define PORT_W_MIROUT	0x08	/* mirror frames leaving the port */
#define PORT_W_MIRDST	0x10	/* a mirror destination: no normal traffic */

/*
 * Port listeners, called in registration order; any may be NULL.
 * pl_create: a port object was made (defaults set); pl_remove: it is about
 * to be freed (release what is kept for it); pl_up: its first endpoint
 * arrived; pl_down: its last endpoint left (the core has already flushed
 * the port's MAC entries).
 */
struct port_listener {
	void		(*pl_create)(struct port *);
	void		(*pl_remove)(struct port *);
	void		(*pl_up)(struct port *);
	void		(*pl_down)(struct port *);
	struct port_listener *pl_next;
};

/*
 * Endpoint listeners (added for the console's debug events): an endpoint
 * was attached, or is about to be detached.  Registered with
 * port_eplisten().
 */
struct port_eplistener {
	void		(*el_up)(struct endpoint *);
	void		(*el_down)(struct endpoint *);
	struct port_eplistener *el_next;
};

/* --- loop.c: the poll() loop and monotonic timers --------------------- */

typedef void	(*loop_fn)(int fd, int revents, void *arg);

struct timer {
	uint64_t	  t_when;	/* loop_msec() deadline */
	void		(*t_fn)(void *);
	void		 *t_arg;
	int		  t_on;
	struct timer	 *t_next;
};

void		 loop_init(void);
void		 loop_add(int fd, int events, loop_fn fn, void *arg);
void		 loop_events(int fd, int events);	/* POLLIN|POLLOUT */
void		 loop_del(int fd);
int		 loop_nonblock(int fd);	/* and close-on-exec */
int		 loop_run(void);		/* returns loop_exit()'s status */
void		 loop_exit(int status);
uint64_t	 loop_msec(void);		/* monotonic milliseconds */
time_t		 loop_sec(void);		/* whole seconds since start */
void		 timer_set(struct timer *, void (*)(void *), void *);
void		 timer_add(struct timer *, uint64_t msec);
void		 timer_del(struct timer *);

/* --- main.c ------------------------------------------------------------ */

void		 sw_shutdown(void);	/* clean exit with status 0 */

/* --- ctl.c: control directory, ctl socket, handshakes ------------------- */

/* swdir.c: the switch directory and the socket files in it. */
void		 swdir_open(void);	/* make or adopt it; fatal if unsafe */
int		 swdir_bind(int, const char *, mode_t);
int		 swdir_chown(const char *, uid_t, gid_t);
int		 swdir_stat(const char *, struct stat *);
int		 swdir_unlink(const char *);
void		 swdir_remove(void);	/* at exit */

void		 ctl_init(void);	/* create the directory and ctl */
void		 ctl_cleanup(void);	/* unlink ctl, rmdir the directory */

/* --- port.c: ports, endpoints, access control, counters ---------------- */

struct sendctx;		/* how a frame is sent: portq.c below */

void		 port_init(int numports);
void		 port_cleanup(void);
struct port	*port_get(int n);	/* NULL: no such port */
int		 sw_numports(void);	/* N: ports are 0..N */
int		 port_count_active(void);
struct port	*port_active(int i);	/* i in 0..port_count_active() */
int		 port_create(int n);	/* EEXIST, EINVAL */
int		 port_createauto(int *np); /* ENOSPC */
int		 port_remove(int n);	/* ENXIO, EADDRINUSE */
int		 port_setnumports(int n); /* EINVAL, EADDRINUSE */
int		 port_allocatable(int n, int on);
int		 port_setuser(int n, uid_t uid);	/* UID_NONE: clear */
int		 port_setgroup(int n, gid_t gid);	/* GID_NONE: clear */
int		 port_epclose(int n, int id);		/* ENXIO */
int		 port_resetcounter(int n);		/* -1: every port */
int		 port_select(int want, int port0, uid_t uid, int *np);
struct endpoint	*port_attach(int n, int fd, int id, uid_t uid,
		    const char *module, const char *descr, const char *path);
struct endpoint	*port_attach_ops(int n, const struct ep_ops *, void *priv,
		    int fd, uid_t uid, const char *descr);
void		 port_detach(struct endpoint *);
void		 port_send(struct port *, const void *frame, size_t len,
		    const struct sendctx *);
void		 port_send_mirror(struct port *, const void *frame, size_t len,
		    const struct sendctx *);
void		 port_listen(struct port_listener *);
void		 port_eplisten(struct port_eplistener *);
int		 port_access(const struct port *, uid_t uid);

/*
 * port_select() refusals beyond spec section 1.5: the port has
 * sw_conf.c_portcables cables already (EMLINK), the user has
 * sw_conf.c_usercables cables on the switch (EDQUOT; root and the
 * switch's own user are never refused so).  Counted, with the output
 * queues' memory, in struct port_limits for the console.
 */
struct port_limits {
	uint64_t	 lim_refused_port;	/* EMLINK refusals */
	uint64_t	 lim_refused_user;	/* EDQUOT refusals */
	size_t		 lim_queue_used;	/* bytes of output queues */
	uint64_t	 lim_queue_refused;	/* frames lost: no queue in budget */
};
void		 port_getlimits(struct port_limits *);

/* --- portq.c: sending to one cable: output queue, staging, offloads ---- */

/*
 * Cables with frames staged for one batch (struct sendctx).  Its owner
 * starts it empty ({ NULL }) and ends it with portq_batch_end(), before
 * the frames it staged change or go away.
 */
struct portq_batch {
	struct endpoint	*b_eps;		/* cables with staged frames */
};

/*
 * How port_send() and portq_send() send a frame; NULL is the same as all
 * fields NULL: a plain, complete frame, sent (or queued) at once.
 *  - sc_batch: the frame stays valid and unchanged until
 *    portq_batch_end(sc_batch), so sends to client sockets are only noted
 *    there and go out as one batch per cable.  NULL: send at once.
 *  - sc_off: the frame comes from a tap with checksum or segmentation
 *    offloads, and sc_off describes it as it was sc_offlen bytes long (a
 *    tag pushed or popped since moves the offsets).  Taps with offloads
 *    take it as it is, other cables the complete frames gso.c makes of
 *    it.  NULL: a plain frame.
 */
struct sendctx {
	struct portq_batch	*sc_batch;
	const struct os_offload	*sc_off;
	size_t			 sc_offlen;
};

void		 portq_send(struct endpoint *, const void *frame, size_t len,
		    const struct sendctx *);
void		 portq_batch_end(struct portq_batch *);	/* NULL: nothing */
void		 portq_flush(struct endpoint *);	/* on POLLOUT */
void		 portq_attach(struct endpoint *);
void		 portq_detach(struct endpoint *);
void		 portq_getlimits(struct port_limits *);	/* lim_queue_* */

/* --- fdb.c: the MAC learning table, keyed by (MAC, VLAN) --------------- */

struct fdb_entry {
	unsigned char	 fe_mac[ETHER_ADDR_LEN];
	uint16_t	 fe_vlan;
	int		 fe_port;
	time_t		 fe_seen;	/* loop_sec() of the last frame */
	time_t		 fe_logged;	/* last "moved" log line */
	struct fdb_entry *fe_next;	/* hash chain or free list */
};

struct fdb_param {
	int		 fp_buckets;	/* power of 2 */
	int		 fp_max;	/* entry cap */
	int		 fp_gcint;	/* seconds between sweeps */
	int		 fp_expire;	/* seconds */
	int		 fp_minper;	/* min persistence before a move */
};

#define FDB_IGNORED	0	/* multicast or zero source: not learned */
#define FDB_NEW		1
#define FDB_REFRESH	2
#define FDB_MOVED	3
#define FDB_KEPT	4	/* moved too soon: stays on the old port */
#define FDB_FULL	5	/* table at its cap: not learned */

void		 fdb_init(int buckets, int max);
void		 fdb_free(void);
int		 fdb_learn(const unsigned char *mac, int vid, int port,
		    time_t now);
int		 fdb_lookup(const unsigned char *mac, int vid, time_t now);
int		 fdb_expired(const struct fdb_entry *, time_t now);
struct fdb_entry *fdb_find(const unsigned char *mac, int vid);
void		 fdb_flush_port(int port);
void		 fdb_flush_vlan(int vid);
void		 fdb_flush_port_vlan(int port, int vid);
void		 fdb_flush_all(void);
void		 fdb_gc(time_t now);
int		 fdb_count(void);
void		 fdb_foreach(void (*)(const struct fdb_entry *, void *),
		    void *);
void		 fdb_getparam(struct fdb_param *);
int		 fdb_setsize(int buckets);	/* flushes; EINVAL */
int		 fdb_setmax(int max);		/* flushes; EINVAL */
int		 fdb_setgcint(int sec);
int		 fdb_setexpire(int sec);
int		 fdb_setminper(int sec);

/* --- forward.c: the data plane ------------------------------------------ */

/*
 * forward_frame() gets frames with FWD_HEADROOM writable bytes in front
 * (room for an 802.1Q tag) and VDE_FRAMEBUF bytes from the frame's start,
 * and the caller's batch: its sends are staged there when it is not NULL.
 */
#define FWD_HEADROOM	8

void		 forward_init(void);
void		 forward_input(int fd, int revents, void *ep); /* loop_fn */
void		 forward_frame(struct port *in, unsigned char *frame,
		    size_t len, const struct os_offload *,
		    struct portq_batch *);
void		 forward_sethub(int on);
int		 forward_gethub(void);

/* --- csum.c: the Internet checksum ----------------------------------- */

/*
 * csum_add adds n bytes at p to a ones' complement sum of big-endian
 * 16-bit words (an odd last byte is the high half of a word padded with
 * zero; pseudo-header fields may be added to the sum as numbers);
 * csum_fold folds it to 16 bits and complements it: the header's value.
 */
uint64_t	 csum_add(uint64_t sum, const unsigned char *p, size_t n);
/* csum_add() that also copies the bytes to dst, in the same pass. */
uint64_t	 csum_copy(uint64_t sum, unsigned char *dst,
		    const unsigned char *src, size_t n);
uint16_t	 csum_fold(uint64_t sum);

/* --- gso.c: software checksum and segmentation (pure, no state) -------- */

/*
 * A frame read from a tap with offloads (os_offload) may still need its
 * checksum computed, or be a TCP segment of up to 64 KiB standing for
 * several frames.  A destination that cannot take it so (a client socket,
 * a tap without offloads) gets the frames it stands for, made here one at
 * a time into the caller's buffer.  gso_init() checks the frame and its
 * description against each other and returns 0, or -1 with a reason for
 * the log in *why; gso_next() writes the next complete frame (checksums
 * done, no offload left) into out and returns its length, 0 after the last.
 * No frame made is longer than maxlen.
 */
struct gso_iter {
	const unsigned char	*gi_frame;
	size_t			 gi_len;
	struct os_offload	 gi_off;
	size_t			 gi_maxlen;
	size_t			 gi_l3;		/* IP header offset */
	size_t			 gi_hlen;	/* headers up to the payload */
	size_t			 gi_pos;	/* next payload byte */
	unsigned int		 gi_seg;	/* segments made */
	int			 gi_done;
};

int		 gso_init(struct gso_iter *, const unsigned char *frame,
		    size_t len, const struct os_offload *, size_t maxlen,
		    const char **why);
size_t		 gso_next(struct gso_iter *, unsigned char *out,
		    size_t outlen);
/* Is off a segmentation into segments smaller than minseg bytes? */
int		 gso_undersized(const struct os_offload *off,
		    unsigned int minseg);

/* --- gro.c: TCP frames merged back into segments (pure, no state) ---- */

/*
 * gro_add() offers the next complete frame to the segment being built in
 * the buffer given to gro_init() (cap bytes, at most OS_TAP_FRAMEMAX):
 *  GRO_HELD   it was taken: it started a segment or continued it;
 *  GRO_FLUSH  it does not continue the held segment: gro_take() that one,
 *             then offer the frame again;
 *  GRO_NEVER  it is not a TCP frame that can be merged (or its checksums
 *             are wrong): gro_take() the held segment, then forward the
 *             frame as it is.
 * gro_take() ends the segment and returns its length (0: nothing held)
 * with its description in *off: a segment with offloads, as a tap with
 * offloads hands them over, or all zero when it holds one frame.  A
 * segment never starts with a frame of fewer than minmss payload bytes
 * (--min-segment: what a tap may not hand over, a merge does not make).
 */
#define GRO_HELD	0
#define GRO_FLUSH	1
#define GRO_NEVER	2
#define GRO_MAXSEGS	128

struct gro {
	unsigned char	*g_buf;
	size_t		 g_cap;
	size_t		 g_len;		/* bytes held */
	unsigned int	 g_n;		/* frames held */
	int		 g_kind;	/* OS_GSO_TCP4 or OS_GSO_TCP6 */
	size_t		 g_th;		/* TCP header offset */
	size_t		 g_hlen;	/* headers, up to the payload */
	size_t		 g_mss;		/* the first frame's payload */
	size_t		 g_minmss;	/* smaller first payloads: not merged */
	uint32_t	 g_seq;		/* the next sequence number */
	int		 g_ended;	/* a short or PSH frame came last */
};

void		 gro_init(struct gro *, unsigned char *buf, size_t cap,
		    size_t minmss);
int		 gro_add(struct gro *, const unsigned char *frame, size_t len);
size_t		 gro_take(struct gro *, struct os_offload *off);

/* --- tapport.c: -t tap interfaces --------------------------------------- */

void		 tapport_init(void);		/* opens sw_conf.c_taps */
int		 tapport_open(const char *ifname, int *np);	/* errno */
uint64_t	 tapport_undersized(void);	/* dropped: --min-segment */
uint64_t	 tapport_toolong(void);	/* dropped: over VDE_ETHBUFSIZE */

/* --- mgmt.c: the management console; cmd_*.c: its commands ----------- */

/*
 * The console's commands are one static table, cmd_table (cmd_table.c),
 * in the order "help" lists them; each entry is defined next to its
 * handler in the cmd_*.c file of its menu.  mgmt*.c only look commands up
 * in the table; the commands write through the output API below.
 */
struct mgmt_out;		/* where a command writes its output */

#define CMD_DATA	0x01	/* prints a "0000 DATA END WITH '.'" block */
#define CMD_NEEDFD	0x02	/* needs a live console: EBADF in rc files */
#define CMD_LOGOUT	(-1)	/* c_fn return: end this session */
#define CMD_SHUTDOWN	(-2)	/* c_fn return: stop the switch */

struct cmd {
	const char	 *c_path;	/* "port/print"; a menu when c_fn NULL */
	const char	 *c_syntax;
	const char	 *c_help;
	int		  c_flags;
	/* arg: the rest of the line, blanks trimmed, the handler's to cut */
	int		(*c_fn)(struct mgmt_out *, char *arg);
};

/* cmd_table.c: every command, NULL-terminated. */
extern const struct cmd *const cmd_table[];

/*
 * Debug event categories (debug/add, debug/list).  A misspelt category is
 * a compile error; mgmtev_tab (mgmtev.c) gives each its VDE 2 name, octal
 * tag and help text.  A session's subscriptions are a mask of 1 << value.
 */
enum mgmtev {
	MGMTEV_PORT_UP,		/* port/+ */
	MGMTEV_PORT_DOWN,	/* port/- */
	MGMTEV_PORT_DESCR,	/* port/descr */
	MGMTEV_EP_UP,		/* port/ep/+ */
	MGMTEV_EP_DOWN,		/* port/ep/- */
	MGMTEV_FSTP_STATUS,	/* fstp/status */
	MGMTEV_FSTP_ROOT,	/* fstp/root */
	MGMTEV_COUNT		/* at most 32 */
};

struct mgmtev_info {
	const char	*ev_name;
	unsigned int	 ev_tag;
	const char	*ev_help;
};

/* mgmt.c: sessions, framing, the stdin console, rc files. */
#define MGMT_LINEMAX	4096	/* longest console line, without the \n */
void		 mgmt_init(const char *sock, mode_t mode, gid_t gid,
		    int use_stdin);
int		 mgmt_rcfile(const char *path);	/* NULL: the default files */
int		 mgmt_attach(int fd);		/* a connected client */
void		 mgmt_cleanup(void);		/* flush, close, unlink -M */
void		 mgmt_printf(struct mgmt_out *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
int		 mgmt_exec(struct mgmt_out *, char *line);
void		 mgmt_banner(struct mgmt_out *);
int		 mgmt_hasfd(const struct mgmt_out *);
uint32_t	 mgmt_debug_get(const struct mgmt_out *);
void		 mgmt_debug_set(struct mgmt_out *, uint32_t mask);
int		 mgmt_debug_sessions(void);	/* with a debug/add */
/* mgmterr.c: err's Linux number for replies, and its text. */
int		 mgmterr_code(int err, const char **text);

/* mgmtscript.c: the "load" command (rc files go through mgmt_rcfile). */
int		 mgmtscript_load(struct mgmt_out *, const char *path);

/* mgmtsock.c: the -M socket. */
const char	*mgmtsock_path(void);		/* -M path or NULL */
mode_t		 mgmtsock_mode(void);

/* mgmtev.c: debug events. */
extern const struct mgmtev_info mgmtev_tab[MGMTEV_COUNT];
void		 mgmtev_send(enum mgmtev, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));

/* linebuf.c: split a byte stream into bounded console lines. */
#define LINEBUF_NONE	0	/* no complete line yet */
#define LINEBUF_LINE	1	/* *line is the next line, NUL-terminated */
#define LINEBUF_LONG	2	/* a line over MGMT_LINEMAX: dropped */
struct linebuf {
	char		 lb_buf[MGMT_LINEMAX + 2];	/* line, \r, \n */
	size_t		 lb_off;	/* first unconsumed byte */
	size_t		 lb_len;	/* bytes in lb_buf */
	int		 lb_skip;	/* dropping the rest of a long line */
};
void		 linebuf_init(struct linebuf *);
size_t		 linebuf_space(struct linebuf *, char **);
void		 linebuf_fill(struct linebuf *, size_t);
int		 linebuf_next(struct linebuf *, char **line);
int		 linebuf_last(struct linebuf *, char **line);
int		 linebuf_partial(const struct linebuf *);

/* cmd.c: the pure line parser and argument helpers. */
#define CMD_PARSE_EMPTY		0	/* blank or # comment: no reply */
#define CMD_PARSE_FOUND		1
#define CMD_PARSE_UNKNOWN	2	/* ENOSYS */
int		 cmd_parse(const struct cmd *const *, char *line,
		    const struct cmd **, char **arg);
int		 cmd_split(char *arg, char **argv, int max);
int		 cmd_int(const char *, long long min, long long max,
		    long long *);

/* fdb.c, added for the console: the bucket index of an entry's key. */
int		 fdb_bucket(const unsigned char *mac, int vid);

/*
 * mgmtcred.c: who is behind a console session, for the files a command
 * opens on its behalf.  0 with *cred and *asuser (take cred's identity
 * with os_asuser around the open) set, or an errno: EACCES when the
 * session's credentials are unknown, EPERM when a switch that is not
 * root serves a session of another user.
 */
int		 mgmtcred_get(struct mgmt_out *, struct os_peercred *cred,
		    int *asuser);

/* --- capbudget.c: the share of time a capture may spend writing ------- */

#define CAPBUDGET_SHARE		10	/* % of CPU time, the default */
#define CAPBUDGET_FLOOR		2	/* % of the time, always */
#define CAPBUDGET_BURST		((int64_t)5000000)	/* ns in reserve */
#define CAPBUDGET_DEBTMAX	((int64_t)1000000000)	/* ns owed at most */
#define CAPBUDGET_IDLEMAX	((uint64_t)1000000000000) /* ns counted */

struct capbudget {
	uint64_t	 cb_at;		/* when cb_left was last topped up */
	uint64_t	 cb_cpu;	/* the CPU time then */
	int64_t		 cb_left;	/* ns of writing allowed now */
	unsigned int	 cb_share;	/* percent of the time, 1..100 */
};

void		 capbudget_init(struct capbudget *, unsigned int share,
		    uint64_t now, uint64_t cpu);
uint64_t	 capbudget_wait(struct capbudget *, uint64_t now,
		    uint64_t cpu);
void		 capbudget_spend(struct capbudget *, uint64_t ns);

/* --- capture.c: pcap capture of a port's frames ------------------------ */

#define CAPTURE_MAX		16	/* captures at a time */
#define CAPTURE_BUFSIZE		((size_t)1 << 20)	/* per capture */
#define CAPTURE_SNAPMAX		262144	/* and the default snap length */
#define CAPTURE_SNAPMIN		64
#define CAPTURE_LIMITMIN	((uint64_t)4096)	/* smallest size limit */
#define CAPTURE_FILESMAX	1000	/* files of one rotation */

struct capture_conf {
	int		 cc_port;
	unsigned int	 cc_dir;	/* PORT_W_CAPIN | PORT_W_CAPOUT */
	const char	*cc_path;
	unsigned int	 cc_snaplen;	/* CAPTURE_SNAPMIN..CAPTURE_SNAPMAX */
	uint64_t	 cc_limit;	/* bytes per file, 0: no limit */
	unsigned int	 cc_files;	/* files in rotation, 0: no bound */
	unsigned int	 cc_share;	/* % of time writing, 0: default */
	const char	*cc_filter;	/* tcpdump syntax, NULL: all */
};

struct capture_info {
	int		 ci_port;
	unsigned int	 ci_dir;
	const char	*ci_path;	/* the file being written */
	int		 ci_fifo;
	unsigned int	 ci_snaplen;
	uint64_t	 ci_limit;
	unsigned int	 ci_files;
	unsigned int	 ci_share;	/* % of time writing, 1..100 */
	const char	*ci_filter;	/* "" when none */
	uint64_t	 ci_frames;	/* written to the buffer */
	uint64_t	 ci_filtered;	/* refused by the filter */
	uint64_t	 ci_dropped;	/* buffer full */
	uint64_t	 ci_bytes;	/* written to files */
	size_t		 ci_pending;	/* bytes in the buffer */
	unsigned int	 ci_fileno;	/* current file of the rotation */
};

void		 capture_init(void);
void		 capture_cleanup(void);
/* errbuf gets a message for the console when the error needs one. */
int		 capture_start(const struct capture_conf *,
		    const struct os_peercred *cred, int asuser,
		    char *errbuf, size_t errlen);
int		 capture_stop(int port);	/* ENXIO */
int		 capture_info(int port, struct capture_info *);	/* ENXIO */
void		 capture_frame(struct capture *, const unsigned char *,
		    size_t len, unsigned int dir);

/* --- mirror.c: port mirroring (SPAN) ----------------------------------- */

#define MIRROR_MAX		64	/* source ports at a time */

struct mirror_info {
	int		 mi_src;
	int		 mi_dst;
	unsigned int	 mi_dir;	/* PORT_W_MIRIN | PORT_W_MIROUT */
	uint64_t	 mi_in;		/* copies of entering frames */
	uint64_t	 mi_out;	/* copies of leaving frames */
};

/* A VLAN source: every frame the switch classifies into the VLAN. */
struct mirror_vinfo {
	int		 mv_vid;
	int		 mv_dst;
	uint64_t	 mv_frames;	/* copies sent */
};

extern int	 mirror_nvlans;		/* VLAN sources: 0, nothing to do */

void		 mirror_init(void);
int		 mirror_add(int src, int dst, unsigned int dir);
int		 mirror_addvlan(int vid, int dst);
int		 mirror_delvlan(int vid);			/* ENXIO */
int		 mirror_getvlan(int i, struct mirror_vinfo *);	/* ENOENT */
void		 mirror_vlan(int vid, const unsigned char *, size_t,
		    const struct sendctx *);
int		 mirror_del(int src);			/* ENXIO */
int		 mirror_get(int i, struct mirror_info *);	/* i-th, ENOENT */
void		 mirror_frame(struct port *, const unsigned char *, size_t,
		    const struct sendctx *, unsigned int dir);

/* --- vtag.c: the 802.1Q tag codec (pure, no state) ------------------- */

#define VTAG_OFF	12		/* TPID offset: after the addresses */
#define VTAG_LEN	4		/* TPID + TCI */
#define VTAG_TPID	0x8100
#define VTAG_VID(tci)	((int)((tci) & 0x0fff))
#define VTAG_PCP(tci)	((int)(((tci) >> 13) & 7))
#define VTAG_DEI(tci)	((int)(((tci) >> 12) & 1))
#define VTAG_TCI(pcp, dei, vid) \
	((uint16_t)(((pcp) & 7) << 13 | ((dei) & 1) << 12 | ((vid) & 0x0fff)))

#define VTAG_SHORT	(-1)		/* too short to be a frame */
#define VTAG_NONE	0		/* untagged */
#define VTAG_TAGGED	1		/* TPID 0x8100 + TCI present */

struct vtag {
	uint16_t	vt_tci;
	int		vt_vid;
	int		vt_pcp;
	int		vt_dei;
};

int		 vtag_parse(const unsigned char *, size_t, struct vtag *);
void		 vtag_set_tci(unsigned char *, uint16_t);
void		 vtag_strip(unsigned char **, size_t *);
void		 vtag_push(unsigned char **, size_t *, uint16_t);	/* needs 4 bytes headroom */

/* --- vlan.c: VLAN table, port membership, ingress and egress -------- */

/*
 * A frame on its way through the switch.  vlan_ingress() fills it in;
 * vlan_egress() and vlan_flood() switch it between its tagged and untagged
 * form in place (or in a spare buffer when the caller gave no headroom).
 */
struct vlan_frame {
	unsigned char	*vf_data;	/* current start of the frame */
	size_t		 vf_len;
	size_t		 vf_room;	/* writable bytes before vf_data */
	int		 vf_vid;	/* the frame's VLAN */
	uint16_t	 vf_tci;	/* TCI used whenever it leaves tagged */
	int		 vf_tagged;	/* vf_data currently carries a tag */
};

typedef void	(*vlan_send_fn)(int port, const unsigned char *, size_t,
		    void *arg);

#define VLAN_CREATE_MAX		4093	/* vlan/create accepts 1..4093 */
#define VLAN_COUNT		(VLAN_MAX + 1)	/* ids 0..4095 */
#define VLAN_MAPSIZE		(VLAN_COUNT / 8)	/* a bit per VID */

void		 vlan_init(void);
int		 vlan_aware(void);

/*
 * ringport.c: clients on shared-memory rings (ring.h), offered in the
 * request and accepted by ctl.c within sw_conf.c_ringmem.
 */
struct ringport;
int		 ringport_offered(const struct vde_req *);
struct ringport	*ringport_new(int n);
int		 ringport_send(struct ringport *, int ctl);
void		 ringport_free(struct ringport *);
struct endpoint	*ringport_attach(int n, struct ringport *, int ctl, int dfd,
		    const char *path, uid_t uid, const char *descr);
size_t		 ringport_memory(uint64_t *refused, uint64_t *corrupt);
int		 vlan_ingress(int port, unsigned char *, size_t, size_t room,
		    struct vlan_frame *);
int		 vlan_egress(struct vlan_frame *, int port);
void		 vlan_flood(struct vlan_frame *, int inport, vlan_send_fn,
		    void *);
/* port life-cycle, called through vlanport.c */
void		 vlan_port_up(int port);
void		 vlan_port_down(int port);
void		 vlan_port_forget(int port);
/* configuration (cmd_vlan.c); errno values as the console reports them */
int		 vlan_defined(int vid);
int		 vlan_create(int vid);
int		 vlan_remove(int vid);
int		 vlan_addport(int vid, int port);
int		 vlan_delport(int vid, int port);
int		 vlan_trunkall(int port, int on);
int		 vlan_setuntagged(int port, int vid);
int		 vlan_untagged(int port);
int		 vlan_is_tagged(int vid, int port);
int		 vlan_is_member(int vid, int port);
int		 vlan_in_use(int vid);
int		 vlan_port_active(int port);
int		 vlan_port_trunkall(int port);
unsigned long long vlan_port_drops(int port, int tagged);
void		 vlan_port_tagmap(int port, unsigned char *map);
int		 vlan_parselist(const char *, unsigned char *map, int *all);
size_t		 vlan_fmtlist(char *, size_t, const unsigned char *map);

/* --- vlanport.c: vlan.c follows port life-cycle ------------------------ */

void		 vlanport_init(void);

/* --- bpdu.c: IEEE 802.1D/802.1w BPDU codec (no I/O) ------------------- */

#define BPDU_FRAMELEN	60	/* encoded frames are padded to this */
#define BPDU_TYPE_CONFIG	0x00
#define BPDU_TYPE_RST		0x02
#define BPDU_TYPE_TCN		0x80

/* Flags (RST BPDUs use all of them; Config BPDUs only TC and TCA). */
#define BPDU_F_TC		0x01
#define BPDU_F_PROPOSAL		0x02
#define BPDU_F_ROLE_MASK	0x0c
#define BPDU_F_ROLE_SHIFT	2
#define BPDU_ROLE_UNKNOWN	0	/* values of the 2-bit role field */
#define BPDU_ROLE_ALTBACKUP	1
#define BPDU_ROLE_ROOT		2
#define BPDU_ROLE_DESIGNATED	3
#define BPDU_F_LEARNING		0x10
#define BPDU_F_FORWARDING	0x20
#define BPDU_F_AGREEMENT	0x40
#define BPDU_F_TCA		0x80

/* Why bpdu_decode() refused a frame (negative return values). */
#define BPDU_ESHORT	(-1)	/* truncated or bad 802.3 length */
#define BPDU_EADDR	(-2)	/* not addressed to the bridge group */
#define BPDU_ELLC	(-3)	/* not LLC 42 42 03 */
#define BPDU_EPROTO	(-4)	/* protocol identifier not 0 */
#define BPDU_ETYPE	(-5)	/* unknown type or type/version/length mix */
#define BPDU_EAGE	(-6)	/* message age >= max age */

/* A decoded BPDU.  Bridge ids are priority << 48 | MAC; times 1/256 s. */
struct bpdu {
	uint8_t		 b_type;	/* BPDU_TYPE_* */
	uint8_t		 b_version;	/* 0 STP, 2 RSTP, 3+ read as RSTP */
	uint8_t		 b_flags;
	uint64_t	 b_root;
	uint32_t	 b_cost;
	uint64_t	 b_bridge;
	uint16_t	 b_port;
	uint16_t	 b_msgage;
	uint16_t	 b_maxage;
	uint16_t	 b_hello;
	uint16_t	 b_fwddelay;
};

extern const uint8_t	bpdu_group[ETHER_ADDR_LEN];	/* 01:80:c2:00:00:00 */
int		 bpdu_is_group(const uint8_t *frame, size_t len);
int		 bpdu_decode(const uint8_t *frame, size_t len, struct bpdu *);
size_t		 bpdu_encode(uint8_t *buf, size_t size,
		    const uint8_t src[ETHER_ADDR_LEN], const struct bpdu *);
const char	*bpdu_strerror(int);

/* --- stp.c: IEEE 802.1w RSTP with 802.1D STP fallback, one tree ------- */

#define STP_ROLE_DISABLED	0
#define STP_ROLE_ROOT		1
#define STP_ROLE_DESIGNATED	2
#define STP_ROLE_ALTERNATE	3
#define STP_ROLE_BACKUP		4

#define STP_DEF_PRIORITY	32768
#define STP_DEF_PORTPRIO	128
#define STP_DEF_COST		20000	/* 802.1D-2004 Table 17-3, 1 Gb/s */

/* What the protocol needs from the switch (tests supply fakes). */
struct stp_ops {
	void	(*so_send)(int port, const uint8_t *frame, size_t len);
	void	(*so_flush)(int port);	/* forget MACs learned on port */
	/* Optional (NULL: not told): a port's new state; a new root. */
	void	(*so_state)(int port, int learning, int forwarding);
	void	(*so_root)(int rootport, uint64_t root);
};

/* A snapshot of the bridge, for fstp/print and fstp/showinfo. */
struct stp_info {
	int		 si_enabled;
	uint64_t	 si_bridge;		/* our bridge id */
	uint64_t	 si_root;		/* the root bridge id */
	uint64_t	 si_designated;		/* designated bridge to the root */
	uint32_t	 si_cost;		/* our root path cost */
	int		 si_rootport;		/* PORT_NONE when we are root */
	unsigned int	 si_hello, si_maxage, si_fwddelay;	/* ours, s */
	unsigned int	 si_root_hello, si_root_maxage, si_root_fwddelay;
	unsigned long	 si_topochanges;
};

/* One port, for fstp/print. */
struct stp_port_info {
	int		 pi_role;		/* STP_ROLE_* */
	int		 pi_learning, pi_forwarding;
	int		 pi_edge, pi_admin_edge;
	int		 pi_rstp;		/* 0: 802.1D compatibility */
	uint16_t	 pi_id;			/* port priority << 12 | number */
	uint32_t	 pi_cost;		/* in use (after the bonus) */
	uint32_t	 pi_admin_cost;		/* 0: the default */
	uint32_t	 pi_bonus;
	uint64_t	 pi_desig_bridge;
	uint16_t	 pi_desig_port;
	unsigned long	 pi_rx, pi_tx, pi_bad, pi_dropped;
};

void		 stp_init(const uint8_t mac[ETHER_ADDR_LEN], uint16_t prio,
		    const struct stp_ops *);
int		 stp_enable(int on);
int		 stp_enabled(void);
void		 stp_port_up(int port);
void		 stp_port_down(int port);
void		 stp_port_forget(int port);	/* back to defaults */
void		 stp_input(int port, const uint8_t *frame, size_t len);
void		 stp_tick(void);			/* once a second */
int		 stp_forwarding(int port);
int		 stp_learning(int port);
void		 stp_set_priority(uint16_t);
int		 stp_set_times(unsigned int hello, unsigned int maxage,
		    unsigned int fwddelay);
int		 stp_set_edge(int port, int on);
int		 stp_set_cost(int port, uint32_t cost);
int		 stp_set_bonus(int port, uint32_t bonus);
int		 stp_set_portprio(int port, unsigned int prio);
int		 stp_mcheck(int port);
void		 stp_info(struct stp_info *);
int		 stp_port_info(int port, struct stp_port_info *);
const char	*stp_role_name(int role);

/* --- fstp.c: the spanning tree joined to the switch --------------------- */

void		 fstp_init(void);
/* Is the frame a BPDU the protocol takes (never forwarded)? */
int		 fstp_input(struct port *in, unsigned char *frame, size_t len);
/* May port p forward (send and receive data), or learn, in VLAN vid? */
int		 fstp_forwarding(const struct port *p, int vid);
int		 fstp_learning(const struct port *p, int vid);

/* --- cmd_stp.c: the console's fstp menu -------------------------------- */

void		 cmd_stp_id(char *buf, size_t size, uint64_t id);

/* --- vxfdb.c: a VXLAN port's table of remote VTEPs per (MAC, VLAN) ----- */

/*
 * Where a VXLAN port sends a unicast frame: the tunnel endpoint (VTEP)
 * that frames from that MAC address in that VLAN came from, learned with
 * aging, or set from the console (static entries never age or move).
 * The table holds at most vf_max entries, allocated when it is made, and
 * learns at most vf_rate new or moved entries a second.  Nothing here
 * allocates after vxfdb_init() or does I/O.
 */
struct vxfdb_ent {
	unsigned char	 ve_mac[ETHER_ADDR_LEN];
	uint16_t	 ve_vlan;
	int		 ve_static;
	time_t		 ve_seen;
	struct sockaddr_storage ve_addr;	/* the VTEP, with its UDP port */
	socklen_t	 ve_alen;
	struct vxfdb_ent *ve_next;	/* hash chain or free list */
};

struct vxfdb {
	struct vxfdb_ent **vf_hash;
	unsigned int	 vf_buckets;	/* power of 2 */
	struct vxfdb_ent *vf_pool;
	struct vxfdb_ent *vf_free;
	int		 vf_max;	/* entries, static ones included */
	int		 vf_count;
	int		 vf_expire;	/* seconds without a frame */
	int		 vf_rate;	/* new or moved entries a second */
	time_t		 vf_ratesec;
	int		 vf_ratecnt;
	uint64_t	 vf_limited;	/* not learned: over vf_rate */
	uint64_t	 vf_full;	/* not learned: vf_max entries */
};

#define VXFDB_IGNORED	0	/* multicast or zero source */
#define VXFDB_NEW	1
#define VXFDB_REFRESH	2
#define VXFDB_MOVED	3
#define VXFDB_STATIC	4	/* a static entry: left as it is */
#define VXFDB_LIMITED	5	/* over the learning rate */
#define VXFDB_FULL	6

void		 vxfdb_init(struct vxfdb *, int max, int expire, int rate);
void		 vxfdb_free(struct vxfdb *);
int		 vxfdb_learn(struct vxfdb *, const unsigned char *mac,
		    int vlan, const struct sockaddr *, socklen_t, time_t now);
const struct vxfdb_ent *vxfdb_lookup(struct vxfdb *,
		    const unsigned char *mac, int vlan, time_t now);
int		 vxfdb_add(struct vxfdb *, const unsigned char *mac,
		    int vlan, const struct sockaddr *, socklen_t); /* ENOSPC */
int		 vxfdb_del(struct vxfdb *, const unsigned char *mac,
		    int vlan);			/* ENOENT */
void		 vxfdb_gc(struct vxfdb *, time_t now);
void		 vxfdb_foreach(struct vxfdb *,
		    void (*)(const struct vxfdb_ent *, void *), void *);

/* --- vxport.c: VXLAN ports (one UDP socket, one VNI each) -------------- */

#define VX_DEF_MTU	1500	/* underlay MTU */
#define VX_DEF_FDBMAX	4096	/* remote VTEP table entries per port */
#define VX_DEF_EXPIRE	300	/* seconds, as the kernel's vxlan */
#define VX_DEF_RATE	256	/* new table entries a second */
#define VX_REMOTES_MAX	1024	/* configured remotes per port */
#define VX_FDBMAX_MAX	(1 << 20)
#define VX_SPORTS_MAX	64	/* source ports of srcport=LO-HI */

/* Counters of one VXLAN port (vxlan/print). */
struct vxstats {
	uint64_t	 vs_rx;		/* frames forwarded into the switch */
	uint64_t	 vs_tx;		/* frames sent (once per frame) */
	uint64_t	 vs_txdgrams;	/* datagrams sent (replication) */
	uint64_t	 vs_short;	/* shorter than a VXLAN header */
	uint64_t	 vs_big;	/* longer than header + 9234 bytes */
	uint64_t	 vs_flags;	/* I flag clear */
	uint64_t	 vs_vni;	/* another VNI */
	uint64_t	 vs_runt;	/* inner frame under 14 bytes */
	uint64_t	 vs_unknown;	/* source not a remote (unicast mode) */
	uint64_t	 vs_toobig;	/* frame does not fit the underlay MTU */
	uint64_t	 vs_txerr;	/* sendmsg failed */
	uint64_t	 vs_nodest;	/* flooded with no remote and no group */
	uint64_t	 vs_txgso;	/* sends of several datagrams at once */
	uint64_t	 vs_rxgro;	/* reads of several datagrams at once */
	uint64_t	 vs_rxmerged;	/* frames merged into TCP segments */
};

struct vxport;

int		 vxport_create(const char *opts, int *np, char *err,
		    size_t errlen);
int		 vxport_remove(int port);		/* ENXIO */
struct vxport	*vxport_get(int port);
struct vxport	*vxport_next(struct vxport *);	/* NULL: the first */
int		 vxport_num(const struct vxport *);
void		 vxport_describe(const struct vxport *, char *, size_t);
const struct vxstats *vxport_stats(const struct vxport *);
struct vxfdb	*vxport_fdb(struct vxport *);
int		 vxport_addremote(struct vxport *, const char *addr);
int		 vxport_delremote(struct vxport *, const char *addr);
int		 vxport_nremotes(const struct vxport *);
void		 vxport_remote(const struct vxport *, int i, char *, size_t);
int		 vxport_set(struct vxport *, const char *opts, char *err,
		    size_t errlen);
int		 vxport_parseaddr(const struct vxport *, const char *,
		    struct sockaddr_storage *, socklen_t *);
void		 vxport_fmtaddr(const struct sockaddr *, char *, size_t);
void		 vxport_resetstats(struct vxport *);
void		 vxport_init(void);	/* --vxlan ports; fatal on error */

#endif /* SWITCH_H */
