/*
 * fdb.c: the MAC learning table (spec section 7), keyed by (MAC, VLAN).
 *
 * A chained hash over a pool of entries allocated once: learning on the
 * per-frame path never allocates, and the table never grows past its cap
 * whatever a peer sends.  Time is passed in by the caller (whole seconds
 * on a monotonic clock), which keeps this file free of the loop and easy
 * to test.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"
#include "switch.h"

#define FDB_DEF_BUCKETS	128
#define FDB_DEF_MAX	16384
#define FDB_MAX_BUCKETS	(1 << 20)
#define FDB_MAX_MAX	(1 << 22)

static struct fdb_entry	**fdb_hash;	/* fdb_nb chains */
static int		 fdb_nb;	/* chains: fp_buckets, or more */
static time_t		 fdb_fullgc = -1; /* last sweep for a full table */
static struct fdb_entry	*fdb_pool;	/* fp_max entries */
static struct fdb_entry	*fdb_freel;	/* entries freed after use */
static int		 fdb_fresh;	/* pool entries never used yet */
static int		 fdb_used;
static uint32_t		 fdb_seed;
static struct fdb_param	 fdb_p = {
	FDB_DEF_BUCKETS, FDB_DEF_MAX, 2, 100, 3
};

/* Round n up to a power of 2 (n >= 1). */
static int
fdb_pow2(int n)
{
	int	p = 1;

	while (p < n && p < FDB_MAX_BUCKETS)
		p <<= 1;
	return (p);
}

static void
fdb_alloc(void)
{
	/*
	 * At least one chain per 4 entries of the cap, so that chains stay
	 * short even when the table is full; the configured size is a floor.
	 */
	fdb_nb = fdb_pow2(fdb_p.fp_max / 4);
	if (fdb_nb < fdb_p.fp_buckets)
		fdb_nb = fdb_p.fp_buckets;
	fdb_hash = xcalloc((size_t)fdb_nb, sizeof(*fdb_hash));
	/* Pages of the pool are touched only as entries are first used. */
	fdb_pool = xcalloc((size_t)fdb_p.fp_max, sizeof(*fdb_pool));
	fdb_freel = NULL;
	fdb_fresh = 0;
	fdb_used = 0;
}

/*
 * Create the table with buckets chains (rounded up to a power of 2) and at
 * most max entries; 0 keeps the default of either.
 */
void
fdb_init(int buckets, int max)
{
	if (buckets > 0)
		fdb_p.fp_buckets = fdb_pow2(buckets);
	if (max > 0)
		fdb_p.fp_max = max > FDB_MAX_MAX ? FDB_MAX_MAX : max;
	/* Not a secret; it only spreads a peer's chosen addresses. */
	fdb_seed = (uint32_t)time(NULL) * 2654435761U ^ (uint32_t)getpid();
	fdb_free();
	fdb_alloc();
}

/* Release the table (at exit, and before a resize). */
void
fdb_free(void)
{
	free(fdb_hash);
	free(fdb_pool);
	fdb_hash = NULL;
	fdb_pool = NULL;
	fdb_freel = NULL;
	fdb_fresh = 0;
	fdb_used = 0;
}

static uint32_t
fdb_hashkey(const unsigned char *mac, int vid)
{
	uint32_t	h = fdb_seed ^ (uint32_t)vid;
	int		i;

	/* FNV-1a over the address, seeded. */
	for (i = 0; i < ETHER_ADDR_LEN; i++) {
		h ^= mac[i];
		h *= 16777619U;
	}
	h ^= h >> 15;
	return (h & (uint32_t)(fdb_nb - 1));
}

/* The bucket of (mac, vid): shown by the console's hash/print. */
int
fdb_bucket(const unsigned char *mac, int vid)
{
	return ((int)fdb_hashkey(mac, vid));
}

