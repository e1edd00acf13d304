/*
 * stpsm.c: the state machines of 802.1D-2004 clause 17 that stp.c drives,
 * apart from Port Role Transitions (stpprt.c): Port Transmit, Port
 * Information, Port Role Selection (the one bridge-wide machine), Topology
 * Change, Protocol Migration and Bridge Detection, and stpsm_run(), which
 * runs them all to a fixed point after every event.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "log.h"
#include "switch.h"
#include "stp.h"

#define TX_HOLD_COUNT	6	/* BPDUs per second per port, at most */

/* rcvInfo() results. */
#define RCV_SUPERIOR	0
#define RCV_REPEATED	1
#define RCV_INFERIOR	2
#define RCV_NOTDESIG	3	/* inferior root/alternate information */
#define RCV_OTHER	4

/* The bridge ID: priority, then MAC address. */
uint64_t
stpsm_bridge_id(void)
{
	uint64_t	id = stp_br.b_prio;
	int		i;

	for (i = 0; i < ETHER_ADDR_LEN; i++)
		id = id << 8 | stp_br.b_mac[i];
	return (id);
}

/* Same bridge, whatever its priority: compare the MAC address parts. */
static int
stpsm_same_mac(uint64_t a, uint64_t b)
{
	return ((a & 0xffffffffffffULL) == (b & 0xffffffffffffULL));
}

/* <0 if a is better (numerically lower) than b; the 4 BPDU components. */
static int
stpsm_pvec_cmp(const struct pvec *a, const struct pvec *b)
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
stpsm_times_eq(const struct ptimes *a, const struct ptimes *b)
{
	return (a->pt_msgage == b->pt_msgage && a->pt_maxage == b->pt_maxage &&
	    a->pt_hello == b->pt_hello && a->pt_fwd == b->pt_fwd);
}

int
stpsm_portnum(const struct sport *p)
{
	return (p->sp_num);
}

uint32_t
stpsm_cost(const struct sport *p)
{
	uint32_t	c = p->sp_admin_cost ? p->sp_admin_cost : STP_DEF_COST;

	/* A bonus makes a port cheaper, never free. */
	return (p->sp_bonus >= c ? 1 : c - p->sp_bonus);
}

/* FwdDelay, MaxAge, HelloTime of 17.20 come from designatedTimes. */
unsigned int
stpsm_fwd_delay(const struct sport *p)
{
	return (p->sp_desig_t.pt_fwd);
}

/* forwardDelay (17.20.5): short while the partner speaks RSTP. */
unsigned int
stpsm_forward_delay(const struct sport *p)
{
	return (p->sp_send_rstp ? p->sp_desig_t.pt_hello : stpsm_fwd_delay(p));
}

unsigned int
stpsm_hello_time(const struct sport *p)
{
	return (p->sp_desig_t.pt_hello);
}

/* --- transmission (17.21.19-21) ----------------------------------- */

static void
stpsm_tx(struct sport *p, int type)
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
	len = bpdu_encode(frame, sizeof(frame), stp_br.b_mac, &b);
	if (len == 0)
		fatalx("stp: cannot encode a BPDU");
	p->sp_tx++;
	p->sp_tx_count++;
	if (stp_br.b_ops.so_send != NULL)
		stp_br.b_ops.so_send(stpsm_portnum(p), frame, len);
}

/* Port Transmit (17.26): send what newInfo asks for, within TxHoldCount. */
static void
stpsm_ptx(struct sport *p)
{
	if (!p->sp_up || !p->sp_new_info || !p->sp_selected ||
	    p->sp_updt_info || p->sp_tx_count >= TX_HOLD_COUNT)
		return;
	p->sp_new_info = 0;
	if (p->sp_send_rstp) {
		if (p->sp_role == STP_ROLE_DISABLED)
			return;
		stpsm_tx(p, BPDU_TYPE_RST);
		p->sp_tc_ack = 0;
	} else if (p->sp_role == STP_ROLE_DESIGNATED) {
		stpsm_tx(p, BPDU_TYPE_CONFIG);
		p->sp_tc_ack = 0;
	} else if (p->sp_role == STP_ROLE_ROOT && p->sp_tc_while != 0) {
		/* A legacy root port only speaks to notify a change. */
		stpsm_tx(p, BPDU_TYPE_TCN);
	}
}

/* --- Port Information (17.27) -------------------------------------- */

