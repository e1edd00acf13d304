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

#define WF_NODEMAX	64	/* Markov chain: nodes at most */
#define WF_NAMELEN	32	/* a node's name, its NUL included */
#define WF_MTIMEDEF	100	/* ms between the chain's steps */
#define WF_MTIMEMAX	3600000	/* ms between steps, at most (an hour) */
#define WF_CATCHUP	1000	/* steps made up for after a late wake-up */

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
	unsigned long	 d_blink;	/* --blink messages sent */
	unsigned long	 d_blinkdrop;	/* ... and not taken */
};

/*
 * A state of the Markov chain: the parameters of both directions, and the
 * weights (percent) of the edges to the other nodes.  The loop edge to
 * itself is what the others leave of 100%; n_edge[self] stays 0.
 */
struct wfnode {
	struct wfval	 n_par[2][WF_NPARAM];
	double		 n_edge[WF_NODEMAX];
	char		 n_name[WF_NAMELEN];
};

/*
 * What the console sets: a chain of c_nnodes nodes (one without Markov
 * mode), the current one, the step.  A plain value, so that a script can
 * run on a copy and the copy replace it when every line is good.
 */
struct wfconf {
	struct wfnode	 c_node[WF_NODEMAX];
	int		 c_nnodes;
	int		 c_cur;
	unsigned int	 c_mtime;	/* ms between steps */
	int		 c_fifo;	/* 0 with -N: frames may overtake */
};

struct wfmodel {
	struct wfdir	 m_dir[2];
	struct wfconf	 m_conf;
	uint64_t	 m_nextstep;	/* the chain's next step, 0: none */
	unsigned int	 m_steplen;	/* c_mtime when it was set */
	unsigned long	 m_steps, m_changes;
};

typedef void	(*wfmarkov_trace)(int from, int to);

typedef void	(*wfmodel_out)(void *arg, int dir, const unsigned char *frame,
		    size_t len);

int		 wfmodel_init(struct wfmodel *);
void		 wfconf_init(struct wfconf *);
void		 wfmodel_fini(struct wfmodel *);
int		 wfmodel_param(const char *name);
const char	*wfmodel_name(int param);
int		 wfmodel_set(struct wfconf *, int param, const char *value,
		    char *err, size_t errlen);
void		 wfmodel_frame(struct wfmodel *, int dir, uint64_t now,
		    const unsigned char *frame, size_t len, wfmodel_out out,
		    void *arg);
void		 wfmodel_run(struct wfmodel *, uint64_t now, wfmodel_out out,
		    void *arg);
uint64_t	 wfmodel_next(const struct wfmodel *);
int		 wfmodel_inputbusy(const struct wfmodel *, int dir,
		    uint64_t now);
int		 wfmodel_show(const struct wfmodel *, int node, char *buf,
		    size_t size);
uint64_t	 wfmodel_now(void);

int		 wfmarkov_numnodes(struct wfconf *, const char *, char *,
		    size_t);
int		 wfmarkov_setedge(struct wfconf *, const char *, char *,
		    size_t);
int		 wfmarkov_name(struct wfconf *, const char *, char *, size_t);
int		 wfmarkov_setnode(struct wfconf *, const char *, char *,
		    size_t);
int		 wfmarkov_time(struct wfconf *, const char *, char *, size_t);
int		 wfmarkov_nodearg(const struct wfconf *, const char *, int *,
		    char *, size_t);
int		 wfmarkov_node(const struct wfconf *, const char **, int *,
		    char *, size_t);
int		 wfmarkov_step(struct wfconf *);
void		 wfmarkov_run(struct wfmodel *, uint64_t now, wfmarkov_trace);
uint64_t	 wfmarkov_next(const struct wfmodel *);
int		 wfmarkov_showedges(const struct wfconf *, int node, char *,
		    size_t);

#endif /* WFMODEL_H */
