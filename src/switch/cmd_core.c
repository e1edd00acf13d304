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
	const struct cmd *const	*cp;
	size_t			 len = strlen(arg);

	mgmt_printf(out, "%-18s %-15s %s\n", "COMMAND PATH", "SYNTAX", "HELP");
	mgmt_printf(out, "%-18s %-15s %s\n", "------------", "--------------",
	    "------------");
	for (cp = cmd_table; *cp != NULL; cp++) {
		if (strncmp((*cp)->c_path, arg, len) != 0)
			continue;
		mgmt_printf(out, "%-18s %-15s %s\n", (*cp)->c_path,
		    (*cp)->c_fn == NULL ? "============" : (*cp)->c_syntax,
		    (*cp)->c_help);
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
	if (mgmtsock_path() != NULL)
		mgmt_printf(out, "mgmt %s perm 0%03o\n", mgmtsock_path(),
		    (unsigned int)mgmtsock_mode() & 07777);
	return (0);
}

/* "load FILE": run the file's commands here, echoing each. */
static int
cmd_core_load(struct mgmt_out *out, char *arg)
{
	return (mgmtscript_load(out, arg));
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

/* Entries of cmd_table (cmd_table.c). */
const struct cmd cmd_ds_entry = {
	"ds", "", "DATA SOCKET MENU", 0, NULL
};

const struct cmd cmd_ds_showinfo_entry = {
	"ds/showinfo", "", "show ds info", CMD_DATA, cmd_core_dsinfo
};

const struct cmd cmd_help_entry = {
	"help", "[arg]", "Help (limited to arg when specified)", CMD_DATA,
	cmd_core_help
};

const struct cmd cmd_logout_entry = {
	"logout", "", "logout from this mgmt terminal", 0,
	cmd_core_logout
};

const struct cmd cmd_shutdown_entry = {
	"shutdown", "", "shutdown of the switch", 0, cmd_core_shutdown
};

const struct cmd cmd_showinfo_entry = {
	"showinfo", "", "show switch version and info", CMD_DATA,
	cmd_core_showinfo
};

const struct cmd cmd_load_entry = {
	"load", "path", "load a configuration script", CMD_NEEDFD,
	cmd_core_load
};
