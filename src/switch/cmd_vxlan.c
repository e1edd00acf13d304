/*
 * cmd_vxlan.c: the console's "vxlan" menu over the VXLAN ports
 * (vxport.c) and their tables of remote VTEPs (vxfdb.c).
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "switch.h"

/* The VXLAN port named by a console word, or NULL. */
static struct vxport *
cmd_vxlan_port(const char *s)
{
	long long	n;

	if (cmd_int(s, 0, PORT_MAX, &n) != 0)
		return (NULL);
	return (vxport_get((int)n));
}

/* Parse xx:xx:xx:xx:xx:xx into mac. */
static int
cmd_vxlan_mac(const char *s, unsigned char *mac)
{
	unsigned int	b[ETHER_ADDR_LEN];
	char		c;
	int		i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
	    &b[3], &b[4], &b[5], &c) != ETHER_ADDR_LEN)
		return (EINVAL);
	for (i = 0; i < ETHER_ADDR_LEN; i++)
		mac[i] = (unsigned char)b[i];
	return (0);
}

/*
 * May this session open VXLAN sockets or name where they send?  A VXLAN
 * port binds a UDP port (perhaps a privileged one, or to one interface)
 * and sends to the addresses it is given, with the switch's privileges:
 * on a switch run by root that is root's to decide, so a console client
 * of another user may look, remove and reset, but not create, set or add
 * destinations.  The console on standard input and rc files are the
 * operator's.
 */
static int
cmd_vxlan_operator(struct mgmt_out *out)
{
	struct os_peercred	cred;
	int			asuser, rv;

	if ((rv = mgmtcred_get(out, &cred, &asuser)) != 0)
		return (rv);
	if (asuser) {
		mgmt_printf(out, "vxlan: only root may open VXLAN sockets "
		    "or add their destinations\n");
		return (EPERM);
	}
	return (0);
}

/* "vxlan/create KEY=VALUE[,...]": a new VXLAN port; prints its number. */
static int
cmd_vxlan_create(struct mgmt_out *out, char *arg)
{
	char	err[256];
	int	n, e;

	if (*arg == '\0')
		return (EINVAL);
	if ((e = cmd_vxlan_operator(out)) != 0)
		return (e);
	if ((e = vxport_create(arg, &n, err, sizeof(err))) != 0) {
		if (err[0] != '\0')
			mgmt_printf(out, "%s\n", err);
		return (e);
	}
	mgmt_printf(out, "Port %04d\n", n);
	return (0);
}

/* "vxlan/remove N": the port's socket and tables go; the port stays. */
static int
cmd_vxlan_remove(struct mgmt_out *out, char *arg)
{
	char		*argv[1];
	long long	 n;

	if (cmd_split(arg, argv, 1) != 1 ||
	    cmd_int(argv[0], 0, PORT_MAX, &n) != 0)
		return (EINVAL);
	return (vxport_remove((int)n));
}

/* One port for vxlan/print: its settings, remotes and counters. */
static void
cmd_vxlan_block(struct mgmt_out *out, struct vxport *vx)
{
	const struct vxstats	*st = vxport_stats(vx);
	struct vxfdb		*t = vxport_fdb(vx);
	char			 buf[VDE_DESCR_MAX + 1];
	int			 i;

	vxport_describe(vx, buf, sizeof(buf));
	mgmt_printf(out, "Port %04d %s\n", vxport_num(vx), buf);
	for (i = 0; i < vxport_nremotes(vx); i++) {
		vxport_remote(vx, i, buf, sizeof(buf));
		mgmt_printf(out, " remote %s\n", buf);
	}
	mgmt_printf(out, " fdb %d entries, max %d, expire %d secs, "
	    "learn rate %d/s\n", t->vf_count, t->vf_max, t->vf_expire,
	    t->vf_rate);
#define CNT(name, v)	mgmt_printf(out, " counter %-14s %llu\n", name, \
			    (unsigned long long)(v))
	CNT("rx", st->vs_rx);
	CNT("tx", st->vs_tx);
	CNT("tx_datagrams", st->vs_txdgrams);
	CNT("rx_short", st->vs_short);
	CNT("rx_oversized", st->vs_big);
	CNT("rx_flags", st->vs_flags);
	CNT("rx_vni", st->vs_vni);
	CNT("rx_runt", st->vs_runt);
	CNT("rx_unknown_src", st->vs_unknown);
	CNT("tx_toobig", st->vs_toobig);
	CNT("tx_error", st->vs_txerr);
	CNT("tx_nodest", st->vs_nodest);
	CNT("tx_offload", st->vs_txgso);
	CNT("rx_offload", st->vs_rxgro);
	CNT("rx_merged", st->vs_rxmerged);
	CNT("learn_limited", t->vf_limited);
	CNT("learn_full", t->vf_full);
