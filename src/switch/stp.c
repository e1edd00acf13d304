/*
 * stp.c: the spanning tree of vde_switch, IEEE 802.1D-2004 clause 17
 * (RSTP, 802.1w), falling back per port to 802.1D STP BPDUs when a legacy
 * bridge (such as a Linux kernel bridge with stp_state 1) is heard there.
 *
 * One tree covers the whole switch, all VLANs: BPDUs go out untagged on
 * every port, and a blocked port is blocked in every VLAN, as in an
 * 802.1D/802.1Q bridge without MSTP.
 *
 * The state machines of the standard (Port Receive, Protocol Migration,
 * Bridge Detection, Port Information, Role Selection, Role Transitions,
 * State Transition, Topology Change, Port Transmit) are written as plain
 * functions over per-port flags named after the standard's variables; they
 * run to a fixed point after every event (a BPDU, a one-second tick, a port
 * going up or down, a management change).  Every link is taken to be
 * point-to-point: a VDE port is a cable or a tap.  Timer values are whole
 * seconds, counted down by stp_tick().
 *
 * The switch gives us two functions (struct stp_ops): send a frame on a
 * port, and forget the MAC addresses learnt on a port.  The data path asks
 * stp_forwarding() and stp_learning(), which are array lookups.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "switch.h"
#include "xmalloc.h"

#define MIGRATE_TIME	3	/* s, 802.1D-2004 Table 17-1 */
#define TX_HOLD_COUNT	6	/* BPDUs per second per port, at most */
#define RX_BURST	30	/* BPDUs processed per second per port */
#define PORTNUM_MAX	0xfff	/* 12-bit port numbers in the port id */

/* Where a port's priority vector came from (infoIs). */
#define INFO_DISABLED	0
#define INFO_AGED	1
#define INFO_MINE	2
#define INFO_RECEIVED	3

/* rcvInfo() results. */
#define RCV_SUPERIOR	0
#define RCV_REPEATED	1
#define RCV_INFERIOR	2
#define RCV_NOTDESIG	3	/* inferior root/alternate information */
#define RCV_OTHER	4

/* Protocol Migration states. */
#define PPM_CHECKING	0
#define PPM_SELECTING	1
#define PPM_SENSING	2

/* Topology Change states that last between events. */
#define TCM_INACTIVE	0
#define TCM_LEARNING	1
#define TCM_ACTIVE	2

/* A priority vector (17.6); the last member only breaks root-port ties. */
struct pvec {
	uint64_t	 pv_root;
	uint32_t	 pv_cost;
	uint64_t	 pv_bridge;
	uint16_t	 pv_port;
	uint16_t	 pv_rxport;
};

/* Timer values carried in BPDUs (17.19.22), in whole seconds. */
struct ptimes {
	unsigned int	 pt_msgage;
	unsigned int	 pt_maxage;
	unsigned int	 pt_hello;
	unsigned int	 pt_fwd;
};

struct sport {
	int		 sp_exists;	/* always 1 in b_ports[] */
	int		 sp_num;	/* the switch's port number */
	int		 sp_up;		/* portEnabled */
	uint16_t	 sp_id;
	unsigned int	 sp_prio;
	uint32_t	 sp_admin_cost;	/* 0: STP_DEF_COST */
	uint32_t	 sp_bonus;	/* subtracted from the cost */
	int		 sp_admin_edge;

	/* 17.19 per-port variables */
	int		 sp_info_is;
	int		 sp_role, sp_selrole;
	int		 sp_selected, sp_reselect, sp_updt_info, sp_new_info;
	int		 sp_proposing, sp_proposed, sp_agree, sp_agreed;
	int		 sp_sync, sp_synced, sp_reroot, sp_disputed;
	int		 sp_learn, sp_forward;	/* also learning, forwarding */
	int		 sp_oper_edge, sp_send_rstp, sp_mcheck;
	int		 sp_rcvd_stp, sp_rcvd_rstp;
	int		 sp_rcvd_tc, sp_rcvd_tcn, sp_rcvd_tcack;
	int		 sp_tc_prop, sp_tc_ack;
	int		 sp_ppm, sp_tcm;
	struct pvec	 sp_port_pv, sp_desig_pv;
	struct ptimes	 sp_port_t, sp_desig_t;

	/* timers, seconds (17.17) */
	unsigned int	 sp_fd_while, sp_rr_while, sp_rb_while, sp_tc_while;
	unsigned int	 sp_hello_when, sp_rcvd_info_while;
	unsigned int	 sp_edge_delay_while, sp_mdelay_while;
	unsigned int	 sp_tx_count;

	unsigned int	 sp_tokens;	/* BPDUs we may still process */
	unsigned long	 sp_rx, sp_tx, sp_bad, sp_dropped;
};

static struct {
	int		 b_enabled;
	uint8_t		 b_mac[ETHER_ADDR_LEN];
	uint16_t	 b_prio;
	struct ptimes	 b_times;	/* BridgeTimes */
	struct pvec	 b_root_pv;	/* rootPriority */
	struct ptimes	 b_root_t;	/* rootTimes */
	int		 b_root_port;	/* PORT_NONE: we are root */
	unsigned long	 b_topochanges;
	struct stp_ops	 b_ops;
	struct sport	*b_ports;	/* every port ever seen, dense */
	int		 b_nports, b_cap;
	int		*b_slot;	/* port number -> index, -1: none */
	int		 b_nslot;
	struct timer	 b_timer;
} br;

static void	stp_run(void);

static uint64_t
stp_bridge_id(void)
{
	uint64_t	id = br.b_prio;
	int		i;

	for (i = 0; i < ETHER_ADDR_LEN; i++)
		id = id << 8 | br.b_mac[i];
	return (id);
}

/* Same bridge, whatever its priority: compare the MAC address parts. */
static int
stp_same_mac(uint64_t a, uint64_t b)
{
	return ((a & 0xffffffffffffULL) == (b & 0xffffffffffffULL));
}

/* <0 if a is better (numerically lower) than b; the 4 BPDU components. */
static int
stp_pvec_cmp(const struct pvec *a, const struct pvec *b)
{
	if (a->pv_root != b->pv_root)
		return (a->pv_root < b->pv_root ? -1 : 1);
	if (a->pv_cost != b->pv_cost)
		return (a->pv_cost < b->pv_cost ? -1 : 1);
	if (a->pv_bridge != b->pv_bridge)
		return (a->pv_bridge < b->pv_bridge ? -1 : 1);
	if (a->pv_port != b->pv_port)
		return (a->pv_port < b->pv_port ? -1 : 1);
	return (0);
}

static int
stp_times_eq(const struct ptimes *a, const struct ptimes *b)
{
	return (a->pt_msgage == b->pt_msgage && a->pt_maxage == b->pt_maxage &&
	    a->pt_hello == b->pt_hello && a->pt_fwd == b->pt_fwd);
}

