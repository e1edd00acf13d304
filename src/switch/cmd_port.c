/*
 * cmd_port.c: the console's "port" menu (spec section 6.3) over port.c.
 * port/setvlan belongs to the VLAN code (cmd_vlan.c) and closes the menu
 * in cmd_table; the port debug events are mgmtev.c's.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "switch.h"

/* Parse a port number word (0..INT_MAX; port.c checks the range). */
static int
cmd_port_num(const char *s, int *n)
{
	long long	v;

	if (cmd_int(s, 0, INT_MAX, &v) != 0)
		return (EINVAL);
	*n = (int)v;
	return (0);
}

/* "N": exactly one port number. */
static int
cmd_port_arg1(char *arg, int *n)
{
	char	*argv[1];

	if (cmd_split(arg, argv, 1) != 1)
		return (EINVAL);
	return (cmd_port_num(argv[0], n));
}

/* "N X": a port number and one more word, left in *w. */
static int
cmd_port_arg2(char *arg, int *n, char **w)
{
	char	*argv[2];

	if (cmd_split(arg, argv, 2) != 2)
		return (EINVAL);
	*w = argv[1];
	return (cmd_port_num(argv[0], n));
}

/* "0" or "1". */
static int
cmd_port_bool(const char *s, int *on)
{
	long long	v;

	if (cmd_int(s, 0, 1, &v) != 0)
		return (EINVAL);
	*on = (int)v;
	return (0);
}

/* "port/showinfo": number of ports, hub mode, counters, limits. */
static int
cmd_port_showinfo(struct mgmt_out *out, char *arg)
{
	struct port_limits	lim;
	uint64_t		rrefused, rcorrupt;
	size_t			used;

	mgmt_printf(out, "Numports=%d\n", sw_numports());
	mgmt_printf(out, "HUB=%s\n", forward_gethub() ? "true" : "false");
	mgmt_printf(out, "counters=true\n");
	port_getlimits(&lim);
	mgmt_printf(out, "portcables=%d refused=%llu\n",
	    sw_conf.c_portcables, (unsigned long long)lim.lim_refused_port);
	mgmt_printf(out, "usercables=%d refused=%llu\n",
	    sw_conf.c_usercables, (unsigned long long)lim.lim_refused_user);
	mgmt_printf(out, "queuememory=%zu used=%zu refused=%llu\n",
	    sw_conf.c_queuemem, lim.lim_queue_used,
	    (unsigned long long)lim.lim_queue_refused);
	mgmt_printf(out, "minsegment=%d dropped=%llu\n",
	    sw_conf.c_minsegment, (unsigned long long)tapport_undersized());
	mgmt_printf(out, "framemax=%d dropped=%llu\n", VDE_ETHBUFSIZE,
	    (unsigned long long)tapport_toolong());
	used = ringport_memory(&rrefused, &rcorrupt);
	mgmt_printf(out, "ringmemory=%zu used=%zu refused=%llu corrupt=%llu\n",
	    sw_conf.c_ringmem, used, (unsigned long long)rrefused,
	    (unsigned long long)rcorrupt);
	return (0);
}

/* "port/setnumports N". */
static int
cmd_port_setnumports(struct mgmt_out *out, char *arg)
{
	int	n, rv;

	if ((rv = cmd_port_arg1(arg, &n)) != 0)
		return (rv);
	return (port_setnumports(n));
}

/* "port/sethub 0/1": flood every frame, as a hub does. */
static int
cmd_port_sethub(struct mgmt_out *out, char *arg)
{
	int	on;

	if (cmd_port_bool(arg, &on) != 0)
		return (EINVAL);
	/* A hub does not run the spanning tree (as with -x). */
	if (on && stp_enabled())
		(void)stp_enable(0);
	forward_sethub(on);
	return (0);
}

/* "port/createauto": a new port with the lowest free number. */
static int
cmd_port_createauto(struct mgmt_out *out, char *arg)
{
	int	n, rv;

	if ((rv = port_createauto(&n)) != 0)
		return (rv);
	mgmt_printf(out, "Port %04d\n", n);
	return (0);
}

/* "port/create N". */
static int
cmd_port_create(struct mgmt_out *out, char *arg)
{
	int	n, rv;

	if ((rv = cmd_port_arg1(arg, &n)) != 0)
		return (rv);
	return (port_create(n));
}

