/*
 * vxfdb.c: the table of remote VTEPs of one VXLAN port (see switch.h).
 *
 * Like the kernel's vxlan device, a VXLAN port learns, for each source
 * address and VLAN of the frames it receives, the tunnel endpoint they
 * came from, and sends unicast frames for that address there.  Entries
 * come from a pool made once, so that a peer can make the table neither
 * grow nor allocate; new and moved entries are rate-limited, so that a
 * flood of made-up sources costs little.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "switch.h"

/* Make an empty table of max entries. */
void
vxfdb_init(struct vxfdb *t, int max, int expire, int rate)
{
	int	i;

	memset(t, 0, sizeof(*t));
	t->vf_buckets = 16;
	while (t->vf_buckets < (unsigned int)max / 2 &&
	    t->vf_buckets < (1u << 16))
		t->vf_buckets <<= 1;
	t->vf_hash = xcalloc(t->vf_buckets, sizeof(*t->vf_hash));
	t->vf_pool = xcalloc((size_t)max, sizeof(*t->vf_pool));
	for (i = max - 1; i >= 0; i--) {
		t->vf_pool[i].ve_next = t->vf_free;
		t->vf_free = &t->vf_pool[i];
	}
	t->vf_max = max;
	t->vf_expire = expire;
	t->vf_rate = rate;
	t->vf_ratesec = -1;
}

void
vxfdb_free(struct vxfdb *t)
{
	free(t->vf_hash);
	free(t->vf_pool);
	t->vf_hash = NULL;
	t->vf_pool = NULL;
	t->vf_free = NULL;
	t->vf_count = 0;
}

static unsigned int
vxfdb_hash(const struct vxfdb *t, const unsigned char *mac, int vlan)
{
	uint32_t	h = 2166136261u;
	int		i;

	for (i = 0; i < ETHER_ADDR_LEN; i++)
		h = (h ^ mac[i]) * 16777619u;
	h = (h ^ (uint32_t)vlan) * 16777619u;
	h ^= h >> 15;
	return (h & (t->vf_buckets - 1));
}

/* The entry of (mac, vlan) and the link that points to it. */
static struct vxfdb_ent *
vxfdb_find(struct vxfdb *t, const unsigned char *mac, int vlan,
    struct vxfdb_ent ***linkp)
{
	struct vxfdb_ent	**l, *e;

	l = &t->vf_hash[vxfdb_hash(t, mac, vlan)];
	for (; (e = *l) != NULL; l = &e->ve_next)
		if (e->ve_vlan == vlan &&
		    memcmp(e->ve_mac, mac, ETHER_ADDR_LEN) == 0)
			break;
	if (linkp != NULL)
		*linkp = l;
	return (e);
}

static void
vxfdb_unlink(struct vxfdb *t, struct vxfdb_ent **l)
{
	struct vxfdb_ent	*e = *l;

	*l = e->ve_next;
	e->ve_next = t->vf_free;
	t->vf_free = e;
	t->vf_count--;
}

static int
vxfdb_expired(const struct vxfdb *t, const struct vxfdb_ent *e, time_t now)
{
	return (!e->ve_static && now - e->ve_seen >= t->vf_expire);
}

/* One more new or moved entry this second, or 0 when over the rate. */
static int
vxfdb_ratecheck(struct vxfdb *t, time_t now)
{
	if (t->vf_ratesec != now) {
		t->vf_ratesec = now;
		t->vf_ratecnt = 0;
	}
	if (t->vf_ratecnt >= t->vf_rate) {
		t->vf_limited++;
		return (0);
	}
	t->vf_ratecnt++;
	return (1);
}

static int
vxfdb_sameaddr(const struct vxfdb_ent *e, const struct sockaddr *sa,
    socklen_t len)
{
	return (e->ve_alen == len && memcmp(&e->ve_addr, sa, len) == 0);
}

/*
 * A frame from mac in vlan came from the VTEP sa: remember it (VXFDB_*
 * says what happened).
 */
