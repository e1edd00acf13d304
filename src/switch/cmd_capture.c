/*
 * cmd_capture.c: the console's "capture" menu over capture.c.
 *
 *   capture/start N in|out|both PATH [snaplen S] [limit BYTES] [files K]
 *       [share PERCENT] [filter EXPRESSION...]
 *   capture/stop N
 *   capture/print
 *
 * "filter" takes the rest of the line, in tcpdump's syntax.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "os/os.h"
#include "switch.h"

#define CMD_CAPTURE_MAXARGS	12

/* "in", "out" or "both" into PORT_W_CAP* flags (0: none of them). */
static unsigned int
cmd_capture_dir(const char *s)
{
	if (strcmp(s, "in") == 0)
		return (PORT_W_CAPIN);
	if (strcmp(s, "out") == 0)
		return (PORT_W_CAPOUT);
	if (strcmp(s, "both") == 0)
		return (PORT_W_CAPIN | PORT_W_CAPOUT);
	return (0);
}

static const char *
cmd_capture_dirname(unsigned int dir)
{
	if (dir == PORT_W_CAPIN)
		return ("in");
	if (dir == PORT_W_CAPOUT)
		return ("out");
	return ("both");
}

/* Split off the next word of *sp (blanks separate words). */
static char *
cmd_capture_word(char **sp)
{
	char	*s = *sp, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0') {
		*sp = s;
		return (NULL);
	}
	w = s;
	while (*s != '\0' && *s != ' ' && *s != '\t')
		s++;
	if (*s != '\0')
		*s++ = '\0';
	*sp = s;
	return (w);
}

/* "capture/start ...": see the top of the file. */
static int
cmd_capture_start(struct mgmt_out *out, char *arg)
{
	struct capture_conf	 cc;
	struct os_peercred	 cred;
	char			 errbuf[512];
	char			*w, *v;
	long long		 n;
	int			 asuser, rv;

	memset(&cc, 0, sizeof(cc));
	cc.cc_snaplen = CAPTURE_SNAPMAX;
	if ((w = cmd_capture_word(&arg)) == NULL ||
	    cmd_int(w, 0, INT_MAX, &n) != 0)
		return (EINVAL);
	cc.cc_port = (int)n;
	if ((w = cmd_capture_word(&arg)) == NULL ||
	    (cc.cc_dir = cmd_capture_dir(w)) == 0) {
		mgmt_printf(out, "direction: in, out or both\n");
		return (EINVAL);
	}
	if ((cc.cc_path = cmd_capture_word(&arg)) == NULL)
		return (EINVAL);
	while ((w = cmd_capture_word(&arg)) != NULL) {
		if (strcmp(w, "filter") == 0) {
			while (*arg == ' ' || *arg == '\t')
				arg++;
			if (*arg == '\0')
				return (EINVAL);
			cc.cc_filter = arg;
			break;
		}
		if ((v = cmd_capture_word(&arg)) == NULL) {
			mgmt_printf(out, "%s: a value is missing\n", w);
			return (EINVAL);
		}
		if (strcmp(w, "snaplen") == 0 && cmd_int(v, CAPTURE_SNAPMIN,
		    CAPTURE_SNAPMAX, &n) == 0)
			cc.cc_snaplen = (unsigned int)n;
		else if (strcmp(w, "limit") == 0 && cmd_int(v,
		    (long long)CAPTURE_LIMITMIN, LLONG_MAX, &n) == 0)
			cc.cc_limit = (uint64_t)n;
		else if (strcmp(w, "files") == 0 && cmd_int(v, 1,
		    CAPTURE_FILESMAX, &n) == 0)
			cc.cc_files = (unsigned int)n;
		else if (strcmp(w, "share") == 0 && cmd_int(v, 1, 100,
		    &n) == 0)
			cc.cc_share = (unsigned int)n;
		else {
			mgmt_printf(out, "bad option or value: %s %s\n", w, v);
			return (EINVAL);
		}
	}
	if (cc.cc_files != 0 && cc.cc_limit == 0) {
		mgmt_printf(out, "files needs a limit\n");
		return (EINVAL);
	}
	if ((rv = mgmtcred_get(out, &cred, &asuser)) != 0)
		return (rv);
	rv = capture_start(&cc, &cred, asuser, errbuf, sizeof(errbuf));
	if (errbuf[0] != '\0')
		mgmt_printf(out, "%s\n", errbuf);
	return (rv);
}

/* "capture/stop N". */
static int
cmd_capture_stop(struct mgmt_out *out, char *arg)
{
	char		*argv[1];
	long long	 n;

	if (cmd_split(arg, argv, 1) != 1 || cmd_int(argv[0], 0, INT_MAX,
	    &n) != 0)
		return (EINVAL);
	return (capture_stop((int)n));
}

/* "capture/print": one block per capture. */
static int
cmd_capture_print(struct mgmt_out *out, char *arg)
{
	struct capture_info	ci;
	int			n;

	if (*arg != '\0')
		return (EINVAL);
	for (n = 0; n <= sw_numports(); n++) {
		if (capture_info(n, &ci) != 0)
			continue;
		mgmt_printf(out, "Port %04d capture %s %s %s\n", n,
		    cmd_capture_dirname(ci.ci_dir), ci.ci_fifo ? "fifo" :
		    "file", ci.ci_path);
		mgmt_printf(out, " snaplen %u limit %llu files %u file %u "
		    "share %u filter \"%s\"\n", ci.ci_snaplen,
		    (unsigned long long)ci.ci_limit, ci.ci_files,
		    ci.ci_fileno, ci.ci_share, ci.ci_filter);
		mgmt_printf(out, " frames %llu filtered %llu dropped %llu "
		    "written %llu pending %zu\n",
		    (unsigned long long)ci.ci_frames,
		    (unsigned long long)ci.ci_filtered,
		    (unsigned long long)ci.ci_dropped,
		    (unsigned long long)ci.ci_bytes, ci.ci_pending);
	}
	return (0);
}

/* Entries of cmd_table (cmd_table.c). */
const struct cmd cmd_capture_entry = {
	"capture", "", "CAPTURE MENU", 0, NULL
};

const struct cmd cmd_capture_start_entry = {
	"capture/start", "N in|out|both PATH [snaplen S] [limit BYTES] "
	"[files K] [share PCT] [filter EXPR]", "capture port N into a pcap file or FIFO",
	CMD_DATA, cmd_capture_start
};

const struct cmd cmd_capture_stop_entry = {
	"capture/stop", "N", "stop the capture of port N", 0,
	cmd_capture_stop
};

const struct cmd cmd_capture_print_entry = {
	"capture/print", "", "print the captures and their counters",
	CMD_DATA, cmd_capture_print
};