#undef CNT
}

/* "vxlan/print [N]": one VXLAN port, or all of them. */
static int
cmd_vxlan_print(struct mgmt_out *out, char *arg)
{
	struct vxport	*vx;
	char		*argv[1];
	int		 n;

	if ((n = cmd_split(arg, argv, 1)) == -1)
		return (EINVAL);
	if (n == 1) {
		if ((vx = cmd_vxlan_port(argv[0])) == NULL)
			return (ENXIO);
		cmd_vxlan_block(out, vx);
		return (0);
	}
	for (vx = vxport_next(NULL); vx != NULL; vx = vxport_next(vx))
		cmd_vxlan_block(out, vx);
	return (0);
}

/* "vxlan/addremote N ADDR", "vxlan/delremote N ADDR". */
static int
cmd_vxlan_remote(char *arg, int add)
{
	struct vxport	*vx;
	char		*argv[2];

	if (cmd_split(arg, argv, 2) != 2)
		return (EINVAL);
	if ((vx = cmd_vxlan_port(argv[0])) == NULL)
		return (ENXIO);
	return (add ? vxport_addremote(vx, argv[1]) :
	    vxport_delremote(vx, argv[1]));
}

static int
cmd_vxlan_addremote(struct mgmt_out *out, char *arg)
{
	int	e;

	if ((e = cmd_vxlan_operator(out)) != 0)
		return (e);
	return (cmd_vxlan_remote(arg, 1));
}

static int
cmd_vxlan_delremote(struct mgmt_out *out, char *arg)
{
	return (cmd_vxlan_remote(arg, 0));
}

/* One line of vxlan/fdb. */
static void
cmd_vxlan_fdbline(const struct vxfdb_ent *e, void *arg)
{
	struct mgmt_out		*out = arg;
	const unsigned char	*m = e->ve_mac;
	char			 a[64];

	vxport_fmtaddr((const struct sockaddr *)&e->ve_addr, a, sizeof(a));
	if (e->ve_static)
		mgmt_printf(out, "Addr: %02x:%02x:%02x:%02x:%02x:%02x VLAN "
		    "%04d to %s static\n", m[0], m[1], m[2], m[3], m[4], m[5],
		    e->ve_vlan, a);
	else
		mgmt_printf(out, "Addr: %02x:%02x:%02x:%02x:%02x:%02x VLAN "
		    "%04d to %s age %lld secs\n", m[0], m[1], m[2], m[3], m[4],
		    m[5], e->ve_vlan, a, (long long)(loop_sec() - e->ve_seen));
}

/* "vxlan/fdb N": the remote VTEP table, learned and static entries. */
static int
cmd_vxlan_fdb(struct mgmt_out *out, char *arg)
{
	struct vxport	*vx;
	struct vxfdb	*t;
	char		*argv[1];

	if (cmd_split(arg, argv, 1) != 1)
		return (EINVAL);
	if ((vx = cmd_vxlan_port(argv[0])) == NULL)
		return (ENXIO);
	t = vxport_fdb(vx);
	vxfdb_gc(t, loop_sec());
	vxfdb_foreach(t, cmd_vxlan_fdbline, out);
	return (0);
}

/* "vxlan/addfdb N MAC VLAN ADDR": a static entry. */
static int
cmd_vxlan_addfdb(struct mgmt_out *out, char *arg)
{
	struct sockaddr_storage	 ss;
	struct vxport		*vx;
	unsigned char		 mac[ETHER_ADDR_LEN];
	char			*argv[4];
	socklen_t		 sl;
	long long		 vid;
	int			 e;

	if (cmd_split(arg, argv, 4) != 4 ||
	    cmd_vxlan_mac(argv[1], mac) != 0 ||
	    cmd_int(argv[2], 0, VLAN_MAX, &vid) != 0)
		return (EINVAL);
	if ((vx = cmd_vxlan_port(argv[0])) == NULL)
		return (ENXIO);
	if ((e = cmd_vxlan_operator(out)) != 0)
		return (e);
	if (vxport_parseaddr(vx, argv[3], &ss, &sl) != 0)
		return (EINVAL);
	return (vxfdb_add(vxport_fdb(vx), mac, (int)vid,
	    (struct sockaddr *)&ss, sl));
}

