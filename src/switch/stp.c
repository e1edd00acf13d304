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
 *
 * This file is the bridge as the switch and its console see it: set-up,
 * ports coming and going, received BPDUs, the one-second tick, the
 * questions of the data path, and the management API of cmd_stp.c.  The
 * machines themselves are in stpsm.c and stpprt.c.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "switch.h"
#include "stp.h"
#include "xmalloc.h"

struct stp_bridge	stp_br;

static struct sport *
stp_port(int port)
{
	if (port < 0 || port >= stp_br.b_nslot || stp_br.b_slot[port] < 0)
		return (NULL);
	return (&stp_br.b_ports[stp_br.b_slot[port]]);
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

	for (i = 0; i < stp_br.b_nports; i++) {
		p = &stp_br.b_ports[i];
		if (!p->sp_exists)
			continue;
		p->sp_tokens = RX_BURST;
		if (!stp_br.b_enabled || !p->sp_up)
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
			p->sp_hello_when = stpsm_hello_time(p);
		}
	}
	stpsm_run();
}

static void
stp_timer_fire(void *arg)
{
	stp_tick();
	timer_add(&stp_br.b_timer, 1000);
}

/* Set up the bridge; the protocol stays off until stp_enable(1). */
void
stp_init(const uint8_t mac[ETHER_ADDR_LEN], uint16_t prio,
    const struct stp_ops *ops)
{
	free(stp_br.b_ports);
	free(stp_br.b_slot);
	memset(&stp_br, 0, sizeof(stp_br));
	memcpy(stp_br.b_mac, mac, ETHER_ADDR_LEN);
	stp_br.b_prio = prio;
	stp_br.b_times.pt_msgage = 0;
	stp_br.b_times.pt_maxage = 20;
	stp_br.b_times.pt_hello = 2;
	stp_br.b_times.pt_fwd = 15;
	stp_br.b_root_port = PORT_NONE;
	if (ops != NULL)
		stp_br.b_ops = *ops;
	timer_set(&stp_br.b_timer, stp_timer_fire, NULL);
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
	p->sp_desig_t = stp_br.b_times;
	p->sp_port_t = stp_br.b_times;
	p->sp_fd_while = stp_br.b_times.pt_maxage;
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
	int	old = stp_br.b_enabled, i;

	on = on != 0;
	if (on == old)
		return (old);
	stp_br.b_enabled = on;
	if (on) {
		for (i = 0; i < stp_br.b_nports; i++)
			if (stp_br.b_ports[i].sp_exists)
				stp_port_begin(&stp_br.b_ports[i]);
		stpsm_prs();
		stpsm_run();
		timer_add(&stp_br.b_timer, 1000);
		log_info("stp: on, bridge id %04x.%02x%02x%02x%02x%02x%02x",
		    stp_br.b_prio, stp_br.b_mac[0], stp_br.b_mac[1], stp_br.b_mac[2],
		    stp_br.b_mac[3], stp_br.b_mac[4], stp_br.b_mac[5]);
	} else {
		timer_del(&stp_br.b_timer);
		log_info("stp: off");
	}
	return (old);
}

/* Is the protocol on? */
int
stp_enabled(void)
{
	return (stp_br.b_enabled);
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
	if (port >= stp_br.b_nslot) {
		n = port + 1 > 2 * stp_br.b_nslot ? port + 1 : 2 * stp_br.b_nslot;
		stp_br.b_slot = xreallocarray(stp_br.b_slot, n, sizeof(*stp_br.b_slot));
		while (stp_br.b_nslot < n)
			stp_br.b_slot[stp_br.b_nslot++] = -1;
	}
	if (stp_br.b_nports == stp_br.b_cap) {
		stp_br.b_cap = stp_br.b_cap == 0 ? 16 : 2 * stp_br.b_cap;
		stp_br.b_ports = xreallocarray(stp_br.b_ports, stp_br.b_cap, sizeof(*p));
	}
	stp_br.b_slot[port] = stp_br.b_nports;
	p = &stp_br.b_ports[stp_br.b_nports++];
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
	stpsm_run();
}