static void
stpsm_received_vector(const struct sport *p, const struct bpdu *b,
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
stpsm_msg_role(const struct bpdu *b)
{
	if (b->b_type == BPDU_TYPE_CONFIG)
		return (BPDU_ROLE_DESIGNATED);
	return ((b->b_flags & BPDU_F_ROLE_MASK) >> BPDU_F_ROLE_SHIFT);
}

/* rcvInfo (17.21.8): how the message compares with what the port has. */
static int
stpsm_rcv_info(const struct sport *p, const struct bpdu *b,
    const struct pvec *v, const struct ptimes *t)
{
	int	c = stpsm_pvec_cmp(v, &p->sp_port_pv);
	int	role = stpsm_msg_role(b);

	if (role == BPDU_ROLE_DESIGNATED) {
		/*
		 * Superior: better, or from the same designated bridge and
		 * port with changed information, or the same with new times.
		 */
		if (c < 0 || (c > 0 &&
		    stpsm_same_mac(v->pv_bridge, p->sp_port_pv.pv_bridge) &&
		    (v->pv_port & PORTNUM_MAX) ==
		    (p->sp_port_pv.pv_port & PORTNUM_MAX)))
			return (RCV_SUPERIOR);
		if (c == 0 && !stpsm_times_eq(t, &p->sp_port_t))
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
stpsm_better_or_same(const struct sport *p, int newinfo,
    const struct pvec *msg)
{
	if (newinfo == INFO_RECEIVED && p->sp_info_is == INFO_RECEIVED &&
	    stpsm_pvec_cmp(msg, &p->sp_port_pv) <= 0)
		return (1);
	if (newinfo == INFO_MINE && p->sp_info_is == INFO_MINE &&
	    stpsm_pvec_cmp(&p->sp_desig_pv, &p->sp_port_pv) <= 0)
		return (1);
	return (0);
}

static void
stpsm_set_tc_flags(struct sport *p, const struct bpdu *b)
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
stpsm_updt_rcvd_info_while(struct sport *p)
{
	if (p->sp_port_t.pt_msgage + 1 <= p->sp_port_t.pt_maxage)
		p->sp_rcvd_info_while = 3 * p->sp_port_t.pt_hello;
	else
		p->sp_rcvd_info_while = 0;
}

/* The Port Information machine's reaction to one received BPDU. */
void
stpsm_pim_receive(struct sport *p, const struct bpdu *b)
{
	struct pvec	v;
	struct ptimes	t;
	int		rstp = b->b_type == BPDU_TYPE_RST;

	if (b->b_type == BPDU_TYPE_TCN) {
		stpsm_set_tc_flags(p, b);
		return;
	}
	stpsm_received_vector(p, b, &v, &t);
	switch (stpsm_rcv_info(p, b, &v, &t)) {
	case RCV_SUPERIOR:
		p->sp_agreed = p->sp_proposing = 0;
		if (rstp && stpsm_msg_role(b) == BPDU_ROLE_DESIGNATED &&
		    (b->b_flags & BPDU_F_PROPOSAL))
			p->sp_proposed = 1;
		stpsm_set_tc_flags(p, b);
		p->sp_agree = p->sp_agree &&
		    stpsm_better_or_same(p, INFO_RECEIVED, &v);
		p->sp_port_pv = v;
		p->sp_port_t = t;
		stpsm_updt_rcvd_info_while(p);
		p->sp_info_is = INFO_RECEIVED;
		p->sp_reselect = 1;
		p->sp_selected = 0;
		break;
	case RCV_REPEATED:
		if (rstp && (b->b_flags & BPDU_F_PROPOSAL))
			p->sp_proposed = 1;
		stpsm_set_tc_flags(p, b);
		stpsm_updt_rcvd_info_while(p);
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
		stpsm_set_tc_flags(p, b);
		break;
	default:
		break;
	}
}

/* The Port Information machine's own transitions; 1 if one happened. */
static int
stpsm_pim(struct sport *p)
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
		    stpsm_better_or_same(p, INFO_MINE, NULL);
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

void
stpsm_prs(void)
{
	struct sport	*p;
	struct pvec	 cand;
	uint64_t	 me = stpsm_bridge_id(), oldroot = stp_br.b_root_pv.pv_root;
	int		 i, c, oldport = stp_br.b_root_port;

	memset(&stp_br.b_root_pv, 0, sizeof(stp_br.b_root_pv));
	stp_br.b_root_pv.pv_root = me;
	stp_br.b_root_pv.pv_bridge = me;
	stp_br.b_root_t = stp_br.b_times;
	stp_br.b_root_port = PORT_NONE;
	for (i = 0; i < stp_br.b_nports; i++) {
		p = &stp_br.b_ports[i];
		if (!p->sp_exists || !p->sp_up ||
		    p->sp_info_is != INFO_RECEIVED ||
		    stpsm_same_mac(p->sp_port_pv.pv_bridge, me))
			continue;
		cand = p->sp_port_pv;
		cand.pv_cost = cand.pv_cost > UINT32_MAX - stpsm_cost(p) ?
		    UINT32_MAX : cand.pv_cost + stpsm_cost(p);
		cand.pv_rxport = p->sp_id;
		c = stpsm_pvec_cmp(&cand, &stp_br.b_root_pv);
		if (c < 0 || (c == 0 && stp_br.b_root_port != PORT_NONE &&
		    cand.pv_rxport < stp_br.b_root_pv.pv_rxport)) {
			stp_br.b_root_pv = cand;
			stp_br.b_root_port = p->sp_num;
			stp_br.b_root_t = p->sp_port_t;
			stp_br.b_root_t.pt_msgage++;
		}
	}
	if ((oldroot != stp_br.b_root_pv.pv_root || oldport != stp_br.b_root_port) &&
	    stp_br.b_ops.so_root != NULL)
		stp_br.b_ops.so_root(stp_br.b_root_port, stp_br.b_root_pv.pv_root);
	for (i = 0; i < stp_br.b_nports; i++) {
		p = &stp_br.b_ports[i];
		if (!p->sp_exists)
			continue;
		p->sp_desig_pv.pv_root = stp_br.b_root_pv.pv_root;
		p->sp_desig_pv.pv_cost = stp_br.b_root_pv.pv_cost;
		p->sp_desig_pv.pv_bridge = me;
		p->sp_desig_pv.pv_port = p->sp_id;
		p->sp_desig_pv.pv_rxport = p->sp_id;
		p->sp_desig_t = stp_br.b_root_t;
		p->sp_desig_t.pt_hello = stp_br.b_times.pt_hello;

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
			if (stpsm_pvec_cmp(&p->sp_port_pv,
			    &p->sp_desig_pv) != 0 ||
			    !stpsm_times_eq(&p->sp_port_t, &p->sp_desig_t))
				p->sp_updt_info = 1;
			break;
		case INFO_RECEIVED:
			if (p->sp_num == stp_br.b_root_port) {
				p->sp_selrole = STP_ROLE_ROOT;
				p->sp_updt_info = 0;
			} else if (stpsm_pvec_cmp(&p->sp_desig_pv,
			    &p->sp_port_pv) >= 0) {
				/* Our own BPDUs coming back: a backup. */
				p->sp_selrole = stpsm_same_mac(
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

/* --- Topology Change (17.31) ---------------------------------------- */

/* setTcPropTree (17.21.18): every other port propagates the change. */
static void
stpsm_set_tc_prop_tree(struct sport *self)
{
	int	i;

	for (i = 0; i < stp_br.b_nports; i++)
		if (&stp_br.b_ports[i] != self && stp_br.b_ports[i].sp_exists)
			stp_br.b_ports[i].sp_tc_prop = 1;
}

static void
stpsm_new_tc_while(struct sport *p)
{
	if (p->sp_tc_while != 0)
		return;
	if (p->sp_send_rstp)
		p->sp_tc_while = stpsm_hello_time(p) + 1;
	else
		p->sp_tc_while = stp_br.b_root_t.pt_maxage + stp_br.b_root_t.pt_fwd;
	/* Say so now (a legacy root port sends its TCN at once too). */
	p->sp_new_info = 1;
}

static void
stpsm_flush(struct sport *p)
{
	if (stp_br.b_ops.so_flush != NULL)
		stp_br.b_ops.so_flush(stpsm_portnum(p));
}

static int
stpsm_tcm_step(struct sport *p)
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
			stp_br.b_topochanges++;
			stpsm_new_tc_while(p);
			stpsm_set_tc_prop_tree(p);
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
			stpsm_flush(p);
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
				stpsm_new_tc_while(p);
			p->sp_rcvd_tc = p->sp_rcvd_tcn = 0;
			if (p->sp_role == STP_ROLE_DESIGNATED) {
				/* Acknowledge now, not at the next hello. */
				p->sp_tc_ack = 1;
				p->sp_new_info = 1;
			}
			stpsm_set_tc_prop_tree(p);
			return (1);
		}
		if (p->sp_tc_prop && !p->sp_oper_edge) {
			/* PROPAGATING */
			stpsm_new_tc_while(p);
			stpsm_flush(p);
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
stpsm_ppm_step(struct sport *p)
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
				    stpsm_portnum(p));
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
			    stpsm_portnum(p));
			return (1);
		}
		return (0);
	}
	return (0);
}

static int
stpsm_bdm_step(struct sport *p)
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
			    stpsm_portnum(p));
		return (1);
	}
	return (0);
}

