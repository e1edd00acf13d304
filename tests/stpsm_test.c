/*
 * stpsm_test: the spanning tree state machines of vde_switch (stp.c),
 * driven without sockets: BPDUs are fed with stp_input(), time advances
 * with stp_tick(), and what the bridge sends or flushes is captured by the
 * fake struct stp_ops below.
 */
#include "config.h"

#include <atf-c.h>
#include <string.h>

#include "switch.h"

#define NPORTS	8

static const uint8_t	mymac[6] = { 0x00, 0xff, 0x00, 0x00, 0x00, 0x10 };
#define ME	0x800000ff00000010ULL
#define BETTER	0x100000aa00000001ULL	/* wins the election */
#define BETTER2	0x100000aa00000002ULL
#define WORSE	0x9000002200000001ULL	/* one that loses it */

static struct {
	int		sent[NPORTS];
	struct bpdu	last[NPORTS];
	uint8_t		lastframe[NPORTS][BPDU_FRAMELEN];
	int		flushed[NPORTS];
} cap;

/* The loop's timers are not needed: the tests call stp_tick(). */
void
timer_set(struct timer *t, void (*fn)(void *), void *arg)
{
}

void
timer_add(struct timer *t, uint64_t msec)
{
}

void
timer_del(struct timer *t)
{
}

static void
fake_send(int port, const uint8_t *frame, size_t len)
{
	struct bpdu	b;

	ATF_REQUIRE(port >= 0);
	ATF_REQUIRE_EQ(len, BPDU_FRAMELEN);
	ATF_REQUIRE_EQ(bpdu_decode(frame, len, &b), 0);
	if (port >= NPORTS)
		return;
	cap.last[port] = b;
	memcpy(cap.lastframe[port], frame, len);
	cap.sent[port]++;
}

static void
fake_flush(int port)
{
	ATF_REQUIRE(port >= 0);
	if (port < NPORTS)
		cap.flushed[port]++;
}

static const struct stp_ops	ops = { fake_send, fake_flush, NULL, NULL };

static void
start(int nports)
{
	int	i;

	memset(&cap, 0, sizeof(cap));
	stp_init(mymac, 32768, &ops);
	stp_enable(1);
	for (i = 1; i <= nports; i++)
		stp_port_up(i);
}

static void
ticks(int n)
{
	while (n-- > 0)
		stp_tick();
}

/* Feed port an RST BPDU from bridge, sent by its port sport. */
static void
feed_rst(int port, uint64_t root, uint32_t cost, uint64_t bridge,
    uint16_t sport, int flags)
{
	struct bpdu	b;
	uint8_t		f[BPDU_FRAMELEN];
	uint8_t		mac[6] = { 0x02, 0, 0, 0, 0, (uint8_t)bridge };

	memset(&b, 0, sizeof(b));
	b.b_type = BPDU_TYPE_RST;
	b.b_flags = flags;
	b.b_root = root;
	b.b_cost = cost;
	b.b_bridge = bridge;
	b.b_port = sport;
	b.b_maxage = 20 * 256;
	b.b_hello = 2 * 256;
	b.b_fwddelay = 15 * 256;
	ATF_REQUIRE(bpdu_encode(f, sizeof(f), mac, &b) > 0);
	stp_input(port, f, sizeof(f));
}

static void
feed_config(int port, uint64_t root, uint32_t cost, uint64_t bridge,
    uint16_t sport, int flags)
{
	struct bpdu	b;
	uint8_t		f[BPDU_FRAMELEN];
	uint8_t		mac[6] = { 0x02, 0, 0, 0, 0, (uint8_t)bridge };

	memset(&b, 0, sizeof(b));
	b.b_type = BPDU_TYPE_CONFIG;
	b.b_flags = flags;
	b.b_root = root;
	b.b_cost = cost;
	b.b_bridge = bridge;
	b.b_port = sport;
	b.b_maxage = 20 * 256;
	b.b_hello = 2 * 256;
	b.b_fwddelay = 15 * 256;
	ATF_REQUIRE(bpdu_encode(f, sizeof(f), mac, &b) > 0);
	stp_input(port, f, sizeof(f));
}

