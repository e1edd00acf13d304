#!/usr/bin/python3
"""gsocheck: check src/switch/gso.c against Scapy, an independent
implementation of IP and TCP checksums.

Each scenario builds a frame with Scapy as a tap with offloads hands it
over (a TCP segment of up to 64 KiB with its segment size, or a frame
whose checksum field holds only the pseudo-header sum), runs it through
tests/helpers/gso_dump, and has Scapy recompute every length and checksum
of the frames that come out: they must be the ones gso wrote.  Segments
must also carry consecutive sequence numbers and IP IDs, FIN/PSH on the
last only, CWR on the first only, and the original payload in order.

usage: gsocheck.py GSO_DUMP SCENARIO...
Prints "ok" and exits 0 when every scenario holds, else "FAIL: ..." and
exits 1.
"""

import struct
import subprocess
import sys

from scapy.all import (IP, TCP, UDP, Dot1AD, Dot1Q, Ether, IPv6,
                       IPv6ExtHdrHopByHop, Raw)

CSUM, TCP4, TCP6, ECN = 0x01, 1, 2, 0x80
MAC = dict(src="02:00:00:00:00:02", dst="02:00:00:00:00:01")


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


def fold(data):
    """The ones' complement sum of data, not complemented."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s > 0xffff:
        s = (s & 0xffff) + (s >> 16)
    return s


def pseudo(ip, proto, length):
    """The pseudo-header's sum, as Linux leaves it in the field."""
    if isinstance(ip, IP):
        ph = (bytes(map(int, ip.src.split("."))) +
              bytes(map(int, ip.dst.split("."))) +
              struct.pack("!HH", proto, length))
    else:
        import ipaddress
        ph = (ipaddress.IPv6Address(ip.src).packed +
              ipaddress.IPv6Address(ip.dst).packed +
              struct.pack("!IxxxB", length, proto))
    return fold(ph)


def run(dump, desc, frame):
    """gso_dump's frames for (flags, kind, mss, hdrlen, start, off)."""
    p = subprocess.run([dump], input=struct.pack("!BBHHHH", *desc) + frame,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False)
    check(p.returncode == 0, "gso_dump refused: %s" % p.stderr.decode())
    return [bytes.fromhex(l) for l in p.stdout.decode().split()]


def rebuilt(pkt):
    """pkt with Scapy's own lengths and checksums."""
    q = pkt.copy()
    for layer in (IP, IPv6, TCP, UDP):
        if layer in q:
            for f in ("len", "plen", "chksum"):
                if f in q[layer].fields:
                    # delattr, not the dict: it drops Scapy's cached bytes
                    delattr(q[layer], f)
    return Ether(bytes(q))


def segment(dump, pkt, mss, garbage, ecn=False):
    """Segment pkt (a TCP packet with payload) and check every segment."""
    pkt = Ether(bytes(pkt))         # every field filled in
    raw = bytearray(bytes(pkt))
    ip = pkt[IP] if IP in pkt else pkt[IPv6]
    l3 = len(raw) - len(bytes(ip))
    th = len(raw) - len(bytes(pkt[TCP]))
    hlen = th + pkt[TCP].dataofs * 4
    payload = bytes(raw[hlen:])
    if garbage:
        raw[th + 16:th + 18] = b"\xde\xad"
        if IP in pkt:
            raw[l3 + 2:l3 + 4] = b"\0\0"
            raw[l3 + 10:l3 + 12] = b"\xbe\xef"
        else:
            raw[l3 + 4:l3 + 6] = b"\x12\x34"
    else:
        raw[th + 16:th + 18] = struct.pack("!H", pseudo(ip, 6,
                                                      len(raw) - th))
    kind = (TCP4 if IP in pkt else TCP6) | (ECN if ecn else 0)
    segs = run(dump, (CSUM, kind, mss, hlen, th, 16), bytes(raw))
    check(len(segs) == (len(payload) + mss - 1) // mss,
          "%d segments for %d bytes at %d" % (len(segs), len(payload), mss))
    got = b""
    for i, s in enumerate(segs):
        e = Ether(s)
        r = rebuilt(e)
        check(bytes(r) == s, "segment %d: Scapy's lengths or checksums "
              "differ:\n%s\n%s" % (i, s.hex(), bytes(r).hex()))
        t = e[TCP]
        check(t.seq == (pkt[TCP].seq + len(got)) & 0xffffffff,
              "segment %d: seq %d" % (i, t.seq))
        if IP in pkt:
            check(e[IP].id == (pkt[IP].id + i) & 0xffff,
                  "segment %d: IP ID %d" % (i, e[IP].id))
        want = int(pkt[TCP].flags)
        if i < len(segs) - 1:
            want &= ~0x09
        if i > 0:
            want &= ~0x80
        check(int(t.flags) == want, "segment %d: flags %s" % (i, t.flags))
        check(len(s) <= 9234, "segment %d: %d bytes" % (i, len(s)))
        got += s[hlen:]
    check(got == payload, "payload differs")


