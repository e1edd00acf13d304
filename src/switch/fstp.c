/*
 * fstp.c: the spanning tree inside vde_switch.  stp.c (with stpsm.c and
 * stpprt.c) is the protocol and knows nothing of ports or sockets; this
 * file joins it to the switch: forward_frame() hands it BPDUs (fstp_input)
 * and asks whether a port forwards and learns (fstp_forwarding,
 * fstp_learning: one answer for every VLAN, as there is one tree),
 * ports going up and down are reported by a port listener, and the
 * protocol's BPDUs leave through port_send().  -F turns it on; the console
 * commands are in cmd_stp.c.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "switch.h"

/* Send a BPDU; in hub mode the switch is no bridge and stays silent. */
static void
fstp_send(int port, const uint8_t *frame, size_t len)
{
	struct port	*p;

	if (forward_gethub() || (p = port_get(port)) == NULL ||
	    p->p_neps == 0)
		return;
	port_send(p, frame, len, NULL);
}

/* A topology change: forget what the port learned. */
static void
fstp_flush(int port)
{
	fdb_flush_port(port);
}

/*
 * Input intercept: with the protocol on, every frame for the bridge group
 * address is ours and is never forwarded; with it off, BPDUs are switched
 * like any other multicast.
 */
int
fstp_input(struct port *in, unsigned char *frame, size_t len)
{
	if (!stp_enabled() || !bpdu_is_group(frame, len))
		return (0);
	stp_input(in->p_num, frame, len);
	return (1);
}

/* Console events (debug/add fstp): state changes and new roots. */
static void
fstp_state(int port, int learning, int forwarding)
{
	mgmtev_send(MGMTEV_FSTP_STATUS, "Port %04d VLAN 00:00 %s", port,
	    forwarding ? "learning+forwarding" :
	    learning ? "learning" : "discarding");
}

/* "fstp/root": a new root bridge or root port. */
static void
fstp_root(int rootport, uint64_t root)
{
	char	id[24];

	cmd_stp_id(id, sizeof(id), root);
	mgmtev_send(MGMTEV_FSTP_ROOT, "Port %04d VLAN 00:00 ROOT %s",
	    rootport == PORT_NONE ? 0 : rootport, id);
}

/* One tree for all VLANs, so vid does not matter. */
int
fstp_forwarding(const struct port *p, int vid)
{
	return (stp_forwarding(p->p_num));
}

/* Likewise. */
int
fstp_learning(const struct port *p, int vid)
{
	return (stp_learning(p->p_num));
}

/* Port listeners: the protocol follows the ports coming and going. */
static void
fstp_port_up(struct port *p)
{
	stp_port_up(p->p_num);
}

static void
fstp_port_down(struct port *p)
{
	stp_port_down(p->p_num);
}

static void
fstp_port_remove(struct port *p)
{
	stp_port_forget(p->p_num);
}

static struct port_listener	fstp_listener = {
	NULL, fstp_port_remove, fstp_port_up, fstp_port_down, NULL
};

/* Join the protocol to the switch; on at once with -F. */
void
fstp_init(void)
{
	static const struct stp_ops	ops = {
		fstp_send, fstp_flush, fstp_state, fstp_root
	};

	stp_init(sw_conf.c_macaddr, (uint16_t)sw_conf.c_priority, &ops);
	port_listen(&fstp_listener);
	if (sw_conf.c_fstp)
		stp_enable(1);
}
