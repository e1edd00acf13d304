/*
 * linebuf.c: split the byte stream of a console connection into lines.
 *
 * Bytes are read straight into the buffer; complete lines come out one at
 * a time, NUL-terminated, with the \n and any trailing \r removed.  A line
 * longer than MGMT_LINEMAX is reported once (LINEBUF_LONG) and the rest of
 * it, up to its \n, is thrown away; the stream then goes on normally.  No
 * I/O and no allocation here, so it is unit tested and fuzzed directly.
 */
#include "config.h"

#include <string.h>

#include "switch.h"

/* Start empty. */
void
linebuf_init(struct linebuf *lb)
{
	lb->lb_off = lb->lb_len = 0;
	lb->lb_skip = 0;
}

/*
 * Where the next read may store bytes, and how many.  Zero means the
 * caller must take lines out first (linebuf_next makes room).
 */
size_t
linebuf_space(struct linebuf *lb, char **p)
{
	*p = lb->lb_buf + lb->lb_len;
	return (sizeof(lb->lb_buf) - lb->lb_len);
}

/* Account for n bytes just stored at linebuf_space's pointer. */
void
linebuf_fill(struct linebuf *lb, size_t n)
{
	lb->lb_len += n;
}

/* Cut the line that ends at nl, strip \r, and hand it out. */
static int
linebuf_cut(struct linebuf *lb, char *nl, char **line)
{
	char	*start = lb->lb_buf + lb->lb_off;
	char	*end = nl;

	lb->lb_off = (size_t)(nl - lb->lb_buf) + 1;
	while (end > start && end[-1] == '\r')
		end--;
	if (end - start > MGMT_LINEMAX)
		return (LINEBUF_LONG);
	*end = '\0';
	*line = start;
	return (LINEBUF_LINE);
}

/*
 * The next complete line, if any.  The pointer stays valid until the next
 * call of any linebuf function.
 */
int
linebuf_next(struct linebuf *lb, char **line)
{
	char	*start, *nl;
	size_t	 avail;

	for (;;) {
		start = lb->lb_buf + lb->lb_off;
		avail = lb->lb_len - lb->lb_off;
		nl = avail > 0 ? memchr(start, '\n', avail) : NULL;
		if (nl == NULL)
			break;
		if (lb->lb_skip) {
			/* The tail of an overlong line ends here. */
			lb->lb_skip = 0;
			lb->lb_off = (size_t)(nl - lb->lb_buf) + 1;
			continue;
		}
		return (linebuf_cut(lb, nl, line));
	}

	if (lb->lb_skip) {
		lb->lb_off = lb->lb_len = 0;
		return (LINEBUF_NONE);
	}
	if (avail == sizeof(lb->lb_buf)) {
		/* A full buffer and no \n: the line is too long. */
		lb->lb_skip = 1;
		lb->lb_off = lb->lb_len = 0;
		return (LINEBUF_LONG);
	}
	/* Keep the partial line, moved to the front to make room. */
	if (lb->lb_off > 0) {
		memmove(lb->lb_buf, start, avail);
		lb->lb_off = 0;
		lb->lb_len = avail;
	}
	return (LINEBUF_NONE);
}

/*
 * At end of input, or when a partial line has waited long enough: the
 * next line, the unterminated last one included, as if it had ended with
 * \n.  Complete lines still buffered come out first, so callers need not
 * have drained them with linebuf_next (the partial-line timer does not).
 */
int
linebuf_last(struct linebuf *lb, char **line)
{
	size_t	 avail;
	int	 r;

	/*
	 * linebuf_next hands out complete lines, reports a full buffer
	 * without \n as too long, and otherwise leaves the partial line at
	 * the front with at least one byte free for the \n added below.
	 */
	if ((r = linebuf_next(lb, line)) != LINEBUF_NONE)
		return (r);
	avail = lb->lb_len - lb->lb_off;
	if (lb->lb_skip || avail == 0) {
		linebuf_init(lb);
		return (LINEBUF_NONE);
	}
	lb->lb_buf[lb->lb_len] = '\n';
	lb->lb_len++;
	return (linebuf_cut(lb, lb->lb_buf + lb->lb_len - 1, line));
}

/* Whether an unterminated line is waiting (not the tail of a long one). */
int
linebuf_partial(const struct linebuf *lb)
{
	return (!lb->lb_skip && lb->lb_len > lb->lb_off);
}