#define DESIG	(BPDU_ROLE_DESIGNATED << BPDU_F_ROLE_SHIFT)
#define ROOTR	(BPDU_ROLE_ROOT << BPDU_F_ROLE_SHIFT)

static int
role(int port)
{
	struct stp_port_info	pi;

	ATF_REQUIRE_EQ(stp_port_info(port, &pi), 0);
	return (pi.pi_role);
}

static int
sent_role(int port)
{
	return ((cap.last[port].b_flags & BPDU_F_ROLE_MASK) >>
	    BPDU_F_ROLE_SHIFT);
}

ATF_TC_WITHOUT_HEAD(off_forwards_everything);
ATF_TC_BODY(off_forwards_everything, tc)
{
	memset(&cap, 0, sizeof(cap));
	stp_init(mymac, 32768, &ops);
	stp_port_up(1);
	ATF_CHECK(stp_forwarding(1));
	ATF_CHECK(stp_learning(1));
	ATF_CHECK(stp_forwarding(100));
	ticks(5);
	ATF_CHECK_EQ(cap.sent[1], 0);
	/* Turned on, the same port starts from discarding. */
	stp_enable(1);
	ATF_CHECK(!stp_forwarding(1));
	ATF_CHECK(!stp_forwarding(100));
}

ATF_TC_WITHOUT_HEAD(lone_port_becomes_edge);
ATF_TC_BODY(lone_port_becomes_edge, tc)
{
	struct stp_port_info	pi;
	struct stp_info		si;
	int			t;

	start(1);
	/* It proposes at once, as the designated port of the root. */
	ATF_REQUIRE(cap.sent[1] >= 1);
	ATF_CHECK_EQ(cap.last[1].b_type, BPDU_TYPE_RST);
	ATF_CHECK(cap.last[1].b_flags & BPDU_F_PROPOSAL);
	ATF_CHECK_EQ(sent_role(1), BPDU_ROLE_DESIGNATED);
	ATF_CHECK(cap.last[1].b_root == ME);
	ATF_CHECK(cap.last[1].b_bridge == ME);
	ATF_CHECK_EQ(cap.last[1].b_port, 0x8001);
	ATF_CHECK_EQ(cap.last[1].b_hello, 2 * 256);
	ATF_CHECK(!stp_forwarding(1));
	for (t = 0; t < 10 && !stp_forwarding(1); t++)
		stp_tick();
	/* Nobody answered: an edge port after MigrateTime (3 s). */
	ATF_CHECK(t >= 2 && t <= 4);
	ATF_REQUIRE_EQ(stp_port_info(1, &pi), 0);
	ATF_CHECK(pi.pi_edge);
	ATF_CHECK_EQ(pi.pi_role, STP_ROLE_DESIGNATED);
	/* An edge port coming up is no topology change. */
	ATF_CHECK_EQ(cap.flushed[1], 0);
	stp_info(&si);
	ATF_CHECK(si.si_root == ME);
	ATF_CHECK_EQ(si.si_rootport, PORT_NONE);
	/* Hellos every 2 s. */
	t = cap.sent[1];
	ticks(10);
	ATF_CHECK(cap.sent[1] - t >= 4 && cap.sent[1] - t <= 6);
}

