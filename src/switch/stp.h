/*
 * stp.h: what the spanning tree's own files share (stp.c, the bridge as
 * the switch and its console see it; stpsm.c, the per-port state machines
 * and the bridge-wide role selection; stpprt.c, the Port Role Transitions
 * machine).  The rest of the switch sees only switch.h.
 */
#ifndef STP_H
#define STP_H

#define MIGRATE_TIME	3	/* s, 802.1D-2004 Table 17-1 */
#define RX_BURST	30	/* BPDUs processed per second per port */
#define PORTNUM_MAX	0xfff	/* 12-bit port numbers in the port id */

/* Where a port's priority vector came from (infoIs). */
#define INFO_DISABLED	0
#define INFO_AGED	1
#define INFO_MINE	2
#define INFO_RECEIVED	3

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

/* The bridge: one spanning tree over every port of the switch. */
struct stp_bridge {
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
};

extern struct stp_bridge stp_br;

/* stpsm.c */
uint64_t	 stpsm_bridge_id(void);
int		 stpsm_portnum(const struct sport *);
uint32_t	 stpsm_cost(const struct sport *);
unsigned int	 stpsm_fwd_delay(const struct sport *);
unsigned int	 stpsm_forward_delay(const struct sport *);
unsigned int	 stpsm_hello_time(const struct sport *);
void		 stpsm_pim_receive(struct sport *, const struct bpdu *);
void		 stpsm_prs(void);
void		 stpsm_run(void);

/* stpprt.c */
void		 stpprt_set_state(struct sport *, int learn, int forward);
int		 stpprt_step(struct sport *);

#endif /* STP_H */
