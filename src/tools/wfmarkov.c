/*
 * wfmarkov.c: wirefilter's Markov mode.  The cable is in one of
 * c_nnodes states (nodes), each with its own parameters; every c_mtime
 * milliseconds a draw picks the next node along the weighted edges that
 * leave the current one, the weight left to 100% being the loop back to
 * itself.  The chain starts in node 0 and, with a single node (the plain
 * cable), never draws.
 *
 * The console commands that shape the chain are parsed here; each one
 * checks its whole argument before it changes anything.  Resizing keeps
 * the nodes that stay as they were: new nodes have every parameter 0 and
 * no edge in or out (only their loop), the weight of the edges to removed
 * nodes goes back to the loop of the node they leave (it is what is left
 * of 100%), and a removed current node makes node 0 current.
 *
 * The steps are timed by the caller's poll loop (wfmarkov_next says when
 * the next one is due) and draw from wfrand_chain, so -S repeats them.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wfmodel.h"
#include "wfrand.h"

#define WF_EPS	1e-9	/* slack on the sum of a node's edges */

static int	wfmarkov_uint(const char **, unsigned long, unsigned long *);
static double	wfmarkov_loop(const struct wfconf *, int);

/* A decimal number no larger than max at *sp, moving *sp past it. */
static int
wfmarkov_uint(const char **sp, unsigned long max, unsigned long *v)
{
	const char	*p = *sp;
	unsigned long	 n = 0;

	if (*p < '0' || *p > '9')
		return (-1);
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > max)
			return (-1);
	}
	*sp = p;
	*v = n;
	return (0);
}

/* A node number of c at *sp; err says why not. */
int
wfmarkov_node(const struct wfconf *c, const char **sp, int *node, char *err,
    size_t errlen)
{
	unsigned long	n;

	*sp += strspn(*sp, " \t");
	if (wfmarkov_uint(sp, 1000000, &n) == -1) {
		snprintf(err, errlen, "a node number is expected at \"%.20s\"",
		    *sp);
		return (-1);
	}
	if (n >= (unsigned long)c->c_nnodes) {
		snprintf(err, errlen, "node %lu does not exist: the chain has "
		    "%d node%s (0 to %d)", n, c->c_nnodes,
		    c->c_nnodes == 1 ? "" : "s", c->c_nnodes - 1);
		return (-1);
	}
	*sp += strspn(*sp, " \t");
	*node = (int)n;
	return (0);
}

/* An optional node argument, alone: the current node when empty. */
int
wfmarkov_nodearg(const struct wfconf *c, const char *arg, int *node,
    char *err, size_t errlen)
{
	if (*arg == '\0') {
		*node = c->c_cur;
		return (0);
	}
	if (wfmarkov_node(c, &arg, node, err, errlen) == -1)
		return (-1);
	if (*arg != '\0') {
		snprintf(err, errlen, "one node number is expected, not "
		    "\"%s\"", arg);
		return (-1);
	}
	return (0);
}

/* The weight of node's loop edge: what the others leave of 100%. */
static double
wfmarkov_loop(const struct wfconf *c, int node)
{
	double	sum = 0;
	int	j;

	for (j = 0; j < c->c_nnodes; j++)
		if (j != node)
			sum += c->c_node[node].n_edge[j];
	return (sum >= 100 ? 0 : 100 - sum);
}

/* markov-numnodes N */
int
wfmarkov_numnodes(struct wfconf *c, const char *arg, char *err,
    size_t errlen)
{
	const char	*p = arg;
	unsigned long	 n;
	int		 i, j, d, k;

	if (wfmarkov_uint(&p, WF_NODEMAX, &n) == -1 || *p != '\0' || n < 1) {
		snprintf(err, errlen, "markov-numnodes %s: a number of nodes "
		    "from 1 to %d is expected", arg, WF_NODEMAX);
		return (-1);
	}
	/* Nodes that go, or come back: a plain node with no edges. */
	for (i = (int)n; i < WF_NODEMAX; i++) {
		memset(&c->c_node[i], 0, sizeof(c->c_node[i]));
		for (d = 0; d < 2; d++)
			for (k = 0; k < WF_NPARAM; k++)
				c->c_node[i].n_par[d][k].v_dist = 'U';
	}
	/* Edges to removed nodes: their weight goes to the loops. */
	for (i = 0; i < (int)n; i++)
		for (j = (int)n; j < WF_NODEMAX; j++)
			c->c_node[i].n_edge[j] = 0;
	c->c_nnodes = (int)n;
	if (c->c_cur >= c->c_nnodes)
		c->c_cur = 0;
	return (0);
}

/* setedge FROM,TO,WEIGHT (percent) */
int
wfmarkov_setedge(struct wfconf *c, const char *arg, char *err,
    size_t errlen)
{
	const char	*p = arg;
	char		*end, why[256];
	double		 w, sum;
	int		 from, to, j;

	*err = '\0';
	if (wfmarkov_node(c, &p, &from, err, errlen) == -1 || *p++ != ',' ||
	    wfmarkov_node(c, &p, &to, err, errlen) == -1 || *p++ != ',') {
		strlcpy(why, *err != '\0' ? err : "expected from,to,weight",
		    sizeof(why));
		snprintf(err, errlen, "setedge %s: %s", arg, why);
		return (-1);
	}
	p += strspn(p, " \t");
	errno = 0;
	w = strtod(p, &end);
	if (end == p || *end != '\0' || errno != 0 || !isfinite(w) ||
	    *p == '-' || *p == '+') {
		snprintf(err, errlen, "setedge %s: the weight is a number "
		    "from 0 to 100 (percent)", arg);
		return (-1);
	}
	if (w > 100) {
		snprintf(err, errlen, "setedge %s: %g is out of range (0 to "
		    "100 %%)", arg, w);
		return (-1);
	}
	if (from == to) {
		snprintf(err, errlen, "setedge %s: the loop of a node is what "
		    "its other edges leave of 100%%, not set", arg);
		return (-1);
	}
	sum = w;
	for (j = 0; j < c->c_nnodes; j++)
		if (j != from && j != to)
			sum += c->c_node[from].n_edge[j];
	if (sum > 100 + WF_EPS) {
		snprintf(err, errlen, "setedge %s: the edges from node %d "
		    "would weigh %g%%, over 100%%", arg, from, sum);
		return (-1);
	}
	c->c_node[from].n_edge[to] = w;
	return (0);
}

