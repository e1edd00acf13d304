#!/usr/bin/python3
"""vlanpeer: an independent 802.1Q peer for vde_switch's VLAN tests.

Frames are built and parsed with Scapy and written to / read from tap
interfaces that live in network namespaces, through AF_PACKET sockets.
The kernel moves a received 802.1Q tag into packet metadata, so each
received frame gets its tag back from PACKET_AUXDATA (as libpcap does).
One process opens sockets in several namespaces (setns), so it can send on
one port and watch all the others at once.

usage:
  vlanpeer.py mgmt SOCK CMD [CMD...]   console commands; prints each reply,
                                       exits 1 unless every one succeeds
                                       (a CMD starting with '!' must fail,
                                       '!1006 ...' with that status line)
  vlanpeer.py transcript SOCK CMD...   the same, never failing (to compare
                                       two switches' transcripts)
  vlanpeer.py SCENARIO --port NAME=NS:IF[:IP] ... [--count-only]
Scenarios print "ok" and exit 0 when the behaviour holds, else "FAIL: ..."
and exit 1.
"""

import ctypes
import os
import select
import socket
import struct
import sys
import time

# Scapy takes a second to load: only the scenarios need it (see main).
ARP = Dot1Q = Ether = ICMP = IP = Raw = None

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40
CLONE_NEWNET = 0x40000000
TOKEN_TYPE = 0x88b5     # IEEE local experimental EtherType

libc = ctypes.CDLL(None, use_errno=True)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


ORIG_NS = os.open("/proc/self/ns/net", os.O_RDONLY)


def setns(name):
    """Move this thread into network namespace NAME ("" = the original)."""
    fd = ORIG_NS if name == "" else os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            fail("setns %s: %s" % (name, os.strerror(ctypes.get_errno())))
    finally:
        if fd != ORIG_NS:
            os.close(fd)


class Port:
    """A tap in a namespace, seen through an AF_PACKET socket."""

    def __init__(self, name, spec):
        parts = spec.split(":")
        self.name = name
        self.ns, self.ifname = parts[0], parts[1]
        self.ip = parts[2] if len(parts) > 2 else None
        setns(self.ns)
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                  socket.htons(ETH_P_ALL))
        self.sock.bind((self.ifname, ETH_P_ALL))
        self.sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        self.sock.setblocking(False)
        # /sys shows the original namespace: ask the socket instead.
        self.mac = ":".join("%02x" % b for b in
                            self.sock.getsockname()[4][:6])
        self.got = []

    def send(self, frame):
        self.sock.send(bytes(frame))

    def drain(self):
        """Read everything queued; incoming frames go to self.got."""
        while True:
            try:
                data, anc, _flags, addr = self.sock.recvmsg(
                    65536, socket.CMSG_LEN(64))
            except BlockingIOError:
                return
            if addr[2] == PACKET_OUTGOING:
                continue
            for lvl, typ, cdata in anc:
                if lvl != SOL_PACKET or typ != PACKET_AUXDATA:
                    continue
                status, _l, _s, _m, _n, tci, tpid = struct.unpack(
                    "IIIHHHH", cdata[:20])
                if status & TP_STATUS_VLAN_VALID or tci != 0:
                    if not status & TP_STATUS_VLAN_TPID_VALID:
                        tpid = 0x8100
                    data = data[:12] + struct.pack("!HH", tpid, tci) + \
                        data[12:]
            self.got.append(data)


def settle(ports, secs):
    """Collect what arrives on every port for secs seconds."""
    end = time.monotonic() + secs
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        select.select([p.sock for p in ports], [], [], left)
        for p in ports:
            p.drain()


def wait_match(ports, port, pred, secs=3.0):
    """Collect until a frame on port satisfies pred; return it or None."""
    end = time.monotonic() + secs
    while True:
        for f in port.got:
            if pred(f):
                return f
        left = end - time.monotonic()
        if left <= 0:
            return None
        select.select([p.sock for p in ports], [], [], min(left, 0.1))
        for p in ports:
            p.drain()


def token_frame(src, token, vid=None, pcp=0, dei=0, dst="ff:ff:ff:ff:ff:ff"):
    """A frame with a unique token, optionally tagged."""
    payload = Raw(b"VLANTEST" + token + b"\0" * 30)
    if vid is None:
        return Ether(dst=dst, src=src, type=TOKEN_TYPE) / payload
    return (Ether(dst=dst, src=src) /
            Dot1Q(vlan=vid, prio=pcp, id=dei, type=TOKEN_TYPE) / payload)