static struct sport *
stp_port(int port)
{
	if (port < 0 || port >= br.b_nslot || br.b_slot[port] < 0)
		return (NULL);
	return (&br.b_ports[br.b_slot[port]]);
}

static int
stp_portnum(const struct sport *p)
{
	return (p->sp_num);
}

static uint32_t
stp_cost(const struct sport *p)
{
	uint32_t	c = p->sp_admin_cost ? p->sp_admin_cost : STP_DEF_COST;

	/* A bonus makes a port cheaper, never free. */
	return (p->sp_bonus >= c ? 1 : c - p->sp_bonus);
}

/* FwdDelay, MaxAge, HelloTime of 17.20 come from designatedTimes. */
static unsigned int
stp_fwd_delay(const struct sport *p)
{
	return (p->sp_desig_t.pt_fwd);
}

/* forwardDelay (17.20.5): short while the partner speaks RSTP. */
static unsigned int
stp_forward_delay(const struct sport *p)
{
	return (p->sp_send_rstp ? p->sp_desig_t.pt_hello : stp_fwd_delay(p));
}

static unsigned int
stp_hello_time(const struct sport *p)
{
	return (p->sp_desig_t.pt_hello);
}

/* --- transmission (17.21.19-21) ----------------------------------- */

static void
stp_tx(struct sport *p, int type)
{
	struct bpdu	b;
	uint8_t		frame[BPDU_FRAMELEN];
	size_t		len;
	int		role;

	/* Information as old as its max age has gone beyond the diameter. */
	if (type != BPDU_TYPE_TCN &&
	    p->sp_desig_t.pt_msgage >= p->sp_desig_t.pt_maxage)
		return;
	memset(&b, 0, sizeof(b));
	b.b_type = type;
	if (type != BPDU_TYPE_TCN) {
		b.b_root = p->sp_desig_pv.pv_root;
		b.b_cost = p->sp_desig_pv.pv_cost;
		b.b_bridge = p->sp_desig_pv.pv_bridge;
		b.b_port = p->sp_desig_pv.pv_port;
		b.b_msgage = p->sp_desig_t.pt_msgage * 256;
		b.b_maxage = p->sp_desig_t.pt_maxage * 256;
		b.b_hello = p->sp_desig_t.pt_hello * 256;
		b.b_fwddelay = p->sp_desig_t.pt_fwd * 256;
		if (p->sp_tc_while != 0)
			b.b_flags |= BPDU_F_TC;
	}
	if (type == BPDU_TYPE_CONFIG && p->sp_tc_ack)
		b.b_flags |= BPDU_F_TCA;
	if (type == BPDU_TYPE_RST) {
		switch (p->sp_role) {
		case STP_ROLE_ROOT:
			role = BPDU_ROLE_ROOT;
			break;
		case STP_ROLE_DESIGNATED:
			role = BPDU_ROLE_DESIGNATED;
			break;
		case STP_ROLE_ALTERNATE:
		case STP_ROLE_BACKUP:
			role = BPDU_ROLE_ALTBACKUP;
			break;
		default:
			role = BPDU_ROLE_UNKNOWN;
			break;
		}
		b.b_flags |= role << BPDU_F_ROLE_SHIFT;
		if (p->sp_proposing && p->sp_role == STP_ROLE_DESIGNATED)
			b.b_flags |= BPDU_F_PROPOSAL;
		if (p->sp_agree)
			b.b_flags |= BPDU_F_AGREEMENT;
		if (p->sp_learn)
			b.b_flags |= BPDU_F_LEARNING;
		if (p->sp_forward)
			b.b_flags |= BPDU_F_FORWARDING;
	}
	len = bpdu_encode(frame, sizeof(frame), br.b_mac, &b);
	if (len == 0)
		fatalx("stp: cannot encode a BPDU");
	p->sp_tx++;
	p->sp_tx_count++;
	if (br.b_ops.so_send != NULL)
		br.b_ops.so_send(stp_portnum(p), frame, len);
}

/* Port Transmit (17.26): send what newInfo asks for, within TxHoldCount. */
static void
stp_ptx(struct sport *p)
{
	if (!p->sp_up || !p->sp_new_info || !p->sp_selected ||
	    p->sp_updt_info || p->sp_tx_count >= TX_HOLD_COUNT)
		return;
	p->sp_new_info = 0;
	if (p->sp_send_rstp) {
		if (p->sp_role == STP_ROLE_DISABLED)
			return;
		stp_tx(p, BPDU_TYPE_RST);
		p->sp_tc_ack = 0;
	} else if (p->sp_role == STP_ROLE_DESIGNATED) {
		stp_tx(p, BPDU_TYPE_CONFIG);
		p->sp_tc_ack = 0;
	} else if (p->sp_role == STP_ROLE_ROOT && p->sp_tc_while != 0) {
		/* A legacy root port only speaks to notify a change. */
		stp_tx(p, BPDU_TYPE_TCN);
	}
}

/* --- Port Information (17.27) -------------------------------------- */

static void
stp_received_vector(const struct sport *p, const struct bpdu *b,
    struct pvec *v, struct ptimes *t)
{
	v->pv_root = b->b_root;
	v->pv_cost = b->b_cost;
	v->pv_bridge = b->b_bridge;
	v->pv_port = b->b_port;
	v->pv_rxport = p->sp_id;
	/* 1/256 s to whole seconds, rounded; keep the times usable. */
	t->pt_msgage = (b->b_msgage + 128) / 256;
	t->pt_maxage = (b->b_maxage + 128) / 256;
	t->pt_hello = (b->b_hello + 128) / 256;
	t->pt_fwd = (b->b_fwddelay + 128) / 256;
	if (t->pt_hello < 1)
		t->pt_hello = 1;
	if (t->pt_hello > 10)
		t->pt_hello = 10;
	if (t->pt_fwd < 2)
		t->pt_fwd = 2;
	if (t->pt_fwd > 30)
		t->pt_fwd = 30;
	if (t->pt_maxage < 6)
		t->pt_maxage = 6;
	if (t->pt_maxage > 40)
		t->pt_maxage = 40;
}

static int
stp_msg_role(const struct bpdu *b)
{
	if (b->b_type == BPDU_TYPE_CONFIG)
		return (BPDU_ROLE_DESIGNATED);
	return ((b->b_flags & BPDU_F_ROLE_MASK) >> BPDU_F_ROLE_SHIFT);
}

