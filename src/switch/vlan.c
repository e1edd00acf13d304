/*
 * vlan.c: 802.1Q VLANs for the switch (spec section 8).  Holds the VLAN
 * table, each port's untagged VLAN and tagged memberships, and the per-VLAN
 * sets of active ports that flooding walks; classifies frames at ingress
 * and gives each destination port the tagged or untagged form of a frame.
 *
 * VLAN awareness: the switch is VLAN-transparent while no VLAN besides 0
 * is defined.  Then every frame, tagged or not, belongs to VLAN 0 and is
 * carried unchanged between the ports whose untagged VLAN is 0.  From the
 * first successful vlan/create until the last such VLAN is removed the
 * switch is VLAN-aware and applies the 802.1Q rules below.
 *
 * Nothing here knows about sockets, the event loop or the MAC table: the
 * caller (forward.c) learns and looks up by the VLAN this file assigns,
 * and sends what vlan_egress()/vlan_flood() hand back.  Configuration
 * allocates; the per-frame path does not.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "switch.h"
#include "xmalloc.h"

struct vport {
	int		 vp_active;
	int		 vp_untagged;	/* VLAN_NONE: no untagged frames */
	int		 vp_trunkall;	/* tagged in every VLAN, present and future */
	int		 vp_ntagged;
	unsigned long long vp_drop_tagged;	/* tagged, not a member */
	unsigned long long vp_drop_untagged;	/* untagged, no untagged VLAN */
	unsigned char	 vp_tagged[VLAN_MAPSIZE];
};

struct vlan {
	int		 v_defined;
	/*
	 * Active members, in port order.  The arrays are reallocated only
	 * when a new port number appears; a send that deactivates a port in
	 * the middle of a flood just shortens them in place.
	 */
	int		*v_tports;	/* tagged */
	int		 v_ntports;
	int		*v_uports;	/* untagged */
	int		 v_nuports;
	int		 v_cap;
};

static struct vlan	 vlans[VLAN_COUNT];
static struct vport	**vports;	/* by port number; NULL: defaults */
static int		 nvports;
static int		 ndefined;	/* VLANs defined besides 0 */

/* Where a frame gets its tag when the caller left no headroom. */
static unsigned char	 spare[VTAG_LEN + VDE_FRAMEBUF];

/* Bit i of a VLAN or port bitmap. */
static int
bit_get(const unsigned char *b, int i)
{
	return ((b[i >> 3] >> (i & 7)) & 1);
}

/* Set or clear bit i of a VLAN or port bitmap. */
static void
bit_set(unsigned char *b, int i, int on)
{
	if (on)
		b[i >> 3] |= (unsigned char)(1 << (i & 7));
	else
		b[i >> 3] &= (unsigned char)~(1 << (i & 7));
}

/* Reset the whole table: VLAN 0 only, no port configuration. */
void
vlan_init(void)
{
	int	i;

	for (i = 0; i < VLAN_COUNT; i++) {
		free(vlans[i].v_tports);
		free(vlans[i].v_uports);
	}
	for (i = 0; i < nvports; i++)
		free(vports[i]);
	free(vports);
	memset(vlans, 0, sizeof(vlans));
	vports = NULL;
	nvports = 0;
	ndefined = 0;
	vlans[0].v_defined = 1;
}

/* Whether 802.1Q processing is on (see the top of this file). */
int
vlan_aware(void)
{
	return (ndefined > 0);
}

/* A port's VLAN state, or NULL while it has the defaults. */
static struct vport *
vport_peek(int port)
{
	if (port < 0 || port >= nvports)
		return (NULL);
	return (vports[port]);
}

/* A port's VLAN state, created with the defaults (configuration path). */
static struct vport *
vport_get(int port)
{
	int	n;

	if (port < 0)
		fatalx("vlan: negative port %d", port);
	if (port >= nvports) {
		n = port + 1 > 2 * nvports ? port + 1 : 2 * nvports;
		/* A pointer per port number, the state only per port. */
		vports = xreallocarray(vports, (size_t)n, sizeof(*vports));
		memset(vports + nvports, 0,
		    (size_t)(n - nvports) * sizeof(*vports));
		nvports = n;
	}
	/* All zero: active off, untagged VLAN 0, no tags. */
	if (vports[port] == NULL)
		vports[port] = xcalloc(1, sizeof(*vports[port]));
	return (vports[port]);
}