def with_token(token):
    return lambda f: (b"VLANTEST" + token) in f


def tag_of(f):
    """(vid, pcp, dei) of a tagged frame, or None."""
    if f[12:14] != b"\x81\x00":
        return None
    tci = struct.unpack("!H", f[14:16])[0]
    return (tci & 0xfff, tci >> 13, (tci >> 12) & 1)


class Lab:
    def __init__(self, specs):
        self.ports = {}
        for name, spec in specs:
            self.ports[name] = Port(name, spec)
        setns("")
        self.all = list(self.ports.values())

    def __getitem__(self, name):
        return self.ports[name]

    def flood(self, src, frame, expect, secs=1.0):
        """
        Send frame on port src, then check every other port: expect maps a
        port name to a predicate on the frame it must receive (matched by
        the token in it); ports not named must receive nothing.
        """
        token = bytes(frame)[-38:-30]
        for p in self.all:
            p.drain()
            p.got = []
        self[src].send(frame)
        for name, pred in expect.items():
            f = wait_match(self.all, self[name], with_token(token))
            if f is None:
                fail("port %s did not receive %s" % (name,
                                                     frame.summary()))
            if not pred(f):
                fail("port %s received %s, wrong form: %s" %
                     (name, frame.summary(), f.hex()))
        settle(self.all, secs)
        for p in self.all:
            n = sum(1 for f in p.got if with_token(token)(f))
            if p.name != src and p.name not in expect and n > 0:
                fail("port %s received %s but must not" %
                     (p.name, frame.summary()))
            if n > 1:
                fail("port %s received %s %d times" %
                     (p.name, frame.summary(), n))


def newtoken():
    return os.urandom(8)


def exact(frame):
    raw = bytes(frame)
    return lambda f: f == raw


def tagged(vid, pcp=0, dei=0, length=None):
    def pred(f):
        return tag_of(f) == (vid, pcp, dei) and \
            (length is None or len(f) == length)
    return pred


def untagged(length=None):
    return lambda f: tag_of(f) is None and (length is None or
                                            len(f) == length)


# --- scenarios -----------------------------------------------------------

def sc_transparent(lab):
    """No VLAN configured: a tagged frame crosses unchanged, PCP and all."""
    t = newtoken()
    fr = token_frame("02:00:00:00:01:01", t, vid=42, pcp=3)
    lab.flood("t", fr, {"a": exact(fr), "b": exact(fr)})
    t = newtoken()
    fr = token_frame("02:00:00:00:01:02", t, vid=0, pcp=5)
    lab.flood("a", fr, {"t": exact(fr), "b": exact(fr)})
    t = newtoken()
    fr = token_frame("02:00:00:00:01:03", t)
    lab.flood("b", fr, {"t": exact(fr), "a": exact(fr)})


def arp_who(src_mac, src_ip, target_ip, vid):
    return (Ether(dst="ff:ff:ff:ff:ff:ff", src=src_mac) /
            Dot1Q(vlan=vid) /
            ARP(op=1, hwsrc=src_mac, psrc=src_ip, pdst=target_ip))


def expect_arp_reply(lab, port, target_ip, vid, present, mac=None):
    def pred(f):
        e = Ether(f)
        return (tag_of(f) is not None and tag_of(f)[0] == vid and
                e.haslayer(ARP) and e[ARP].op == 2 and
                e[ARP].psrc == target_ip)
    f = wait_match(lab.all, lab[port], pred, 2.0 if present else 1.5)
    if present and f is None:
        fail("no ARP reply for %s in VLAN %d" % (target_ip, vid))
    if not present and f is not None:
        fail("ARP reply for %s crossed into VLAN %d" % (target_ip, vid))
    if f is not None and mac is not None and Ether(f).src != mac:
        fail("ARP reply for %s from %s, not %s" % (target_ip,
                                                   Ether(f).src, mac))
    return f


