/*
 * cmd_debug.c: the "debug" menu.  A console session subscribes to event
 * categories (mgmtev_tab, mgmtev.c) and then receives their events.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "switch.h"

/* The categories whose path starts with prefix, as a mask. */
static uint32_t
cmd_debug_match(const char *prefix)
{
	uint32_t	mask = 0;
	size_t		i, len = strlen(prefix);

	for (i = 0; i < MGMTEV_COUNT; i++)
		if (strncmp(mgmtev_tab[i].ev_name, prefix, len) == 0)
			mask |= 1U << i;
	return (mask);
}

/* "debug/list [prefix]": categories with tag and this session's status. */
static int
cmd_debug_list(struct mgmt_out *out, char *arg)
{
	uint32_t	mask = cmd_debug_match(arg), on = mgmt_debug_get(out);
	size_t		i;

	if (mask == 0)
		return (ENOENT);
	mgmt_printf(out, "%-22s %-3s %-6s %s\n", "CATEGORY", "TAG", "STATUS",
	    "HELP");
	mgmt_printf(out, "%-22s %-3s %-6s %s\n", "------------", "---",
	    "------", "----");
	for (i = 0; i < MGMTEV_COUNT; i++)
		if (mask & (1U << i))
			mgmt_printf(out, "%-22s %03o %-6s %s\n",
			    mgmtev_tab[i].ev_name, mgmtev_tab[i].ev_tag,
			    (on & (1U << i)) ? "ON" : "OFF",
			    mgmtev_tab[i].ev_help);
	return (0);
}

/* "debug/add prefix": subscribe to the matching categories. */
static int
cmd_debug_add(struct mgmt_out *out, char *arg)
{
	uint32_t	mask, on = mgmt_debug_get(out);

	if (*arg == '\0' || (mask = cmd_debug_match(arg)) == 0)
		return (EINVAL);
	if ((on & mask) == mask)
		return (EEXIST);
	/* -D n: at most n sessions receive events (VDE 2's debug clients). */
	if (on == 0 && sw_conf.c_debugclients >= 0 &&
	    mgmt_debug_sessions() >= sw_conf.c_debugclients)
		return (EBUSY);
	mgmt_debug_set(out, on | mask);
	return (0);
}

/* "debug/del prefix": unsubscribe. */
static int
cmd_debug_del(struct mgmt_out *out, char *arg)
{
	uint32_t	mask, on = mgmt_debug_get(out);

	if (*arg == '\0' || (mask = cmd_debug_match(arg)) == 0)
		return (EINVAL);
	if ((on & mask) == 0)
		return (ENOENT);
	mgmt_debug_set(out, on & ~mask);
	return (0);
}

/* Entries of cmd_table (cmd_table.c). */
const struct cmd cmd_debug_entry = {
	"debug", "", "DEBUG MENU", 0, NULL
};

const struct cmd cmd_debug_list_entry = {
	"debug/list", "[prefix]", "list debug categories", CMD_DATA | CMD_NEEDFD,
	cmd_debug_list
};

const struct cmd cmd_debug_add_entry = {
	"debug/add", "prefix", "enable debug info for a given category",
	CMD_NEEDFD, cmd_debug_add
};

const struct cmd cmd_debug_del_entry = {
	"debug/del", "prefix", "disable debug info for a given category",
	CMD_NEEDFD, cmd_debug_del
};
