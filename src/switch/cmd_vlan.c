/*
 * cmd_vlan.c: the VLAN console commands (spec section 6.3) over the VLAN
 * table of vlan.c (the one place a port's VLANs are kept), keeping the MAC
 * table in step with it.
 *
 * The original's syntax is kept (vlan/addport VLAN PORT, port/setvlan
 * PORT VLAN).  Where the original takes one VLAN, vlan/create, vlan/remove,
 * vlan/addport and vlan/delport also take a list, "10-20,30", and addport
 * and delport the word "all" (trunk-all mode); see vlan_parselist().  A
 * list command checks every VLAN first and changes nothing on an error.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "switch.h"

#define CMD_VLAN_ARGS	3

/* A whole word as a number in lo..hi (the console's rules); 0 or EINVAL. */
static int
cmd_vlan_num(const char *s, long lo, long hi, int *v)
{
	long long	n;

	if (cmd_int(s, lo, hi, &n) != 0)
		return (EINVAL);
	*v = (int)n;
	return (0);
}

/* Parse "WORD PORT" (vlan/addport, vlan/delport). */
static int
cmd_vlan_listport(char *arg, unsigned char *map, int *all, int *port)
{
	char	*argv[CMD_VLAN_ARGS];

	if (cmd_split(arg, argv, 2) != 2)
		return (EINVAL);
	if (vlan_parselist(argv[0], map, all) != 0 ||
	    cmd_vlan_num(argv[1], 0, VDE_PORT_MAX, port) != 0)
		return (EINVAL);
	if (port_get(*port) == NULL)
		return (ENXIO);
	return (0);
}

/* Parse a bare VLAN list (vlan/create, vlan/remove). */
static int
cmd_vlan_list(char *arg, unsigned char *map)
{
	char	*argv[CMD_VLAN_ARGS];
	int	 all;

	if (cmd_split(arg, argv, 1) != 1 ||
	    vlan_parselist(argv[0], map, &all) != 0 || all)
		return (EINVAL);
	return (0);
}

/* Is VLAN v in the map vlan_parselist() filled? */
static int
bit(const unsigned char *map, int v)
{
	return ((map[v >> 3] >> (v & 7)) & 1);
}

/*
 * Going from VLAN-transparent to VLAN-aware or back changes the VLAN
 * frames are learned in: start the MAC table afresh.
 */
static void
cmd_vlan_aware_changed(int before)
{
	if (vlan_aware() != before)
		fdb_flush_all();
}

/* vlan/create N|LIST */
static int
cmd_vlan_create(struct mgmt_out *out, char *arg)
{
	unsigned char	map[VLAN_MAPSIZE];
	int		v, err, before = vlan_aware();

	if ((err = cmd_vlan_list(arg, map)) != 0)
		return (err);
	for (v = 0; v < VLAN_COUNT; v++) {
		if (!bit(map, v))
			continue;
		if (v < 1 || v > VLAN_CREATE_MAX)
			return (EINVAL);
		if (vlan_defined(v))
			return (EEXIST);
	}
	for (v = 1; v <= VLAN_CREATE_MAX; v++)
		if (bit(map, v) && (err = vlan_create(v)) != 0)
			return (err);
	cmd_vlan_aware_changed(before);
	return (0);
}

/* vlan/remove N|LIST: never VLAN 0, never a VLAN with ports. */
static int
cmd_vlan_remove(struct mgmt_out *out, char *arg)
{
	unsigned char	map[VLAN_MAPSIZE];
	int		v, err, before = vlan_aware();

	if ((err = cmd_vlan_list(arg, map)) != 0)
		return (err);
	for (v = 0; v < VLAN_COUNT; v++) {
		if (!bit(map, v))
			continue;
		if (v < 1 || v >= VLAN_MAX)
			return (EINVAL);
		if (!vlan_defined(v))
			return (ENXIO);
		if (vlan_in_use(v))
			return (EADDRINUSE);
	}
	for (v = 1; v < VLAN_MAX; v++) {
		if (!bit(map, v))
			continue;
		if ((err = vlan_remove(v)) != 0)
			return (err);
		/* Trunk-all ports may have learned there. */
		fdb_flush_vlan(v);
	}
	cmd_vlan_aware_changed(before);
	return (0);
}