int
vxfdb_learn(struct vxfdb *t, const unsigned char *mac, int vlan,
    const struct sockaddr *sa, socklen_t len, time_t now)
{
	struct vxfdb_ent	*e, **l;
	static const unsigned char zero[ETHER_ADDR_LEN];

	if ((mac[0] & 1) != 0 || memcmp(mac, zero, ETHER_ADDR_LEN) == 0 ||
	    len > sizeof(e->ve_addr))
		return (VXFDB_IGNORED);
	if ((e = vxfdb_find(t, mac, vlan, &l)) != NULL) {
		if (e->ve_static)
			return (VXFDB_STATIC);
		if (vxfdb_sameaddr(e, sa, len) && !vxfdb_expired(t, e, now)) {
			e->ve_seen = now;
			return (VXFDB_REFRESH);
		}
		if (!vxfdb_ratecheck(t, now))
			return (VXFDB_LIMITED);
		memcpy(&e->ve_addr, sa, len);
		e->ve_alen = len;
		e->ve_seen = now;
		return (VXFDB_MOVED);
	}
	if (t->vf_free == NULL) {
		vxfdb_gc(t, now);
		if (t->vf_free == NULL) {
			t->vf_full++;
			return (VXFDB_FULL);
		}
	}
	if (!vxfdb_ratecheck(t, now))
		return (VXFDB_LIMITED);
	l = &t->vf_hash[vxfdb_hash(t, mac, vlan)];
	e = t->vf_free;
	t->vf_free = e->ve_next;
	memcpy(e->ve_mac, mac, ETHER_ADDR_LEN);
	e->ve_vlan = (uint16_t)vlan;
	e->ve_static = 0;
	e->ve_seen = now;
	memcpy(&e->ve_addr, sa, len);
	e->ve_alen = len;
	e->ve_next = *l;
	*l = e;
	t->vf_count++;
	return (VXFDB_NEW);
}

/* Where frames to (mac, vlan) go, or NULL: flood them. */
const struct vxfdb_ent *
vxfdb_lookup(struct vxfdb *t, const unsigned char *mac, int vlan,
    time_t now)
{
	struct vxfdb_ent	*e;

	if ((e = vxfdb_find(t, mac, vlan, NULL)) == NULL ||
	    vxfdb_expired(t, e, now))
		return (NULL);
	return (e);
}

/* A static entry (made, or made static); ENOSPC when the table is full. */
int
vxfdb_add(struct vxfdb *t, const unsigned char *mac, int vlan,
    const struct sockaddr *sa, socklen_t len)
{
	struct vxfdb_ent	*e, **l;

	if (len > sizeof(e->ve_addr))
		return (EINVAL);
	if ((e = vxfdb_find(t, mac, vlan, &l)) == NULL) {
		if (t->vf_free == NULL)
			return (ENOSPC);
		e = t->vf_free;
		t->vf_free = e->ve_next;
		memcpy(e->ve_mac, mac, ETHER_ADDR_LEN);
		e->ve_vlan = (uint16_t)vlan;
		e->ve_next = *l;
		*l = e;
		t->vf_count++;
	}
	e->ve_static = 1;
	e->ve_seen = 0;
	memcpy(&e->ve_addr, sa, len);
	e->ve_alen = len;
	return (0);
}

int
vxfdb_del(struct vxfdb *t, const unsigned char *mac, int vlan)
{
	struct vxfdb_ent	**l;

	if (vxfdb_find(t, mac, vlan, &l) == NULL)
		return (ENOENT);
	vxfdb_unlink(t, l);
	return (0);
}

/* Drop the entries that have expired. */
void
vxfdb_gc(struct vxfdb *t, time_t now)
{
	struct vxfdb_ent	**l;
	unsigned int		 b;

	for (b = 0; b < t->vf_buckets; b++)
		for (l = &t->vf_hash[b]; *l != NULL;) {
			if (vxfdb_expired(t, *l, now))
				vxfdb_unlink(t, l);
			else
				l = &(*l)->ve_next;
		}
}

void
vxfdb_foreach(struct vxfdb *t, void (*fn)(const struct vxfdb_ent *, void *),
    void *arg)
{
	struct vxfdb_ent	*e;
	unsigned int		 b;

	for (b = 0; b < t->vf_buckets; b++)
		for (e = t->vf_hash[b]; e != NULL; e = e->ve_next)
			fn(e, arg);
}