/* Recompute the active member lists of one VLAN. */
static void
vlan_rebuild(int vid)
{
	struct vlan	*v;
	int		 i, nt, nu;

	if (vid < 0 || vid >= VLAN_MAX)
		return;
	v = &vlans[vid];
	if (v->v_cap < nvports) {
		v->v_tports = xreallocarray(v->v_tports, (size_t)nvports,
		    sizeof(int));
		v->v_uports = xreallocarray(v->v_uports, (size_t)nvports,
		    sizeof(int));
		v->v_cap = nvports;
	}
	nt = nu = 0;
	if (v->v_defined) {
		for (i = 0; i < nvports; i++) {
			if (vports[i] == NULL || !vports[i]->vp_active)
				continue;
			if (vports[i]->vp_untagged == vid)
				v->v_uports[nu++] = i;
			else if (bit_get(vports[i]->vp_tagged, vid))
				v->v_tports[nt++] = i;
		}
	}
	v->v_ntports = nt;
	v->v_nuports = nu;
}

/* Recompute every VLAN a port belongs to. */
static void
vlan_rebuild_port(const struct vport *vp)
{
	int	vid;

	vlan_rebuild(vp->vp_untagged);
	for (vid = 1; vid < VLAN_MAX && vp->vp_ntagged > 0; vid++)
		if (bit_get(vp->vp_tagged, vid))
			vlan_rebuild(vid);
}

/* Add or remove one tagged membership, keeping the count right. */
static void
vport_tag(struct vport *vp, int vid, int on)
{
	if (bit_get(vp->vp_tagged, vid) == on)
		return;
	bit_set(vp->vp_tagged, vid, on);
	vp->vp_ntagged += on ? 1 : -1;
}

/* Hook: a port got its first endpoint. */
void
vlan_port_up(int port)
{
	struct vport	*vp = vport_get(port);

	vp->vp_active = 1;
	vlan_rebuild_port(vp);
}

/* Hook: a port lost its last endpoint; its configuration stays. */
void
vlan_port_down(int port)
{
	struct vport	*vp = vport_peek(port);

	if (vp == NULL || !vp->vp_active)
		return;
	vp->vp_active = 0;
	vlan_rebuild_port(vp);
}

/* Hook: a port was removed; forget its configuration. */
void
vlan_port_forget(int port)
{
	struct vport	*vp = vport_peek(port);
	struct vport	 old;

	if (vp == NULL)
		return;
	old = *vp;
	free(vp);
	vports[port] = NULL;
	vlan_rebuild_port(&old);
	vlan_rebuild(0);
}

/* Whether a VLAN id is defined (0 always is). */
int
vlan_defined(int vid)
{
	if (vid < 0 || vid >= VLAN_MAX)
		return (0);
	return (vlans[vid].v_defined);
}

/* Define a VLAN (1..4093); trunk-all ports join it tagged. */
int
vlan_create(int vid)
{
	int	i;

	if (vid < 1 || vid > VLAN_CREATE_MAX)
		return (EINVAL);
	if (vlans[vid].v_defined)
		return (EEXIST);
	vlans[vid].v_defined = 1;
	ndefined++;
	for (i = 0; i < nvports; i++)
		if (vports[i] != NULL && vports[i]->vp_trunkall &&
		    vports[i]->vp_untagged != vid)
			vport_tag(vports[i], vid, 1);
	vlan_rebuild(vid);
	return (0);
}

/*
 * Whether a VLAN has configured members: a port with it as untagged VLAN,
 * or an explicit tagged member.  Trunk-all ports do not count: they are
 * members of every VLAN by definition.
 */
int
vlan_in_use(int vid)
{
	int	i;

	if (!vlan_defined(vid))
		return (0);
	for (i = 0; i < nvports; i++) {
		if (vports[i] == NULL)
			continue;
		if (vports[i]->vp_untagged == vid)
			return (1);
		if (!vports[i]->vp_trunkall &&
		    bit_get(vports[i]->vp_tagged, vid))
			return (1);
	}
	return (0);
}

/* Undefine a VLAN.  VLAN 0 stays (the original crashes later, #15). */
int
vlan_remove(int vid)
{
	int	i;

	if (vid < 1 || vid >= VLAN_MAX)
		return (EINVAL);
	if (!vlans[vid].v_defined)
		return (ENXIO);
	if (vlan_in_use(vid))
		return (EADDRINUSE);
	for (i = 0; i < nvports; i++)
		if (vports[i] != NULL)
			vport_tag(vports[i], vid, 0);
	vlans[vid].v_defined = 0;
	ndefined--;
	vlan_rebuild(vid);
	return (0);
}

/*
 * Make a port a tagged member of a VLAN.  VLAN 0 carries untagged frames
 * only (a VID 0 tag is a priority tag), so it has no tagged members.
 */