ATF_TC_WITHOUT_HEAD(proposal_gets_agreement);
ATF_TC_BODY(proposal_gets_agreement, tc)
{
	struct stp_info	si;

	start(2);
	feed_rst(1, BETTER, 0, BETTER, 0x8005, DESIG | BPDU_F_PROPOSAL);
	ATF_CHECK_EQ(role(1), STP_ROLE_ROOT);
	/* The new root port forwards at once and agrees. */
	ATF_CHECK(stp_forwarding(1));
	ATF_CHECK_EQ(sent_role(1), BPDU_ROLE_ROOT);
	ATF_CHECK(cap.last[1].b_flags & BPDU_F_AGREEMENT);
	ATF_CHECK(cap.last[1].b_root == BETTER);
	ATF_CHECK_EQ(cap.last[1].b_cost, STP_DEF_COST);
	/* The other port now proposes the new root's information. */
	ATF_CHECK_EQ(role(2), STP_ROLE_DESIGNATED);
	ATF_CHECK(cap.last[2].b_root == BETTER);
	ATF_CHECK_EQ(cap.last[2].b_cost, STP_DEF_COST);
	ATF_CHECK_EQ(cap.last[2].b_msgage, 256);
	stp_info(&si);
	ATF_CHECK(si.si_root == BETTER);
	ATF_CHECK(si.si_designated == BETTER);
	ATF_CHECK_EQ(si.si_rootport, 1);
	ATF_CHECK_EQ(si.si_cost, STP_DEF_COST);
}

ATF_TC_WITHOUT_HEAD(agreement_makes_designated_forward);
ATF_TC_BODY(agreement_makes_designated_forward, tc)
{
	start(1);
	ATF_CHECK(!stp_forwarding(1));
	/* A downstream bridge answers our proposal from its root port. */
	feed_rst(1, ME, STP_DEF_COST, WORSE, 0x8001, ROOTR | BPDU_F_AGREEMENT);
	ATF_CHECK_EQ(role(1), STP_ROLE_DESIGNATED);
	ATF_CHECK(stp_forwarding(1));
	/* Not an edge: it heard a BPDU. */
	ticks(5);
	ATF_CHECK(stp_forwarding(1));
}

ATF_TC_WITHOUT_HEAD(second_path_is_alternate);
ATF_TC_BODY(second_path_is_alternate, tc)
{
	int	i;

	start(3);
	feed_rst(1, BETTER, 0, BETTER, 0x8001, DESIG | BPDU_F_PROPOSAL);
	feed_rst(2, BETTER, 100, BETTER2, 0x8001, DESIG | BPDU_F_PROPOSAL);
	/* A downstream bridge on port 3 (not an edge port). */
	feed_rst(3, BETTER, 2 * STP_DEF_COST, WORSE, 0x8001,
	    ROOTR | BPDU_F_AGREEMENT);
	ATF_CHECK_EQ(role(1), STP_ROLE_ROOT);
	ATF_CHECK_EQ(role(2), STP_ROLE_ALTERNATE);
	ATF_CHECK_EQ(role(3), STP_ROLE_DESIGNATED);
	/* The alternate agrees (it is discarding) and stays blocked. */
	ATF_CHECK(cap.last[2].b_flags & BPDU_F_AGREEMENT);
	ATF_CHECK_EQ(sent_role(2), BPDU_ROLE_ALTBACKUP);
	for (i = 0; i < 30; i++) {
		if (i % 2 == 0) {
			feed_rst(1, BETTER, 0, BETTER, 0x8001, DESIG);
			feed_rst(2, BETTER, 100, BETTER2, 0x8001, DESIG);
		}
		stp_tick();
		ATF_CHECK(!stp_forwarding(2));
		ATF_CHECK(!stp_learning(2));
	}
	ATF_CHECK(stp_forwarding(1));
	ATF_CHECK(stp_forwarding(3));
	memset(cap.flushed, 0, sizeof(cap.flushed));

	/* The root port's cable is cut: the alternate takes over at once. */
	stp_port_down(1);
	ATF_CHECK_EQ(role(2), STP_ROLE_ROOT);
	ATF_CHECK(stp_forwarding(2));
	ATF_CHECK(!stp_forwarding(1));
	/* ...and that is a topology change: port 3's MACs are flushed. */
	ATF_CHECK(cap.flushed[3] >= 1);
	ATF_CHECK(cap.last[3].b_flags & BPDU_F_TC);
}

