/*
 * ring.h: the shared-memory rings between libvdeplug and the switch
 * (issue 18).  One memory object per client holds two single-producer
 * single-consumer rings of fixed frame slots: RING_TOSW (the client
 * produces, the switch consumes) and RING_TOCL (the other way).
 *
 * Each ring has a control block of three 32-bit words, each on its own
 * cache line: the producer's index, the consumer's index (both free
 * running, the slot is the index modulo the slot count) and the
 * consumer's "sleeping" flag.  A consumer that finds its ring empty sets
 * the flag, then looks once more; a producer that has published a frame
 * looks at the flag and, when it is set, clears it and wakes the consumer
 * through a descriptor.  A steady stream therefore needs no system call.
 *
 * Each side keeps its own index privately and only publishes it: nothing
 * read from the memory is used twice, and what the peer writes (its index,
 * a slot's length) is checked against the slot count and RING_DATAMAX
 * before use.  ring_get() and ring_put() report a peer that broke the
 * rules as RING_CORRUPT.
 */
#ifndef RING_H
#define RING_H

#include <sys/types.h>
#include <sys/un.h>

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define RING_TOSW		0	/* client -> switch */
#define RING_TOCL		1	/* switch -> client */

#define RING_DATAMAX		VDE_FRAMEBUF	/* 9238: a frame and a tag */
#define RING_SLOTHDR		8	/* the length word and padding */
#define RING_SLOTSIZE		9280	/* RING_SLOTHDR + RING_DATAMAX, 64-aligned */
#define RING_CTLSIZE		256	/* one ring's control block */
#define RING_HDRSIZE		4096	/* both control blocks, a page */
#define RING_DEFSLOTS		256	/* slots per ring */
#define RING_MAXSLOTS		1024

/* ring_get() and ring_put() results besides a length or 0. */
#define RING_EMPTY		0
#define RING_FULL		1
#define RING_CORRUPT		(-1)

/*
 * The offer and the acceptance travel in the handshake's two socket
 * addresses, in the last RING_MARKLEN bytes of sun_path, after the NUL
 * that ends the path: the original switch and clients never look there.
 */
#define RING_MARK		"vdeRing1"
#define RING_MARKLEN		8
#define RING_MARKOFF		(sizeof(((struct sockaddr_un *)0)->sun_path) - \
				    RING_MARKLEN)

/*
 * The message that follows an acceptance on the control connection, with
 * three descriptors (SCM_RIGHTS): the memory object, the client's wake-up
 * socket and a second descriptor of the switch's end (for the client to
 * make its own wake-up socket readable; see libvdeplug's ringc.c).
 */
#define RING_MSGMAGIC		0x76524e47u	/* "vRNG" */
#define RING_MSGVERSION		1
#define RING_NFDS		3
struct ring_msg {
	uint32_t	rm_magic;
	uint32_t	rm_version;
	uint32_t	rm_nslots;	/* per ring */
	uint32_t	rm_slotsize;	/* RING_SLOTSIZE */
	uint64_t	rm_size;	/* of the memory object */
};

/* One side's view of one ring. */
struct ring {
	uint32_t	*r_prod;	/* in the shared memory */
	uint32_t	*r_cons;
	uint32_t	*r_sleep;
	unsigned char	*r_slots;
	uint32_t	 r_n;		/* slot count (ours, never re-read) */
	uint32_t	 r_head;	/* our own index, kept here */
};

size_t	 ring_size(uint32_t nslots);
void	 ring_init(struct ring *, void *base, int which, uint32_t nslots);
int	 ring_put(struct ring *, const void *frame, size_t len);
int	 ring_wake(struct ring *);
ssize_t	 ring_get(struct ring *, void *buf, size_t buflen);
int	 ring_sleep(struct ring *);
void	 ring_awake(struct ring *);
int	 ring_more(struct ring *);

#endif /* RING_H */