/* rcvInfo (17.21.8): how the message compares with what the port has. */
static int
stp_rcv_info(const struct sport *p, const struct bpdu *b,
    const struct pvec *v, const struct ptimes *t)
{
	int	c = stp_pvec_cmp(v, &p->sp_port_pv);
	int	role = stp_msg_role(b);

	if (role == BPDU_ROLE_DESIGNATED) {
		/*
		 * Superior: better, or from the same designated bridge and
		 * port with changed information, or the same with new times.
		 */
		if (c < 0 || (c > 0 &&
		    stp_same_mac(v->pv_bridge, p->sp_port_pv.pv_bridge) &&
		    (v->pv_port & PORTNUM_MAX) ==
		    (p->sp_port_pv.pv_port & PORTNUM_MAX)))
			return (RCV_SUPERIOR);
		if (c == 0 && !stp_times_eq(t, &p->sp_port_t))
			return (RCV_SUPERIOR);
		if (c == 0 && p->sp_info_is == INFO_RECEIVED)
			return (RCV_REPEATED);
		if (c == 0)
			return (RCV_SUPERIOR);
		return (RCV_INFERIOR);
	}
	if ((role == BPDU_ROLE_ROOT || role == BPDU_ROLE_ALTBACKUP) && c >= 0)
		return (RCV_NOTDESIG);
	return (RCV_OTHER);
}

static int
stp_better_or_same(const struct sport *p, int newinfo,
    const struct pvec *msg)
{
	if (newinfo == INFO_RECEIVED && p->sp_info_is == INFO_RECEIVED &&
	    stp_pvec_cmp(msg, &p->sp_port_pv) <= 0)
		return (1);
	if (newinfo == INFO_MINE && p->sp_info_is == INFO_MINE &&
	    stp_pvec_cmp(&p->sp_desig_pv, &p->sp_port_pv) <= 0)
		return (1);
	return (0);
}

static void
stp_set_tc_flags(struct sport *p, const struct bpdu *b)
{
	if (b->b_type == BPDU_TYPE_TCN) {
		p->sp_rcvd_tcn = 1;
		return;
	}
	if (b->b_flags & BPDU_F_TC)
		p->sp_rcvd_tc = 1;
	if (b->b_type == BPDU_TYPE_CONFIG && (b->b_flags & BPDU_F_TCA))
		p->sp_rcvd_tcack = 1;
}

static void
stp_updt_rcvd_info_while(struct sport *p)
{
	if (p->sp_port_t.pt_msgage + 1 <= p->sp_port_t.pt_maxage)
		p->sp_rcvd_info_while = 3 * p->sp_port_t.pt_hello;
	else
		p->sp_rcvd_info_while = 0;
}

/* The Port Information machine's reaction to one received BPDU. */
static void
stp_pim_receive(struct sport *p, const struct bpdu *b)
{
	struct pvec	v;
	struct ptimes	t;
	int		rstp = b->b_type == BPDU_TYPE_RST;

	if (b->b_type == BPDU_TYPE_TCN) {
		stp_set_tc_flags(p, b);
		return;
	}
	stp_received_vector(p, b, &v, &t);
	switch (stp_rcv_info(p, b, &v, &t)) {
	case RCV_SUPERIOR:
		p->sp_agreed = p->sp_proposing = 0;
		if (rstp && stp_msg_role(b) == BPDU_ROLE_DESIGNATED &&
		    (b->b_flags & BPDU_F_PROPOSAL))
			p->sp_proposed = 1;
		stp_set_tc_flags(p, b);
		p->sp_agree = p->sp_agree &&
		    stp_better_or_same(p, INFO_RECEIVED, &v);
		p->sp_port_pv = v;
		p->sp_port_t = t;
		stp_updt_rcvd_info_while(p);
		p->sp_info_is = INFO_RECEIVED;
		p->sp_reselect = 1;
		p->sp_selected = 0;
		break;
	case RCV_REPEATED:
		if (rstp && (b->b_flags & BPDU_F_PROPOSAL))
			p->sp_proposed = 1;
		stp_set_tc_flags(p, b);
		stp_updt_rcvd_info_while(p);
		break;
	case RCV_INFERIOR:
		/* recordDispute: a partner that learns from us disagrees. */
		if (rstp && (b->b_flags & BPDU_F_LEARNING)) {
			p->sp_disputed = 1;
			p->sp_agreed = 0;
		}
		break;
	case RCV_NOTDESIG:
		/* recordAgreement, on our point-to-point links. */
		if (rstp && (b->b_flags & BPDU_F_AGREEMENT)) {
			p->sp_agreed = 1;
			p->sp_proposing = 0;
		} else
			p->sp_agreed = 0;
		stp_set_tc_flags(p, b);
		break;
	default:
		break;
	}
}

/* The Port Information machine's own transitions; 1 if one happened. */
static int
stp_pim(struct sport *p)
{
	if (!p->sp_up) {
		if (p->sp_info_is == INFO_DISABLED)
			return (0);
		p->sp_proposing = p->sp_proposed = 0;
		p->sp_agree = p->sp_agreed = 0;
		p->sp_rcvd_info_while = 0;
		p->sp_info_is = INFO_DISABLED;
		p->sp_reselect = 1;
		p->sp_selected = 0;
		return (1);
	}
	if (p->sp_info_is == INFO_DISABLED ||
	    (p->sp_info_is == INFO_RECEIVED && p->sp_rcvd_info_while == 0 &&
	    !p->sp_updt_info)) {
		p->sp_info_is = INFO_AGED;
		p->sp_reselect = 1;
		p->sp_selected = 0;
		return (1);
	}
	if (p->sp_selected && p->sp_updt_info) {
		/* UPDATE: the port now carries our designated information. */
		p->sp_proposing = p->sp_proposed = 0;
		p->sp_agreed = p->sp_agreed &&
		    stp_better_or_same(p, INFO_MINE, NULL);
		p->sp_synced = p->sp_synced && p->sp_agreed;
		p->sp_port_pv = p->sp_desig_pv;
		p->sp_port_t = p->sp_desig_t;
		p->sp_updt_info = 0;
		p->sp_info_is = INFO_MINE;
		p->sp_new_info = 1;
		return (1);
	}
	return (0);
}

/* --- Port Role Selection (17.28, updtRolesTree 17.21.25) ------------ */