ATF_TC_WITHOUT_HEAD(parallel_cables_sender_port_decides);
ATF_TC_BODY(parallel_cables_sender_port_decides, tc)
{
	/* Two cables to one bridge: the lower sending port id wins. */
	start(2);
	feed_rst(1, BETTER, 0, BETTER, 0x8002, DESIG);
	feed_rst(2, BETTER, 0, BETTER, 0x8001, DESIG);
	ATF_CHECK_EQ(role(2), STP_ROLE_ROOT);
	ATF_CHECK_EQ(role(1), STP_ROLE_ALTERNATE);
	/* A bonus on port 1 makes it the cheaper way to the root. */
	ATF_CHECK_EQ(stp_set_bonus(1, 1000), 0);
	ATF_CHECK_EQ(role(1), STP_ROLE_ROOT);
	ATF_CHECK_EQ(role(2), STP_ROLE_ALTERNATE);
	ATF_CHECK_EQ(stp_set_bonus(-1, 1), -1);
	/* Equal vectors: our lower receiving port id decides. */
	start(2);
	feed_rst(2, BETTER, 0, BETTER, 0x8001, DESIG);
	feed_rst(1, BETTER, 0, BETTER, 0x8001, DESIG);
	ATF_CHECK_EQ(role(1), STP_ROLE_ROOT);
	ATF_CHECK_EQ(role(2), STP_ROLE_ALTERNATE);
}

ATF_TC_WITHOUT_HEAD(root_info_ages_out);
ATF_TC_BODY(root_info_ages_out, tc)
{
	struct stp_info	si;

	start(1);
	feed_rst(1, BETTER, 0, BETTER, 0x8001, DESIG);
	ATF_CHECK_EQ(role(1), STP_ROLE_ROOT);
	/* 3 x hello without a BPDU: the information is gone. */
	ticks(5);
	ATF_CHECK_EQ(role(1), STP_ROLE_ROOT);
	ticks(2);
	ATF_CHECK_EQ(role(1), STP_ROLE_DESIGNATED);
	stp_info(&si);
	ATF_CHECK(si.si_root == ME);
}

ATF_TC_WITHOUT_HEAD(own_bpdus_make_backup);
ATF_TC_BODY(own_bpdus_make_backup, tc)
{
	uint8_t	f[BPDU_FRAMELEN];
	int	i;

	start(2);
	/* Ports 1 and 2 are cabled to each other: 1 hears 2, 2 hears 1. */
	memcpy(f, cap.lastframe[1], sizeof(f));
	stp_input(2, f, sizeof(f));
	memcpy(f, cap.lastframe[2], sizeof(f));
	stp_input(1, f, sizeof(f));
	ATF_CHECK_EQ(role(1), STP_ROLE_DESIGNATED);
	ATF_CHECK_EQ(role(2), STP_ROLE_BACKUP);
	for (i = 0; i < 40; i++) {
		/* Port 1's hellos keep arriving on port 2. */
		if (i % 2 == 0) {
			memcpy(f, cap.lastframe[1], sizeof(f));
			stp_input(2, f, sizeof(f));
		}
		stp_tick();
		ATF_CHECK(!stp_forwarding(2));
	}
	ATF_CHECK(stp_forwarding(1));
	/* A port hearing its own BPDU ignores it. */
	memcpy(f, cap.lastframe[1], sizeof(f));
	stp_input(1, f, sizeof(f));
	ATF_CHECK_EQ(role(1), STP_ROLE_DESIGNATED);
}

