/*
 * wfmodel.c: what the bad cable does to each frame, each direction on its
 * own.  In order: the MTU (longer frames are dropped), the interface
 * speed (-s: the input side is busy for the frame's time at that speed
 * and is not read meanwhile), loss (independent, or the Gilbert chain of
 * -L), noise (bits flipped), duplicates (each copy again with the dup
 * probability), then the channel: the bytes it holds are bounded (-c), a
 * bandwidth (-b) spaces the frames out by their size, and the delay (-d)
 * is added.  Unless -N is given, a frame never overtakes an earlier one of
 * the same direction.
 *
 * A frame that needs no waiting (no delay, no bandwidth, an empty queue)
 * goes straight out without a copy; the others are copied into memory
 * obtained when they arrive (bounded by -c and WF_QLEN) and kept in a
 * binary heap ordered by delivery time.
 *
 * The parameters are those of the Markov chain's current node (wfmarkov.c
 * moves it); without Markov mode there is one node, node 0.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto.h"
#include "wfmodel.h"
#include "wfrand.h"

#define WF_NS		1000000000.0

/* How each parameter is read and bounded. */
struct wfparamdef {
	const char	*pd_name;
	double		 pd_min;
	double		 pd_max;
	int		 pd_strictmax;	/* the maximum itself is refused */
	int		 pd_suffix;	/* K, M, G allowed */
	int		 pd_var;	/* a random variation allowed */
	const char	*pd_unit;
};

static const struct wfparamdef wfparams[WF_NPARAM] = {
	[WF_LOSS] =	{ "loss", 0, 100, 0, 0, 1, "%" },
	[WF_LOSTBURST] = { "lostburst", 0, 1e9, 0, 0, 0, "frames" },
	[WF_DELAY] =	{ "delay", 0, 600000, 0, 0, 1, "ms" },
	[WF_DUP] =	{ "dup", 0, 100, 1, 0, 1, "%" },
	[WF_BAND] =	{ "bandwidth", 0, 1e12, 0, 1, 1, "bytes/s" },
	[WF_SPEED] =	{ "speed", 0, 1e12, 0, 1, 1, "bytes/s" },
	[WF_NOISE] =	{ "noise", 0, 8.0 * 1048576, 0, 1, 1, "bits/MiB" },
	[WF_MTU] =	{ "mtu", 0, VDE_ETHBUFSIZE, 0, 1, 0, "bytes" },
	[WF_CHANBUF] =	{ "chanbufsize", 0, WF_CHANMAX, 0, 1, 0, "bytes" },
};

static uint64_t	wfmodel_ns(double);
static void	wfmodel_push(struct wfdir *, const struct wfpkt *);
static void	wfmodel_pop(struct wfdir *);
static int	wfmodel_num(const char **, int, double *, int *);
static double	wfmodel_draw(const struct wfval *);
static int	wfmodel_lost(struct wfdir *, const struct wfval *);
static void	wfmodel_chan(struct wfmodel *, struct wfdir *,
		    const struct wfval *, int, uint64_t, const unsigned char *,
		    size_t, wfmodel_out, void *);

uint64_t
wfmodel_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

/* One node, every parameter 0, FIFO: a plain cable. */
void
wfconf_init(struct wfconf *c)
{
	int	n, d, p;

	memset(c, 0, sizeof(*c));
	for (n = 0; n < WF_NODEMAX; n++)
		for (d = 0; d < 2; d++)
			for (p = 0; p < WF_NPARAM; p++)
				c->c_node[n].n_par[d][p].v_dist = 'U';
	c->c_nnodes = 1;
	c->c_mtime = WF_MTIMEDEF;
	c->c_fifo = 1;
}

int
wfmodel_init(struct wfmodel *m)
{
	int	d;

	memset(m, 0, sizeof(*m));
	wfconf_init(&m->m_conf);
	for (d = 0; d < 2; d++) {
		m->m_dir[d].d_heap = calloc(WF_QLEN, sizeof(struct wfpkt));
		if (m->m_dir[d].d_heap == NULL)
			return (-1);
	}
	return (0);
}

void
wfmodel_fini(struct wfmodel *m)
{
	int	d;

	for (d = 0; d < 2; d++) {
		while (m->m_dir[d].d_n > 0)
			wfmodel_pop(&m->m_dir[d]);
		free(m->m_dir[d].d_heap);
		m->m_dir[d].d_heap = NULL;
	}
}

/* The index of the parameter called name, -1 if none. */
int
wfmodel_param(const char *name)
{
	int	p;

	for (p = 0; p < WF_NPARAM; p++)
		if (strcmp(wfparams[p].pd_name, name) == 0)
			return (p);
	return (-1);
}

