/*
 * cmd_stp.c: the console's "fstp" menu (spec section 6.3), in the syntax
 * of VDE 2 where it exists (showinfo, setfstp, setedge, bonus, print) and
 * with setters for what the standard makes configurable (bridge priority,
 * port cost and priority, timers, mcheck).  The protocol is IEEE 802.1w
 * RSTP with one tree for all VLANs: the VLAN arguments VDE 2 scripts pass
 * are checked and accepted, and act on that one tree.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "switch.h"

#define ARGMAX	4

/*
 * Split arg (in place) into at most max words and parse each as an
 * integer with the console's rules (cmd_int).  Returns the word count, or
 * -1 for garbage or too many words.
 */
static int
cmd_stp_ints(char *arg, long long *v, int max)
{
	char	*argv[ARGMAX];
	int	 n, i;

	if (max > ARGMAX || (n = cmd_split(arg, argv, max)) == -1)
		return (-1);
	for (i = 0; i < n; i++)
		if (cmd_int(argv[i], LLONG_MIN, LLONG_MAX, &v[i]) != 0)
			return (-1);
	return (n);
}

/* A VLAN argument: 0..4094, and defined (VLAN 0 always is). */
static int
cmd_stp_vlan(long long vid)
{
	if (vid < 0 || vid >= VLAN_MAX)
		return (EINVAL);
	if (vid != 0 && !vlan_defined((int)vid))
		return (ENXIO);
	return (0);
}

/* A port argument: a number whose port exists. */
static int
cmd_stp_port(long long port)
{
	if (port < 0 || port > INT32_MAX)
		return (EINVAL);
	if (port_get((int)port) == NULL)
		return (ENXIO);
	return (0);
}

/*
 * A bridge ID as eight colon-separated hex bytes, the way fstp/print and
 * the fstp/root event show it; cut short when size is under 24.
 */
void
cmd_stp_id(char *buf, size_t size, uint64_t id)
{
	size_t	i;

	if (size > 0)
		buf[0] = '\0';
	for (i = 0; i < 8 && 3 * i < size; i++)
		(void)snprintf(buf + 3 * i, size - 3 * i, "%02x%s",
		    (unsigned int)(id >> (56 - 8 * i)) & 0xff,
		    i < 7 ? ":" : "");
}

/* "fstp/showinfo": MAC, priority, on/off, protocol and timers. */
static int
cmd_stp_showinfo(struct mgmt_out *out, char *arg)
{
	struct stp_info	 si;
	const uint8_t	*m = sw_conf.c_macaddr;
	unsigned int	 prio;

	stp_info(&si);
	prio = (unsigned int)(si.si_bridge >> 48);
	mgmt_printf(out, "MAC %02x:%02x:%02x:%02x:%02x:%02x Priority %u "
	    "(0x%x)\n", m[0], m[1], m[2], m[3], m[4], m[5], prio, prio);
	mgmt_printf(out, "FSTP=%s\n", si.si_enabled ? "true" : "false");
	mgmt_printf(out, "Protocol=RSTP (IEEE 802.1w, 802.1D STP per port "
	    "when heard), one tree for all VLANs\n");
	mgmt_printf(out, "Hello=%u MaxAge=%u ForwardDelay=%u\n", si.si_hello,
	    si.si_maxage, si.si_fwddelay);
	return (0);
}

/* "fstp/setfstp 0/1". */
static int
cmd_stp_setfstp(struct mgmt_out *out, char *arg)
{
	long long	v[ARGMAX];

	if (cmd_stp_ints(arg, v, ARGMAX) != 1)
		return (EINVAL);
	if (v[0] != 0 && forward_gethub()) {
		mgmt_printf(out, "Can't use fstp in hub mode\n");
		return (0);
	}
	stp_enable(v[0] != 0);
	return (0);
}

/* "fstp/setedge VLAN PORT 0/1". */
static int
cmd_stp_setedge(struct mgmt_out *out, char *arg)
{
	long long	v[ARGMAX];
	int		e;

	if (cmd_stp_ints(arg, v, ARGMAX) != 3)
		return (EINVAL);
	if ((e = cmd_stp_vlan(v[0])) != 0 || (e = cmd_stp_port(v[1])) != 0)
		return (e);
	return (stp_set_edge((int)v[1], v[2] != 0) == 0 ? 0 : EINVAL);
}

