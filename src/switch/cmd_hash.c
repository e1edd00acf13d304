/*
 * cmd_hash.c: the console's "hash" menu over the MAC table (fdb.c).
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "switch.h"

/* "hash/showinfo": table size and timers. */
static int
cmd_hash_showinfo(struct mgmt_out *out, char *arg)
{
	struct fdb_param	fp;

	fdb_getparam(&fp);
	mgmt_printf(out, "Hash size %d\n", fp.fp_buckets);
	mgmt_printf(out, "GC interval %d secs\n", fp.fp_gcint);
	mgmt_printf(out, "GC expire %d secs\n", fp.fp_expire);
	mgmt_printf(out, "Min persistence %d secs\n", fp.fp_minper);
	return (0);
}

/* One positive integer argument (unlike VDE 2, 0 and garbage fail). */
static int
cmd_hash_arg(char *arg, int *v)
{
	char		*argv[1];
	long long	 n;

	if (cmd_split(arg, argv, 1) != 1 ||
	    cmd_int(argv[0], 1, INT_MAX, &n) != 0)
		return (EINVAL);
	*v = (int)n;
	return (0);
}

/* "hash/setsize N", "hash/setgcint N" and the like: set checks N. */
static int
cmd_hash_set(char *arg, int (*set)(int))
{
	int	v;

	if (cmd_hash_arg(arg, &v) != 0)
		return (EINVAL);
	return (set(v));
}

/* "hash/setsize N": a new table of N buckets, empty. */
static int
cmd_hash_setsize(struct mgmt_out *out, char *arg)
{
	return (cmd_hash_set(arg, fdb_setsize));
}

/* "hash/setgcint N": sweep for expired entries every N seconds. */
static int
cmd_hash_setgcint(struct mgmt_out *out, char *arg)
{
	return (cmd_hash_set(arg, fdb_setgcint));
}

/* "hash/setexpire N": entries not refreshed for N seconds expire. */
static int
cmd_hash_setexpire(struct mgmt_out *out, char *arg)
{
	return (cmd_hash_set(arg, fdb_setexpire));
}

/* "hash/setminper N": an address stays N seconds before it may move. */
static int
cmd_hash_setminper(struct mgmt_out *out, char *arg)
{
	return (cmd_hash_set(arg, fdb_setminper));
}

/* The line of one entry, as hash/print and hash/find show it. */
static void
cmd_hash_line(const struct fdb_entry *e, void *arg)
{
	struct mgmt_out		*out = arg;
	const unsigned char	*m = e->fe_mac;
	time_t			 now = loop_sec();

	if (fdb_expired(e, now))
		return;		/* expired, waiting for the next sweep */
	mgmt_printf(out, "Hash: %04d Addr: %02x:%02x:%02x:%02x:%02x:%02x "
	    "VLAN %04d to port: %03d  age %lld secs\n",
	    fdb_bucket(e->fe_mac, e->fe_vlan), m[0], m[1], m[2], m[3], m[4],
	    m[5], e->fe_vlan, e->fe_port, (long long)(now - e->fe_seen));
}

/* "hash/print": every live entry. */
static int
cmd_hash_print(struct mgmt_out *out, char *arg)
{
	fdb_foreach(cmd_hash_line, out);
	return (0);
}

/* Parse xx:xx:xx:xx:xx:xx (or with dots), hex, one or two digits each. */
static int
cmd_hash_mac(const char *s, unsigned char *mac)
{
	int	i, d, v;

	for (i = 0; i < ETHER_ADDR_LEN; i++) {
		for (v = 0, d = 0; d < 2; d++, s++) {
			if (*s >= '0' && *s <= '9')
				v = v * 16 + (*s - '0');
			else if (*s >= 'a' && *s <= 'f')
				v = v * 16 + (*s - 'a' + 10);
			else if (*s >= 'A' && *s <= 'F')
				v = v * 16 + (*s - 'A' + 10);
			else
				break;
		}
		if (d == 0)
			return (EINVAL);
		mac[i] = (unsigned char)v;
		if (i < ETHER_ADDR_LEN - 1) {
			if (*s != ':' && *s != '.')
				return (EINVAL);
			s++;
		}
	}
	return (*s == '\0' ? 0 : EINVAL);
}

/* "hash/find MAC [VLAN]": the entry's line, ENODEV when there is none. */
static int
cmd_hash_find(struct mgmt_out *out, char *arg)
{
	struct fdb_entry	*e;
	unsigned char		 mac[ETHER_ADDR_LEN];
	char			*argv[2];
	long long		 vid = 0;
	int			 n;

	if ((n = cmd_split(arg, argv, 2)) < 1 ||
	    cmd_hash_mac(argv[0], mac) != 0 ||
	    (n == 2 && cmd_int(argv[1], 0, VLAN_MAX, &vid) != 0))
		return (EINVAL);
	if ((e = fdb_find(mac, (int)vid)) == NULL ||
	    fdb_expired(e, loop_sec()))
		return (ENODEV);
	cmd_hash_line(e, out);
	return (0);
}

/* Entries of cmd_table (cmd_table.c). */
const struct cmd cmd_hash_entry = {
	"hash", "", "HASH TABLE MENU", 0, NULL
};

const struct cmd cmd_hash_showinfo_entry = {
	"hash/showinfo", "", "show hash info", CMD_DATA,
	cmd_hash_showinfo
};

const struct cmd cmd_hash_setsize_entry = {
	"hash/setsize", "N", "change hash size (flushes the table)", 0,
	cmd_hash_setsize
};

const struct cmd cmd_hash_setgcint_entry = {
	"hash/setgcint", "N", "change garbage collector interval (s)", 0,
	cmd_hash_setgcint
};

const struct cmd cmd_hash_setexpire_entry = {
	"hash/setexpire", "N", "change hash entries expire time (s)", 0,
	cmd_hash_setexpire
};

const struct cmd cmd_hash_setminper_entry = {
	"hash/setminper", "N", "minimum persistence time (s) before a MAC "
	"may move", 0, cmd_hash_setminper
};

const struct cmd cmd_hash_print_entry = {
	"hash/print", "", "print the hash table", CMD_DATA,
	cmd_hash_print
};

const struct cmd cmd_hash_find_entry = {
	"hash/find", "MAC [VLAN]", "find a MAC address in the table",
	CMD_DATA, cmd_hash_find
};
