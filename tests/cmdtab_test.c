/*
 * cmdtab_test: the console's static command table (cmd_table.c) and the
 * debug event names (mgmtev.c), as the switch is built with them.
 *
 * cmd_parse takes the first entry whose path is a line's first word, and
 * "help" lists the table in its order, so: every path appears once, each
 * command can be found by its own path, each menu's commands follow its
 * header, and the menus come in VDE 2's order.  Every debug category of
 * enum mgmtev has a name, a tag and a help text, and fits the mask.
 */
#include "config.h"

#include <sys/types.h>

#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "switch.h"

/* What main.c would provide; nothing here runs the switch. */
struct sw_config	sw_conf;

void
sw_shutdown(void)
{
}

/* The length of the menu part of a path: "port/print" -> 4, "help" -> 0. */
static size_t
menulen(const char *path)
{
	const char	*slash = strchr(path, '/');

	return (slash == NULL ? 0 : (size_t)(slash - path));
}

ATF_TC_WITHOUT_HEAD(paths_unique);
ATF_TC_BODY(paths_unique, tc)
{
	const struct cmd *const	*a, *const *b;
	int			 n = 0;

	for (a = cmd_table; *a != NULL; a++, n++) {
		ATF_REQUIRE((*a)->c_path != NULL && (*a)->c_path[0] != '\0');
		ATF_REQUIRE((*a)->c_syntax != NULL);
		ATF_REQUIRE((*a)->c_help != NULL);
		for (b = cmd_table; b != a; b++)
			if (strcmp((*a)->c_path, (*b)->c_path) == 0)
				atf_tc_fail("%s is in the table twice",
				    (*a)->c_path);
	}
	ATF_REQUIRE(n > 0);
}

/* Each command is what cmd_parse finds for its own path. */
ATF_TC_WITHOUT_HEAD(lookup_finds_each);
ATF_TC_BODY(lookup_finds_each, tc)
{
	const struct cmd *const	*cp;
	const struct cmd	*c;
	char			 line[128], *arg;

	for (cp = cmd_table; *cp != NULL; cp++) {
		if ((*cp)->c_fn == NULL)
			continue;
		snprintf(line, sizeof(line), "%s 1 2", (*cp)->c_path);
		ATF_REQUIRE_EQ(cmd_parse(cmd_table, line, &c, &arg),
		    CMD_PARSE_FOUND);
		if (c != *cp)
			atf_tc_fail("%s finds another entry", (*cp)->c_path);
		ATF_REQUIRE_STREQ(arg, "1 2");
	}
}

/*
 * The help order: ds, the core commands, debug, hash, fstp, port, vlan,
 * capture, mirror, vxlan;
 * each menu is its header (an entry without a handler) and then all of
 * its commands, together.
 */
ATF_TC_WITHOUT_HEAD(menus_in_help_order);
ATF_TC_BODY(menus_in_help_order, tc)
{
	static const char *const order[] = {
		"ds", "", "debug", "hash", "fstp", "port", "vlan",
		"capture", "mirror", "vxlan"
	};
	const struct cmd *const	*cp;
	const char		*menu = NULL, *path;
	size_t			 next = 0, len;

	for (cp = cmd_table; *cp != NULL; cp++) {
		path = (*cp)->c_path;
		len = menulen(path);
		if ((*cp)->c_fn == NULL || (len == 0 && (menu == NULL ||
		    *menu != '\0'))) {
			/* A new menu: a header, or the first core command. */
			ATF_REQUIRE_MSG(len == 0, "menu header %s", path);
			ATF_REQUIRE_MSG(next < sizeof(order) / sizeof(order[0]),
			    "menu of %s after the last one", path);
			menu = (*cp)->c_fn == NULL ? path : "";
			if (strcmp(menu, order[next]) != 0)
				atf_tc_fail("menu \"%s\" where \"%s\" should "
				    "be", menu, order[next]);
			next++;
			continue;
		}
		if (strlen(menu) != len || strncmp(path, menu, len) != 0)
			atf_tc_fail("%s is listed in menu \"%s\"", path, menu);
	}
	ATF_REQUIRE_EQ(next, sizeof(order) / sizeof(order[0]));
}

/* Every category has a distinct name and tag, and a bit in the mask. */
ATF_TC_WITHOUT_HEAD(events_named);
ATF_TC_BODY(events_named, tc)
{
	int	i, j;

	ATF_REQUIRE(MGMTEV_COUNT <= 32);
	for (i = 0; i < MGMTEV_COUNT; i++) {
		if (mgmtev_tab[i].ev_name == NULL ||
		    mgmtev_tab[i].ev_help == NULL)
			atf_tc_fail("debug category %d has no name", i);
		ATF_REQUIRE(mgmtev_tab[i].ev_tag > 0 &&
		    mgmtev_tab[i].ev_tag <= 0777);
		for (j = 0; j < i; j++) {
			ATF_REQUIRE(strcmp(mgmtev_tab[i].ev_name,
			    mgmtev_tab[j].ev_name) != 0);
			ATF_REQUIRE(mgmtev_tab[i].ev_tag !=
			    mgmtev_tab[j].ev_tag);
		}
	}
	/* Spot checks against VDE 2's names and tags. */
	ATF_REQUIRE_STREQ(mgmtev_tab[MGMTEV_PORT_UP].ev_name, "port/+");
	ATF_REQUIRE_EQ(mgmtev_tab[MGMTEV_EP_DOWN].ev_tag, 032);
	ATF_REQUIRE_STREQ(mgmtev_tab[MGMTEV_FSTP_ROOT].ev_name, "fstp/root");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, paths_unique);
	ATF_TP_ADD_TC(tp, lookup_finds_each);
	ATF_TP_ADD_TC(tp, menus_in_help_order);
	ATF_TP_ADD_TC(tp, events_named);
	return (atf_no_error());
}