/* "port/remove N". */
static int
cmd_port_remove(struct mgmt_out *out, char *arg)
{
	int	n, rv;

	if ((rv = cmd_port_arg1(arg, &n)) != 0)
		return (rv);
	return (port_remove(n));
}

/* "port/allocatable N 0/1": may "any port" requests get port N? */
static int
cmd_port_allocatable(struct mgmt_out *out, char *arg)
{
	char	*w;
	int	 n, on;

	if (cmd_port_arg2(arg, &n, &w) != 0 ||
	    cmd_port_bool(w, &on) != 0)
		return (EINVAL);
	return (port_allocatable(n, on));
}

/* A user or group: NONE/ANY (none), a number, or a name. */
static int
cmd_port_id(const char *w, long long *id, int isgroup)
{
	struct passwd	*pw;
	struct group	*gr;

	if (strcmp(w, "NONE") == 0 || strcmp(w, "ANY") == 0) {
		*id = -1;
		return (0);
	}
	if (cmd_int(w, 0, (long long)UINT_MAX - 1, id) == 0)
		return (0);
	if (isgroup) {
		if ((gr = getgrnam(w)) == NULL)
			return (EINVAL);
		*id = gr->gr_gid;
	} else {
		if ((pw = getpwnam(w)) == NULL)
			return (EINVAL);
		*id = pw->pw_uid;
	}
	return (0);
}

/* "port/setuser N USER": the user of port N's access control. */
static int
cmd_port_setuser(struct mgmt_out *out, char *arg)
{
	char		*w;
	long long	 id;
	int		 n;

	if (cmd_port_arg2(arg, &n, &w) != 0 ||
	    cmd_port_id(w, &id, 0) != 0)
		return (EINVAL);
	return (port_setuser(n, id == -1 ? UID_NONE : (uid_t)id));
}

/* "port/setgroup N GROUP": the group of port N's access control. */
static int
cmd_port_setgroup(struct mgmt_out *out, char *arg)
{
	char		*w;
	long long	 id;
	int		 n;

	if (cmd_port_arg2(arg, &n, &w) != 0 ||
	    cmd_port_id(w, &id, 1) != 0)
		return (EINVAL);
	return (port_setgroup(n, id == -1 ? GID_NONE : (gid_t)id));
}

/* "port/epclose N ID": close one cable of port N. */
static int
cmd_port_epclose(struct mgmt_out *out, char *arg)
{
	char	*w;
	int	 n, id;

	if (cmd_port_arg2(arg, &n, &w) != 0 ||
	    cmd_port_num(w, &id) != 0)
		return (EINVAL);
	return (port_epclose(n, id));
}

/* "port/resetcounter [N]": one port's counters, or every port's. */
static int
cmd_port_resetcounter(struct mgmt_out *out, char *arg)
{
	int	n, rv;

	if (*arg == '\0')
		return (port_resetcounter(-1));
	if ((rv = cmd_port_arg1(arg, &n)) != 0)
		return (rv);
	return (port_resetcounter(n));
}

/* Print a user: name, number, or NONE. */
static void
cmd_port_user(char *buf, size_t len, uid_t uid)
{
	struct passwd	*pw;

	if (uid == UID_NONE)
		strlcpy(buf, "NONE", len);
	else if ((pw = getpwuid(uid)) != NULL)
		strlcpy(buf, pw->pw_name, len);
	else
		(void)snprintf(buf, len, "%lu", (unsigned long)uid);
}

/* Print a group: name, number, or NONE. */
static void
cmd_port_group(char *buf, size_t len, gid_t gid)
{
	struct group	*gr;

	if (gid == GID_NONE)
		strlcpy(buf, "NONE", len);
	else if ((gr = getgrgid(gid)) != NULL)
		strlcpy(buf, gr->gr_name, len);
	else
		(void)snprintf(buf, len, "%lu", (unsigned long)gid);
}

