/*
 * wfmodel_fuzz: libFuzzer target for wirefilter's parameter parser and
 * model (src/tools/wfmodel.c).  The input is a series of commands: a byte
 * chooses a parameter and a NUL- or newline-ended text sets it (the text a
 * console or an rc file passes); other bytes push frames of sizes taken
 * from the input into either direction and move the clock.  Bytes from
 * 0x70 to 0x7f are Markov commands instead (markov-numnodes, setedge,
 * markov-name, markov-setnode, markov-time, then a step of the chain).
 * A refused value or command must leave the whole configuration as it
 * was; a taken one must lie in its range; the chain must stay sound (a
 * current node that exists, edges in range summing to at most 100%, none
 * to a node beyond the chain); the held frames and bytes must stay within
 * their bounds and every frame that leaves must be one that came in.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "wfmodel.h"
#include "wfrand.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct wfmodel	m;
static struct wfconf	before;
static unsigned long	nout;
static unsigned char	frame[VDE_ETHBUFSIZE];

/*
 * A model as wfmodel_init makes it, on the heaps of the last run (which
 * ends with them empty): allocating 4 MiB a run would make the fuzzer slow.
 */
static void
fresh(void)
{
	struct wfpkt	*h[2];

	if (m.m_dir[0].d_heap == NULL && wfmodel_init(&m) == -1)
		abort();
	h[0] = m.m_dir[0].d_heap;
	h[1] = m.m_dir[1].d_heap;
	memset(&m, 0, sizeof(m));
	wfconf_init(&m.m_conf);
	m.m_dir[0].d_heap = h[0];
	m.m_dir[1].d_heap = h[1];
}

/* The chain's invariants. */
static void
sound(const struct wfconf *c)
{
	double	sum;
	int	i, j;

	if (c->c_nnodes < 1 || c->c_nnodes > WF_NODEMAX || c->c_cur < 0 ||
	    c->c_cur >= c->c_nnodes || c->c_mtime < 1 ||
	    c->c_mtime > WF_MTIMEMAX)
		abort();
	for (i = 0; i < WF_NODEMAX; i++) {
		sum = 0;
		if (c->c_node[i].n_edge[i] != 0 ||
		    memchr(c->c_node[i].n_name, '\0', WF_NAMELEN) == NULL)
			abort();
		for (j = 0; j < WF_NODEMAX; j++) {
			if (!(c->c_node[i].n_edge[j] >= 0 &&
			    c->c_node[i].n_edge[j] <= 100))
				abort();
			if ((i >= c->c_nnodes || j >= c->c_nnodes) &&
			    c->c_node[i].n_edge[j] != 0)
				abort();
			sum += c->c_node[i].n_edge[j];
		}
		if (sum > 100 + 1e-6)
			abort();
	}
}

/* A Markov command with text: refused ones change nothing. */
static void
markov(int op, const char *text)
{
	static int	(*const fn[])(struct wfconf *, const char *, char *,
			    size_t) = { wfmarkov_numnodes, wfmarkov_setedge,
			    wfmarkov_name, wfmarkov_setnode, wfmarkov_time };
	char		err[512];
	int		from;

	if (op % 6 == 5) {
		from = m.m_conf.c_cur;
		if (wfmarkov_step(&m.m_conf) < 0 || (from != m.m_conf.c_cur &&
		    m.m_conf.c_cur >= m.m_conf.c_nnodes))
			abort();
		return;
	}
	before = m.m_conf;
	err[0] = '\0';
	if (fn[op % 6](&m.m_conf, text, err, sizeof(err)) == -1) {
		if (memcmp(&before, &m.m_conf, sizeof(before)) != 0 ||
		    err[0] == '\0')
			abort();
	}
	sound(&m.m_conf);
}

static void
out(void *arg, int dir, const unsigned char *f, size_t len)
{
	if (len < VDE_ETHHDRLEN || len > VDE_ETHBUFSIZE || (dir != 0 &&
	    dir != 1))
		abort();
	nout++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		text[256], err[512];
	size_t		i = 0, n, len;
	uint64_t	now = 1000000000ULL;
	int		p, d, k;

	fresh();
	wfrand_seed(size);
	while (i < size) {
		uint8_t op = data[i++];

		if (op < 0x80) {
			p = op % WF_NPARAM;
			for (n = 0; i < size && data[i] != '\0' &&
			    data[i] != '\n' && n < sizeof(text) - 1; n++)
				text[n] = (char)data[i++];
			text[n] = '\0';
			i++;
			if (op >= 0x70) {
				markov(op - 0x70, text);
				continue;
			}
			before = m.m_conf;
			err[0] = '\0';
			if (wfmodel_set(&m.m_conf, p, text, err,
			    sizeof(err)) == -1) {
				if (memcmp(&before, &m.m_conf,
				    sizeof(before)) != 0 || err[0] == '\0')
					abort();
				continue;
			}
			for (k = 0; k < m.m_conf.c_nnodes; k++)
				for (d = 0; d < 2; d++) {
					struct wfval *v =
					    &m.m_conf.c_node[k].n_par[d][p];

					if (!(v->v_val >= 0) ||
					    !(v->v_var >= 0) ||
					    !isfinite(v->v_val))
						abort();
					/* Keep runs short. */
					if (p == WF_DUP && v->v_val > 90)
						v->v_val = 90;
				}
			continue;
		}
		if (i + 2 > size)
			break;
		len = VDE_ETHHDRLEN + ((size_t)data[i] << 8 | data[i + 1]) %
		    (VDE_ETHBUFSIZE - VDE_ETHHDRLEN + 1);
		i += 2;
		memset(frame, op, len);
		wfmodel_frame(&m, op & 1, now, frame, len, out, NULL);
		now += (uint64_t)(op & 0x3f) * 1000000ULL;
		if (op & 0x40)
			wfmodel_run(&m, now, out, NULL);
		for (d = 0; d < 2; d++)
			if (m.m_dir[d].d_n > WF_QLEN ||
			    m.m_dir[d].d_bytes > WF_CHANMAX)
				abort();
	}
	wfmodel_run(&m, UINT64_MAX - 1, out, NULL);
	if (m.m_dir[0].d_n != 0 || m.m_dir[1].d_n != 0 ||
	    m.m_dir[0].d_bytes != 0 || m.m_dir[1].d_bytes != 0)
		abort();
	return (0);
}