/* "fstp/bonus VLAN PORT COST": COST is taken off the port's path cost. */
static int
cmd_stp_bonus(struct mgmt_out *out, char *arg)
{
	long long	v[ARGMAX];
	int		e;

	if (cmd_stp_ints(arg, v, ARGMAX) != 3)
		return (EINVAL);
	if ((e = cmd_stp_vlan(v[0])) != 0 || (e = cmd_stp_port(v[1])) != 0)
		return (e);
	if (v[2] < 0 || v[2] > 200000000)
		return (EINVAL);
	return (stp_set_bonus((int)v[1], (uint32_t)v[2]) == 0 ? 0 : EINVAL);
}

/* "fstp/setpriority N": the bridge priority, 0..65535. */
static int
cmd_stp_setpriority(struct mgmt_out *out, char *arg)
{
	long long	v[ARGMAX];

	if (cmd_stp_ints(arg, v, ARGMAX) != 1 || v[0] < 0 || v[0] > 0xffff)
		return (EINVAL);
	sw_conf.c_priority = (int)v[0];
	stp_set_priority((uint16_t)v[0]);
	return (0);
}

/* "fstp/setcost PORT COST": 1..200000000, 0 for the default. */
static int
cmd_stp_setcost(struct mgmt_out *out, char *arg)
{
	long long	v[ARGMAX];
	int		e;

	if (cmd_stp_ints(arg, v, ARGMAX) != 2)
		return (EINVAL);
	if ((e = cmd_stp_port(v[0])) != 0)
		return (e);
	if (v[1] < 0 || v[1] > 200000000)
		return (EINVAL);
	return (stp_set_cost((int)v[0], (uint32_t)v[1]) == 0 ? 0 : EINVAL);
}

/* "fstp/setportprio PORT PRIO": 0..240 in steps of 16. */
static int
cmd_stp_setportprio(struct mgmt_out *out, char *arg)
{
	long long	v[ARGMAX];
	int		e;

	if (cmd_stp_ints(arg, v, ARGMAX) != 2)
		return (EINVAL);
	if ((e = cmd_stp_port(v[0])) != 0)
		return (e);
	if (v[1] < 0 || v[1] > 240)
		return (EINVAL);
	return (stp_set_portprio((int)v[0], (unsigned int)v[1]) == 0 ?
	    0 : EINVAL);
}

/* "fstp/settimers HELLO MAXAGE FWDDELAY", in seconds. */
static int
cmd_stp_settimers(struct mgmt_out *out, char *arg)
{
	long long	v[ARGMAX];

	if (cmd_stp_ints(arg, v, ARGMAX) != 3 || v[0] < 0 || v[0] > 60 ||
	    v[1] < 0 || v[1] > 60 || v[2] < 0 || v[2] > 60)
		return (EINVAL);
	return (stp_set_times((unsigned int)v[0], (unsigned int)v[1],
	    (unsigned int)v[2]) == 0 ? 0 : EINVAL);
}

/* "fstp/mcheck PORT": try RSTP again where 802.1D was heard. */
static int
cmd_stp_mcheck(struct mgmt_out *out, char *arg)
{
	long long	v[ARGMAX];
	int		e;

	if (cmd_stp_ints(arg, v, ARGMAX) != 1)
		return (EINVAL);
	if ((e = cmd_stp_port(v[0])) != 0)
		return (e);
	return (stp_mcheck((int)v[0]) == 0 ? 0 : ENXIO);
}

