/*
 * vtag.c: the 802.1Q tag codec.  Pure byte manipulation on Ethernet
 * frames, with no state, sockets or event loop, so it can be unit-tested
 * and fuzzed on its own.
 *
 * A tagged frame carries the TPID 0x8100 at offset 12 (where an untagged
 * frame has its EtherType), followed by the 16-bit TCI: PCP (3 bits),
 * DEI (1 bit), VID (12 bits).  Only TPID 0x8100 counts; an 802.1ad outer
 * tag (0x88a8) is an ordinary EtherType here.
 *
 * Tags are removed and inserted in place by moving only the 12 address
 * bytes: stripping slides them 4 bytes forward, pushing slides them 4
 * bytes back into headroom the caller owns.  The payload never moves.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "switch.h"

/* Read the tag of a frame, if any. */
int
vtag_parse(const unsigned char *f, size_t len, struct vtag *t)
{
	uint16_t	tci;

	memset(t, 0, sizeof(*t));
	if (len < VDE_ETHHDRLEN)
		return (VTAG_SHORT);
	if (f[VTAG_OFF] != 0x81 || f[VTAG_OFF + 1] != 0x00)
		return (VTAG_NONE);
	/* A TPID without room for the TCI and an inner EtherType. */
	if (len < VDE_ETHHDRLEN + VTAG_LEN)
		return (VTAG_SHORT);
	tci = (uint16_t)(f[VTAG_OFF + 2] << 8 | f[VTAG_OFF + 3]);
	t->vt_tci = tci;
	t->vt_vid = VTAG_VID(tci);
	t->vt_pcp = VTAG_PCP(tci);
	t->vt_dei = VTAG_DEI(tci);
	return (VTAG_TAGGED);
}

/* Overwrite the TCI of a frame known to be tagged. */
void
vtag_set_tci(unsigned char *f, uint16_t tci)
{
	f[VTAG_OFF + 2] = (unsigned char)(tci >> 8);
	f[VTAG_OFF + 3] = (unsigned char)tci;
}

/*
 * Remove the tag of a frame known to be tagged: the addresses move 4
 * bytes forward, and the frame now starts 4 bytes later.
 */
void
vtag_strip(unsigned char **fp, size_t *lenp)
{
	unsigned char	*f = *fp;

	memmove(f + VTAG_LEN, f, VTAG_OFF);
	*fp = f + VTAG_LEN;
	*lenp -= VTAG_LEN;
}

/*
 * Insert a tag into an untagged frame using the 4 bytes of headroom that
 * must exist before *fp: the addresses move 4 bytes back, the TPID and TCI
 * fill the gap.
 */
void
vtag_push(unsigned char **fp, size_t *lenp, uint16_t tci)
{
	unsigned char	*f = *fp - VTAG_LEN;

	memmove(f, f + VTAG_LEN, VTAG_OFF);
	f[VTAG_OFF] = 0x81;
	f[VTAG_OFF + 1] = 0x00;
	vtag_set_tci(f, tci);
	*fp = f;
	*lenp += VTAG_LEN;
}