const char *
wfmodel_name(int param)
{
	return (wfparams[param].pd_name);
}

/*
 * One number at *sp, with a K, M or G suffix (powers of 1024) when
 * allowed; *sfx tells whether a suffix was there.
 */
static int
wfmodel_num(const char **sp, int suffix, double *v, int *sfx)
{
	char	*end;

	if (**sp == '\0' || **sp == ' ' || **sp == '\t' || **sp == '+' ||
	    **sp == '-')
		return (-1);
	errno = 0;
	*v = strtod(*sp, &end);
	if (end == *sp || errno != 0 || !isfinite(*v))
		return (-1);
	*sp = end;
	*sfx = 0;
	if (suffix && (**sp == 'K' || **sp == 'k' || **sp == 'M' ||
	    **sp == 'G')) {
		*v *= **sp == 'G' ? 1073741824.0 : **sp == 'M' ? 1048576.0 :
		    1024.0;
		*sfx = 1;
		(*sp)++;
	}
	return (0);
}

/*
 * Set a parameter from its text: one or more of [LR|RL]VALUE[+VAR][U|N],
 * a value without LR or RL being for both directions, then [NODE] for a
 * node of the Markov chain other than node 0.  Nothing changes unless the
 * whole text is valid; otherwise err says what is wrong.
 */
int
wfmodel_set(struct wfconf *c, int param, const char *s, char *err,
    size_t errlen)
{
	const struct wfparamdef	*pd = &wfparams[param];
	struct wfval		 nv[2], v;
	char			 text[1024], why[256], *br;
	const char		*p = text, *seg, *q;
	int			 d, which, sfx1, sfx2, nseg = 0, node = 0;

	if (strlen(s) >= sizeof(text)) {
		snprintf(err, errlen, "%s: value too long", pd->pd_name);
		return (-1);
	}
	strlcpy(text, s, sizeof(text));
	if ((br = strchr(text, '[')) != NULL) {
		q = br + 1;
		if (wfmarkov_node(c, &q, &node, why, sizeof(why)) == -1) {
			snprintf(err, errlen, "%s %s: %s", pd->pd_name, s, why);
			return (-1);
		}
		if (*q != ']' || q[1 + strspn(q + 1, " \t")] != '\0')
			goto bad;
		*br = '\0';
	}
	nv[0] = c->c_node[node].n_par[0][param];
	nv[1] = c->c_node[node].n_par[1][param];
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		seg = p;
		which = 2;
		if (strncmp(p, "LR", 2) == 0 || strncmp(p, "lr", 2) == 0) {
			which = WF_LR;
			p += 2;
		} else if (strncmp(p, "RL", 2) == 0 ||
		    strncmp(p, "rl", 2) == 0) {
			which = WF_RL;
			p += 2;
		}
		memset(&v, 0, sizeof(v));
		v.v_dist = 'U';
		if (*p == '-') {
			snprintf(err, errlen, "%s %s: negative values are "
			    "impossible", pd->pd_name, s);
			return (-1);
		}
		if (wfmodel_num(&p, pd->pd_suffix, &v.v_val, &sfx1) == -1)
			goto bad;
		if (*p == '+') {
			if (!pd->pd_var) {
				snprintf(err, errlen, "%s %s: no random "
				    "variation (+) for %s", pd->pd_name, s,
				    pd->pd_name);
				return (-1);
			}
			p++;
			if (*p == '-') {
				snprintf(err, errlen, "%s %s: negative values "
				    "are impossible", pd->pd_name, s);
				return (-1);
			}
			if (wfmodel_num(&p, pd->pd_suffix, &v.v_var,
			    &sfx2) == -1)
				goto bad;
			/* "128+64K": a final suffix is for both numbers. */
			if (sfx2 && !sfx1)
				v.v_val *= p[-1] == 'G' ? 1073741824.0 :
				    p[-1] == 'M' ? 1048576.0 : 1024.0;
		}
		if (*p == 'U' || *p == 'u' || *p == 'N' || *p == 'n') {
			v.v_dist = (*p == 'N' || *p == 'n') ? 'N' : 'U';
			p++;
		}
		if (*p != '\0' && *p != ' ' && *p != '\t' &&
		    strncmp(p, "LR", 2) != 0 && strncmp(p, "RL", 2) != 0 &&
		    strncmp(p, "lr", 2) != 0 && strncmp(p, "rl", 2) != 0)
			goto bad;
		if (v.v_var > pd->pd_max) {
			snprintf(err, errlen, "%s %.*s: a variation of %.10g is "
			    "out of range (0 to %.10g %s)", pd->pd_name,
			    (int)(p - seg), seg, v.v_var, pd->pd_max,
			    pd->pd_unit);
			return (-1);
		}
		if (v.v_val < pd->pd_min || v.v_val > pd->pd_max ||
		    (pd->pd_strictmax && v.v_val >= pd->pd_max)) {
			snprintf(err, errlen, "%s %.*s: %.10g is out of range "
			    "(%g to %.10g %s%s)", pd->pd_name, (int)(p - seg),
			    seg, v.v_val, pd->pd_min, pd->pd_max, pd->pd_unit,
			    pd->pd_strictmax ? ", the maximum excluded" : "");
			return (-1);
		}
		if (param == WF_LOSTBURST && v.v_val > 0 && v.v_val < 1) {
			snprintf(err, errlen, "lostburst %.*s: a mean burst "
			    "length is 0 (off) or at least 1", (int)(p - seg),
			    seg);
			return (-1);
		}
		if (param == WF_MTU && v.v_val != floor(v.v_val)) {
			snprintf(err, errlen, "mtu %.*s: not a whole number "
			    "of bytes", (int)(p - seg), seg);
			return (-1);
		}
		for (d = 0; d < 2; d++)
			if (which == 2 || which == d)
				nv[d] = v;
		nseg++;
	}
	if (nseg == 0) {
		snprintf(err, errlen, "%s: a value is needed", pd->pd_name);
		return (-1);
	}
	c->c_node[node].n_par[0][param] = nv[0];
	c->c_node[node].n_par[1][param] = nv[1];
	return (0);