static void
stp_prs(void)
{
	struct sport	*p;
	struct pvec	 cand;
	uint64_t	 me = stp_bridge_id(), oldroot = br.b_root_pv.pv_root;
	int		 i, c, oldport = br.b_root_port;

	memset(&br.b_root_pv, 0, sizeof(br.b_root_pv));
	br.b_root_pv.pv_root = me;
	br.b_root_pv.pv_bridge = me;
	br.b_root_t = br.b_times;
	br.b_root_port = PORT_NONE;
	for (i = 0; i < br.b_nports; i++) {
		p = &br.b_ports[i];
		if (!p->sp_exists || !p->sp_up ||
		    p->sp_info_is != INFO_RECEIVED ||
		    stp_same_mac(p->sp_port_pv.pv_bridge, me))
			continue;
		cand = p->sp_port_pv;
		cand.pv_cost = cand.pv_cost > UINT32_MAX - stp_cost(p) ?
		    UINT32_MAX : cand.pv_cost + stp_cost(p);
		cand.pv_rxport = p->sp_id;
		c = stp_pvec_cmp(&cand, &br.b_root_pv);
		if (c < 0 || (c == 0 && br.b_root_port != PORT_NONE &&
		    cand.pv_rxport < br.b_root_pv.pv_rxport)) {
			br.b_root_pv = cand;
			br.b_root_port = p->sp_num;
			br.b_root_t = p->sp_port_t;
			br.b_root_t.pt_msgage++;
		}
	}
	if ((oldroot != br.b_root_pv.pv_root || oldport != br.b_root_port) &&
	    br.b_ops.so_root != NULL)
		br.b_ops.so_root(br.b_root_port, br.b_root_pv.pv_root);
	for (i = 0; i < br.b_nports; i++) {
		p = &br.b_ports[i];
		if (!p->sp_exists)
			continue;
		p->sp_desig_pv.pv_root = br.b_root_pv.pv_root;
		p->sp_desig_pv.pv_cost = br.b_root_pv.pv_cost;
		p->sp_desig_pv.pv_bridge = me;
		p->sp_desig_pv.pv_port = p->sp_id;
		p->sp_desig_pv.pv_rxport = p->sp_id;
		p->sp_desig_t = br.b_root_t;
		p->sp_desig_t.pt_hello = br.b_times.pt_hello;

		switch (p->sp_info_is) {
		case INFO_DISABLED:
			p->sp_selrole = STP_ROLE_DISABLED;
			break;
		case INFO_AGED:
			p->sp_selrole = STP_ROLE_DESIGNATED;
			p->sp_updt_info = 1;
			break;
		case INFO_MINE:
			p->sp_selrole = STP_ROLE_DESIGNATED;
			if (stp_pvec_cmp(&p->sp_port_pv,
			    &p->sp_desig_pv) != 0 ||
			    !stp_times_eq(&p->sp_port_t, &p->sp_desig_t))
				p->sp_updt_info = 1;
			break;
		case INFO_RECEIVED:
			if (p->sp_num == br.b_root_port) {
				p->sp_selrole = STP_ROLE_ROOT;
				p->sp_updt_info = 0;
			} else if (stp_pvec_cmp(&p->sp_desig_pv,
			    &p->sp_port_pv) >= 0) {
				/* Our own BPDUs coming back: a backup. */
				p->sp_selrole = stp_same_mac(
				    p->sp_port_pv.pv_bridge, me) ?
				    STP_ROLE_BACKUP : STP_ROLE_ALTERNATE;
				p->sp_updt_info = 0;
			} else {
				p->sp_selrole = STP_ROLE_DESIGNATED;
				p->sp_updt_info = 1;
			}
			break;
		}
		p->sp_reselect = 0;
		p->sp_selected = 1;
	}
}

/* --- Port Role Transitions (17.29) ---------------------------------- */

static void
stp_set_sync_tree(void)
{
	int	i;

	for (i = 0; i < br.b_nports; i++)
		br.b_ports[i].sp_sync = 1;
}

static void
stp_set_reroot_tree(void)
{
	int	i;

	for (i = 0; i < br.b_nports; i++)
		br.b_ports[i].sp_reroot = 1;
}

static void
stp_set_tc_prop_tree(struct sport *self)
{
	int	i;

	for (i = 0; i < br.b_nports; i++)
		if (&br.b_ports[i] != self && br.b_ports[i].sp_exists)
			br.b_ports[i].sp_tc_prop = 1;
}

/*
 * allSynced for a root or alternate port: every other port has settled in
 * its role and no designated port forwards without its partner's
 * agreement.  Root, alternate and backup ports lead towards the root, not
 * into the subtree being synchronised, so they count as synced.
 */
static int
stp_all_synced(const struct sport *self)
{
	const struct sport	*q;
	int			 i;

	for (i = 0; i < br.b_nports; i++) {
		q = &br.b_ports[i];
		if (q == self || !q->sp_exists || !q->sp_up)
			continue;
		if (!q->sp_selected || q->sp_role != q->sp_selrole ||
		    q->sp_updt_info)
			return (0);
		if (q->sp_role == STP_ROLE_DESIGNATED && !q->sp_synced)
			return (0);
	}
	return (1);
}

/* reRooted: no other port is still a recent root port. */
static int
stp_rerooted(const struct sport *self)
{
	int	i;

	for (i = 0; i < br.b_nports; i++)
		if (&br.b_ports[i] != self && br.b_ports[i].sp_exists &&
		    br.b_ports[i].sp_rr_while != 0)
			return (0);
	return (1);
}

static void
stp_set_state(struct sport *p, int learn, int forward)
{
	if (p->sp_learn == learn && p->sp_forward == forward)
		return;
	p->sp_learn = learn;
	p->sp_forward = forward;
	log_debug("stp: port %d %s", stp_portnum(p),
	    forward ? "forwarding" : learn ? "learning" : "discarding");
	if (br.b_ops.so_state != NULL)
		br.b_ops.so_state(stp_portnum(p), learn, forward);
}

/* Enter the first state of a new role. */
static void
stp_prt_enter(struct sport *p)
{
	if (p->sp_role != p->sp_selrole && p->sp_up)
		log_info("stp: port %d role %s", stp_portnum(p),
		    stp_role_name(p->sp_selrole));
	p->sp_role = p->sp_selrole;
	switch (p->sp_role) {
	case STP_ROLE_DISABLED:
		stp_set_state(p, 0, 0);
		p->sp_fd_while = p->sp_desig_t.pt_maxage;
		p->sp_synced = 1;
		p->sp_rr_while = 0;
		p->sp_sync = p->sp_reroot = 0;
		break;
	case STP_ROLE_ROOT:
		p->sp_rr_while = stp_fwd_delay(p);
		break;
	case STP_ROLE_DESIGNATED:
		break;
	case STP_ROLE_ALTERNATE:
	case STP_ROLE_BACKUP:
		stp_set_state(p, 0, 0);
		p->sp_fd_while = stp_forward_delay(p);
		p->sp_synced = 1;
		p->sp_rr_while = 0;
		p->sp_sync = p->sp_reroot = 0;
		break;
	}
}

/* Disabled Port states (17.29.1); 1 if a transition was made. */
static int
stp_prt_disabled_port(struct sport *p)
{
	if (p->sp_fd_while != p->sp_desig_t.pt_maxage || p->sp_sync ||
	    p->sp_reroot || !p->sp_synced) {
		stp_prt_enter(p);
		return (1);
	}
	return (0);
}

