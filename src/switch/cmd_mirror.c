/*
 * cmd_mirror.c: the console's "mirror" menu over mirror.c.
 *
 *   mirror/add SRC DST in|out|both
 *   mirror/del SRC
 *   mirror/addvlan VID DST
 *   mirror/delvlan VID
 *   mirror/print
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "switch.h"

static const char *
cmd_mirror_dirname(unsigned int dir)
{
	if (dir == PORT_W_MIRIN)
		return ("in");
	if (dir == PORT_W_MIROUT)
		return ("out");
	return ("both");
}

/* "mirror/add SRC DST in|out|both". */
static int
cmd_mirror_add(struct mgmt_out *out, char *arg)
{
	char		*argv[3];
	long long	 src, dst;
	unsigned int	 dir;

	if (cmd_split(arg, argv, 3) != 3 ||
	    cmd_int(argv[0], 0, INT_MAX, &src) != 0 ||
	    cmd_int(argv[1], 0, INT_MAX, &dst) != 0)
		return (EINVAL);
	if (strcmp(argv[2], "in") == 0)
		dir = PORT_W_MIRIN;
	else if (strcmp(argv[2], "out") == 0)
		dir = PORT_W_MIROUT;
	else if (strcmp(argv[2], "both") == 0)
		dir = PORT_W_MIRIN | PORT_W_MIROUT;
	else
		return (EINVAL);
	return (mirror_add((int)src, (int)dst, dir));
}

/* "mirror/del SRC". */
static int
cmd_mirror_del(struct mgmt_out *out, char *arg)
{
	char		*argv[1];
	long long	 src;

	if (cmd_split(arg, argv, 1) != 1 ||
	    cmd_int(argv[0], 0, INT_MAX, &src) != 0)
		return (EINVAL);
	return (mirror_del((int)src));
}

/* "mirror/addvlan VID DST". */
static int
cmd_mirror_addvlan(struct mgmt_out *out, char *arg)
{
	char		*argv[2];
	long long	 vid, dst;

	if (cmd_split(arg, argv, 2) != 2 ||
	    cmd_int(argv[0], 0, VLAN_MAX - 1, &vid) != 0 ||
	    cmd_int(argv[1], 0, INT_MAX, &dst) != 0)
		return (EINVAL);
	return (mirror_addvlan((int)vid, (int)dst));
}

/* "mirror/delvlan VID". */
static int
cmd_mirror_delvlan(struct mgmt_out *out, char *arg)
{
	char		*argv[1];
	long long	 vid;

	if (cmd_split(arg, argv, 1) != 1 ||
	    cmd_int(argv[0], 0, VLAN_MAX - 1, &vid) != 0)
		return (EINVAL);
	return (mirror_delvlan((int)vid));
}

/* "mirror/print": one line per source port, then per source VLAN. */
static int
cmd_mirror_print(struct mgmt_out *out, char *arg)
{
	struct mirror_info	mi;
	struct mirror_vinfo	mv;
	int			i;

	if (*arg != '\0')
		return (EINVAL);
	for (i = 0; mirror_get(i, &mi) == 0; i++)
		mgmt_printf(out, "Port %04d mirror to %04d %s in %llu "
		    "out %llu\n", mi.mi_src, mi.mi_dst,
		    cmd_mirror_dirname(mi.mi_dir),
		    (unsigned long long)mi.mi_in,
		    (unsigned long long)mi.mi_out);
	for (i = 0; mirror_getvlan(i, &mv) == 0; i++)
		mgmt_printf(out, "VLAN %04d mirror to %04d frames %llu\n",
		    mv.mv_vid, mv.mv_dst, (unsigned long long)mv.mv_frames);
	return (0);
}

/* Entries of cmd_table (cmd_table.c). */
const struct cmd cmd_mirror_entry = {
	"mirror", "", "PORT MIRRORING MENU", 0, NULL
};

const struct cmd cmd_mirror_add_entry = {
	"mirror/add", "SRC DST in|out|both", "copy the frames of port SRC "
	"to port DST", 0, cmd_mirror_add
};

const struct cmd cmd_mirror_del_entry = {
	"mirror/del", "SRC", "stop mirroring port SRC", 0, cmd_mirror_del
};

const struct cmd cmd_mirror_addvlan_entry = {
	"mirror/addvlan", "VID DST", "copy the frames of VLAN VID to port "
	"DST", 0, cmd_mirror_addvlan
};

const struct cmd cmd_mirror_delvlan_entry = {
	"mirror/delvlan", "VID", "stop mirroring VLAN VID", 0,
	cmd_mirror_delvlan
};

const struct cmd cmd_mirror_print_entry = {
	"mirror/print", "", "print the mirrors and their counters",
	CMD_DATA, cmd_mirror_print
};
