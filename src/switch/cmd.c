/*
 * cmd.c: the console's command table and its line parser.
 *
 * Modules register arrays of struct cmd; the table keeps pointers to the
 * entries, ordered by menu the way VDE 2 lists them in "help" (ds, the core
 * commands, debug, plugin, hash, fstp, port, vlan, then anything else), and
 * by registration order within a menu, so the order of the init calls in
 * main() does not change the help output.  cmd_parse is pure: a line and a
 * table in, a command and its argument out.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "switch.h"
#include "xmalloc.h"

static const struct cmd	**cmd_tab;
static size_t		  cmd_n;

/* The menus in VDE 2's order; "" stands for the core commands. */
static const char *const cmd_menus[] = {
	"ds", "", "debug", "plugin", "hash", "fstp", "port", "vlan"
};

/* Sort key of an entry: the position of its menu in cmd_menus. */
static size_t
cmd_rank(const struct cmd *c)
{
	const char	*slash = strchr(c->c_path, '/');
	size_t		 len, i;

	if (slash == NULL && c->c_fn != NULL)
		return (1);		/* a core command such as "help" */
	len = slash != NULL ? (size_t)(slash - c->c_path) :
	    strlen(c->c_path);
	for (i = 0; i < sizeof(cmd_menus) / sizeof(cmd_menus[0]); i++)
		if (strlen(cmd_menus[i]) == len &&
		    strncmp(cmd_menus[i], c->c_path, len) == 0)
			return (i);
	return (i);
}

/* The registered entry with this path, or NULL. */
static const struct cmd *
cmd_find(const char *path)
{
	size_t	i;

	for (i = 0; i < cmd_n; i++)
		if (strcmp(cmd_tab[i]->c_path, path) == 0)
			return (cmd_tab[i]);
	return (NULL);
}

/*
 * Add n entries.  A menu header registered twice (two modules adding
 * commands to "port") is kept once; the same command twice is a bug.
 */
void
cmd_register(const struct cmd *c, size_t n)
{
	const struct cmd	*old;
	size_t			 i, at, rank;

	for (i = 0; i < n; i++) {
		if ((old = cmd_find(c[i].c_path)) != NULL) {
			if (old->c_fn == NULL && c[i].c_fn == NULL)
				continue;
			fatalx("console command %s registered twice",
			    c[i].c_path);
		}
		rank = cmd_rank(&c[i]);
		/*
		 * A command goes after the last entry of its menu; a menu
		 * header before the first, in case a module registered a
		 * command in that menu earlier.
		 */
		for (at = cmd_n; at > 0; at--) {
			if (cmd_rank(cmd_tab[at - 1]) < rank)
				break;
			if (cmd_rank(cmd_tab[at - 1]) == rank &&
			    c[i].c_fn != NULL)
				break;
		}
		cmd_tab = xreallocarray(cmd_tab, cmd_n + 1,
		    sizeof(cmd_tab[0]));
		memmove(cmd_tab + at + 1, cmd_tab + at,
		    (cmd_n - at) * sizeof(cmd_tab[0]));
		cmd_tab[at] = &c[i];
		cmd_n++;
	}
}

/* The table in help order. */
const struct cmd *const *
cmd_table(size_t *n)
{
	*n = cmd_n;
	return (cmd_tab);
}

/* Forget every registration (tests). */
void
cmd_reset(void)
{
	free(cmd_tab);
	cmd_tab = NULL;
	cmd_n = 0;
}

/* A blank between words: space or tab. */
static int
cmd_blank(char c)
{
	return (c == ' ' || c == '\t');
}

/*
 * Parse one console line (modified in place: trailing blanks cut).
 * Leading blanks are skipped; an empty line or a # comment gives
 * CMD_PARSE_EMPTY.  Otherwise the first command whose path is the whole
 * first word of the line is found (unlike VDE 2, "helpme" is not "help"),
 * and *arg points at the rest of the line after blanks ("" when none).
 */
int
cmd_parse(const struct cmd *const *tab, size_t n, char *line,
    const struct cmd **cp, char **arg)
{
	char	*end;
	size_t	 i, len;

	while (cmd_blank(*line))
		line++;
	end = line + strlen(line);
	while (end > line && (cmd_blank(end[-1]) || end[-1] == '\r' ||
	    end[-1] == '\n'))
		end--;
	*end = '\0';
	*cp = NULL;
	*arg = end;
	if (*line == '\0' || *line == '#')
		return (CMD_PARSE_EMPTY);

	for (i = 0; i < n; i++) {
		if (tab[i]->c_fn == NULL)
			continue;	/* menu headers are not commands */
		len = strlen(tab[i]->c_path);
		if (strncmp(line, tab[i]->c_path, len) != 0)
			continue;
		if (line[len] != '\0' && !cmd_blank(line[len]))
			continue;	/* "help" must not match "helpme" */
		line += len;
		while (cmd_blank(*line))
			line++;
		*cp = tab[i];
		*arg = line;
		return (CMD_PARSE_FOUND);
	}
	return (CMD_PARSE_UNKNOWN);
}

/*
 * Split arg in place into at most max blank-separated words.  Returns the
 * number of words, or -1 when there are more than max.
 */
int
cmd_split(char *arg, char **argv, int max)
{
	int	n = 0;

	for (;;) {
		while (cmd_blank(*arg))
			*arg++ = '\0';
		if (*arg == '\0')
			return (n);
		if (n == max)
			return (-1);
		argv[n++] = arg;
		while (*arg != '\0' && !cmd_blank(*arg))
			arg++;
	}
}

/*
 * Parse a whole word as an integer in [min, max]: decimal, or hex with
 * 0x (a leading 0 is still decimal, unlike VDE 2's "%i").  Returns 0, or
 * EINVAL for garbage and out-of-range values.
 */
int
cmd_int(const char *s, long long min, long long max, long long *out)
{
	const char	*digits = s;
	char		*end;
	long long	 v;
	int		 base = 10;

	if (*digits == '-' || *digits == '+')
		digits++;
	if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
		base = 16;
	if (*digits == '\0' || *digits == ' ' || *digits == '\t' ||
	    *digits == '-' || *digits == '+')
		return (EINVAL);
	errno = 0;
	v = strtoll(s, &end, base);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return (EINVAL);
	*out = v;
	return (0);
}