/* Root Port states (17.29.2); 1 if a transition was made. */
static int
stp_prt_root_port(struct sport *p)
{
	int	fdok;

	if (p->sp_proposed && !p->sp_agree) {
		stp_set_sync_tree();
		p->sp_proposed = 0;
		return (1);
	}
	if ((stp_all_synced(p) && !p->sp_agree) ||
	    (p->sp_proposed && p->sp_agree)) {
		p->sp_proposed = 0;
		p->sp_sync = 0;
		p->sp_agree = 1;
		p->sp_new_info = 1;
		return (1);
	}
	if ((p->sp_agreed && !p->sp_synced) ||
	    (p->sp_sync && p->sp_synced)) {
		p->sp_synced = 1;
		p->sp_sync = 0;
		return (1);
	}
	if (!p->sp_forward && !p->sp_reroot) {
		stp_set_reroot_tree();
		return (1);
	}
	if (p->sp_rr_while != stp_fwd_delay(p)) {
		p->sp_rr_while = stp_fwd_delay(p);
		return (1);
	}
	if (p->sp_reroot && p->sp_forward) {
		p->sp_reroot = 0;
		return (1);
	}
	fdok = p->sp_fd_while == 0 ||
	    (stp_rerooted(p) && p->sp_rb_while == 0);
	if (fdok && !p->sp_learn) {
		p->sp_fd_while = stp_forward_delay(p);
		stp_set_state(p, 1, 0);
		return (1);
	}
	if (fdok && p->sp_learn && !p->sp_forward) {
		p->sp_fd_while = 0;
		stp_set_state(p, 1, 1);
		return (1);
	}
	return (0);
}

/* Designated Port states (17.29.3); 1 if a transition was made. */
static int
stp_prt_designated_port(struct sport *p)
{
	int	fdok;

	if (!p->sp_forward && !p->sp_agreed && !p->sp_proposing &&
	    !p->sp_oper_edge) {
		p->sp_proposing = 1;
		p->sp_edge_delay_while = MIGRATE_TIME;
		p->sp_new_info = 1;
		return (1);
	}
	if (!p->sp_synced && ((!p->sp_learn && !p->sp_forward) ||
	    p->sp_agreed || p->sp_oper_edge)) {
		p->sp_rr_while = 0;
		p->sp_synced = 1;
		p->sp_sync = 0;
		return (1);
	}
	if (p->sp_sync && p->sp_synced) {
		p->sp_rr_while = 0;
		p->sp_sync = 0;
		return (1);
	}
	if (p->sp_rr_while == 0 && p->sp_reroot) {
		p->sp_reroot = 0;
		return (1);
	}
	if (((p->sp_sync && !p->sp_synced) ||
	    (p->sp_reroot && p->sp_rr_while != 0) || p->sp_disputed) &&
	    !p->sp_oper_edge && (p->sp_learn || p->sp_forward)) {
		stp_set_state(p, 0, 0);
		p->sp_disputed = 0;
		p->sp_fd_while = stp_forward_delay(p);
		return (1);
	}
	fdok = (p->sp_fd_while == 0 || p->sp_agreed || p->sp_oper_edge) &&
	    (p->sp_rr_while == 0 || !p->sp_reroot) && !p->sp_sync;
	if (fdok && !p->sp_learn) {
		p->sp_fd_while = stp_forward_delay(p);
		stp_set_state(p, 1, 0);
		return (1);
	}
	if (fdok && p->sp_learn && !p->sp_forward) {
		p->sp_fd_while = 0;
		p->sp_agreed = p->sp_send_rstp;
		stp_set_state(p, 1, 1);
		return (1);
	}
	return (0);
}

/* Alternate and Backup Port states (17.29.4); 1 if a transition was made. */
static int
stp_prt_alternate_port(struct sport *p)
{
	if (p->sp_proposed && !p->sp_agree) {
		stp_set_sync_tree();
		p->sp_proposed = 0;
		return (1);
	}
	if ((stp_all_synced(p) && !p->sp_agree) ||
	    (p->sp_proposed && p->sp_agree)) {
		p->sp_proposed = 0;
		p->sp_agree = 1;
		p->sp_new_info = 1;
		return (1);
	}
	if (p->sp_role == STP_ROLE_BACKUP &&
	    p->sp_rb_while != 2 * stp_hello_time(p)) {
		p->sp_rb_while = 2 * stp_hello_time(p);
		return (1);
	}
	if (p->sp_fd_while != stp_forward_delay(p) || p->sp_sync ||
	    p->sp_reroot || !p->sp_synced) {
		stp_prt_enter(p);
		return (1);
	}
	return (0);
}

/*
 * One transition of the Port Role Transitions machine (17.29) of port p:
 * enter the selected role if it changed, else take the next transition
 * within the current role.  Returns 1 if it made one.
 */
static int
stp_prt_step(struct sport *p)
{
	if (!p->sp_selected || p->sp_updt_info)
		return (0);
	if (p->sp_role != p->sp_selrole) {
		stp_prt_enter(p);
		return (1);
	}
	switch (p->sp_role) {
	case STP_ROLE_DISABLED:
		return (stp_prt_disabled_port(p));
	case STP_ROLE_ROOT:
		return (stp_prt_root_port(p));
	case STP_ROLE_DESIGNATED:
		return (stp_prt_designated_port(p));
	case STP_ROLE_ALTERNATE:
	case STP_ROLE_BACKUP:
		return (stp_prt_alternate_port(p));
	}
	return (0);
}

/* --- Topology Change (17.31) ---------------------------------------- */

static void
stp_new_tc_while(struct sport *p)
{
	if (p->sp_tc_while != 0)
		return;
	if (p->sp_send_rstp)
		p->sp_tc_while = stp_hello_time(p) + 1;
	else
		p->sp_tc_while = br.b_root_t.pt_maxage + br.b_root_t.pt_fwd;
	/* Say so now (a legacy root port sends its TCN at once too). */
	p->sp_new_info = 1;
}

static void
stp_flush(struct sport *p)
{
	if (br.b_ops.so_flush != NULL)
		br.b_ops.so_flush(stp_portnum(p));
}

static int
stp_tcm_step(struct sport *p)
{
	int	rd = p->sp_role == STP_ROLE_ROOT ||
		    p->sp_role == STP_ROLE_DESIGNATED;

	switch (p->sp_tcm) {
	case TCM_INACTIVE:
		if (p->sp_learn) {
			p->sp_rcvd_tc = p->sp_rcvd_tcn = p->sp_rcvd_tcack = 0;
			p->sp_tc_prop = 0;
			p->sp_tcm = TCM_LEARNING;
			return (1);
		}
		return (0);
	case TCM_LEARNING:
		if (rd && p->sp_forward && !p->sp_oper_edge) {
			/* DETECTED: this port starts forwarding. */
			br.b_topochanges++;
			stp_new_tc_while(p);
			stp_set_tc_prop_tree(p);
			p->sp_new_info = 1;
			p->sp_tcm = TCM_ACTIVE;
			return (1);
		}
		if (p->sp_rcvd_tc || p->sp_rcvd_tcn || p->sp_rcvd_tcack ||
		    p->sp_tc_prop) {
			p->sp_rcvd_tc = p->sp_rcvd_tcn = p->sp_rcvd_tcack = 0;
			p->sp_tc_prop = 0;
			return (1);
		}
		if (!rd && !p->sp_learn) {
			/* INACTIVE: what was learnt here is now wrong. */
			stp_flush(p);
			p->sp_tc_while = 0;
			p->sp_tc_ack = 0;
			p->sp_tcm = TCM_INACTIVE;
			return (1);
		}
		return (0);
	case TCM_ACTIVE:
		if (!rd || p->sp_oper_edge) {
			p->sp_rcvd_tc = p->sp_rcvd_tcn = p->sp_rcvd_tcack = 0;
			p->sp_tc_prop = 0;
			p->sp_tcm = TCM_LEARNING;
			return (1);
		}
		if (p->sp_rcvd_tcn || p->sp_rcvd_tc) {
			/* NOTIFIED_TCN, NOTIFIED_TC */
			if (p->sp_rcvd_tcn)
				stp_new_tc_while(p);
			p->sp_rcvd_tc = p->sp_rcvd_tcn = 0;
			if (p->sp_role == STP_ROLE_DESIGNATED) {
				/* Acknowledge now, not at the next hello. */
				p->sp_tc_ack = 1;
				p->sp_new_info = 1;
			}
			stp_set_tc_prop_tree(p);
			return (1);
		}
		if (p->sp_tc_prop && !p->sp_oper_edge) {
			/* PROPAGATING */
			stp_new_tc_while(p);
			stp_flush(p);
			p->sp_tc_prop = 0;
			return (1);
		}
		if (p->sp_rcvd_tcack) {
			p->sp_tc_while = 0;
			p->sp_rcvd_tcack = 0;
			return (1);
		}
		return (0);
	}
	return (0);
}