ATF_TC_WITHOUT_HEAD(legacy_partner_gets_config_bpdus);
ATF_TC_BODY(legacy_partner_gets_config_bpdus, tc)
{
	struct stp_port_info	pi;
	int			i;

	start(2);
	/* An RSTP bridge downstream of port 2. */
	feed_rst(2, ME, STP_DEF_COST, WORSE + 5, 0x8001,
	    ROOTR | BPDU_F_AGREEMENT);
	/* An 802.1D bridge that thinks it is the root, but loses. */
	for (i = 0; i < 12; i++) {
		if (i % 2 == 0)
			feed_config(1, WORSE, 0, WORSE, 0x8001, 0);
		stp_tick();
	}
	/* No agreement from a legacy bridge: forward delays apply. */
	ATF_CHECK(!stp_forwarding(1));
	for (i = 12; i < 80 && !stp_forwarding(1); i++)
		stp_tick();
	ATF_CHECK(i > 30 && i < 40);
	ATF_REQUIRE_EQ(stp_port_info(1, &pi), 0);
	ATF_CHECK(!pi.pi_rstp);
	ATF_CHECK_EQ(cap.last[1].b_type, BPDU_TYPE_CONFIG);
	ATF_CHECK_EQ(cap.last[1].b_version, 0);
	ATF_CHECK(cap.last[1].b_root == ME);
	ATF_CHECK(!pi.pi_edge);
	/* Port 2 has no legacy partner and stays RSTP. */
	ATF_REQUIRE_EQ(stp_port_info(2, &pi), 0);
	ATF_CHECK(pi.pi_rstp);
	ATF_CHECK_EQ(cap.last[2].b_type, BPDU_TYPE_RST);

	/* A TCN from it is acknowledged, and flushes port 2. */
	{
		struct bpdu	b;
		uint8_t		f[BPDU_FRAMELEN];

		memset(&b, 0, sizeof(b));
		b.b_type = BPDU_TYPE_TCN;
		ATF_REQUIRE(bpdu_encode(f, sizeof(f), mymac, &b) > 0);
		f[11] = 0x77;
		cap.flushed[2] = 0;
		stp_input(1, f, sizeof(f));
	}
	ATF_CHECK(cap.flushed[2] >= 1);
	ATF_CHECK_EQ(cap.last[1].b_type, BPDU_TYPE_CONFIG);
	ATF_CHECK(cap.last[1].b_flags & BPDU_F_TCA);
	ATF_CHECK(cap.last[1].b_flags & BPDU_F_TC);
}

ATF_TC_WITHOUT_HEAD(legacy_root_times_are_used);
ATF_TC_BODY(legacy_root_times_are_used, tc)
{
	struct stp_info	si;
	int		i;

	start(2);
	/* A legacy root: port 1 is our root port; port 2 designated. */
	for (i = 0; i < 8; i++) {
		feed_config(1, BETTER, 0, BETTER, 0x8001, 0);
		stp_tick();
	}
	ATF_CHECK_EQ(role(1), STP_ROLE_ROOT);
	stp_info(&si);
	ATF_CHECK_EQ(si.si_root_fwddelay, 15);
	ATF_CHECK(cap.last[2].b_root == BETTER);
	ATF_CHECK_EQ(cap.last[2].b_fwddelay, 15 * 256);
	/* Our root port tells the legacy root about a change by TCN. */
	cap.sent[1] = 0;
	stp_port_down(2);
	stp_port_up(3);
	feed_rst(3, ME, STP_DEF_COST, WORSE, 0x8001, ROOTR | BPDU_F_AGREEMENT);
	ATF_CHECK(stp_forwarding(3));
	ATF_CHECK(cap.sent[1] >= 1);
	ATF_CHECK_EQ(cap.last[1].b_type, BPDU_TYPE_TCN);
}

ATF_TC_WITHOUT_HEAD(tc_flushes_other_ports);
ATF_TC_BODY(tc_flushes_other_ports, tc)
{
	start(3);
	feed_rst(1, BETTER, 0, BETTER, 0x8001, DESIG | BPDU_F_PROPOSAL);
	/* Downstream bridges agree on ports 2 and 3. */
	feed_rst(2, BETTER, 2 * STP_DEF_COST, WORSE, 0x8001,
	    ROOTR | BPDU_F_AGREEMENT);
	feed_rst(3, BETTER, 2 * STP_DEF_COST, WORSE + 1, 0x8001,
	    ROOTR | BPDU_F_AGREEMENT);
	ATF_CHECK(stp_forwarding(2));
	ATF_CHECK(stp_forwarding(3));
	ticks(5);
	memset(cap.flushed, 0, sizeof(cap.flushed));
	/* A TC from the root: flush 2 and 3, not the port it came on. */
	feed_rst(1, BETTER, 0, BETTER, 0x8001, DESIG | BPDU_F_TC);
	ATF_CHECK_EQ(cap.flushed[1], 0);
	ATF_CHECK_EQ(cap.flushed[2], 1);
	ATF_CHECK_EQ(cap.flushed[3], 1);
	ATF_CHECK(cap.last[2].b_flags & BPDU_F_TC);
}

