/*
 * wfmodel.h: wirefilter's model of a bad cable: the parameters of each
 * direction, what happens to each frame, and the queues of the frames the
 * cable holds (delay, bandwidth).
 */
#ifndef WFMODEL_H
#define WFMODEL_H

#include <stddef.h>
#include <stdint.h>

#define WF_LR		0	/* left (stdin, first plug) to right */
#define WF_RL		1	/* right to left */

#define WF_QLEN		65536	/* frames held per direction, at most */
#define WF_CHANDEF	(16UL * 1024 * 1024) /* bytes held: -c 0 */
#define WF_CHANMAX	(256UL * 1024 * 1024) /* bytes held: -c at most */

enum wfparam {
	WF_LOSS, WF_LOSTBURST, WF_DELAY, WF_DUP, WF_BAND, WF_SPEED,
	WF_NOISE, WF_MTU, WF_CHANBUF, WF_NPARAM
};

/* A value, its random variation and the variation's distribution. */
struct wfval {
	double	v_val;
	double	v_var;
	char	v_dist;		/* 'U'niform or 'N'ormal */
};

/* A frame the cable holds until p_time. */
struct wfpkt {
	uint64_t	 p_time;	/* monotonic ns */
	uint64_t	 p_seq;		/* arrival order, for ties */
	size_t		 p_len;
	unsigned char	*p_data;
};

struct wfdir {
	struct wfval	 d_par[WF_NPARAM];
	int		 d_bad;		/* Gilbert chain: in the lossy state */
	uint64_t	 d_ifbusy;	/* -s: the input is busy until then */
	uint64_t	 d_chanbusy;	/* -b: the channel is busy until then */
	uint64_t	 d_last;	/* FIFO: the last delivery time */
	struct wfpkt	*d_heap;	/* WF_QLEN entries, a binary heap */
	size_t		 d_n;
	size_t		 d_bytes;	/* bytes held */
	uint64_t	 d_seq;
	unsigned long	 d_in, d_out, d_lost, d_dups, d_mtu, d_full,
			 d_noise;
	unsigned long	 d_outdrop;	/* the receiving side refused it */
};

struct wfmodel {
	struct wfdir	 m_dir[2];
	int		 m_fifo;	/* 0 with -N: frames may overtake */
};

typedef void	(*wfmodel_out)(void *arg, int dir, const unsigned char *frame,
		    size_t len);

int		 wfmodel_init(struct wfmodel *);
void		 wfmodel_fini(struct wfmodel *);
int		 wfmodel_param(const char *name);
const char	*wfmodel_name(int param);
int		 wfmodel_set(struct wfmodel *, int param, const char *value,
		    char *err, size_t errlen);
void		 wfmodel_frame(struct wfmodel *, int dir, uint64_t now,
		    const unsigned char *frame, size_t len, wfmodel_out out,
		    void *arg);
void		 wfmodel_run(struct wfmodel *, uint64_t now, wfmodel_out out,
		    void *arg);
uint64_t	 wfmodel_next(const struct wfmodel *);
int		 wfmodel_inputbusy(const struct wfmodel *, int dir,
		    uint64_t now);
int		 wfmodel_show(const struct wfmodel *, char *buf, size_t size);
uint64_t	 wfmodel_now(void);

#endif /* WFMODEL_H */
