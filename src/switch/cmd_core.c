/*
 * cmd_core.c: the console's core commands (help, logout, shutdown,
 * showinfo, load) and the "ds" menu (the switch's socket directory).
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "switch.h"

/* "help [prefix]": the command table, menu headers included. */
static int
cmd_core_help(struct mgmt_out *out, char *arg)
{
	const struct cmd *const	*tab;
	size_t			 n, i, len = strlen(arg);

	tab = cmd_table(&n);
	mgmt_printf(out, "%-18s %-15s %s\n", "COMMAND PATH", "SYNTAX", "HELP");
	mgmt_printf(out, "%-18s %-15s %s\n", "------------", "--------------",
	    "------------");
	for (i = 0; i < n; i++) {
		if (strncmp(tab[i]->c_path, arg, len) != 0)
			continue;
		mgmt_printf(out, "%-18s %-15s %s\n", tab[i]->c_path,
		    tab[i]->c_fn == NULL ? "============" : tab[i]->c_syntax,
		    tab[i]->c_help);
	}
	return (0);
}

/* "logout": end this session. */
static int
cmd_core_logout(struct mgmt_out *out, char *arg)
{
	return (CMD_LOGOUT);
}

/* "shutdown": stop the switch. */
static int
cmd_core_shutdown(struct mgmt_out *out, char *arg)
{
	return (CMD_SHUTDOWN);
}

/* "showinfo": banner, then pid, MAC, uptime and the -M socket. */
static int
cmd_core_showinfo(struct mgmt_out *out, char *arg)
{
	const unsigned char	*m = sw_conf.c_macaddr;

	mgmt_banner(out);
	mgmt_printf(out, "\npid %ld MAC %02x:%02x:%02x:%02x:%02x:%02x "
	    "uptime %lld\n", (long)getpid(), m[0], m[1], m[2], m[3], m[4],
	    m[5], (long long)loop_sec());
	if (mgmt_path() != NULL)
		mgmt_printf(out, "mgmt %s perm 0%03o\n", mgmt_path(),
		    (unsigned int)mgmt_mode() & 07777);
	return (0);
}

/* "load FILE": run the file's commands here, echoing each. */
static int
cmd_core_load(struct mgmt_out *out, char *arg)
{
	return (mgmt_load(out, arg));
}

/* "ds/showinfo": the switch directory and its sockets' mode. */
static int
cmd_core_dsinfo(struct mgmt_out *out, char *arg)
{
	mgmt_printf(out, "ctl dir %s\n", sw_conf.c_sock);
	mgmt_printf(out, "std mode 0%03o\n",
	    (unsigned int)sw_conf.c_mode & 07777);
	return (0);
}

static const struct cmd cmd_core_tab[] = {
	{ "ds", "", "DATA SOCKET MENU", 0, NULL },
	{ "ds/showinfo", "", "show ds info", CMD_DATA, cmd_core_dsinfo },
	{ "help", "[arg]", "Help (limited to arg when specified)", CMD_DATA,
	    cmd_core_help },
	{ "logout", "", "logout from this mgmt terminal", 0,
	    cmd_core_logout },
	{ "shutdown", "", "shutdown of the switch", 0, cmd_core_shutdown },
	{ "showinfo", "", "show switch version and info", CMD_DATA,
	    cmd_core_showinfo },
	{ "load", "path", "load a configuration script", CMD_NEEDFD,
	    cmd_core_load },
};

/* Put the core commands in the console's command table. */
void
cmd_core_init(void)
{
	cmd_register(cmd_core_tab, sizeof(cmd_core_tab) /
	    sizeof(cmd_core_tab[0]));
}