/* --- Protocol Migration (17.24) and Bridge Detection (17.25) -------- */

static int
stp_ppm_step(struct sport *p)
{
	switch (p->sp_ppm) {
	case PPM_CHECKING:
		if (p->sp_mdelay_while == 0 && p->sp_up) {
			p->sp_rcvd_rstp = p->sp_rcvd_stp = 0;
			p->sp_ppm = PPM_SENSING;
			return (1);
		}
		return (0);
	case PPM_SELECTING:
		if (p->sp_mdelay_while == 0 || !p->sp_up || p->sp_mcheck) {
			p->sp_rcvd_rstp = p->sp_rcvd_stp = 0;
			p->sp_ppm = PPM_SENSING;
			return (1);
		}
		return (0);
	case PPM_SENSING:
		if (!p->sp_up || p->sp_mcheck ||
		    (!p->sp_send_rstp && p->sp_rcvd_rstp)) {
			if (!p->sp_send_rstp && p->sp_up)
				log_info("stp: port %d speaks RSTP again",
				    stp_portnum(p));
			p->sp_mcheck = 0;
			p->sp_send_rstp = 1;
			p->sp_mdelay_while = MIGRATE_TIME;
			p->sp_ppm = PPM_CHECKING;
			p->sp_new_info = 1;
			return (1);
		}
		if (p->sp_send_rstp && p->sp_rcvd_stp) {
			p->sp_send_rstp = 0;
			p->sp_mdelay_while = MIGRATE_TIME;
			p->sp_ppm = PPM_SELECTING;
			/* Tell the legacy bridge who we are at once. */
			p->sp_new_info = 1;
			log_info("stp: port %d falls back to 802.1D STP",
			    stp_portnum(p));
			return (1);
		}
		return (0);
	}
	return (0);
}

static int
stp_bdm_step(struct sport *p)
{
	if (p->sp_oper_edge) {
		if (!p->sp_up && !p->sp_admin_edge) {
			p->sp_oper_edge = 0;
			return (1);
		}
		return (0);
	}
	if ((!p->sp_up && p->sp_admin_edge) ||
	    (p->sp_edge_delay_while == 0 && p->sp_send_rstp &&
	    p->sp_proposing && p->sp_role == STP_ROLE_DESIGNATED)) {
		/* Nobody answered our proposals: a host, not a bridge. */
		p->sp_oper_edge = 1;
		if (p->sp_up)
			log_info("stp: port %d is an edge port",
			    stp_portnum(p));
		return (1);
	}
	return (0);
}

/* --- driving the machines ------------------------------------------- */

/* Run every machine until none has a transition left, then transmit. */
static void
stp_run(void)
{
	struct sport	*p;
	int		 i, changed, rounds, reselect;

	if (!br.b_enabled)
		return;
	for (rounds = 0; rounds < 64; rounds++) {
		changed = 0;
		for (i = 0; i < br.b_nports; i++) {
			p = &br.b_ports[i];
			if (!p->sp_exists)
				continue;
			changed |= stp_ppm_step(p);
			changed |= stp_bdm_step(p);
			changed |= stp_pim(p);
		}
		reselect = 0;
		for (i = 0; i < br.b_nports; i++)
			if (br.b_ports[i].sp_exists &&
			    br.b_ports[i].sp_reselect)
				reselect = 1;
		if (reselect) {
			stp_prs();
			changed = 1;
		}
		for (i = 0; i < br.b_nports; i++) {
			p = &br.b_ports[i];
			if (!p->sp_exists)
				continue;
			while (stp_prt_step(p))
				changed = 1;
			changed |= stp_tcm_step(p);
		}
		if (!changed)
			break;
	}
	if (rounds == 64)
		log_warnx("stp: state machines did not settle");
	for (i = 0; i < br.b_nports; i++)
		if (br.b_ports[i].sp_exists)
			stp_ptx(&br.b_ports[i]);
}

static void
stp_dec(unsigned int *t)
{
	if (*t > 0)
		(*t)--;
}

/* The one-second tick of 17.22: count the timers down, send hellos. */
void
stp_tick(void)
{
	struct sport	*p;
	int		 i;

	for (i = 0; i < br.b_nports; i++) {
		p = &br.b_ports[i];
		if (!p->sp_exists)
			continue;
		p->sp_tokens = RX_BURST;
		if (!br.b_enabled || !p->sp_up)
			continue;
		stp_dec(&p->sp_fd_while);
		stp_dec(&p->sp_rr_while);
		stp_dec(&p->sp_rb_while);
		stp_dec(&p->sp_tc_while);
		stp_dec(&p->sp_rcvd_info_while);
		stp_dec(&p->sp_edge_delay_while);
		stp_dec(&p->sp_mdelay_while);
		stp_dec(&p->sp_tx_count);
		stp_dec(&p->sp_hello_when);
		if (p->sp_hello_when == 0) {
			/* TRANSMIT_PERIODIC */
			if (p->sp_role == STP_ROLE_DESIGNATED ||
			    (p->sp_role == STP_ROLE_ROOT &&
			    p->sp_tc_while != 0))
				p->sp_new_info = 1;
			p->sp_hello_when = stp_hello_time(p);
		}
	}
	stp_run();
}

static void
stp_timer_fire(void *arg)
{
	stp_tick();
	timer_add(&br.b_timer, 1000);
}

/* Set up the bridge; the protocol stays off until stp_enable(1). */
void
stp_init(const uint8_t mac[ETHER_ADDR_LEN], uint16_t prio,
    const struct stp_ops *ops)
{
	free(br.b_ports);
	free(br.b_slot);
	memset(&br, 0, sizeof(br));
	memcpy(br.b_mac, mac, ETHER_ADDR_LEN);
	br.b_prio = prio;
	br.b_times.pt_msgage = 0;
	br.b_times.pt_maxage = 20;
	br.b_times.pt_hello = 2;
	br.b_times.pt_fwd = 15;
	br.b_root_port = PORT_NONE;
	if (ops != NULL)
		br.b_ops = *ops;
	timer_set(&br.b_timer, stp_timer_fire, NULL);
}

