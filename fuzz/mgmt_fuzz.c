/*
 * mgmt_fuzz: libFuzzer target for the console's input path without I/O:
 * the line splitter (linebuf.c) and the command parser and argument
 * helpers (cmd.c).
 *
 * Input: byte 0 sets the size of the pieces the rest is fed in (as reads
 * of any size arrive), the rest is the byte stream of a client.
 * Invariants checked (abort on violation): every line is NUL-terminated,
 * at most MGMT_LINEMAX long and holds no \n; a found command's path is the
 * first word of the line; the argument lies inside the line and starts
 * with no blank; split words hold no blank; parsed integers are in range.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "switch.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
fz_nop(struct mgmt_out *out, char *arg)
{
	(void)out;
	(void)arg;
	return (0);
}

static const struct cmd fz_cmds[] = {
	{ "port", "", "PORT MENU", 0, NULL },
	{ "port/print", "[N]", "", CMD_DATA, fz_nop },
	{ "port/printx", "[N]", "", CMD_DATA, fz_nop },
	{ "port/create", "N", "", 0, fz_nop },
	{ "help", "[arg]", "", CMD_DATA, fz_nop },
	{ "hash/find", "MAC [VLAN]", "", CMD_DATA, fz_nop },
	{ "vlan/create", "N", "", 0, fz_nop },
};

/* cmd_parse takes a table of pointers, as cmd_table is. */
static const struct cmd *const fz_tab[] = {
	&fz_cmds[0], &fz_cmds[1], &fz_cmds[2], &fz_cmds[3], &fz_cmds[4],
	&fz_cmds[5], &fz_cmds[6], NULL
};

/* Parse one line and check what the parser says about it. */
static void
fz_line(char *line)
{
	const struct cmd	*c;
	char			*arg, *argv[4], copy[MGMT_LINEMAX + 1];
	size_t			 len = strlen(line), plen;
	long long		 v;
	int			 i, w;

	if (len > MGMT_LINEMAX || memchr(line, '\n', len) != NULL)
		abort();
	memcpy(copy, line, len + 1);
	switch (cmd_parse(fz_tab, line, &c, &arg)) {
	case CMD_PARSE_FOUND:
		plen = strlen(c->c_path);
		if (c->c_fn == NULL || arg < line || arg > line + len ||
		    *arg == ' ' || *arg == '\t')
			abort();
		/* The path is the first word of the (blank-trimmed) line. */
		if (strstr(copy, c->c_path) == NULL)
			abort();
		if (arg > line && arg - line < (ptrdiff_t)plen)
			abort();
		w = cmd_split(arg, argv, 4);
		for (i = 0; i < w; i++) {
			if (strchr(argv[i], ' ') != NULL ||
			    strchr(argv[i], '\t') != NULL || *argv[i] == '\0')
				abort();
			if (cmd_int(argv[i], -5, 4094, &v) == 0 &&
			    (v < -5 || v > 4094))
				abort();
		}
		break;
	case CMD_PARSE_EMPTY:
	case CMD_PARSE_UNKNOWN:
		break;
	default:
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct linebuf	lb;
	char			*p, *line;
	size_t			 piece, space, k;
	int			 r;

	if (size < 1)
		return (0);
	piece = data[0] == 0 ? 1 : data[0];
	data++;
	size--;
	linebuf_init(&lb);
	while (size > 0) {
		space = linebuf_space(&lb, &p);
		if (space == 0)
			abort();	/* linebuf_next always makes room */
		k = size < piece ? size : piece;
		k = k < space ? k : space;
		memcpy(p, data, k);
		linebuf_fill(&lb, k);
		data += k;
		size -= k;
		while ((r = linebuf_next(&lb, &line)) != LINEBUF_NONE)
			if (r == LINEBUF_LINE)
				fz_line(line);
	}
	if (linebuf_last(&lb, &line) == LINEBUF_LINE)
		fz_line(line);
	return (0);
}
