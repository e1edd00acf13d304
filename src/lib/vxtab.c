/*
 * vxtab.c: where the stations of a vxvde or vxlan network were last heard
 * from.  A fixed table of vt_size slots, indexed by a hash of the MAC
 * address: a station that hashes to a taken slot replaces its holder, so
 * whatever remote peers send, the table never grows beyond what
 * vxtab_init allocated, and the per-frame calls do not allocate.  Entries
 * older than vt_expire seconds are not used.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib.h"

static unsigned int	vxtab_hash(const struct vxtab *, const unsigned char *);

/* Allocate size empty slots.  -1 (ENOMEM) on failure. */
int
vxtab_init(struct vxtab *t, unsigned int size, unsigned int expire)
{
	t->vt_size = size;
	t->vt_expire = expire;
	t->vt_ent = calloc(size, sizeof(*t->vt_ent));
	return (t->vt_ent == NULL ? -1 : 0);
}

void
vxtab_free(struct vxtab *t)
{
	free(t->vt_ent);
	t->vt_ent = NULL;
}

/* The seconds of the monotonic clock; never 0, which marks a free slot. */
time_t
vxtab_now(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return (1);
	return (ts.tv_sec + 1);
}

/* FNV-1a over the 6 bytes of the address. */
static unsigned int
vxtab_hash(const struct vxtab *t, const unsigned char *mac)
{
	uint32_t	h = 2166136261U;
	int		i;

	for (i = 0; i < 6; i++) {
		h ^= mac[i];
		h *= 16777619U;
	}
	return (h % t->vt_size);
}

/* Record that mac was heard from sa (of length len) at now. */
void
vxtab_learn(struct vxtab *t, const unsigned char *mac,
    const struct sockaddr *sa, socklen_t len, time_t now)
{
	struct vxtab_ent	*e = &t->vt_ent[vxtab_hash(t, mac)];

	if (len > sizeof(e->ve_addr))
		return;
	if (e->ve_seen == 0 || memcmp(e->ve_mac, mac, 6) != 0 ||
	    e->ve_len != len || memcmp(&e->ve_addr, sa, len) != 0) {
		memcpy(e->ve_mac, mac, 6);
		memset(&e->ve_addr, 0, sizeof(e->ve_addr));
		memcpy(&e->ve_addr, sa, len);
		e->ve_len = len;
	}
	e->ve_seen = now;
}

/* Where mac was heard from, if it was in the last vt_expire seconds. */
const struct vxtab_ent *
vxtab_lookup(const struct vxtab *t, const unsigned char *mac, time_t now)
{
	const struct vxtab_ent	*e = &t->vt_ent[vxtab_hash(t, mac)];

	if (e->ve_seen == 0 || memcmp(e->ve_mac, mac, 6) != 0 ||
	    now - e->ve_seen > (time_t)t->vt_expire)
		return (NULL);
	return (e);
}