bad:
	snprintf(err, errlen, "%s %s: expected [LR|RL]value[+variation]"
	    "%s[U|N] ... [node]", pd->pd_name, s,
	    pd->pd_suffix ? "[K|M|G]" : "");
	return (-1);
}

/*
 * Nanoseconds from a double, within [0, 10^18] (31 years): a tiny rate or
 * a far draw of a variation never overflows the clock.
 */
static uint64_t
wfmodel_ns(double ns)
{
	if (!(ns > 0))
		return (0);
	if (ns > 1e18)
		return (1000000000000000000ULL);
	return ((uint64_t)ns);
}

/* A value drawn from v, never negative. */
static double
wfmodel_draw(const struct wfval *v)
{
	double	x;

	if (v->v_var == 0)
		return (v->v_val);
	if (v->v_dist == 'N')
		/* 98% of the values within the variation. */
		x = v->v_val + v->v_var * wfrand_normal() / 2.326;
	else
		x = v->v_val + v->v_var * (2.0 * wfrand_unit() - 1.0);
	return (x < 0 ? 0 : x);
}

/*
 * Whether this frame is lost.  With a mean burst length L (-L), a
 * two-state chain: the lossy state is left with probability 1/L and
 * entered with probability p/(L(1-p)), so that it is occupied a fraction
 * p of the time (the loss rate) in runs of mean length L.
 */
static int
wfmodel_lost(struct wfdir *d, const struct wfval *par)
{
	double	p, burst, enter;

	p = wfmodel_draw(&par[WF_LOSS]) / 100.0;
	if (p > 1)
		p = 1;
	burst = par[WF_LOSTBURST].v_val;
	if (burst < 1)
		return (p > 0 && wfrand_unit() < p);
	if (p >= 1)
		return (1);
	if (d->d_bad) {
		if (wfrand_unit() < 1.0 / burst)
			d->d_bad = 0;
	} else {
		enter = p / (burst * (1.0 - p));
		if (p > 0 && wfrand_unit() < enter)
			d->d_bad = 1;
	}
	return (d->d_bad);
}

