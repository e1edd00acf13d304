/*
 * stpprt.c: the Port Role Transitions machine of 802.1D-2004 (17.29), one
 * function per group of states of the standard's figure: Disabled Port
 * (17.29.1), Root Port (17.29.2), Designated Port (17.29.3), and Alternate
 * and Backup Port (17.29.4).  stpprt_step() makes one transition.
 */
#include "config.h"

#include <stdint.h>

#include "log.h"
#include "switch.h"
#include "stp.h"

/* --- Port Role Transitions (17.29) ---------------------------------- */

static void
stpprt_set_sync_tree(void)
{
	int	i;

	for (i = 0; i < stp_br.b_nports; i++)
		stp_br.b_ports[i].sp_sync = 1;
}

static void
stpprt_set_reroot_tree(void)
{
	int	i;

	for (i = 0; i < stp_br.b_nports; i++)
		stp_br.b_ports[i].sp_reroot = 1;
}

/*
 * allSynced for a root or alternate port: every other port has settled in
 * its role and no designated port forwards without its partner's
 * agreement.  Root, alternate and backup ports lead towards the root, not
 * into the subtree being synchronised, so they count as synced.
 */
static int
stpprt_all_synced(const struct sport *self)
{
	const struct sport	*q;
	int			 i;

	for (i = 0; i < stp_br.b_nports; i++) {
		q = &stp_br.b_ports[i];
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
stpprt_rerooted(const struct sport *self)
{
	int	i;

	for (i = 0; i < stp_br.b_nports; i++)
		if (&stp_br.b_ports[i] != self && stp_br.b_ports[i].sp_exists &&
		    stp_br.b_ports[i].sp_rr_while != 0)
			return (0);
	return (1);
}

void
stpprt_set_state(struct sport *p, int learn, int forward)
{
	if (p->sp_learn == learn && p->sp_forward == forward)
		return;
	p->sp_learn = learn;
	p->sp_forward = forward;
	log_debug("stp: port %d %s", stpsm_portnum(p),
	    forward ? "forwarding" : learn ? "learning" : "discarding");
	if (stp_br.b_ops.so_state != NULL)
		stp_br.b_ops.so_state(stpsm_portnum(p), learn, forward);
}

/* Enter the first state of a new role. */
static void
stpprt_enter(struct sport *p)
{
	if (p->sp_role != p->sp_selrole && p->sp_up)
		log_info("stp: port %d role %s", stpsm_portnum(p),
		    stp_role_name(p->sp_selrole));
	p->sp_role = p->sp_selrole;
	switch (p->sp_role) {
	case STP_ROLE_DISABLED:
		stpprt_set_state(p, 0, 0);
		p->sp_fd_while = p->sp_desig_t.pt_maxage;
		p->sp_synced = 1;
		p->sp_rr_while = 0;
		p->sp_sync = p->sp_reroot = 0;
		break;
	case STP_ROLE_ROOT:
		p->sp_rr_while = stpsm_fwd_delay(p);
		break;
	case STP_ROLE_DESIGNATED:
		break;
	case STP_ROLE_ALTERNATE:
	case STP_ROLE_BACKUP:
		stpprt_set_state(p, 0, 0);
		p->sp_fd_while = stpsm_forward_delay(p);
		p->sp_synced = 1;
		p->sp_rr_while = 0;
		p->sp_sync = p->sp_reroot = 0;
		break;
	}
}

/* Disabled Port states (17.29.1); 1 if a transition was made. */
static int
stpprt_disabled_port(struct sport *p)
{
	if (p->sp_fd_while != p->sp_desig_t.pt_maxage || p->sp_sync ||
	    p->sp_reroot || !p->sp_synced) {
		stpprt_enter(p);
		return (1);
	}
	return (0);
}

/* Root Port states (17.29.2); 1 if a transition was made. */
static int
stpprt_root_port(struct sport *p)
{
	int	fdok;

	if (p->sp_proposed && !p->sp_agree) {
		stpprt_set_sync_tree();
		p->sp_proposed = 0;
		return (1);
	}
	if ((stpprt_all_synced(p) && !p->sp_agree) ||
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
		stpprt_set_reroot_tree();
		return (1);
	}
	if (p->sp_rr_while != stpsm_fwd_delay(p)) {
		p->sp_rr_while = stpsm_fwd_delay(p);
		return (1);
	}
	if (p->sp_reroot && p->sp_forward) {
		p->sp_reroot = 0;
		return (1);
	}
	fdok = p->sp_fd_while == 0 ||
	    (stpprt_rerooted(p) && p->sp_rb_while == 0);
	if (fdok && !p->sp_learn) {
		p->sp_fd_while = stpsm_forward_delay(p);
		stpprt_set_state(p, 1, 0);
		return (1);
	}
	if (fdok && p->sp_learn && !p->sp_forward) {
		p->sp_fd_while = 0;
		stpprt_set_state(p, 1, 1);
		return (1);
	}
	return (0);
}

/* Designated Port states (17.29.3); 1 if a transition was made. */
static int
stpprt_designated_port(struct sport *p)
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
		stpprt_set_state(p, 0, 0);
		p->sp_disputed = 0;
		p->sp_fd_while = stpsm_forward_delay(p);
		return (1);
	}
	fdok = (p->sp_fd_while == 0 || p->sp_agreed || p->sp_oper_edge) &&
	    (p->sp_rr_while == 0 || !p->sp_reroot) && !p->sp_sync;
	if (fdok && !p->sp_learn) {
		p->sp_fd_while = stpsm_forward_delay(p);
		stpprt_set_state(p, 1, 0);
		return (1);
	}
	if (fdok && p->sp_learn && !p->sp_forward) {
		p->sp_fd_while = 0;
		p->sp_agreed = p->sp_send_rstp;
		stpprt_set_state(p, 1, 1);
		return (1);
	}
	return (0);
}