/* Start (BEGIN) the machines of one port that has just come up. */
static void
stp_port_begin(struct sport *p)
{
	p->sp_info_is = INFO_DISABLED;
	p->sp_role = p->sp_selrole = STP_ROLE_DISABLED;
	p->sp_selected = 0;
	p->sp_reselect = 1;
	p->sp_updt_info = 0;
	p->sp_proposing = p->sp_proposed = p->sp_agree = p->sp_agreed = 0;
	p->sp_sync = p->sp_reroot = p->sp_disputed = 0;
	p->sp_synced = 1;
	p->sp_learn = p->sp_forward = 0;
	p->sp_oper_edge = p->sp_admin_edge;
	p->sp_send_rstp = 1;
	p->sp_mcheck = 0;
	p->sp_rcvd_stp = p->sp_rcvd_rstp = 0;
	p->sp_rcvd_tc = p->sp_rcvd_tcn = p->sp_rcvd_tcack = 0;
	p->sp_tc_prop = p->sp_tc_ack = 0;
	p->sp_ppm = PPM_CHECKING;
	p->sp_mdelay_while = MIGRATE_TIME;
	p->sp_tcm = TCM_INACTIVE;
	p->sp_desig_t = br.b_times;
	p->sp_port_t = br.b_times;
	p->sp_fd_while = br.b_times.pt_maxage;
	p->sp_rr_while = p->sp_rb_while = p->sp_tc_while = 0;
	p->sp_rcvd_info_while = 0;
	p->sp_edge_delay_while = MIGRATE_TIME;
	p->sp_hello_when = 0;
	p->sp_tx_count = 0;
	p->sp_new_info = 1;
	p->sp_tokens = RX_BURST;
}

/* Turn the protocol on or off; returns the previous setting. */
int
stp_enable(int on)
{
	int	old = br.b_enabled, i;

	on = on != 0;
	if (on == old)
		return (old);
	br.b_enabled = on;
	if (on) {
		for (i = 0; i < br.b_nports; i++)
			if (br.b_ports[i].sp_exists)
				stp_port_begin(&br.b_ports[i]);
		stp_prs();
		stp_run();
		timer_add(&br.b_timer, 1000);
		log_info("stp: on, bridge id %04x.%02x%02x%02x%02x%02x%02x",
		    br.b_prio, br.b_mac[0], br.b_mac[1], br.b_mac[2],
		    br.b_mac[3], br.b_mac[4], br.b_mac[5]);
	} else {
		timer_del(&br.b_timer);
		log_info("stp: off");
	}
	return (old);
}

/* Is the protocol on? */
int
stp_enabled(void)
{
	return (br.b_enabled);
}

/* The record of port, made on first use (settings may precede "up"). */
static struct sport *
stp_port_alloc(int port)
{
	struct sport	*p;
	int		 n;

	if (port < 0)
		return (NULL);
	if ((p = stp_port(port)) != NULL)
		return (p);
	/* The map costs an int per port number, the state only per port. */
	if (port >= br.b_nslot) {
		n = port + 1 > 2 * br.b_nslot ? port + 1 : 2 * br.b_nslot;
		br.b_slot = xreallocarray(br.b_slot, n, sizeof(*br.b_slot));
		while (br.b_nslot < n)
			br.b_slot[br.b_nslot++] = -1;
	}
	if (br.b_nports == br.b_cap) {
		br.b_cap = br.b_cap == 0 ? 16 : 2 * br.b_cap;
		br.b_ports = xreallocarray(br.b_ports, br.b_cap, sizeof(*p));
	}
	br.b_slot[port] = br.b_nports;
	p = &br.b_ports[br.b_nports++];
	memset(p, 0, sizeof(*p));
	p->sp_exists = 1;
	p->sp_num = port;
	p->sp_prio = STP_DEF_PORTPRIO;
	p->sp_id = (uint16_t)((p->sp_prio >> 4) << 12 |
	    (port > PORTNUM_MAX ? PORTNUM_MAX : port));
	p->sp_role = p->sp_selrole = STP_ROLE_DISABLED;
	p->sp_synced = 1;
	return (p);
}

/* A port became active: it takes part from now on. */
void
stp_port_up(int port)
{
	struct sport	*p;

	if ((p = stp_port_alloc(port)) == NULL)
		return;
	stp_port_begin(p);
	p->sp_up = 1;
	stp_run();
}

/* A port went away: its information ages out at once. */
void
stp_port_down(int port)
{
	struct sport	*p = stp_port(port);

	if (p == NULL || !p->sp_up)
		return;
	p->sp_up = 0;
	stp_run();
	if (!br.b_enabled)
		return;
	/* The machines ran with portEnabled false; make the port inert. */
	stp_set_state(p, 0, 0);
	p->sp_role = p->sp_selrole = STP_ROLE_DISABLED;
}

/* A port was deleted: a port made again later starts from defaults. */
void
stp_port_forget(int port)
{
	struct sport	*p = stp_port(port);

	if (p == NULL)
		return;
	if (p->sp_up)
		stp_port_down(port);
	p->sp_prio = STP_DEF_PORTPRIO;
	p->sp_id = (uint16_t)((p->sp_prio >> 4) << 12 |
	    (port > PORTNUM_MAX ? PORTNUM_MAX : port));
	p->sp_admin_cost = p->sp_bonus = 0;
	p->sp_admin_edge = p->sp_oper_edge = 0;
}

/* A frame for 01:80:C2:00:00:00 arrived on port: consume it. */
void
stp_input(int port, const uint8_t *frame, size_t len)
{
	struct sport	*p = stp_port(port);
	struct bpdu	 b;
	int		 e;

	if (p == NULL || !p->sp_up || !br.b_enabled)
		return;
	/* Cheap rejection first: a flood must not eat the data path. */
	if (p->sp_tokens == 0) {
		p->sp_dropped++;
		return;
	}
	p->sp_tokens--;
	if ((e = bpdu_decode(frame, len, &b)) != 0) {
		if (p->sp_bad++ == 0 || (p->sp_bad & 1023) == 0)
			log_warnx("stp: port %d: bad BPDU (%s), %lu so far",
			    port, bpdu_strerror(e), p->sp_bad);
		return;
	}
	/* Our own BPDU back on the port that sent it (9.3.4): a self-loop. */
	if (b.b_type != BPDU_TYPE_TCN && b.b_bridge == stp_bridge_id() &&
	    (b.b_port & PORTNUM_MAX) == (p->sp_id & PORTNUM_MAX)) {
		p->sp_bad++;
		return;
	}
	p->sp_rx++;
	/* Port Receive (17.23): what the partner speaks, and not an edge. */
	if (b.b_type == BPDU_TYPE_RST)
		p->sp_rcvd_rstp = 1;
	else
		p->sp_rcvd_stp = 1;
	p->sp_edge_delay_while = MIGRATE_TIME;
	if (p->sp_oper_edge) {
		p->sp_oper_edge = 0;
		log_info("stp: port %d hears BPDUs, no longer an edge",
		    port);
	}
	/* Let pending updates settle, so the message meets current info. */
	stp_run();
	stp_pim_receive(p, &b);
	stp_run();
}

