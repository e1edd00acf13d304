/*
 * wfmodel_fuzz: libFuzzer target for wirefilter's parameter parser and
 * model (src/tools/wfmodel.c).  The input is a series of commands: a byte
 * chooses a parameter and a NUL- or newline-ended text sets it (the text a
 * console or an rc file passes); other bytes push frames of sizes taken
 * from the input into either direction and move the clock.  A refused
 * value must leave the parameters as they were; a taken one must lie in
 * its range; the held frames and bytes must stay within their bounds and
 * every frame that leaves must be one that came in.
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
	int		 d, p;

	if (m.m_dir[0].d_heap == NULL && wfmodel_init(&m) == -1)
		abort();
	h[0] = m.m_dir[0].d_heap;
	h[1] = m.m_dir[1].d_heap;
	memset(&m, 0, sizeof(m));
	m.m_fifo = 1;
	for (d = 0; d < 2; d++) {
		m.m_dir[d].d_heap = h[d];
		for (p = 0; p < WF_NPARAM; p++)
			m.m_dir[d].d_par[p].v_dist = 'U';
	}
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
	struct wfval	before[2];
	char		text[256], err[512];
	size_t		i = 0, n, len;
	uint64_t	now = 1000000000ULL;
	int		p, d;

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
			before[0] = m.m_dir[0].d_par[p];
			before[1] = m.m_dir[1].d_par[p];
			if (wfmodel_set(&m, p, text, err, sizeof(err)) == -1) {
				if (memcmp(&before[0], &m.m_dir[0].d_par[p],
				    sizeof(before[0])) != 0 ||
				    memcmp(&before[1], &m.m_dir[1].d_par[p],
				    sizeof(before[1])) != 0 || err[0] == '\0')
					abort();
				continue;
			}
			for (d = 0; d < 2; d++)
				if (!(m.m_dir[d].d_par[p].v_val >= 0) ||
				    !(m.m_dir[d].d_par[p].v_var >= 0) ||
				    !isfinite(m.m_dir[d].d_par[p].v_val))
					abort();
			/* Keep runs short: no huge delays or tiny rates. */
			for (d = 0; d < 2; d++) {
				if (m.m_dir[d].d_par[WF_DUP].v_val > 90)
					m.m_dir[d].d_par[WF_DUP].v_val = 90;
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
