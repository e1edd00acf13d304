/*
 * port.c: ports, their endpoints (cables), access control and counters
 * (spec sections 1.5, 1.6 and 4).
 *
 * Ports are numbered 0..N (-n N); a port object exists once a client or
 * the console made it and keeps its configuration after its endpoints
 * leave.  The active ports are also kept in a dense array so that
 * flooding visits only ports that have somebody to send to.
 * port_send() counts a frame on its port and hands it to each cable;
 * what happens to it there (queue, staging, offloads) is portq.c's.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "xmalloc.h"
#include "switch.h"

/* The bounds of --port-cables and --user-cables (portq.c: --queue-memory). */
struct port_user {
	uid_t		 pu_uid;
	int		 pu_n;		/* cables of pu_uid on the switch */
};

static struct port_user	*port_users;	/* users with cables, unordered */
static int		 port_nusers, port_userscap;
static uid_t		 port_selfuid;	/* the switch's own euid */
static struct port_limits port_lim;

static struct port	**port_tab;	/* index = port number */
static int		  port_tabcap;
static int		  port_num;	/* N: ports 0..N exist at most */
static struct port	**port_act;	/* the active ports */
static int		  port_nact;
static struct port_listener *port_listeners;
static struct port_listener **port_listentail = &port_listeners;
static struct port_eplistener *port_eplisteners;

static struct endpoint *port_plug(int, struct endpoint *);

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
	struct endpoint		*ep;

	ep = xcalloc(1, sizeof(*ep));
	ep->ep_fd = fd;
	ep->ep_id = id;
	ep->ep_uid = uid;
	ep->ep_tap = id == fd;
	ep->ep_module = module;
	strlcpy(ep->ep_descr, descr != NULL ? descr : "",
	    sizeof(ep->ep_descr));
	strlcpy(ep->ep_path, path != NULL ? path : "", sizeof(ep->ep_path));
	return (port_plug(n, ep));
}

/*
 * Add an endpoint of a kind with its own transport (struct ep_ops) to
 * port n: fd is the descriptor that identifies it (its ID), which the
 * kind registers with the loop and closes in eo_close.
 */
struct endpoint *
port_attach_ops(int n, const struct ep_ops *ops, void *priv, int fd,
    uid_t uid, const char *descr)
{
	struct endpoint		*ep;

	ep = xcalloc(1, sizeof(*ep));
	ep->ep_fd = fd;
	ep->ep_id = fd;
	ep->ep_uid = uid;
	ep->ep_ops = ops;
	ep->ep_priv = priv;
	ep->ep_module = ops->eo_kind;
	strlcpy(ep->ep_descr, descr != NULL ? descr : "",
	    sizeof(ep->ep_descr));
	return (port_plug(n, ep));
}

/* Put a new endpoint on port n (made if needed) and tell the listeners. */
static struct endpoint *
port_plug(int n, struct endpoint *ep)
{
	struct port_eplistener	*el;
	struct port_listener	*pl;
	struct port		*p;

	if ((p = port_get(n)) == NULL)
		p = port_new(n, 1);
	portq_attach(ep);
	ep->ep_port = p;
	ep->ep_next = p->p_eps;
	p->p_eps = ep;
	port_user_count(ep->ep_uid, 1);
	if (p->p_neps++ == 0) {
		p->p_curuser = ep->ep_uid;
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
	log_debug("port %d: endpoint %d up (%s)", n, ep->ep_id, ep->ep_descr);
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
	if (ep->ep_ops != NULL)
		ep->ep_ops->eo_close(ep);
	else {
		loop_del(ep->ep_fd);
		/* A tap the switch created goes with it (os_tap_close). */
		if (ep->ep_tap)
			(void)os_tap_close(ep->ep_fd);
		else
			close(ep->ep_fd);
		if (ep->ep_id != ep->ep_fd) {
			loop_del(ep->ep_id);
			close(ep->ep_id);
		}
	}
	if (ep->ep_path[0] != '\0' && unlink(ep->ep_path) == -1 &&
	    errno != ENOENT)
		log_warn("unlink %s", ep->ep_path);
	log_debug("port %d: endpoint %d down", p->p_num, ep->ep_id);
	portq_detach(ep);
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

/* The limits' counters, for the console. */
void
port_getlimits(struct port_limits *lim)
{
	*lim = port_lim;
	portq_getlimits(lim);
}

/*
 * Send one frame to every endpoint of p without ever blocking, as sc tells
 * (struct sendctx; NULL: a plain frame, sent now): a cable that cannot
 * take it now gets it queued, or loses it when its queue is full, and the
 * port counts the drop.  A mirror destination is sent nothing here (the
 * copies it gets go through port_send_mirror).
 */
void
port_send(struct port *p, const void *frame, size_t len,
    const struct sendctx *sc)
{
	struct endpoint	*ep;

	if (p->p_watch != 0) {
		/* A mirror destination takes no normal traffic. */
		if (p->p_watch & PORT_W_MIRDST)
			return;
		/* Capture and mirror see the frame as the cable gets it. */
		if (p->p_watch & PORT_W_CAPOUT)
			capture_frame(p->p_cap, frame, len, PORT_W_CAPOUT);
		if (p->p_watch & PORT_W_MIROUT)
			mirror_frame(p, frame, len, sc, PORT_W_MIROUT);
	}
	p->p_out_frames++;
	p->p_out_bytes += len;
	for (ep = p->p_eps; ep != NULL; ep = ep->ep_next)
		portq_send(ep, frame, len, sc);
}

/*
 * A mirror's copy of a frame to its destination port p: counted and
 * captured like any frame leaving p.
 */
void
port_send_mirror(struct port *p, const void *frame, size_t len,
    const struct sendctx *sc)
{
	struct endpoint	*ep;

	if (p->p_watch & PORT_W_CAPOUT)
		capture_frame(p->p_cap, frame, len, PORT_W_CAPOUT);
	p->p_out_frames++;
	p->p_out_bytes += len;
	for (ep = p->p_eps; ep != NULL; ep = ep->ep_next)
		portq_send(ep, frame, len, sc);
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