def sc_trunk(lab):
    """
    Trunk t (tagged 10 and 20) against real stacks on access ports a (VLAN
    10) and b (VLAN 20) that share one subnet: each answers only in its own
    VLAN, ARP and ICMP, and nothing of VLAN 10 reaches b.
    """
    me = "02:00:00:00:0a:01"
    myip = "10.77.0.100"
    a, b = lab["a"], lab["b"]
    for p in lab.all:
        p.drain()
        p.got = []
    lab["t"].send(arp_who(me, myip, a.ip, 10))
    expect_arp_reply(lab, "t", a.ip, 10, True, a.mac)
    # a's stack now knows us: an echo request tagged 10 gets its reply.
    lab["t"].send(Ether(dst=a.mac, src=me) / Dot1Q(vlan=10, prio=0) /
                  IP(src=myip, dst=a.ip) / ICMP(id=0x4242, seq=1) /
                  Raw(b"vlanping"))

    def echo_reply(f):
        e = Ether(f)
        return (tag_of(f) == (10, 0, 0) and e.haslayer(ICMP) and
                e[ICMP].type == 0 and e[ICMP].id == 0x4242)
    if wait_match(lab.all, lab["t"], echo_reply) is None:
        fail("no ICMP echo reply tagged 10 from %s" % a.ip)
    # The same in VLAN 20 for b.
    lab["t"].send(arp_who(me, myip, b.ip, 20))
    expect_arp_reply(lab, "t", b.ip, 20, True, b.mac)
    # Asking in the wrong VLAN: no answer, and b never hears it.
    for p in lab.all:
        p.got = []
    lab["t"].send(arp_who(me, myip, b.ip, 10))
    expect_arp_reply(lab, "t", b.ip, 10, False)
    lab["t"].send(arp_who(me, myip, a.ip, 20))
    expect_arp_reply(lab, "t", a.ip, 20, False)
    settle(lab.all, 0.3)
    # The VLAN 10 question for b's address never reached b, nor the VLAN
    # 20 one for a's address a.
    for port, ip in ((b, b.ip), (a, a.ip)):
        for f in port.got:
            e = Ether(f)
            if e.haslayer(ARP) and e[ARP].op == 1 and e[ARP].pdst == ip:
                fail("a broadcast of the other VLAN reached port %s" %
                     port.name)


def sc_tagging(lab):
    """
    Egress forms: untagged->tagged gets PCP 0, tagged->tagged keeps PCP
    and DEI, tagged->untagged loses 4 bytes; t and u are trunks of 10 and
    20, a an access port of 10, b of 20.
    """
    t = newtoken()
    fr = token_frame("02:00:00:00:0b:01", t)
    n = len(bytes(fr))
    lab.flood("a", fr, {"t": tagged(10, 0, 0, n + 4),
                        "u": tagged(10, 0, 0, n + 4)})
    t = newtoken()
    fr = token_frame("02:00:00:00:0b:02", t, vid=10, pcp=5, dei=1)
    lab.flood("t", fr, {"u": exact(fr), "a": untagged(len(bytes(fr)) - 4)})
    t = newtoken()
    fr = token_frame("02:00:00:00:0b:03", t, vid=20, pcp=7)
    lab.flood("u", fr, {"t": exact(fr), "b": untagged()})


def sc_priority(lab):
    """
    A VID-0 priority tag on access port a (VLAN 10) belongs to VLAN 10
    and keeps its PCP on trunks; access ports get it untagged.
    """
    t = newtoken()
    fr = token_frame("02:00:00:00:0c:01", t, vid=0, pcp=6)
    lab.flood("a", fr, {"t": tagged(10, 6, 0), "u": tagged(10, 6, 0),
                        "a2": untagged()})


def sc_samemac(lab):
    """
    One MAC learned in VLAN 10 on trunk t and in VLAN 20 on access port c:
    unicast to it goes to the right port in each VLAN, nowhere else.
    """
    m = "02:00:00:00:0d:01"
    t = newtoken()
    lab.flood("t", token_frame(m, t, vid=10), {"a": untagged()})
    t = newtoken()
    lab.flood("c", token_frame(m, t), {"b": untagged(),
                                       "t": tagged(20)})
    # VLAN 10 to m: only t, tagged 10 (a single-key table would say c).
    t = newtoken()
    lab.flood("a", token_frame(lab["a"].mac, t, dst=m),
              {"t": tagged(10)})
    # VLAN 20 to m: only c, untagged (no flood to the trunk).
    t = newtoken()
    lab.flood("b", token_frame(lab["b"].mac, t, dst=m), {"c": untagged()})