/* The entry for (mac, vid), or NULL; expiry is not considered. */
struct fdb_entry *
fdb_find(const unsigned char *mac, int vid)
{
	struct fdb_entry	*e;

	if (fdb_hash == NULL)
		return (NULL);
	for (e = fdb_hash[fdb_hashkey(mac, vid)]; e != NULL; e = e->fe_next)
		if (e->fe_vlan == vid &&
		    memcmp(e->fe_mac, mac, ETHER_ADDR_LEN) == 0)
			return (e);
	return (NULL);
}

static void
fdb_unlink(struct fdb_entry **ep)
{
	struct fdb_entry	*e = *ep;

	*ep = e->fe_next;
	e->fe_next = fdb_freel;
	fdb_freel = e;
	fdb_used--;
}

/*
 * More than sec seconds from then to now.  The difference is taken in 64
 * bits: then + sec could overflow a 32-bit time_t.
 */
static int
fdb_older(time_t then, time_t now, int sec)
{
	return ((int64_t)now - (int64_t)then > (int64_t)sec);
}

/* The entry was not refreshed within the expiry time before now. */
int
fdb_expired(const struct fdb_entry *e, time_t now)
{
	return (fdb_older(e->fe_seen, now, fdb_p.fp_expire));
}

/*
 * Learn that mac was seen on port in VLAN vid at time now.  Multicast,
 * broadcast and all-zero sources are never learned.  A known address
 * moves to a new port only when it has been silent on the old one for
 * more than the minimum persistence; the "moved" message is rate-limited
 * per entry.
 */
int
fdb_learn(const unsigned char *mac, int vid, int port, time_t now)
{
	static const unsigned char	zero[ETHER_ADDR_LEN];
	struct fdb_entry		*e;
	uint32_t			 h;

	if ((mac[0] & 1) != 0 || memcmp(mac, zero, ETHER_ADDR_LEN) == 0 ||
	    fdb_hash == NULL)
		return (FDB_IGNORED);
	h = fdb_hashkey(mac, vid);
	for (e = fdb_hash[h]; e != NULL; e = e->fe_next)
		if (e->fe_vlan == vid &&
		    memcmp(e->fe_mac, mac, ETHER_ADDR_LEN) == 0)
			break;
	if (e != NULL) {
		if (e->fe_port == port) {
			e->fe_seen = now;
			return (FDB_REFRESH);
		}
		if (fdb_older(e->fe_seen, now, fdb_p.fp_minper) ||
		    fdb_expired(e, now)) {
			log_info("MAC %02x:%02x:%02x:%02x:%02x:%02x moved "
			    "from port %d to port %d", mac[0], mac[1], mac[2],
			    mac[3], mac[4], mac[5], e->fe_port, port);
			e->fe_port = port;
			e->fe_seen = now;
			e->fe_logged = now;
			return (FDB_MOVED);
		}
		if (fdb_older(e->fe_logged, now, fdb_p.fp_minper)) {
			log_info("MAC %02x:%02x:%02x:%02x:%02x:%02x seen on "
			    "port %d, kept on port %d", mac[0], mac[1],
			    mac[2], mac[3], mac[4], mac[5], port, e->fe_port);
			e->fe_logged = now;
		}
		return (FDB_KEPT);
	}
	if (fdb_freel == NULL && fdb_fresh == fdb_p.fp_max) {
		/* A full sweep at most once a second, not once a frame. */
		if (now != fdb_fullgc) {
			fdb_fullgc = now;
			fdb_gc(now);
		}
		if (fdb_freel == NULL)
			return (FDB_FULL);
	}
	if (fdb_freel != NULL) {
		e = fdb_freel;
		fdb_freel = e->fe_next;
	} else
		e = &fdb_pool[fdb_fresh++];
	memcpy(e->fe_mac, mac, ETHER_ADDR_LEN);
	e->fe_vlan = (uint16_t)vid;
	e->fe_port = port;
	e->fe_seen = now;
	e->fe_logged = now - fdb_p.fp_minper - 1;
	e->fe_next = fdb_hash[h];
	fdb_hash[h] = e;
	fdb_used++;
	return (FDB_NEW);
}

