/*
 * mirror.c: port mirroring (SPAN).  A source port's frames, those that
 * enter it, those that leave it or both, are copied to a destination port
 * exactly as they were on the source's wire (tags as received, tags as
 * sent).  Several sources may share one destination.  A destination takes
 * no normal traffic: floods and unicasts skip it (port_send), what it
 * sends is dropped and counted in its DROP in counter (forward_frame), so
 * nothing is learned on it.  A mirror ends when its source or destination
 * port is removed; it survives the ports' cables coming and going, as the
 * rest of a port's configuration does.
 *
 * A VLAN can be a source too: every frame the switch classifies into it
 * is copied once, as it entered the switch (forward_frame, after
 * vlan_ingress).
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stddef.h>

#include "log.h"
#include "switch.h"

struct mirror {
	int		 m_src;		/* -1: the slot is free */
	int		 m_dst;
	unsigned int	 m_dir;		/* PORT_W_MIRIN | PORT_W_MIROUT */
	uint64_t	 m_in, m_out;
};

static struct mirror	mirror_tab[MIRROR_MAX];
static int		mirror_vdst[VLAN_COUNT];	/* -1: not mirrored */
static uint64_t		mirror_vframes[VLAN_COUNT];
int			mirror_nvlans;

static void	mirror_portgone(struct port *);

static struct port_listener mirror_listener = {
	.pl_remove = mirror_portgone,
};

void
mirror_init(void)
{
	int	i;

	for (i = 0; i < MIRROR_MAX; i++)
		mirror_tab[i].m_src = -1;
	for (i = 0; i < VLAN_COUNT; i++)
		mirror_vdst[i] = -1;
	port_listen(&mirror_listener);
}

/*
 * Is port n the destination of a mirror other than skip (a port source)
 * or skipvid (a VLAN source)?
 */
static int
mirror_isdst2(int n, const struct mirror *skip, int skipvid)
{
	int	i;

	for (i = 0; i < MIRROR_MAX; i++)
		if (&mirror_tab[i] != skip && mirror_tab[i].m_src != -1 &&
		    mirror_tab[i].m_dst == n)
			return (1);
	for (i = 0; i < VLAN_COUNT && mirror_nvlans > 0; i++)
		if (i != skipvid && mirror_vdst[i] == n)
			return (1);
	return (0);
}

static int
mirror_isdst(int n, const struct mirror *skip)
{
	return (mirror_isdst2(n, skip, -1));
}

/* Make port pd a destination: no normal traffic from now on. */
static void
mirror_setdst(struct port *pd)
{
	if ((pd->p_watch & PORT_W_MIRDST) == 0) {
		/* What it learned before is forgotten: no unicast goes there. */
		pd->p_watch |= PORT_W_MIRDST;
		fdb_flush_port(pd->p_num);
	}
}

/*
 * Mirror VLAN vid (0..4094) to port dst, which must exist and not be a
 * source.  A VLAN already mirrored gets the new destination.
 */
int
mirror_addvlan(int vid, int dst)
{
	struct port	*pd, *old;

	if (vid < 0 || vid >= VLAN_MAX)
		return (EINVAL);
	if ((pd = port_get(dst)) == NULL)
		return (ENXIO);
	if (pd->p_mirror != NULL)
		return (EINVAL);
	if (mirror_vdst[vid] == -1) {
		mirror_nvlans++;
		mirror_vframes[vid] = 0;
	} else if (mirror_vdst[vid] != dst &&
	    !mirror_isdst2(mirror_vdst[vid], NULL, vid) &&
	    (old = port_get(mirror_vdst[vid])) != NULL)
		old->p_watch &= ~PORT_W_MIRDST;
	mirror_vdst[vid] = dst;
	mirror_setdst(pd);
	log_info("mirror: VLAN %d to port %d", vid, dst);
	return (0);
}

/* Stop mirroring VLAN vid. */
int
mirror_delvlan(int vid)
{
	struct port	*pd;
	int		 dst;

	if (vid < 0 || vid >= VLAN_MAX || (dst = mirror_vdst[vid]) == -1)
		return (ENXIO);
	if (!mirror_isdst2(dst, NULL, vid) && (pd = port_get(dst)) != NULL)
		pd->p_watch &= ~PORT_W_MIRDST;
	mirror_vdst[vid] = -1;
	mirror_nvlans--;
	return (0);
}

/* The i-th VLAN mirrored, for mirror/print. */
int
mirror_getvlan(int i, struct mirror_vinfo *mv)
{
	int	vid;

	for (vid = 0; vid < VLAN_COUNT && mirror_nvlans > 0; vid++) {
		if (mirror_vdst[vid] == -1 || i-- > 0)
			continue;
		mv->mv_vid = vid;
		mv->mv_dst = mirror_vdst[vid];
		mv->mv_frames = mirror_vframes[vid];
		return (0);
	}
	return (ENOENT);
}