ATF_TC_WITHOUT_HEAD(admin_edge);
ATF_TC_BODY(admin_edge, tc)
{
	struct stp_port_info	pi;

	start(1);
	ATF_CHECK(!stp_forwarding(1));
	ATF_CHECK_EQ(stp_set_edge(1, 1), 0);
	ATF_CHECK(stp_forwarding(1));
	/* A BPDU on an edge port shows a bridge is there after all. */
	feed_rst(1, BETTER, 0, BETTER, 0x8001, DESIG);
	ATF_REQUIRE_EQ(stp_port_info(1, &pi), 0);
	ATF_CHECK(!pi.pi_edge);
	ATF_CHECK(pi.pi_admin_edge);
	ATF_CHECK_EQ(pi.pi_role, STP_ROLE_ROOT);
	ATF_CHECK_EQ(stp_set_edge(-1, 1), -1);
}

ATF_TC_WITHOUT_HEAD(priority_decides_root);
ATF_TC_BODY(priority_decides_root, tc)
{
	struct stp_info	si;

	start(1);
	feed_rst(1, BETTER, 0, BETTER, 0x8001, DESIG);
	ATF_CHECK_EQ(role(1), STP_ROLE_ROOT);
	stp_set_priority(0x0000);
	ATF_CHECK_EQ(role(1), STP_ROLE_DESIGNATED);
	stp_info(&si);
	ATF_CHECK(si.si_root == 0x000000ff00000010ULL);
	ATF_CHECK(cap.last[1].b_root == 0x000000ff00000010ULL);
}

ATF_TC_WITHOUT_HEAD(bad_bpdus_counted);
ATF_TC_BODY(bad_bpdus_counted, tc)
{
	struct stp_port_info	pi;
	uint8_t			f[BPDU_FRAMELEN];

	start(1);
	memcpy(f, cap.lastframe[1], sizeof(f));
	f[14] = 0xaa;			/* SNAP, not 42 42 03 */
	stp_input(1, f, sizeof(f));
	stp_input(1, cap.lastframe[1], 30);	/* truncated */
	ATF_REQUIRE_EQ(stp_port_info(1, &pi), 0);
	ATF_CHECK_EQ(pi.pi_bad, 2);
	ATF_CHECK_EQ(pi.pi_rx, 0);
	ATF_CHECK_EQ(pi.pi_role, STP_ROLE_DESIGNATED);
}

ATF_TC_WITHOUT_HEAD(flood_is_rate_limited);
ATF_TC_BODY(flood_is_rate_limited, tc)
{
	struct stp_port_info	pi;
	int			i;

	start(1);
	for (i = 0; i < 1000; i++)
		feed_rst(1, WORSE, 0, WORSE, 0x8001, DESIG);
	ATF_REQUIRE_EQ(stp_port_info(1, &pi), 0);
	ATF_CHECK(pi.pi_dropped >= 900);
	ATF_CHECK(pi.pi_rx + pi.pi_dropped == 1000);
	/* The next second the port listens again. */
	stp_tick();
	feed_rst(1, BETTER, 0, BETTER, 0x8001, DESIG);
	ATF_CHECK_EQ(role(1), STP_ROLE_ROOT);
}

