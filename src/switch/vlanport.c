/*
 * vlanport.c: ties the VLAN table of vlan.c to the switch's ports.  It
 * follows port life-cycle (a new or removed port starts from the defaults:
 * untagged VLAN 0, no tags; activation and deactivation change the sets a
 * flood walks) so that vlan.c itself stays free of the core and can be
 * unit-tested and fuzzed alone.
 */
#include "config.h"

#include <stddef.h>

#include "switch.h"

static void	vlanport_reset(struct port *);
static void	vlanport_up(struct port *);
static void	vlanport_down(struct port *);

static struct port_listener vlanport_listener = {
	.pl_create = vlanport_reset,
	.pl_remove = vlanport_reset,
	.pl_up = vlanport_up,
	.pl_down = vlanport_down,
};

/* Start with VLAN 0 only and follow the ports from now on. */
void
vlanport_init(void)
{
	vlan_init();
	port_listen(&vlanport_listener);
}

/* A port made or removed: no VLAN configuration of its own. */
static void
vlanport_reset(struct port *p)
{
	vlan_port_forget(p->p_num);
}

/* A port's first endpoint came: its VLANs count it active. */
static void
vlanport_up(struct port *p)
{
	vlan_port_up(p->p_num);
}

/* A port's last endpoint left. */
static void
vlanport_down(struct port *p)
{
	vlan_port_down(p->p_num);
}