/* One port's block of port/print and port/allprint. */
static void
cmd_port_block(struct mgmt_out *out, const struct port *p)
{
	const struct endpoint	*ep;
	char			 cur[64], user[64], group[64];

	mgmt_printf(out, "Port %04d untagged_vlan=%04d %sACTIVE - %sUnnamed "
	    "Allocatable\n", p->p_num, vlan_untagged(p->p_num), p->p_neps > 0 ? "" : "IN",
	    p->p_allocatable ? "" : "NOT ");
	cmd_port_user(cur, sizeof(cur), p->p_curuser);
	cmd_port_user(user, sizeof(user), p->p_user);
	cmd_port_group(group, sizeof(group), p->p_group);
	mgmt_printf(out, " Current User: %s Access Control: (User: %s - "
	    "Group: %s)\n", cur, user, group);
	mgmt_printf(out, " IN:  pkts %10llu          bytes %20llu\n",
	    (unsigned long long)p->p_in_frames,
	    (unsigned long long)p->p_in_bytes);
	mgmt_printf(out, " OUT: pkts %10llu          bytes %20llu\n",
	    (unsigned long long)p->p_out_frames,
	    (unsigned long long)p->p_out_bytes);
	mgmt_printf(out, " DROP: in  %10llu          out   %20llu\n",
	    (unsigned long long)p->p_drop_in,
	    (unsigned long long)p->p_drop_out);
	for (ep = p->p_eps; ep != NULL; ep = ep->ep_next)
		mgmt_printf(out, "  -- endpoint ID %04d module %-12s: %s\n",
		    ep->ep_id, ep->ep_ops != NULL ? ep->ep_ops->eo_kind :
		    ep->ep_tap ? "tuntap" : "unix prog",
		    ep->ep_descr[0] != '\0' ? ep->ep_descr :
		    "no endpoint description");
}

/* port/print (active ports only) and port/allprint. */
static int
cmd_port_doprint(struct mgmt_out *out, char *arg, int all)
{
	const struct port	*p;
	int			 n, rv;

	if (*arg != '\0') {
		if ((rv = cmd_port_arg1(arg, &n)) != 0)
			return (rv);
		if ((p = port_get(n)) == NULL || (!all && p->p_neps == 0))
			return (ENXIO);
		cmd_port_block(out, p);
		return (0);
	}
	for (n = 0; n <= sw_numports(); n++)
		if ((p = port_get(n)) != NULL && (all || p->p_neps > 0))
			cmd_port_block(out, p);
	return (0);
}

/* "port/print [N]". */
static int
cmd_port_print(struct mgmt_out *out, char *arg)
{
	return (cmd_port_doprint(out, arg, 0));
}

/* "port/allprint [N]". */
static int
cmd_port_allprint(struct mgmt_out *out, char *arg)
{
	return (cmd_port_doprint(out, arg, 1));
}

/* Entries of cmd_table (cmd_table.c). */
const struct cmd cmd_port_entry = {
	"port", "", "PORT STATUS MENU", 0, NULL
};

const struct cmd cmd_port_showinfo_entry = {
	"port/showinfo", "", "show port info", CMD_DATA,
	cmd_port_showinfo
};

const struct cmd cmd_port_setnumports_entry = {
	"port/setnumports", "N", "set the number of ports", 0,
	cmd_port_setnumports
};

const struct cmd cmd_port_sethub_entry = {
	"port/sethub", "0/1", "1=HUB 0=switch", 0, cmd_port_sethub
};

const struct cmd cmd_port_createauto_entry = {
	"port/createauto", "", "create a port with an automatically "
	"allocated id (inactive|notallocatable)", CMD_DATA,
	cmd_port_createauto
};

const struct cmd cmd_port_create_entry = {
	"port/create", "N", "create the port N (inactive|notallocatable)",
	0, cmd_port_create
};

const struct cmd cmd_port_remove_entry = {
	"port/remove", "N", "remove the port N", 0, cmd_port_remove
};

const struct cmd cmd_port_allocatable_entry = {
	"port/allocatable", "N 0/1", "make the port allocatable or not", 0,
	cmd_port_allocatable
};

const struct cmd cmd_port_setuser_entry = {
	"port/setuser", "N user", "access control: set user", 0,
	cmd_port_setuser
};

const struct cmd cmd_port_setgroup_entry = {
	"port/setgroup", "N group", "access control: set group", 0,
	cmd_port_setgroup
};

const struct cmd cmd_port_epclose_entry = {
	"port/epclose", "N ID", "remove the endpoint ID of port N", 0,
	cmd_port_epclose
};

const struct cmd cmd_port_resetcounter_entry = {
	"port/resetcounter", "[N]", "reset the port (N) counters", 0,
	cmd_port_resetcounter
};

const struct cmd cmd_port_print_entry = {
	"port/print", "[N]", "print the port/endpoint table", CMD_DATA,
	cmd_port_print
};

const struct cmd cmd_port_allprint_entry = {
	"port/allprint", "[N]", "print the port/endpoint table "
	"(including inactive ports)", CMD_DATA, cmd_port_allprint
};