/*
 * vlan/addport VLAN|LIST|all PORT: tagged membership.  The port's own
 * untagged VLAN is skipped: it carries that VLAN already, and accepts
 * frames tagged with it (the original also answers Success there).
 */
static int
cmd_vlan_addport(struct mgmt_out *out, char *arg)
{
	unsigned char	map[VLAN_MAPSIZE];
	int		v, all, port, err, untagged;

	if ((err = cmd_vlan_listport(arg, map, &all, &port)) != 0)
		return (err);
	if (all)
		return (vlan_trunkall(port, 1));
	untagged = vlan_untagged(port);
	for (v = 0; v < VLAN_COUNT; v++) {
		if (!bit(map, v))
			continue;
		if (v < 1 || v > VLAN_CREATE_MAX)
			return (EINVAL);
		if (!vlan_defined(v))
			return (ENXIO);
	}
	for (v = 1; v <= VLAN_CREATE_MAX; v++)
		if (bit(map, v) && v != untagged &&
		    (err = vlan_addport(v, port)) != 0)
			return (err);
	return (0);
}

/*
 * vlan/delport VLAN|LIST|all PORT: end tagged memberships and forget what
 * the port learned.  VLANs the port is not a tagged member of are fine
 * (as in the original); its untagged VLAN is EADDRINUSE.
 */
static int
cmd_vlan_delport(struct mgmt_out *out, char *arg)
{
	unsigned char	map[VLAN_MAPSIZE];
	int		v, all, port, err;

	if ((err = cmd_vlan_listport(arg, map, &all, &port)) != 0)
		return (err);
	if (all) {
		err = vlan_trunkall(port, 0);
		fdb_flush_port(port);
		return (err);
	}
	for (v = 0; v < VLAN_COUNT; v++) {
		if (!bit(map, v))
			continue;
		if (v >= VLAN_MAX)
			return (EINVAL);
		if (!vlan_defined(v))
			return (ENXIO);
		if (vlan_untagged(port) == v)
			return (EADDRINUSE);
	}
	for (v = 1; v < VLAN_MAX; v++)
		if (bit(map, v) && vlan_is_tagged(v, port) &&
		    (err = vlan_delport(v, port)) != 0)
			return (err);
	fdb_flush_port(port);
	return (0);
}

/* port/setvlan PORT VLAN: the untagged VLAN, 4095 for none. */
static int
cmd_vlan_setvlan(struct mgmt_out *out, char *arg)
{
	char	*argv[CMD_VLAN_ARGS];
	int	 port, vid, err;

	if (cmd_split(arg, argv, 2) != 2 ||
	    cmd_vlan_num(argv[0], 0, VDE_PORT_MAX, &port) != 0 ||
	    cmd_vlan_num(argv[1], 0, VLAN_MAX, &vid) != 0)
		return (EINVAL);
	if (port_get(port) == NULL)
		return (ENXIO);
	if ((err = vlan_setuntagged(port, vid)) != 0)
		return (err);
	/* What the port learned belongs to its old VLAN. */
	fdb_flush_port(port);
	return (0);
}

/* The state vlan/print shows; spanning tree has the final word. */
static const char *
cmd_vlan_status(const struct port *p, int vid)
{
	if (fstp_forwarding(p, vid))
		return ("Forwarding");
	if (fstp_learning(p, vid))
		return ("Learning");
	return ("Discarding");
}

/* One VLAN's block: its member ports, only the active ones or all. */
static void
cmd_vlan_block(struct mgmt_out *out, int vid, int inactive_too)
{
	struct port	*p;
	int		 n, last = sw_numports();

	mgmt_printf(out, "VLAN %04d\n", vid);
	for (n = 0; n <= last; n++) {
		if ((p = port_get(n)) == NULL || !vlan_is_member(vid, n))
			continue;
		if (p->p_neps == 0 && !inactive_too)
			continue;
		mgmt_printf(out, " -- Port %04d tagged=%d active=%d "
		    "status=%s\n", n, vlan_untagged(n) != vid,
		    p->p_neps > 0, cmd_vlan_status(p, vid));
	}
}