def csum_only(dump, pkt, proto):
    """Complete the checksum of pkt and compare with Scapy's."""
    want = bytes(pkt)
    raw = bytearray(want)
    ip = pkt[IP] if IP in pkt else pkt[IPv6]
    l4 = pkt[proto]
    start = len(raw) - len(bytes(l4))
    off = 16 if proto is TCP else 6
    raw[start + off:start + off + 2] = struct.pack(
        "!H", pseudo(ip, 6 if proto is TCP else 17, len(raw) - start))
    segs = run(dump, (CSUM, 0, 0, 0, start, off), bytes(raw))
    check(len(segs) == 1, "%d frames" % len(segs))
    check(segs[0] == want, "checksum %s, Scapy %s" % (
        segs[0][start + off:start + off + 2].hex(),
        want[start + off:start + off + 2].hex()))


def data(n):
    return bytes((i * 31 + i // 251) & 0xff for i in range(n))


def sc_tcp4(dump):
    p = (Ether(**MAC) / IP(src="10.1.2.3", dst="192.168.254.7", id=0xfffe,
                           flags="DF") /
         TCP(sport=40000, dport=5201, seq=0xfffff000, flags="PAFC",
             options=[("NOP", None), ("NOP", None),
                      ("Timestamp", (1, 2))]) / Raw(data(20001)))
    for mss in (1448, 1000, 537, 9000):
        segment(dump, p, mss, garbage=False)
        segment(dump, p, mss, garbage=True, ecn=True)


def sc_tcp6(dump):
    p = (Ether(**MAC) / IPv6(src="fd00::1", dst="fd00::2:3", fl=0xabcde) /
         TCP(sport=22, dport=50000, seq=12345, flags="PAC") /
         Raw(data(30000)))
    for mss in (1428, 1000, 8000):
        segment(dump, p, mss, garbage=False)
        segment(dump, p, mss, garbage=True)
    # A hop-by-hop header between IPv6 and TCP.
    p = (Ether(**MAC) / IPv6(src="fd00::1", dst="fd00::2:3") /
         IPv6ExtHdrHopByHop() / TCP(sport=22, dport=50000, flags="FA") /
         Raw(data(4000)))
    segment(dump, p, 1400, garbage=False)
    segment(dump, p, 1400, garbage=True)


def sc_vlan(dump):
    p = (Ether(**MAC) / Dot1Q(vlan=10) / IP(src="10.0.0.1", dst="10.0.0.2") /
         TCP(sport=1, dport=2, flags="PA") / Raw(data(7000)))
    segment(dump, p, 1448, garbage=True)
    p = (Ether(**MAC) / Dot1AD(vlan=100) / Dot1Q(vlan=10) /
         IPv6(src="fd00::1", dst="fd00::2") /
         TCP(sport=1, dport=2, flags="PA") / Raw(data(7000)))
    segment(dump, p, 1440, garbage=False)


def sc_csum(dump):
    for n in range(0, 60, 7):
        csum_only(dump, Ether(**MAC) / IP(src="10.0.0.1", dst="10.0.0.2") /
                  UDP(sport=5353, dport=53) / Raw(data(n)), UDP)
        csum_only(dump, Ether(**MAC) / IPv6(src="fd00::1", dst="fd00::2") /
                  UDP(sport=5353, dport=53) / Raw(data(n)), UDP)
        csum_only(dump, Ether(**MAC) / IPv6(src="fd00::1", dst="fd00::2") /
                  TCP(sport=80, dport=1234, flags="PA") / Raw(data(n)), TCP)
        csum_only(dump, Ether(**MAC) / Dot1Q(vlan=5) /
                  IP(src="10.0.0.1", dst="10.0.0.2") /
                  TCP(sport=80, dport=1234, flags="A") / Raw(data(n)), TCP)


SCENARIOS = {"tcp4": sc_tcp4, "tcp6": sc_tcp6, "vlan": sc_vlan,
             "csum": sc_csum}


def main():
    if len(sys.argv) < 3 or any(a not in SCENARIOS for a in sys.argv[2:]):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        for a in sys.argv[2:]:
            SCENARIOS[a](sys.argv[1])
    except Fail as e:
        print("FAIL: %s" % e)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