/* --- driving the machines ------------------------------------------- */

/* Run every machine until none has a transition left, then transmit. */
void
stpsm_run(void)
{
	struct sport	*p;
	int		 i, changed, rounds, reselect;

	if (!stp_br.b_enabled)
		return;
	for (rounds = 0; rounds < 64; rounds++) {
		changed = 0;
		for (i = 0; i < stp_br.b_nports; i++) {
			p = &stp_br.b_ports[i];
			if (!p->sp_exists)
				continue;
			changed |= stpsm_ppm_step(p);
			changed |= stpsm_bdm_step(p);
			changed |= stpsm_pim(p);
		}
		reselect = 0;
		for (i = 0; i < stp_br.b_nports; i++)
			if (stp_br.b_ports[i].sp_exists &&
			    stp_br.b_ports[i].sp_reselect)
				reselect = 1;
		if (reselect) {
			stpsm_prs();
			changed = 1;
		}
		for (i = 0; i < stp_br.b_nports; i++) {
			p = &stp_br.b_ports[i];
			if (!p->sp_exists)
				continue;
			while (stpprt_step(p))
				changed = 1;
			changed |= stpsm_tcm_step(p);
		}
		if (!changed)
			break;
	}
	if (rounds == 64)
		log_warnx("stp: state machines did not settle");
	for (i = 0; i < stp_br.b_nports; i++)
		if (stp_br.b_ports[i].sp_exists)
			stpsm_ptx(&stp_br.b_ports[i]);
}