/* Alternate and Backup Port states (17.29.4); 1 if a transition was made. */
static int
stpprt_alternate_port(struct sport *p)
{
	if (p->sp_proposed && !p->sp_agree) {
		stpprt_set_sync_tree();
		p->sp_proposed = 0;
		return (1);
	}
	if ((stpprt_all_synced(p) && !p->sp_agree) ||
	    (p->sp_proposed && p->sp_agree)) {
		p->sp_proposed = 0;
		p->sp_agree = 1;
		p->sp_new_info = 1;
		return (1);
	}
	if (p->sp_role == STP_ROLE_BACKUP &&
	    p->sp_rb_while != 2 * stpsm_hello_time(p)) {
		p->sp_rb_while = 2 * stpsm_hello_time(p);
		return (1);
	}
	if (p->sp_fd_while != stpsm_forward_delay(p) || p->sp_sync ||
	    p->sp_reroot || !p->sp_synced) {
		stpprt_enter(p);
		return (1);
	}
	return (0);
}

/*
 * One transition of the Port Role Transitions machine (17.29) of port p:
 * enter the selected role if it changed, else take the next transition
 * within the current role.  Returns 1 if it made one.
 */
int
stpprt_step(struct sport *p)
{
	if (!p->sp_selected || p->sp_updt_info)
		return (0);
	if (p->sp_role != p->sp_selrole) {
		stpprt_enter(p);
		return (1);
	}
	switch (p->sp_role) {
	case STP_ROLE_DISABLED:
		return (stpprt_disabled_port(p));
	case STP_ROLE_ROOT:
		return (stpprt_root_port(p));
	case STP_ROLE_DESIGNATED:
		return (stpprt_designated_port(p));
	case STP_ROLE_ALTERNATE:
	case STP_ROLE_BACKUP:
		return (stpprt_alternate_port(p));
	}
	return (0);
}