ATF_TC_WITHOUT_HEAD(settings_are_validated);
ATF_TC_BODY(settings_are_validated, tc)
{
	struct stp_info	si;

	start(1);
	ATF_CHECK_EQ(stp_set_times(1, 6, 4), 0);
	stp_info(&si);
	ATF_CHECK_EQ(si.si_hello, 1);
	ATF_CHECK_EQ(si.si_fwddelay, 4);
	ATF_CHECK_EQ(cap.last[1].b_fwddelay, 4 * 256);
	ATF_CHECK_EQ(stp_set_times(0, 20, 15), -1);
	ATF_CHECK_EQ(stp_set_times(2, 40, 4), -1);	/* 2(fd-1) < maxage */
	ATF_CHECK_EQ(stp_set_portprio(1, 17), -1);
	ATF_CHECK_EQ(stp_set_portprio(1, 16), 0);
	ATF_CHECK_EQ(cap.last[1].b_port, 0x1001);
	ATF_CHECK_EQ(stp_set_cost(1, 200000001), -1);
	ATF_CHECK_EQ(stp_set_cost(1, 7), 0);
	ATF_CHECK_EQ(stp_set_bonus(1, 3), 0);
	ATF_CHECK_EQ(stp_set_edge(1, 1), 0);
	{
		struct stp_port_info	pi;

		ATF_REQUIRE_EQ(stp_port_info(1, &pi), 0);
		ATF_CHECK_EQ(pi.pi_cost, 4);
		ATF_CHECK(pi.pi_admin_edge);
		/* A deleted port made again starts from the defaults. */
		stp_port_forget(1);
		ATF_CHECK(!stp_forwarding(1));
		stp_port_up(1);
		ATF_REQUIRE_EQ(stp_port_info(1, &pi), 0);
		ATF_CHECK_EQ(pi.pi_cost, STP_DEF_COST);
		ATF_CHECK_EQ(pi.pi_bonus, 0);
		ATF_CHECK(!pi.pi_admin_edge);
		ATF_CHECK_EQ(pi.pi_id, 0x8001);
	}
}

ATF_TC_WITHOUT_HEAD(sparse_port_numbers);
ATF_TC_BODY(sparse_port_numbers, tc)
{
	struct stp_port_info	pi;

	/* Port numbers may be large and far apart. */
	memset(&cap, 0, sizeof(cap));
	stp_init(mymac, 32768, &ops);
	stp_enable(1);
	stp_port_up(70000);
	stp_port_up(2);
	ticks(4);
	ATF_CHECK(stp_forwarding(70000));
	ATF_CHECK(stp_forwarding(2));
	ATF_CHECK(!stp_forwarding(69999));
	ATF_CHECK(!stp_forwarding(700000));
	ATF_REQUIRE_EQ(stp_port_info(70000, &pi), 0);
	/* Beyond 4095 the 12-bit port number saturates. */
	ATF_CHECK_EQ(pi.pi_id, 0x8fff);
	ATF_CHECK_EQ(stp_port_info(3, &pi), -1);
	stp_port_down(70000);
	ATF_CHECK(!stp_forwarding(70000));
	ATF_CHECK_EQ(stp_port_info(70000, &pi), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, off_forwards_everything);
	ATF_TP_ADD_TC(tp, lone_port_becomes_edge);
	ATF_TP_ADD_TC(tp, proposal_gets_agreement);
	ATF_TP_ADD_TC(tp, agreement_makes_designated_forward);
	ATF_TP_ADD_TC(tp, second_path_is_alternate);
	ATF_TP_ADD_TC(tp, parallel_cables_sender_port_decides);
	ATF_TP_ADD_TC(tp, root_info_ages_out);
	ATF_TP_ADD_TC(tp, own_bpdus_make_backup);
	ATF_TP_ADD_TC(tp, legacy_partner_gets_config_bpdus);
	ATF_TP_ADD_TC(tp, legacy_root_times_are_used);
	ATF_TP_ADD_TC(tp, tc_flushes_other_ports);
	ATF_TP_ADD_TC(tp, admin_edge);
	ATF_TP_ADD_TC(tp, priority_decides_root);
	ATF_TP_ADD_TC(tp, bad_bpdus_counted);
	ATF_TP_ADD_TC(tp, flood_is_rate_limited);
	ATF_TP_ADD_TC(tp, settings_are_validated);
	ATF_TP_ADD_TC(tp, sparse_port_numbers);
	return (atf_no_error());
}