/* A port went away: its information ages out at once. */
void
stp_port_down(int port)
{
	struct sport	*p = stp_port(port);

	if (p == NULL || !p->sp_up)
		return;
	p->sp_up = 0;
	stpsm_run();
	if (!stp_br.b_enabled)
		return;
	/* The machines ran with portEnabled false; make the port inert. */
	stpprt_set_state(p, 0, 0);
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

	if (p == NULL || !p->sp_up || !stp_br.b_enabled)
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
	if (b.b_type != BPDU_TYPE_TCN && b.b_bridge == stpsm_bridge_id() &&
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
	stpsm_run();
	stpsm_pim_receive(p, &b);
	stpsm_run();
}

/* Per-frame questions of the data path: two array lookups. */
int
stp_forwarding(int port)
{
	if (!stp_br.b_enabled)
		return (1);
	if (port < 0 || port >= stp_br.b_nslot || stp_br.b_slot[port] < 0)
		return (0);
	return (stp_br.b_ports[stp_br.b_slot[port]].sp_forward);
}

/* May the switch learn addresses on port (always, when off)? */
int
stp_learning(int port)
{
	if (!stp_br.b_enabled)
		return (1);
	if (port < 0 || port >= stp_br.b_nslot || stp_br.b_slot[port] < 0)
		return (0);
	return (stp_br.b_ports[stp_br.b_slot[port]].sp_learn);
}

/* --- management ------------------------------------------------------ */

/* Re-evaluate everything after a change of our own parameters. */
static void
stp_reconfigure(void)
{
	int	i;

	for (i = 0; i < stp_br.b_nports; i++)
		if (stp_br.b_ports[i].sp_exists)
			stp_br.b_ports[i].sp_reselect = 1;
	stpsm_run();
}

/* The bridge priority, the high 16 bits of the bridge ID. */
void
stp_set_priority(uint16_t prio)
{
	stp_br.b_prio = prio;
	stp_br.b_times.pt_msgage = 0;
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
	stp_br.b_times.pt_hello = hello;
	stp_br.b_times.pt_maxage = maxage;
	stp_br.b_times.pt_fwd = fwd;
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
	stpsm_run();
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
	stpsm_run();
	return (0);
}

/* The bridge's state for fstp/showinfo and fstp/print. */
void
stp_info(struct stp_info *si)
{
	memset(si, 0, sizeof(*si));
	si->si_enabled = stp_br.b_enabled;
	si->si_bridge = stpsm_bridge_id();
	if (!stp_br.b_enabled) {
		si->si_root = si->si_designated = si->si_bridge;
		si->si_rootport = PORT_NONE;
	} else {
		si->si_root = stp_br.b_root_pv.pv_root;
		si->si_designated = stp_br.b_root_pv.pv_bridge;
		si->si_cost = stp_br.b_root_pv.pv_cost;
		si->si_rootport = stp_br.b_root_port;
	}
	si->si_hello = stp_br.b_times.pt_hello;
	si->si_maxage = stp_br.b_times.pt_maxage;
	si->si_fwddelay = stp_br.b_times.pt_fwd;
	si->si_root_hello = stp_br.b_root_t.pt_hello;
	si->si_root_maxage = stp_br.b_root_t.pt_maxage;
	si->si_root_fwddelay = stp_br.b_root_t.pt_fwd;
	if (!stp_br.b_enabled) {
		si->si_root_hello = si->si_hello;
		si->si_root_maxage = si->si_maxage;
		si->si_root_fwddelay = si->si_fwddelay;
	}
	si->si_topochanges = stp_br.b_topochanges;
}

/* Fill *pi for an active port; -1 if the port is not up. */
int
stp_port_info(int port, struct stp_port_info *pi)
{
	struct sport	*p = stp_port(port);

	if (p == NULL || !p->sp_up)
		return (-1);
	memset(pi, 0, sizeof(*pi));
	pi->pi_role = stp_br.b_enabled ? p->sp_role : STP_ROLE_DISABLED;
	pi->pi_learning = stp_learning(port);
	pi->pi_forwarding = stp_forwarding(port);
	pi->pi_edge = p->sp_oper_edge;
	pi->pi_admin_edge = p->sp_admin_edge;
	pi->pi_rstp = p->sp_send_rstp;
	pi->pi_id = p->sp_id;
	pi->pi_cost = stpsm_cost(p);
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