int
vlan_addport(int vid, int port)
{
	struct vport	*vp;

	if (vid < 1 || vid > VLAN_CREATE_MAX || port < 0)
		return (EINVAL);
	if (!vlans[vid].v_defined)
		return (ENXIO);
	vp = vport_get(port);
	if (vp->vp_untagged == vid)
		return (EEXIST);
	vport_tag(vp, vid, 1);
	vlan_rebuild(vid);
	return (0);
}

/* End a tagged membership; the untagged VLAN cannot be left this way. */
int
vlan_delport(int vid, int port)
{
	struct vport	*vp;

	if (vid < 0 || vid >= VLAN_MAX || port < 0)
		return (EINVAL);
	if (!vlans[vid].v_defined)
		return (ENXIO);
	vp = vport_peek(port);
	if ((vp == NULL && vid == 0) ||
	    (vp != NULL && vp->vp_untagged == vid))
		return (EADDRINUSE);
	if (vp == NULL || !bit_get(vp->vp_tagged, vid))
		return (ENXIO);
	vport_tag(vp, vid, 0);
	vlan_rebuild(vid);
	return (0);
}

/*
 * Trunk-all mode: on makes the port a tagged member of every defined VLAN
 * (besides 0 and its untagged VLAN) and of every VLAN created later; off
 * ends all its tagged memberships.
 */
int
vlan_trunkall(int port, int on)
{
	struct vport	*vp;
	int		 vid;

	if (port < 0)
		return (EINVAL);
	vp = vport_get(port);
	vp->vp_trunkall = on;
	for (vid = 1; vid <= VLAN_CREATE_MAX; vid++) {
		if (on && vlans[vid].v_defined && vp->vp_untagged != vid)
			vport_tag(vp, vid, 1);
		else if (!on)
			vport_tag(vp, vid, 0);
	}
	for (vid = 1; vid <= VLAN_CREATE_MAX; vid++)
		if (vlans[vid].v_defined)
			vlan_rebuild(vid);
	return (0);
}

/*
 * Set a port's untagged VLAN (VLAN_NONE: none).  A tagged membership in
 * the same VLAN becomes the untagged one.
 */
int
vlan_setuntagged(int port, int vid)
{
	struct vport	*vp;
	int		 old;

	if (vid < 0 || vid > VLAN_MAX || port < 0)
		return (EINVAL);
	if (vid != VLAN_NONE && !vlans[vid].v_defined)
		return (ENXIO);
	vp = vport_get(port);
	old = vp->vp_untagged;
	if (vid != VLAN_NONE)
		vport_tag(vp, vid, 0);
	/* Trunk-all ports go back to being tagged in the VLAN they leave. */
	if (vp->vp_trunkall && old != VLAN_NONE && old != 0 &&
	    vlans[old].v_defined)
		vport_tag(vp, old, 1);
	vp->vp_untagged = vid;
	vlan_rebuild(old);
	vlan_rebuild(vid);
	return (0);
}

/* A port's untagged VLAN. */
int
vlan_untagged(int port)
{
	struct vport	*vp = vport_peek(port);

	return (vp == NULL ? 0 : vp->vp_untagged);
}

/* Whether a port is a tagged member of a VLAN. */
int
vlan_is_tagged(int vid, int port)
{
	struct vport	*vp = vport_peek(port);

	if (vp == NULL || vid < 0 || vid >= VLAN_MAX)
		return (0);
	return (bit_get(vp->vp_tagged, vid));
}

/* Whether a port is a member, tagged or untagged, of a defined VLAN. */
int
vlan_is_member(int vid, int port)
{
	if (!vlan_defined(vid))
		return (0);
	return (vlan_untagged(port) == vid || vlan_is_tagged(vid, port));
}

/* Whether the port is active as far as VLANs know. */
int
vlan_port_active(int port)
{
	struct vport	*vp = vport_peek(port);

	return (vp != NULL && vp->vp_active);
}

/* Whether the port is in trunk-all mode. */
int
vlan_port_trunkall(int port)
{
	struct vport	*vp = vport_peek(port);

	return (vp != NULL && vp->vp_trunkall);
}

/* Frames a port's ingress refused: tagged ones or untagged ones. */
unsigned long long
vlan_port_drops(int port, int tagged)
{
	struct vport	*vp = vport_peek(port);

	if (vp == NULL)
		return (0);
	return (tagged ? vp->vp_drop_tagged : vp->vp_drop_untagged);
}

