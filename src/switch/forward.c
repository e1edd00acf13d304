/*
 * forward.c: the data plane (spec sections 2, 4 and 7).
 *
 * Frames arrive from an endpoint's data socket in batches (one wake-up
 * drains up to FWD_BATCH datagrams), are checked, padded, classified into
 * a VLAN, learned and sent on: to the one port the MAC table knows, or
 * flooded to every other active port of the VLAN.  Nothing here allocates
 * and nothing blocks.
 *
 * VLAN: vlan.c classifies every frame into a VLAN (0 for all of them
 * while no VLAN is configured), gives each destination its tagged or
 * untagged form and names the ports a flood reaches.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "os/os.h"
#include "switch.h"

#define FWD_BATCH	64
#define FWD_ROUNDS	16	/* batches per wake-up, at most */
#define FWD_MAXWAKE	256	/* frames per wake-up, about */

/* Each frame sits after FWD_HEADROOM bytes, so a tag fits in front. */
static unsigned char	 fwd_buf[FWD_BATCH][FWD_HEADROOM + VDE_FRAMEBUF];
static struct os_frame	 fwd_frames[FWD_BATCH];
static int		 fwd_used = FWD_BATCH;	/* entries to reset */
static int		 fwd_hub;
static struct timer	 fwd_gctimer;

static void
forward_gc(void *arg)
{
	struct fdb_param	fp;

	fdb_getparam(&fp);
	fdb_gc(loop_sec());
	timer_add(&fwd_gctimer, (uint64_t)fp.fp_gcint * 1000);
}

/* Start the MAC table's garbage collection; hub mode from -x. */
void
forward_init(void)
{
	struct fdb_param	fp;

	fwd_hub = sw_conf.c_hub;
	fdb_getparam(&fp);
	timer_set(&fwd_gctimer, forward_gc, NULL);
	timer_add(&fwd_gctimer, (uint64_t)fp.fp_gcint * 1000);
}

/* Hub mode on or off at run time; the MAC table starts afresh. */
void
forward_sethub(int on)
{
	fwd_hub = on != 0;
	fdb_flush_all();
}

int
forward_gethub(void)
{
	return (fwd_hub);
}

/* What vlan_flood() hands back to forward_flood_one(). */
struct fwd_flood {
	const struct vlan_frame	*ff_vf;
	const struct sendctx	*ff_sc;
};

/* vlan_flood() callback: one port of the frame's VLAN, if forwarding. */
static void
forward_flood_one(int n, const unsigned char *frame, size_t len, void *arg)
{
	const struct fwd_flood	*ff = arg;
	struct port		*p = port_get(n);

	if (p != NULL && p->p_neps > 0 && fstp_forwarding(p, ff->ff_vf->vf_vid))
		port_send(p, frame, len, ff->ff_sc);
}

/* Hub mode: everything to every other active port except port 0. */
static void
forward_hub(struct port *in, unsigned char *frame, size_t len,
    const struct sendctx *sc)
{
	struct port	*p;
	int		 i, n = port_count_active();

	for (i = 0; i < n; i++) {
		p = port_active(i);
		if (p != in && p->p_num != 0)
			port_send(p, frame, len, sc);
	}
}

/*
 * One frame from port in.  frame has FWD_HEADROOM writable bytes before
 * it and room for VDE_FRAMEBUF bytes from its start, so it may be padded
 * and tagged in place.  off describes a frame from a tap with offloads
 * (NULL otherwise).  batch, when not NULL, is where the sends of this
 * frame are staged: the caller keeps the frame unchanged until it ends
 * the batch.  Both apply to the sends of this frame only, not to what
 * the hooks send meanwhile.
 */