/* The port mac lives on in VLAN vid, or PORT_NONE (flood). */
int
fdb_lookup(const unsigned char *mac, int vid, time_t now)
{
	struct fdb_entry	*e;

	if ((mac[0] & 1) != 0)
		return (PORT_NONE);
	if ((e = fdb_find(mac, vid)) == NULL || fdb_expired(e, now))
		return (PORT_NONE);
	return (e->fe_port);
}

/* Remove every entry for which match(e, a, b) holds. */
static void
fdb_sweep(int (*match)(const struct fdb_entry *, long, long), long a,
    long b)
{
	struct fdb_entry	**ep;
	int			  i;

	if (fdb_hash == NULL)
		return;
	for (i = 0; i < fdb_nb; i++) {
		ep = &fdb_hash[i];
		while (*ep != NULL) {
			if (match(*ep, a, b))
				fdb_unlink(ep);
			else
				ep = &(*ep)->fe_next;
		}
	}
}

static int
fdb_m_port(const struct fdb_entry *e, long port, long unused)
{
	return (e->fe_port == port);
}

static int
fdb_m_vlan(const struct fdb_entry *e, long vid, long unused)
{
	return (e->fe_vlan == vid);
}

static int
fdb_m_portvlan(const struct fdb_entry *e, long port, long vid)
{
	return (e->fe_port == port && e->fe_vlan == vid);
}

static int
fdb_m_all(const struct fdb_entry *e, long unused1, long unused2)
{
	return (1);
}

static int
fdb_m_old(const struct fdb_entry *e, long now, long unused)
{
	return (fdb_expired(e, (time_t)now));
}

/* Forget everything learned on port (it went down). */
void
fdb_flush_port(int port)
{
	fdb_sweep(fdb_m_port, port, 0);
}

/* Forget everything learned in VLAN vid (topology change). */
void
fdb_flush_vlan(int vid)
{
	fdb_sweep(fdb_m_vlan, vid, 0);
}

/* Forget what port learned in VLAN vid. */
void
fdb_flush_port_vlan(int port, int vid)
{
	fdb_sweep(fdb_m_portvlan, port, vid);
}

/* Forget everything. */
void
fdb_flush_all(void)
{
	fdb_sweep(fdb_m_all, 0, 0);
}

/* Drop the entries that expired by now. */
void
fdb_gc(time_t now)
{
	fdb_sweep(fdb_m_old, (long)now, 0);
}

/* Entries in use. */
int
fdb_count(void)
{
	return (fdb_used);
}

/* Call fn for every entry (expired ones too, until the next sweep). */
void
fdb_foreach(void (*fn)(const struct fdb_entry *, void *), void *arg)
{
	struct fdb_entry	*e;
	int			 i;

	if (fdb_hash == NULL)
		return;
	for (i = 0; i < fdb_nb; i++)
		for (e = fdb_hash[i]; e != NULL; e = e->fe_next)
			fn(e, arg);
}

void
fdb_getparam(struct fdb_param *p)
{
	*p = fdb_p;
}

/* New number of buckets (rounded up to a power of 2); flushes. */
int
fdb_setsize(int buckets)
{
	if (buckets < 1 || buckets > FDB_MAX_BUCKETS)
		return (EINVAL);
	fdb_free();
	fdb_p.fp_buckets = fdb_pow2(buckets);
	fdb_alloc();
	return (0);
}

/* New entry cap; flushes. */
int
fdb_setmax(int max)
{
	if (max < 1 || max > FDB_MAX_MAX)
		return (EINVAL);
	fdb_free();
	fdb_p.fp_max = max;
	fdb_alloc();
	return (0);
}

int
fdb_setgcint(int sec)
{
	if (sec < 1)
		return (EINVAL);
	fdb_p.fp_gcint = sec;
	return (0);
}

int
fdb_setexpire(int sec)
{
	if (sec < 1)
		return (EINVAL);
	fdb_p.fp_expire = sec;
	return (0);
}

int
fdb_setminper(int sec)
{
	if (sec < 0)
		return (EINVAL);
	fdb_p.fp_minper = sec;
	return (0);
}