void
wfmodel_frame(struct wfmodel *m, int dir, uint64_t now,
    const unsigned char *frame, size_t len, wfmodel_out out, void *arg)
{
	static unsigned char	 noisy[VDE_FRAMEBUF];
	struct wfdir		*d = &m->m_dir[dir];
	const struct wfval	*par = m->m_conf.c_node[m->m_conf.c_cur].n_par[dir];
	double			 mtu, speed, lambda, dup;
	long			 flips;
	size_t			 bit;
	int			 copies;

	d->d_in++;
	mtu = par[WF_MTU].v_val;
	if (mtu > 0 && (double)len > mtu) {
		d->d_mtu++;
		return;
	}
	speed = wfmodel_draw(&par[WF_SPEED]);
	if (speed > 0) {
		if (d->d_ifbusy < now)
			d->d_ifbusy = now;
		d->d_ifbusy += wfmodel_ns((double)len * WF_NS / speed);
		now = d->d_ifbusy;
	}
	if (wfmodel_lost(d, par)) {
		d->d_lost++;
		return;
	}
	lambda = wfmodel_draw(&par[WF_NOISE]) * (double)len / 1048576.0;
	if (lambda > (double)len * 8)
		lambda = (double)len * 8;	/* every bit, on average */
	if (lambda > 0 && len <= sizeof(noisy)) {
		flips = (long)lambda;
		if (wfrand_unit() < lambda - (double)flips)
			flips++;
		if (flips > 0) {
			memcpy(noisy, frame, len);
			frame = noisy;
			d->d_noise++;
		}
		while (flips-- > 0) {
			bit = (size_t)(wfrand_u64() % (len * 8));
			noisy[bit / 8] ^= (unsigned char)(1U << (bit % 8));
		}
	}
	dup = wfmodel_draw(&par[WF_DUP]) / 100.0;
	/* A geometric number of copies; bounded all the same. */
	for (copies = 1; copies < 64 && dup > 0 && wfrand_unit() < dup;
	    copies++)
		d->d_dups++;
	while (copies-- > 0)
		wfmodel_chan(m, d, par, dir, now, frame, len, out, arg);
}

/* Into the channel: out now, or held until its delivery time. */
static void
wfmodel_chan(struct wfmodel *m, struct wfdir *d, const struct wfval *par,
    int dir, uint64_t now, const unsigned char *frame, size_t len,
    wfmodel_out out, void *arg)
{
	struct wfpkt	pk;
	double		band, delay;
	size_t		cap;
	uint64_t	t;

	band = wfmodel_draw(&par[WF_BAND]);
	delay = wfmodel_draw(&par[WF_DELAY]);
	if (band <= 0 && delay <= 0 && d->d_n == 0) {
		d->d_out++;
		out(arg, dir, frame, len);
		return;
	}
	cap = par[WF_CHANBUF].v_val > 0 ?
	    (size_t)par[WF_CHANBUF].v_val : WF_CHANDEF;
	if (d->d_n == WF_QLEN || d->d_bytes + len > cap) {
		d->d_full++;
		return;
	}
	t = now;
	if (band > 0) {
		if (d->d_chanbusy > t)
			t = d->d_chanbusy;
		t += wfmodel_ns((double)len * WF_NS / band);
		d->d_chanbusy = t;
	}
	t += wfmodel_ns(delay * 1e6);
	if (m->m_conf.c_fifo) {
		if (t < d->d_last)
			t = d->d_last;
		d->d_last = t;
	}
	if ((pk.p_data = malloc(len)) == NULL) {
		d->d_full++;
		return;
	}
	memcpy(pk.p_data, frame, len);
	pk.p_len = len;
	pk.p_time = t;
	pk.p_seq = d->d_seq++;
	wfmodel_push(d, &pk);
}

static int
wfpkt_before(const struct wfpkt *a, const struct wfpkt *b)
{
	return (a->p_time < b->p_time ||
	    (a->p_time == b->p_time && a->p_seq < b->p_seq));
}

static void
wfmodel_push(struct wfdir *d, const struct wfpkt *pk)
{
	struct wfpkt	*h = d->d_heap, tmp;
	size_t		 i, up;

	i = d->d_n++;
	h[i] = *pk;
	d->d_bytes += pk->p_len;
	while (i > 0) {
		up = (i - 1) / 2;
		if (!wfpkt_before(&h[i], &h[up]))
			break;
		tmp = h[i];
		h[i] = h[up];
		h[up] = tmp;
		i = up;
	}
}

/* Remove the head of the heap and free its frame. */
static void
wfmodel_pop(struct wfdir *d)
{
	struct wfpkt	*h = d->d_heap, tmp;
	size_t		 i = 0, c;

	d->d_bytes -= h[0].p_len;
	free(h[0].p_data);
	h[0] = h[--d->d_n];
	for (;;) {
		c = 2 * i + 1;
		if (c >= d->d_n)
			break;
		if (c + 1 < d->d_n && wfpkt_before(&h[c + 1], &h[c]))
			c++;
		if (!wfpkt_before(&h[c], &h[i]))
			break;
		tmp = h[i];
		h[i] = h[c];
		h[c] = tmp;
		i = c;
	}
}