void
forward_frame(struct port *in, unsigned char *frame, size_t len,
    const struct os_offload *off, struct portq_batch *batch)
{
	struct vlan_frame	 vf;
	struct fwd_flood	 ff;
	struct sendctx		 sc;
	struct port		*out;
	int			 vid, dst;

	if (len < VDE_ETHHDRLEN) {
		in->p_drop_in++;
		return;
	}
	in->p_in_frames++;
	in->p_in_bytes += len;
	if (len < VDE_ETHMIN) {
		memset(frame + len, 0, VDE_ETHMIN - len);
		len = VDE_ETHMIN;
	}
	/* Offloads that ask for nothing make a plain frame. */
	sc.sc_batch = batch;
	sc.sc_off = off != NULL && (off->oo_gso != OS_GSO_NONE ||
	    off->oo_flags != 0) ? off : NULL;
	sc.sc_offlen = len;
	if (in->p_watch != 0) {
		/* Capture and mirror see the frame as it entered. */
		if (in->p_watch & PORT_W_CAPIN)
			capture_frame(in->p_cap, frame, len, PORT_W_CAPIN);
		if (in->p_watch & PORT_W_MIRIN)
			mirror_frame(in, frame, len, &sc, PORT_W_MIRIN);
		/* A mirror destination takes no normal traffic. */
		if (in->p_watch & PORT_W_MIRDST) {
			in->p_drop_in++;
			return;
		}
	}
	if (fwd_hub) {
		forward_hub(in, frame, len, &sc);
		return;
	}
	/* Spanning tree (fstp.c) takes BPDUs while it runs. */
	if (fstp_input(in, frame, len))
		return;
	/* 802.1Q ingress (vlan.c); from here on the frame is vf's. */
	if (vlan_ingress(in->p_num, frame, len, FWD_HEADROOM, &vf) == -1)
		return;
	vid = vf.vf_vid;
	/* A mirrored VLAN: the frame as it entered (vlan_ingress kept it). */
	if (mirror_nvlans != 0)
		mirror_vlan(vid, frame, len, &sc);
	if (fstp_learning(in, vid))
		fdb_learn(frame + ETHER_ADDR_LEN, vid, in->p_num, loop_sec());
	if (!fstp_forwarding(in, vid))
		return;
	if ((frame[0] & 1) != 0 ||
	    (dst = fdb_lookup(frame, vid, loop_sec())) == PORT_NONE) {
		ff.ff_vf = &vf;
		ff.ff_sc = &sc;
		vlan_flood(&vf, in->p_num, forward_flood_one, &ff);
	}
	/* Never back where it came from: two cables of a port stay apart. */
	else if (dst != in->p_num && (out = port_get(dst)) != NULL &&
	    out->p_neps > 0 && fstp_forwarding(out, vid) && vlan_egress(&vf, dst))
		port_send(out, vf.vf_data, vf.vf_len, &sc);
}

/*
 * loop callback for a data socket: send what waits for it (POLLOUT), then
 * drain datagrams in batches of FWD_BATCH and forward them, for a bounded
 * number of rounds so that one busy cable cannot starve the others.
 * Truncated datagrams (larger than any frame) and runts are dropped and
 * counted.  A hang-up with nothing to read ends the endpoint.
 *
 * While nothing rewrites frames per egress port (no VLAN configured), the
 * sends of a batch are staged and go out as one batch per cable.
 */
void
forward_input(int fd, int revents, void *arg)
{
	struct endpoint		*ep = arg;
	struct port		*in = ep->ep_port;
	struct portq_batch	 batch = { NULL }, *bp;
	int			 i, n, round, total = 0;

	if ((revents & POLLOUT) != 0)
		portq_flush(ep);
	if ((revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) == 0)
		return;
	for (round = 0; round < FWD_ROUNDS && total < FWD_MAXWAKE; round++) {
		/* Only the entries the last batch used need a reset. */
		for (i = 0; i < fwd_used; i++) {
			fwd_frames[i].of_buf = fwd_buf[i] + FWD_HEADROOM;
			fwd_frames[i].of_len = VDE_ETHBUFSIZE;
			fwd_frames[i].of_trunc = 0;
		}
		n = os_recv_batch(fd, fwd_frames, FWD_BATCH);
		fwd_used = n > 0 ? n : 0;
		if (n == -1) {
			/* A pending error (ECONNREFUSED) clears on read. */
			log_debug("port %d: data socket: %s", in->p_num,
			    strerror(errno));
			return;
		}
		if (n == 0) {
			if (round == 0 &&
			    (revents & (POLLHUP | POLLNVAL)) != 0) {
				log_warnx("port %d: data socket hung up",
				    in->p_num);
				port_detach(ep);
			}
			return;
		}
		total += n;
		bp = vlan_aware() ? NULL : &batch;
		for (i = 0; i < n; i++) {
			if (fwd_frames[i].of_trunc) {
				in->p_drop_in++;
				continue;
			}
			if (fwd_frames[i].of_len == 0)
				continue;	/* vde-2's "close" datagram */
			forward_frame(in, fwd_buf[i] + FWD_HEADROOM,
			    fwd_frames[i].of_len, NULL, bp);
		}
		portq_batch_end(bp);
	}
}