/* The per-frame path: a frame the switch put into VLAN vid. */
void
mirror_vlan(int vid, const unsigned char *frame, size_t len,
    const struct sendctx *sc)
{
	struct port	*pd;

	if (vid < 0 || vid >= VLAN_COUNT || mirror_vdst[vid] == -1 ||
	    (pd = port_get(mirror_vdst[vid])) == NULL || pd->p_neps == 0)
		return;
	mirror_vframes[vid]++;
	port_send_mirror(pd, frame, len, sc);
}

/*
 * Mirror port src to port dst (both must exist).  dir is PORT_W_MIRIN,
 * PORT_W_MIROUT or both.  A source already mirrored gets the new
 * destination and direction.  A port cannot be both a source and a
 * destination (EINVAL); ENOSPC when MIRROR_MAX sources are mirrored.
 */
int
mirror_add(int src, int dst, unsigned int dir)
{
	struct port	*ps, *pd;
	struct mirror	*m = NULL;
	int		 i;

	if ((dir & ~(PORT_W_MIRIN | PORT_W_MIROUT)) != 0 || dir == 0 ||
	    src == dst)
		return (EINVAL);
	if ((ps = port_get(src)) == NULL || (pd = port_get(dst)) == NULL)
		return (ENXIO);
	if ((ps->p_watch & PORT_W_MIRDST) || pd->p_mirror != NULL)
		return (EINVAL);
	if ((m = ps->p_mirror) == NULL) {
		for (i = 0; i < MIRROR_MAX && m == NULL; i++)
			if (mirror_tab[i].m_src == -1)
				m = &mirror_tab[i];
		if (m == NULL)
			return (ENOSPC);
		m->m_in = m->m_out = 0;
	} else if (m->m_dst != dst && !mirror_isdst(m->m_dst, m)) {
		port_get(m->m_dst)->p_watch &= ~PORT_W_MIRDST;
	}
	m->m_src = src;
	m->m_dst = dst;
	m->m_dir = dir;
	ps->p_mirror = m;
	ps->p_watch = (ps->p_watch & ~(PORT_W_MIRIN | PORT_W_MIROUT)) | dir;
	mirror_setdst(pd);
	log_info("mirror: port %d to port %d (%s)", src, dst,
	    dir == PORT_W_MIRIN ? "in" : dir == PORT_W_MIROUT ? "out" :
	    "both");
	return (0);
}

/* Stop mirroring port src. */
int
mirror_del(int src)
{
	struct port	*ps, *pd;
	struct mirror	*m;

	if ((ps = port_get(src)) == NULL || (m = ps->p_mirror) == NULL)
		return (ENXIO);
	ps->p_mirror = NULL;
	ps->p_watch &= ~(PORT_W_MIRIN | PORT_W_MIROUT);
	if (!mirror_isdst(m->m_dst, m) && (pd = port_get(m->m_dst)) != NULL)
		pd->p_watch &= ~PORT_W_MIRDST;
	m->m_src = -1;
	return (0);
}

/* The i-th mirror in use, for mirror/print. */
int
mirror_get(int i, struct mirror_info *mi)
{
	int	k;

	for (k = 0; k < MIRROR_MAX; k++) {
		if (mirror_tab[k].m_src == -1 || i-- > 0)
			continue;
		mi->mi_src = mirror_tab[k].m_src;
		mi->mi_dst = mirror_tab[k].m_dst;
		mi->mi_dir = mirror_tab[k].m_dir;
		mi->mi_in = mirror_tab[k].m_in;
		mi->mi_out = mirror_tab[k].m_out;
		return (0);
	}
	return (ENOENT);
}

/* A port is removed: the mirrors it is a source or destination of end. */
static void
mirror_portgone(struct port *p)
{
	int	i;

	for (i = 0; i < MIRROR_MAX; i++) {
		if (mirror_tab[i].m_src == -1 ||
		    (mirror_tab[i].m_src != p->p_num &&
		    mirror_tab[i].m_dst != p->p_num))
			continue;
		log_info("mirror: port %d to port %d ended: port %d removed",
		    mirror_tab[i].m_src, mirror_tab[i].m_dst, p->p_num);
		(void)mirror_del(mirror_tab[i].m_src);
	}
	for (i = 0; i < VLAN_COUNT && mirror_nvlans > 0; i++) {
		if (mirror_vdst[i] != p->p_num)
			continue;
		log_info("mirror: VLAN %d to port %d ended: port %d removed",
		    i, p->p_num, p->p_num);
		(void)mirror_delvlan(i);
	}
}

/*
 * The per-frame path: a frame entering (dir PORT_W_MIRIN) or leaving
 * (PORT_W_MIROUT) source p goes to the destination as it is, with the
 * source's send context (offloads, batch).
 */
void
mirror_frame(struct port *p, const unsigned char *frame, size_t len,
    const struct sendctx *sc, unsigned int dir)
{
	struct mirror	*m = p->p_mirror;
	struct port	*pd;

	if ((pd = port_get(m->m_dst)) == NULL || pd->p_neps == 0)
		return;
	if (dir == PORT_W_MIRIN)
		m->m_in++;
	else
		m->m_out++;
	port_send_mirror(pd, frame, len, sc);
}
