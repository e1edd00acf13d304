/*
 * mgmtev.c: the console's debug events.  A session subscribes to
 * categories with debug/add (cmd_debug.c); mgmtev_send() then gives it
 * lines "3<tag> <category> <message>".
 *
 * The categories are enum mgmtev (switch.h), so a misspelt one does not
 * compile; their names and octal tags are VDE 2's.  port/+, port/-,
 * port/descr, port/ep/+ and port/ep/- come from the port and endpoint
 * listeners below; fstp/status and fstp/root from the spanning tree
 * (fstp.c).  VDE 2's hash/+ and hash/- (the MAC table has no hook for
 * them) and fstp/+ and fstp/- are not offered: a category that is listed
 * fires.  A part adds one with an enum value, a row here and
 * mgmtev_send().
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "log.h"
#include "switch.h"
#include "mgmt.h"

const struct mgmtev_info mgmtev_tab[MGMTEV_COUNT] = {
	[MGMTEV_PORT_UP] =	{ "port/+", 021, "new port" },
	[MGMTEV_PORT_DOWN] =	{ "port/-", 022, "closed port" },
	[MGMTEV_PORT_DESCR] =	{ "port/descr", 023, "set port description" },
	[MGMTEV_EP_UP] =	{ "port/ep/+", 031, "new endpoint" },
	[MGMTEV_EP_DOWN] =	{ "port/ep/-", 032, "closed endpoint" },
	[MGMTEV_FSTP_STATUS] =	{ "fstp/status", 044,
				    "spanning tree: port state change" },
	[MGMTEV_FSTP_ROOT] =	{ "fstp/root", 045, "spanning tree: new root" },
};

/*
 * Send event ev to every session that subscribed to it, escaped as log
 * lines are.  Cheap when nobody did.
 */
void
mgmtev_send(enum mgmtev ev, const char *fmt, ...)
{
	va_list		 ap;
	char		 msg[512], esc[sizeof(msg) * 4], line[sizeof(esc) + 64];

	if (!mgmt_subscribed() || (unsigned int)ev >= MGMTEV_COUNT)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Events carry descriptions peers sent: one line each, escaped. */
	(void)log_escape(esc, sizeof(esc), msg);
	(void)snprintf(line, sizeof(line), "3%03o %s %s\n",
	    mgmtev_tab[ev].ev_tag & 0777, mgmtev_tab[ev].ev_name, esc);
	mgmt_broadcast(1U << ev, line);
}

/* "port/+": the first endpoint of a port arrived. */
static void
mgmtev_portup(struct port *p)
{
	mgmtev_send(MGMTEV_PORT_UP, "%02d", p->p_num);
}

/* "port/-": the last endpoint of a port left. */
static void
mgmtev_portdown(struct port *p)
{
	mgmtev_send(MGMTEV_PORT_DOWN, "%02d", p->p_num);
}

/* "port/ep/+" (and "port/descr"): an endpoint joined. */
static void
mgmtev_epup(struct endpoint *ep)
{
	mgmtev_send(MGMTEV_EP_UP, "Port %02d FD %2d", ep->ep_port->p_num,
	    ep->ep_id);
	if (ep->ep_descr[0] != '\0')
		mgmtev_send(MGMTEV_PORT_DESCR, "Port %02d FD %2d -> \"%s\"",
		    ep->ep_port->p_num, ep->ep_id, ep->ep_descr);
}

/* "port/ep/-": an endpoint left. */
static void
mgmtev_epdown(struct endpoint *ep)
{
	mgmtev_send(MGMTEV_EP_DOWN, "Port %02d FD %2d", ep->ep_port->p_num,
	    ep->ep_id);
}

static struct port_listener mgmtev_portlistener = {
	NULL, NULL, mgmtev_portup, mgmtev_portdown, NULL
};

static struct port_eplistener mgmtev_eplistener = {
	mgmtev_epup, mgmtev_epdown, NULL
};

/* Follow ports and endpoints for their events. */
void
mgmtev_init(void)
{
	port_listen(&mgmtev_portlistener);
	port_eplisten(&mgmtev_eplistener);
}