def sc_nonmember(lab):
    """Tagged frames on ports that are not members go nowhere."""
    t = newtoken()
    lab.flood("a", token_frame("02:00:00:00:0e:01", t, vid=20), {})
    t = newtoken()
    lab.flood("t", token_frame("02:00:00:00:0e:02", t, vid=99), {})


def sc_untagged_refused(lab):
    """Port b has no untagged VLAN: its untagged frames go nowhere."""
    t = newtoken()
    lab.flood("b", token_frame("02:00:00:00:0f:01", t), {})


def sc_t10_to_a(lab):
    """Trunk t, tagged 10, reaches access port a of VLAN 10, untagged."""
    t = newtoken()
    lab.flood("t", token_frame("02:00:00:00:10:01", t, vid=10),
              {"a": untagged()})


def sc_ready(lab):
    """
    Wait (10 s at most) until every port reaches every other: run before
    any VLAN exists, it proves the cables are attached.
    """
    end = time.monotonic() + 10
    for src in lab.all:
        while True:
            t = newtoken()
            for p in lab.all:
                p.drain()
                p.got = []
            src.send(token_frame(src.mac, t))
            settle(lab.all, 0.2)
            if all(any(with_token(t)(f) for f in p.got)
                   for p in lab.all if p is not src):
                break
            if time.monotonic() > end:
                fail("port %s does not reach all others" % src.name)


SCENARIOS = {
    "ready": sc_ready,
    "transparent": sc_transparent,
    "trunk": sc_trunk,
    "tagging": sc_tagging,
    "priority": sc_priority,
    "samemac": sc_samemac,
    "nonmember": sc_nonmember,
    "untagged_refused": sc_untagged_refused,
    "t10_to_a": sc_t10_to_a,
}


# --- the console -----------------------------------------------------------

def mgmt_read(s, buf):
    """Read until the prompt; returns (reply text, rest)."""
    end = time.monotonic() + 5
    while b"\nvde$ " not in buf:
        if time.monotonic() > end:
            fail("no prompt from the console; got %r" % buf)
        r, _, _ = select.select([s], [], [], 0.2)
        if r:
            d = s.recv(65536)
            if not d:
                fail("console closed; got %r" % buf)
            buf += d
    i = buf.index(b"\nvde$ ")
    return buf[:i].decode(errors="replace"), buf[i + 6:]


def mgmt(sock, cmds, check=True):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    _banner, buf = mgmt_read(s, b"")
    status = 0
    for c in cmds:
        want_fail = c.startswith("!")
        want = None
        if want_fail:
            c = c[1:]
            if c[:4].isdigit():
                want, c = c[:4], c[5:]
        s.sendall(c.encode() + b"\n")
        reply, buf = mgmt_read(s, buf)
        print("> " + c)
        print(reply)
        last = reply.strip().splitlines()[-1] if reply.strip() else ""
        ok = last.startswith("1000 ")
        if not check:
            continue
        if want_fail and (ok or (want and not last.startswith(want))):
            print("FAIL: %s: expected failure %s, got %s" %
                  (c, want or "", last))
            status = 1
        elif not want_fail and not ok:
            print("FAIL: %s: %s" % (c, last))
            status = 1
    s.close()
    return status if check else 0


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    if sys.argv[1] == "mgmt":
        sys.exit(mgmt(sys.argv[2], sys.argv[3:]))
    if sys.argv[1] == "transcript":
        sys.exit(mgmt(sys.argv[2], sys.argv[3:], False))
    global ARP, Dot1Q, Ether, ICMP, IP, Raw
    from scapy.all import ARP, Dot1Q, Ether, ICMP, IP, Raw, conf
    conf.verb = 0
    sc = SCENARIOS.get(sys.argv[1])
    if sc is None:
        fail("unknown scenario " + sys.argv[1])
    specs = []
    args = sys.argv[2:]
    while args:
        if args[0] != "--port" or len(args) < 2:
            fail("bad arguments: %s" % args)
        name, spec = args[1].split("=", 1)
        specs.append((name, spec))
        args = args[2:]
    sc(Lab(specs))
    print("ok")


if __name__ == "__main__":
    main()