/* "vxlan/delfdb N MAC VLAN": a learned or static entry goes. */
static int
cmd_vxlan_delfdb(struct mgmt_out *out, char *arg)
{
	struct vxport	*vx;
	unsigned char	 mac[ETHER_ADDR_LEN];
	char		*argv[3];
	long long	 vid;

	if (cmd_split(arg, argv, 3) != 3 ||
	    cmd_vxlan_mac(argv[1], mac) != 0 ||
	    cmd_int(argv[2], 0, VLAN_MAX, &vid) != 0)
		return (EINVAL);
	if ((vx = cmd_vxlan_port(argv[0])) == NULL)
		return (ENXIO);
	return (vxfdb_del(vxport_fdb(vx), mac, (int)vid));
}

/* "vxlan/set N KEY=VALUE[,...]": ttl, mtu, learnsrc, expire, ... */
static int
cmd_vxlan_set(struct mgmt_out *out, char *arg)
{
	struct vxport	*vx;
	char		*argv[2], err[256];
	int		 e;

	if (cmd_split(arg, argv, 2) != 2)
		return (EINVAL);
	if ((vx = cmd_vxlan_port(argv[0])) == NULL)
		return (ENXIO);
	if ((e = cmd_vxlan_operator(out)) != 0)
		return (e);
	if ((e = vxport_set(vx, argv[1], err, sizeof(err))) != 0 &&
	    err[0] != '\0')
		mgmt_printf(out, "%s\n", err);
	return (e);
}

/* "vxlan/resetcounter N": the port's VXLAN counters start from 0. */
static int
cmd_vxlan_resetcounter(struct mgmt_out *out, char *arg)
{
	struct vxport	*vx;
	char		*argv[1];

	if (cmd_split(arg, argv, 1) != 1)
		return (EINVAL);
	if ((vx = cmd_vxlan_port(argv[0])) == NULL)
		return (ENXIO);
	vxport_resetstats(vx);
	return (0);
}

/* Entries of cmd_table (cmd_table.c). */
const struct cmd cmd_vxlan_entry = {
	"vxlan", "", "VXLAN PORTS MENU", 0, NULL
};

const struct cmd cmd_vxlan_create_entry = {
	"vxlan/create", "KEY=VALUE[,...]", "create a VXLAN port "
	"(vni=,remote=,group=,port=,...)", CMD_DATA, cmd_vxlan_create
};

const struct cmd cmd_vxlan_remove_entry = {
	"vxlan/remove", "N", "remove the VXLAN port N", 0, cmd_vxlan_remove
};

const struct cmd cmd_vxlan_print_entry = {
	"vxlan/print", "[N]", "print VXLAN ports, remotes and counters",
	CMD_DATA, cmd_vxlan_print
};

const struct cmd cmd_vxlan_addremote_entry = {
	"vxlan/addremote", "N ADDR", "flood to the VTEP ADDR too", 0,
	cmd_vxlan_addremote
};

const struct cmd cmd_vxlan_delremote_entry = {
	"vxlan/delremote", "N ADDR", "forget the remote VTEP ADDR", 0,
	cmd_vxlan_delremote
};

const struct cmd cmd_vxlan_fdb_entry = {
	"vxlan/fdb", "N", "print the remote VTEP table of port N", CMD_DATA,
	cmd_vxlan_fdb
};

const struct cmd cmd_vxlan_addfdb_entry = {
	"vxlan/addfdb", "N MAC VLAN ADDR", "add a static VTEP entry", 0,
	cmd_vxlan_addfdb
};

const struct cmd cmd_vxlan_delfdb_entry = {
	"vxlan/delfdb", "N MAC VLAN", "remove a VTEP entry", 0,
	cmd_vxlan_delfdb
};

const struct cmd cmd_vxlan_set_entry = {
	"vxlan/set", "N KEY=VALUE[,...]", "set ttl, mtu, learnsrc, expire, "
	"learnrate, fdbmax", CMD_DATA, cmd_vxlan_set
};

const struct cmd cmd_vxlan_resetcounter_entry = {
	"vxlan/resetcounter", "N", "reset the VXLAN counters of port N", 0,
	cmd_vxlan_resetcounter
};
