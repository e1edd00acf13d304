/*
 * cmd_debug.c: the "debug" menu.  A console session subscribes to event
 * categories; mgmt_event() then sends it lines "3<tag> <category> <msg>".
 *
 * The categories and octal tags are VDE 2's.  port/+, port/-, port/descr,
 * port/ep/+ and port/ep/- come from port.c's listeners (cmd_port.c);
 * fstp/status and fstp/root from the spanning tree (fstp.c).  VDE 2's
 * hash/+ and hash/- (the MAC table has no hook for them) and fstp/+ and
 * fstp/- are not offered: a category that is listed fires.  A module
 * adds one with a row here and mgmt_event().
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "switch.h"

static const struct {
	const char	*d_path;
	unsigned int	 d_tag;
	const char	*d_help;
} cmd_debug_tab[] = {
	{ "port/+", 021, "new port" },
	{ "port/-", 022, "closed port" },
	{ "port/descr", 023, "set port description" },
	{ "port/ep/+", 031, "new endpoint" },
	{ "port/ep/-", 032, "closed endpoint" },
	{ "fstp/status", 044, "spanning tree: port state change" },
	{ "fstp/root", 045, "spanning tree: new root" },
};
#define CMD_DEBUG_N	(sizeof(cmd_debug_tab) / sizeof(cmd_debug_tab[0]))

/*
 * The bit index of a category in a session's mask, and its tag; -1 when
 * there is no such category.
 */
int
cmd_debug_index(const char *category, unsigned int *tag)
{
	size_t	i;

	for (i = 0; i < CMD_DEBUG_N; i++)
		if (strcmp(cmd_debug_tab[i].d_path, category) == 0) {
			*tag = cmd_debug_tab[i].d_tag;
			return ((int)i);
		}
	return (-1);
}

/* The categories whose path starts with prefix, as a mask. */
static uint32_t
cmd_debug_match(const char *prefix)
{
	uint32_t	mask = 0;
	size_t		i, len = strlen(prefix);

	for (i = 0; i < CMD_DEBUG_N; i++)
		if (strncmp(cmd_debug_tab[i].d_path, prefix, len) == 0)
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
	for (i = 0; i < CMD_DEBUG_N; i++)
		if (mask & (1U << i))
			mgmt_printf(out, "%-22s %03o %-6s %s\n",
			    cmd_debug_tab[i].d_path, cmd_debug_tab[i].d_tag,
			    (on & (1U << i)) ? "ON" : "OFF",
			    cmd_debug_tab[i].d_help);
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

static const struct cmd cmd_debug_cmds[] = {
	{ "debug", "", "DEBUG MENU", 0, NULL },
	{ "debug/list", "[prefix]", "list debug categories", CMD_DATA | CMD_NEEDFD,
	    cmd_debug_list },
	{ "debug/add", "prefix", "enable debug info for a given category",
	    CMD_NEEDFD, cmd_debug_add },
	{ "debug/del", "prefix", "disable debug info for a given category",
	    CMD_NEEDFD, cmd_debug_del },
};

/* Put the debug menu in the console's command table. */
void
cmd_debug_init(void)
{
	cmd_register(cmd_debug_cmds, sizeof(cmd_debug_cmds) /
	    sizeof(cmd_debug_cmds[0]));
}