/*
 * Classify a frame received on a port (spec 8.2).  Returns 0 and fills vf
 * when the frame may be forwarded in vf->vf_vid, -1 when it is dropped.
 * room is the number of writable bytes before data; with 4 or more, tags
 * are inserted in place.  From here on the frame is vf->vf_data and
 * vf->vf_len: egress moves its start.
 */
int
vlan_ingress(int port, unsigned char *data, size_t len, size_t room,
    struct vlan_frame *vf)
{
	struct vport	*vp = vport_peek(port);
	struct vtag	 t;
	int		 untagged = vp == NULL ? 0 : vp->vp_untagged;

	vf->vf_data = data;
	vf->vf_len = len;
	vf->vf_room = room;
	vf->vf_tagged = 0;
	vf->vf_vid = 0;
	vf->vf_tci = 0;
	/*
	 * Never more than the spare buffer could take with a tag, unless
	 * the frame has headroom for its tag (the spare buffer is only for
	 * frames without): an offloaded 64 KiB segment from a tap has.
	 */
	if (len > VDE_FRAMEBUF && (room < VTAG_LEN || len > OS_TAP_FRAMEMAX))
		return (-1);
	if (ndefined == 0) {
		/* Transparent: tags are payload like any other bytes. */
		if (untagged == VLAN_NONE)
			goto drop_untagged;
		return (0);
	}
	switch (vtag_parse(data, len, &t)) {
	case VTAG_SHORT:
		return (-1);
	case VTAG_NONE:
		if (untagged == VLAN_NONE)
			goto drop_untagged;
		vf->vf_vid = untagged;
		vf->vf_tci = VTAG_TCI(0, 0, untagged);
		return (0);
	default:
		break;
	}
	vf->vf_tagged = 1;
	if (t.vt_vid == 0) {
		/*
		 * A priority tag: the frame is in the port's untagged VLAN
		 * and keeps its priority.  The tag gets the real VID now so
		 * that it can leave tagged as it is.
		 */
		if (untagged == VLAN_NONE)
			goto drop_untagged;
		vf->vf_vid = untagged;
		vf->vf_tci = VTAG_TCI(t.vt_pcp, t.vt_dei, untagged);
		vtag_set_tci(data, vf->vf_tci);
		return (0);
	}
	if ((t.vt_vid == untagged && untagged != VLAN_NONE) ||
	    (vp != NULL && t.vt_vid < VLAN_MAX &&
	    bit_get(vp->vp_tagged, t.vt_vid))) {
		vf->vf_vid = t.vt_vid;
		vf->vf_tci = t.vt_tci;
		return (0);
	}
	/* Not a member, or the VLAN does not exist here. */
	if (vp != NULL)
		vp->vp_drop_tagged++;
	return (-1);

drop_untagged:
	vp->vp_drop_untagged++;
	return (-1);
}

/*
 * Put a frame into its tagged or untagged form.  Stripping and pushing
 * move only the 12 address bytes and are exact inverses: the TCI kept in
 * vf (with the original PCP and DEI) is what a push writes back.
 */
static void
vlan_view(struct vlan_frame *vf, int tagged)
{
	if (tagged == vf->vf_tagged)
		return;
	if (!tagged) {
		vtag_strip(&vf->vf_data, &vf->vf_len);
		vf->vf_room += VTAG_LEN;
		vf->vf_tagged = 0;
		return;
	}
	if (vf->vf_room < VTAG_LEN) {
		/* No headroom: continue in the spare buffer. */
		memmove(spare + VTAG_LEN, vf->vf_data, vf->vf_len);
		vf->vf_data = spare + VTAG_LEN;
		vf->vf_room = VTAG_LEN;
	}
	vtag_push(&vf->vf_data, &vf->vf_len, vf->vf_tci);
	vf->vf_room -= VTAG_LEN;
	vf->vf_tagged = 1;
}

/*
 * Prepare a frame for one destination port (known unicast).  Returns 1
 * with vf->vf_data/vf_len in the form the port must receive, 0 when the
 * port is not a member of the frame's VLAN.
 */
int
vlan_egress(struct vlan_frame *vf, int port)
{
	struct vport	*vp = vport_peek(port);
	int		 untagged = vp == NULL ? 0 : vp->vp_untagged;

	if (untagged == vf->vf_vid) {
		vlan_view(vf, 0);
		return (1);
	}
	if (vp != NULL && vf->vf_vid < VLAN_MAX &&
	    bit_get(vp->vp_tagged, vf->vf_vid)) {
		vlan_view(vf, 1);
		return (1);
	}
	return (0);
}