/* markov-name N,NAME */
int
wfmarkov_name(struct wfconf *c, const char *arg, char *err, size_t errlen)
{
	const char	*p = arg, *q;
	char		 why[256];
	int		 node;

	*err = '\0';
	if (wfmarkov_node(c, &p, &node, err, errlen) == -1 || *p++ != ',') {
		strlcpy(why, *err != '\0' ? err : "expected node,name",
		    sizeof(why));
		snprintf(err, errlen, "markov-name %s: %s", arg, why);
		return (-1);
	}
	p += strspn(p, " \t");
	if (strlen(p) >= WF_NAMELEN) {
		snprintf(err, errlen, "markov-name %s: a name has at most %d "
		    "characters", arg, WF_NAMELEN - 1);
		return (-1);
	}
	for (q = p; *q != '\0'; q++)
		if (*q < ' ' || *q > '~' || *q == '"') {
			snprintf(err, errlen, "markov-name %s: a name is "
			    "printable ASCII without '\"'", arg);
			return (-1);
		}
	strlcpy(c->c_node[node].n_name, p, sizeof(c->c_node[node].n_name));
	return (0);
}

/* markov-setnode N */
int
wfmarkov_setnode(struct wfconf *c, const char *arg, char *err,
    size_t errlen)
{
	char	why[256];
	int	node;

	if (*arg == '\0') {
		snprintf(err, errlen, "markov-setnode: a node number is "
		    "needed");
		return (-1);
	}
	if (wfmarkov_nodearg(c, arg, &node, err, errlen) == -1) {
		strlcpy(why, err, sizeof(why));
		snprintf(err, errlen, "markov-setnode %s: %s", arg, why);
		return (-1);
	}
	c->c_cur = node;
	return (0);
}

/* markov-time MS */
int
wfmarkov_time(struct wfconf *c, const char *arg, char *err, size_t errlen)
{
	const char	*p = arg;
	unsigned long	 ms;

	if (wfmarkov_uint(&p, WF_MTIMEMAX, &ms) == -1 || *p != '\0' ||
	    ms < 1) {
		snprintf(err, errlen, "markov-time %s: milliseconds from 1 to "
		    "%d are expected", arg, WF_MTIMEMAX);
		return (-1);
	}
	c->c_mtime = (unsigned int)ms;
	return (0);
}

/* One step of the chain from the current node; the new current node. */
int
wfmarkov_step(struct wfconf *c)
{
	double	u, acc = 0;
	int	j, cur = c->c_cur;

	u = wfrand_chain() * 100;
	for (j = 0; j < c->c_nnodes; j++) {
		acc += j == cur ? wfmarkov_loop(c, cur) :
		    c->c_node[cur].n_edge[j];
		if (u < acc) {
			c->c_cur = j;
			break;
		}
	}
	return (c->c_cur);
}

/*
 * The steps due by now.  After a late wake-up the missed steps are made
 * up for, WF_CATCHUP at most; a new markov-time takes effect at once.
 */
void
wfmarkov_run(struct wfmodel *m, uint64_t now, wfmarkov_trace trace)
{
	struct wfconf	*c = &m->m_conf;
	uint64_t	 len;
	int		 k, from;

	if (c->c_nnodes < 2) {
		m->m_nextstep = 0;
		return;
	}
	len = (uint64_t)c->c_mtime * 1000000ULL;
	if (m->m_nextstep == 0 || m->m_steplen != c->c_mtime) {
		m->m_steplen = c->c_mtime;
		m->m_nextstep = now + len;
		return;
	}
	for (k = 0; k < WF_CATCHUP && m->m_nextstep <= now; k++) {
		from = c->c_cur;
		m->m_steps++;
		if (wfmarkov_step(c) != from) {
			m->m_changes++;
			if (trace != NULL)
				trace(from, c->c_cur);
		}
		m->m_nextstep += len;
	}
	if (m->m_nextstep <= now)
		m->m_nextstep = now + len;
}

/* When the next step is due: UINT64_MAX for none. */
uint64_t
wfmarkov_next(const struct wfmodel *m)
{
	if (m->m_conf.c_nnodes < 2)
		return (UINT64_MAX);
	/* Not yet scheduled: at once, wfmarkov_run schedules it. */
	return (m->m_nextstep);
}

/* The edges from node with a weight, its loop included. */
int
wfmarkov_showedges(const struct wfconf *c, int node, char *buf,
    size_t size)
{
	size_t	n = 0;
	double	w;
	int	j, r;

	for (j = 0; j < c->c_nnodes; j++) {
		w = j == node ? wfmarkov_loop(c, node) :
		    c->c_node[node].n_edge[j];
		if (w <= 0)
			continue;
		r = snprintf(buf + n, size - n, "edge %d -> %d  \"%s\" -> "
		    "\"%s\"  weight %g\n", node, j, c->c_node[node].n_name,
		    c->c_node[j].n_name, w);
		if (r < 0 || (size_t)r >= size - n)
			return (-1);
		n += (size_t)r;
	}
	return ((int)n);
}