/* Per-frame questions of the data path: two array lookups. */
int
stp_forwarding(int port)
{
	if (!br.b_enabled)
		return (1);
	if (port < 0 || port >= br.b_nslot || br.b_slot[port] < 0)
		return (0);
	return (br.b_ports[br.b_slot[port]].sp_forward);
}

/* May the switch learn addresses on port (always, when off)? */
int
stp_learning(int port)
{
	if (!br.b_enabled)
		return (1);
	if (port < 0 || port >= br.b_nslot || br.b_slot[port] < 0)
		return (0);
	return (br.b_ports[br.b_slot[port]].sp_learn);
}

/* --- management ------------------------------------------------------ */

/* Re-evaluate everything after a change of our own parameters. */
static void
stp_reconfigure(void)
{
	int	i;

	for (i = 0; i < br.b_nports; i++)
		if (br.b_ports[i].sp_exists)
			br.b_ports[i].sp_reselect = 1;
	stp_run();
}

/* The bridge priority, the high 16 bits of the bridge ID. */
void
stp_set_priority(uint16_t prio)
{
	br.b_prio = prio;
	br.b_times.pt_msgage = 0;
	stp_reconfigure();
}

/* Bridge times, within the ranges of 802.1D-2004 Table 17-1 and 17.14. */
int
stp_set_times(unsigned int hello, unsigned int maxage, unsigned int fwd)
{
	if (hello < 1 || hello > 10 || maxage < 6 || maxage > 40 ||
	    fwd < 4 || fwd > 30 || 2 * (fwd - 1) < maxage ||
	    maxage < 2 * (hello + 1))
		return (-1);
	br.b_times.pt_hello = hello;
	br.b_times.pt_maxage = maxage;
	br.b_times.pt_fwd = fwd;
	stp_reconfigure();
	return (0);
}

/* Mark a port an edge (no bridge behind it): it forwards at once. */
int
stp_set_edge(int port, int on)
{
	struct sport	*p = stp_port_alloc(port);

	if (p == NULL)
		return (-1);
	p->sp_admin_edge = on != 0;
	p->sp_oper_edge = on != 0;
	stp_run();
	return (0);
}

/* A port's path cost, 1..200000000; 0 for the default. */
int
stp_set_cost(int port, uint32_t cost)
{
	struct sport	*p = stp_port_alloc(port);

	if (p == NULL || cost > 200000000)
		return (-1);
	p->sp_admin_cost = cost;
	stp_reconfigure();
	return (0);
}

/* A bonus taken off the port's path cost (VDE 2's fstp/bonus). */
int
stp_set_bonus(int port, uint32_t bonus)
{
	struct sport	*p = stp_port_alloc(port);

	if (p == NULL)
		return (-1);
	p->sp_bonus = bonus;
	stp_reconfigure();
	return (0);
}

/* Port priority: 0..240 in steps of 16 (802.1D-2004 17.13.10). */
int
stp_set_portprio(int port, unsigned int prio)
{
	struct sport	*p = stp_port_alloc(port);

	if (p == NULL || prio > 240 || prio % 16 != 0)
		return (-1);
	p->sp_prio = prio;
	p->sp_id = (uint16_t)((prio >> 4) << 12 | (p->sp_id & PORTNUM_MAX));
	stp_reconfigure();
	return (0);
}

/* mcheck (17.19.13): try RSTP again on a port that fell back to STP. */
int
stp_mcheck(int port)
{
	struct sport	*p = stp_port(port);

	if (p == NULL)
		return (-1);
	p->sp_mcheck = 1;
	stp_run();
	return (0);
}

/* The bridge's state for fstp/showinfo and fstp/print. */
void
stp_info(struct stp_info *si)
{
	memset(si, 0, sizeof(*si));
	si->si_enabled = br.b_enabled;
	si->si_bridge = stp_bridge_id();
	if (!br.b_enabled) {
		si->si_root = si->si_designated = si->si_bridge;
		si->si_rootport = PORT_NONE;
	} else {
		si->si_root = br.b_root_pv.pv_root;
		si->si_designated = br.b_root_pv.pv_bridge;
		si->si_cost = br.b_root_pv.pv_cost;
		si->si_rootport = br.b_root_port;
	}
	si->si_hello = br.b_times.pt_hello;
	si->si_maxage = br.b_times.pt_maxage;
	si->si_fwddelay = br.b_times.pt_fwd;
	si->si_root_hello = br.b_root_t.pt_hello;
	si->si_root_maxage = br.b_root_t.pt_maxage;
	si->si_root_fwddelay = br.b_root_t.pt_fwd;
	if (!br.b_enabled) {
		si->si_root_hello = si->si_hello;
		si->si_root_maxage = si->si_maxage;
		si->si_root_fwddelay = si->si_fwddelay;
	}
	si->si_topochanges = br.b_topochanges;
}

/* Fill *pi for an active port; -1 if the port is not up. */
int
stp_port_info(int port, struct stp_port_info *pi)
{
	struct sport	*p = stp_port(port);

	if (p == NULL || !p->sp_up)
		return (-1);
	memset(pi, 0, sizeof(*pi));
	pi->pi_role = br.b_enabled ? p->sp_role : STP_ROLE_DISABLED;
	pi->pi_learning = stp_learning(port);
	pi->pi_forwarding = stp_forwarding(port);
	pi->pi_edge = p->sp_oper_edge;
	pi->pi_admin_edge = p->sp_admin_edge;
	pi->pi_rstp = p->sp_send_rstp;
	pi->pi_id = p->sp_id;
	pi->pi_cost = stp_cost(p);
	pi->pi_admin_cost = p->sp_admin_cost;
	pi->pi_bonus = p->sp_bonus;
	pi->pi_desig_bridge = p->sp_port_pv.pv_bridge;
	pi->pi_desig_port = p->sp_port_pv.pv_port;
	pi->pi_rx = p->sp_rx;
	pi->pi_tx = p->sp_tx;
	pi->pi_bad = p->sp_bad;
	pi->pi_dropped = p->sp_dropped;
	return (0);
}

/* A port role as fstp/print names it. */
const char *
stp_role_name(int role)
{
	switch (role) {
	case STP_ROLE_ROOT:
		return ("Root");
	case STP_ROLE_DESIGNATED:
		return ("Designated");
	case STP_ROLE_ALTERNATE:
		return ("Alternate");
	case STP_ROLE_BACKUP:
		return ("Backup");
	}
	return ("Disabled");
}