/*
 * Flood a frame to the active ports of its VLAN except the one it came
 * from: first the ports that take its current form, then, converted once,
 * the others (spec 8.3).  Broadcasts never leave the frame's VLAN.
 */
void
vlan_flood(struct vlan_frame *vf, int inport, vlan_send_fn send, void *arg)
{
	struct vlan	*v;
	int		 pass, i, tagged;

	if (vf->vf_vid < 0 || vf->vf_vid >= VLAN_MAX)
		return;
	v = &vlans[vf->vf_vid];
	for (pass = 0; pass < 2; pass++) {
		tagged = pass == 0 ? vf->vf_tagged : !vf->vf_tagged;
		/* The counts are re-read: a send may deactivate a port. */
		if ((tagged ? v->v_ntports : v->v_nuports) == 0)
			continue;
		vlan_view(vf, tagged);
		for (i = 0; i < (tagged ? v->v_ntports : v->v_nuports); i++) {
			int	p = tagged ? v->v_tports[i] : v->v_uports[i];

			if (p != inport)
				send(p, vf->vf_data, vf->vf_len, arg);
		}
	}
}

/*
 * One number of a VLAN list at *sp, by the console's rules: decimal, or
 * hex after 0x (a leading 0 is decimal); no sign, no blanks.  Returns the
 * value, or -1 when there is none or it exceeds VLAN_MAX.
 */
static long
vlan_listnum(const char **sp)
{
	const char	*s = *sp;
	char		*end;
	long		 v;
	int		 base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!(s[0] >= '0' && s[0] <= '9') && !(base == 16 &&
	    ((s[0] >= 'a' && s[0] <= 'f') || (s[0] >= 'A' && s[0] <= 'F'))))
		return (-1);
	errno = 0;
	v = strtol(s, &end, base);
	if (errno != 0 || v > VLAN_MAX)
		return (-1);
	*sp = end;
	return (v);
}

/*
 * Parse a VLAN list, the trunk syntax of the console: items separated by
 * commas, each a VID or a range LOW-HIGH ("10-20,30").  Sets the bits of
 * map (VLAN_MAPSIZE bytes); *all is set instead for the word "all".
 * Returns 0, or EINVAL for anything else, with map then unspecified.
 */
int
vlan_parselist(const char *s, unsigned char *map, int *all)
{
	long	lo, hi, v;

	memset(map, 0, VLAN_MAPSIZE);
	*all = 0;
	if (strcmp(s, "all") == 0) {
		*all = 1;
		return (0);
	}
	for (;;) {
		if ((lo = vlan_listnum(&s)) < 0)
			return (EINVAL);
		hi = lo;
		if (*s == '-') {
			s++;
			if ((hi = vlan_listnum(&s)) < lo)
				return (EINVAL);
		}
		for (v = lo; v <= hi; v++)
			bit_set(map, (int)v, 1);
		if (*s == '\0')
			return (0);
		if (*s++ != ',')
			return (EINVAL);
	}
}

/*
 * Write the VIDs set in map as a list in the same syntax, ranges folded
 * ("10-20,30"), or "none".  Truncates to size like snprintf; returns the
 * length the whole list needs.
 */
size_t
vlan_fmtlist(char *buf, size_t size, const unsigned char *map)
{
	size_t	 len = 0;
	int	 v, lo, n;
	char	 item[32];

	if (size > 0)
		buf[0] = '\0';
	for (v = 0; v < VLAN_COUNT; v++) {
		if (!bit_get(map, v))
			continue;
		for (lo = v; v + 1 < VLAN_COUNT && bit_get(map, v + 1); v++)
			;
		if (lo == v)
			n = snprintf(item, sizeof(item), "%s%d",
			    len > 0 ? "," : "", v);
		else
			n = snprintf(item, sizeof(item), "%s%d-%d",
			    len > 0 ? "," : "", lo, v);
		if (len + (size_t)n < size)
			memcpy(buf + len, item, (size_t)n + 1);
		else if (len < size)
			buf[len] = '\0';
		len += (size_t)n;
	}
	if (len == 0) {
		if (size > 0)
			strlcpy(buf, "none", size);
		len = 4;
	}
	return (len);
}

/* A port's tagged memberships as a map (VLAN_COUNT bits). */
void
vlan_port_tagmap(int port, unsigned char *map)
{
	struct vport	*vp = vport_peek(port);

	if (vp == NULL)
		memset(map, 0, VLAN_MAPSIZE);
	else
		memcpy(map, vp->vp_tagged, VLAN_MAPSIZE);
}
