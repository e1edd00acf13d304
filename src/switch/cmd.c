/*
 * cmd.c: the console's line parser and its argument helpers.  cmd_parse
 * is pure: a line and a table (cmd_table, or a test's) in, a command and
 * its argument out.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "switch.h"

/* A blank between words: space or tab. */
static int
cmd_blank(char c)
{
	return (c == ' ' || c == '\t');
}

/*
 * Parse one console line (modified in place: trailing blanks cut).
 * Leading blanks are skipped; an empty line or a # comment gives
 * CMD_PARSE_EMPTY.  Otherwise the first command of tab (NULL-terminated)
 * whose path is the whole first word of the line is found (unlike VDE 2,
 * "helpme" is not "help"), and *arg points at the rest of the line after
 * blanks ("" when none).
 */
int
cmd_parse(const struct cmd *const *tab, char *line, const struct cmd **cp,
    char **arg)
{
	char	*end;
	size_t	 len;

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

	for (; *tab != NULL; tab++) {
		if ((*tab)->c_fn == NULL)
			continue;	/* menu headers are not commands */
		len = strlen((*tab)->c_path);
		if (strncmp(line, (*tab)->c_path, len) != 0)
			continue;
		if (line[len] != '\0' && !cmd_blank(line[len]))
			continue;	/* "help" must not match "helpme" */
		line += len;
		while (cmd_blank(*line))
			line++;
		*cp = *tab;
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