/* Deliver every held frame whose time has come. */
void
wfmodel_run(struct wfmodel *m, uint64_t now, wfmodel_out out, void *arg)
{
	struct wfdir	*d;
	int		 dir;

	for (dir = 0; dir < 2; dir++) {
		d = &m->m_dir[dir];
		while (d->d_n > 0 && d->d_heap[0].p_time <= now) {
			d->d_out++;
			out(arg, dir, d->d_heap[0].p_data, d->d_heap[0].p_len);
			wfmodel_pop(d);
		}
	}
}

/*
 * When the next held frame is due or the chain's next step comes
 * (UINT64_MAX: neither).
 */
uint64_t
wfmodel_next(const struct wfmodel *m)
{
	uint64_t	t = wfmarkov_next(m);
	int		dir;

	for (dir = 0; dir < 2; dir++)
		if (m->m_dir[dir].d_n > 0 &&
		    m->m_dir[dir].d_heap[0].p_time < t)
			t = m->m_dir[dir].d_heap[0].p_time;
	return (t);
}

/*
 * Whether the input of dir is busy with a frame at the interface speed
 * (-s) until a later time: then it is not read, so the sender waits.
 */
int
wfmodel_inputbusy(const struct wfmodel *m, int dir, uint64_t now)
{
	return (m->m_dir[dir].d_ifbusy > now);
}

/*
 * The parameters of a node and the counters, as text for the console's
 * showinfo.
 */
int
wfmodel_show(const struct wfmodel *m, int node, char *buf, size_t size)
{
	const struct wfconf	*c = &m->m_conf;
	const struct wfval	*a, *b;
	const struct wfdir	*l = &m->m_dir[WF_LR], *r = &m->m_dir[WF_RL];
	size_t			 n = 0;
	char			 x[64], y[64];
	int			 p;

#define WFSHOW(...) do {						\
	int w_ = snprintf(buf + n, size - n, __VA_ARGS__);		\
	if (w_ < 0 || (size_t)w_ >= size - n)				\
		return (-1);						\
	n += (size_t)w_;						\
} while (0)
	WFSHOW("%-12s %d \"%s\" of %d (0 to %d), current %d, markov-time "
	    "%u ms\n", "node", node, c->c_node[node].n_name, c->c_nnodes,
	    c->c_nnodes - 1, c->c_cur, c->c_mtime);
	WFSHOW("%-12s %-22s %s\n", "parameter", "left to right (LR)",
	    "right to left (RL)");
	for (p = 0; p < WF_NPARAM; p++) {
		a = &c->c_node[node].n_par[WF_LR][p];
		b = &c->c_node[node].n_par[WF_RL][p];
		if (wfparams[p].pd_var) {
			snprintf(x, sizeof(x), "%.10g+%.10g%c", a->v_val, a->v_var,
			    a->v_dist);
			snprintf(y, sizeof(y), "%.10g+%.10g%c", b->v_val, b->v_var,
			    b->v_dist);
		} else {
			snprintf(x, sizeof(x), "%.0f", a->v_val);
			snprintf(y, sizeof(y), "%.0f", b->v_val);
		}
		WFSHOW("%-12s %-22s %s\n", wfparams[p].pd_name, x, y);
	}
	WFSHOW("%-12s %s\n", "fifo", c->c_fifo ? "yes" : "no (-N)");
	WFSHOW("%-12s %-22lu %lu\n", "frames in", l->d_in, r->d_in);
	WFSHOW("%-12s %-22lu %lu\n", "frames out", l->d_out, r->d_out);
	WFSHOW("%-12s %-22lu %lu\n", "lost", l->d_lost, r->d_lost);
	WFSHOW("%-12s %-22lu %lu\n", "duplicated", l->d_dups, r->d_dups);
	WFSHOW("%-12s %-22lu %lu\n", "over mtu", l->d_mtu, r->d_mtu);
	WFSHOW("%-12s %-22lu %lu\n", "buffer full", l->d_full, r->d_full);
	WFSHOW("%-12s %-22lu %lu\n", "out dropped", l->d_outdrop,
	    r->d_outdrop);
	WFSHOW("%-12s %-22lu %lu\n", "noise hit", l->d_noise, r->d_noise);
	WFSHOW("%-12s %-22zu %zu\n", "held frames", l->d_n, r->d_n);
	WFSHOW("%-12s %-22zu %zu\n", "held bytes", l->d_bytes, r->d_bytes);
	WFSHOW("%-12s %-22lu %lu\n", "blinks sent", l->d_blink, r->d_blink);
	WFSHOW("%-12s %-22lu %lu\n", "blinks lost", l->d_blinkdrop,
	    r->d_blinkdrop);
	WFSHOW("%-12s %lu steps, %lu changes\n", "markov", m->m_steps,
	    m->m_changes);
#undef WFSHOW
	return ((int)n);
}