/* "fstp/print [VLAN]": the bridge, then one line per active port. */
static int
cmd_stp_print(struct mgmt_out *out, char *arg)
{
	struct stp_info		 si;
	struct stp_port_info	 pi;
	struct port		*p;
	long long		 v[ARGMAX];
	char			 b1[32];
	int			 n, i, e, vid = 0;

	if ((n = cmd_stp_ints(arg, v, ARGMAX)) < 0 || n > 1)
		return (EINVAL);
	if (n == 1) {
		if ((e = cmd_stp_vlan(v[0])) != 0)
			return (e);
		vid = (int)v[0];
	}
	stp_info(&si);
	mgmt_printf(out, "FST DATA VLAN %04d %s %s\n", vid,
	    si.si_enabled && si.si_rootport == PORT_NONE ? "ROOTSWITCH" : "",
	    si.si_enabled ? "" : "FSTP IS DISABLED");
	cmd_stp_id(b1, sizeof(b1), si.si_bridge);
	mgmt_printf(out, " ++ bridge %s\n", b1);
	cmd_stp_id(b1, sizeof(b1), si.si_root);
	mgmt_printf(out, " ++ root %s\n", b1);
	cmd_stp_id(b1, sizeof(b1), si.si_designated);
	mgmt_printf(out, " ++ designated %s\n", b1);
	mgmt_printf(out, " ++ rootport %04d cost %u hello %u maxage %u "
	    "fwddelay %u topologychanges %lu\n",
	    si.si_rootport == PORT_NONE ? 0 : si.si_rootport, si.si_cost,
	    si.si_root_hello, si.si_root_maxage, si.si_root_fwddelay,
	    si.si_topochanges);
	n = port_count_active();
	for (i = 0; i < n; i++) {
		p = port_active(i);
		if (stp_port_info(p->p_num, &pi) != 0)
			continue;
		mgmt_printf(out, " -- Port %04d role=%s state=%s portcost=%u "
		    "bonus=%u edge=%d adminedge=%d proto=%s id=%04x "
		    "rx=%lu tx=%lu bad=%lu dropped=%lu\n", p->p_num,
		    stp_role_name(pi.pi_role), pi.pi_forwarding ?
		    "forwarding" : pi.pi_learning ? "learning" : "discarding",
		    pi.pi_cost, pi.pi_bonus, pi.pi_edge, pi.pi_admin_edge,
		    pi.pi_rstp ? "RSTP" : "STP", pi.pi_id, pi.pi_rx, pi.pi_tx,
		    pi.pi_bad, pi.pi_dropped);
	}
	return (0);
}

/* Entries of cmd_table (cmd_table.c). */
const struct cmd cmd_fstp_entry = {
	"fstp", "", "SPANNING TREE MENU (RSTP)",
	0, NULL
};

const struct cmd cmd_fstp_showinfo_entry = {
	"fstp/showinfo", "", "show spanning tree info", CMD_DATA,
	cmd_stp_showinfo
};

const struct cmd cmd_fstp_setfstp_entry = {
	"fstp/setfstp", "0/1", "spanning tree on/off", CMD_DATA,
	cmd_stp_setfstp
};

const struct cmd cmd_fstp_setedge_entry = {
	"fstp/setedge", "VLAN PORT 0/1", "define an edge port", 0,
	cmd_stp_setedge
};

const struct cmd cmd_fstp_bonus_entry = {
	"fstp/bonus", "VLAN PORT COST", "path cost bonus for a port", 0,
	cmd_stp_bonus
};

const struct cmd cmd_fstp_print_entry = {
	"fstp/print", "[VLAN]", "print the spanning tree state", CMD_DATA,
	cmd_stp_print
};

const struct cmd cmd_fstp_setpriority_entry = {
	"fstp/setpriority", "N", "bridge priority (0..65535)", 0,
	cmd_stp_setpriority
};

const struct cmd cmd_fstp_setcost_entry = {
	"fstp/setcost", "PORT COST", "port path cost (0: default)", 0,
	cmd_stp_setcost
};

const struct cmd cmd_fstp_setportprio_entry = {
	"fstp/setportprio", "PORT PRIO", "port priority (0..240 by 16)", 0,
	cmd_stp_setportprio
};

const struct cmd cmd_fstp_settimers_entry = {
	"fstp/settimers", "HELLO MAXAGE FD", "bridge times in seconds", 0,
	cmd_stp_settimers
};

const struct cmd cmd_fstp_mcheck_entry = {
	"fstp/mcheck", "PORT", "try RSTP again on a port", 0,
	cmd_stp_mcheck
};