/* vlan/print and vlan/allprint: [N], all VLANs without it. */
static int
cmd_vlan_printall(struct mgmt_out *out, char *arg, int inactive_too)
{
	char	*argv[CMD_VLAN_ARGS];
	int	 vid, n;

	if ((n = cmd_split(arg, argv, 1)) == -1)
		return (EINVAL);
	if (n == 1) {
		/* 0 is fine for allprint too (the original rejects it). */
		if (cmd_vlan_num(argv[0], 0, VLAN_CREATE_MAX, &vid) != 0)
			return (EINVAL);
		if (!vlan_defined(vid))
			return (ENXIO);
		cmd_vlan_block(out, vid, inactive_too);
		return (0);
	}
	for (vid = 0; vid <= VLAN_CREATE_MAX; vid++)
		if (vlan_defined(vid))
			cmd_vlan_block(out, vid, inactive_too);
	return (0);
}

/* "vlan/print [N]". */
static int
cmd_vlan_print(struct mgmt_out *out, char *arg)
{
	return (cmd_vlan_printall(out, arg, 0));
}

/* "vlan/allprint [N]". */
static int
cmd_vlan_allprint(struct mgmt_out *out, char *arg)
{
	return (cmd_vlan_printall(out, arg, 1));
}

/*
 * vlan/portinfo [PORT]: each port's VLAN view: untagged VLAN, tagged list,
 * trunk-all mode and the frames its ingress refused.
 */
static int
cmd_vlan_portinfo(struct mgmt_out *out, char *arg)
{
	char		*argv[CMD_VLAN_ARGS];
	char		 list[64];
	unsigned char	 map[VLAN_MAPSIZE];
	int		 n, first, last;

	if ((n = cmd_split(arg, argv, 1)) == -1)
		return (EINVAL);
	first = 0;
	last = sw_numports();
	if (n == 1) {
		if (cmd_vlan_num(argv[0], 0, VDE_PORT_MAX, &first) != 0)
			return (EINVAL);
		if (port_get(first) == NULL)
			return (ENXIO);
		last = first;
	}
	for (n = first; n <= last; n++) {
		if (port_get(n) == NULL)
			continue;
		vlan_port_tagmap(n, map);
		if (vlan_fmtlist(list, sizeof(list), map) >= sizeof(list))
			strlcpy(list + sizeof(list) - 4, "...", 4);
		mgmt_printf(out, "Port %04d untagged_vlan=%04d tagged=%s "
		    "trunkall=%d drop_tagged=%llu drop_untagged=%llu\n", n,
		    vlan_untagged(n), list, vlan_port_trunkall(n),
		    vlan_port_drops(n, 1), vlan_port_drops(n, 0));
	}
	return (0);
}

/* Entries of cmd_table (cmd_table.c). */
const struct cmd cmd_port_setvlan_entry = {
	"port/setvlan", "N VLAN", "untagged VLAN of port N (4095: none)",
	0, cmd_vlan_setvlan
};

const struct cmd cmd_vlan_entry = {
	"vlan", "", "VLAN MENU", 0, NULL
};

const struct cmd cmd_vlan_create_entry = {
	"vlan/create", "N|LIST", "define VLAN N, 1..4093, or a LIST "
	"such as 10-20,30", 0, cmd_vlan_create
};

const struct cmd cmd_vlan_remove_entry = {
	"vlan/remove", "N|LIST", "undefine VLANs that have no ports",
	0, cmd_vlan_remove
};

const struct cmd cmd_vlan_addport_entry = {
	"vlan/addport", "N|LIST|all PORT", "make PORT a tagged member "
	"(all: of every VLAN, now and later)", 0, cmd_vlan_addport
};

const struct cmd cmd_vlan_delport_entry = {
	"vlan/delport", "N|LIST|all PORT", "end tagged memberships of PORT",
	0, cmd_vlan_delport
};

const struct cmd cmd_vlan_print_entry = {
	"vlan/print", "[N]", "VLANs with their active ports",
	CMD_DATA, cmd_vlan_print
};

const struct cmd cmd_vlan_allprint_entry = {
	"vlan/allprint", "[N]", "VLANs with all their ports, also inactive",
	CMD_DATA, cmd_vlan_allprint
};

const struct cmd cmd_vlan_portinfo_entry = {
	"vlan/portinfo", "[PORT]", "untagged VLAN, tagged VLANs and "
	"ingress drops per port", CMD_DATA, cmd_vlan_portinfo
};
