/*
 * outq.h: a bounded, non-blocking output queue of stream records for the
 * tools that write frames to a pipe or ssh (vde_plug, vde_plug2tap -s -).
 */
#ifndef OUTQ_H
#define OUTQ_H

#include <stddef.h>

#define OUTQ_SIZE	(512 * 1024)	/* about 55 jumbo or 340 full frames */

struct outq {
	int		 oq_fd;
	int		 oq_flags;	/* the fd's flags before we came */
	size_t		 oq_head;	/* first byte not yet written */
	size_t		 oq_tail;	/* end of the queued bytes */
	unsigned long	 oq_drops;	/* frames dropped: queue full */
	unsigned char	 oq_buf[OUTQ_SIZE];
};

int	 outq_init(struct outq *, int fd);
int	 outq_put(struct outq *, const void *frame, size_t len);
int	 outq_flush(struct outq *);
int	 outq_pending(const struct outq *);
void	 outq_fini(struct outq *);

#endif /* OUTQ_H */
