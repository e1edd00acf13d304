#!/usr/bin/env python3
"""vdepeer: test peers for vde_switch.

A small VDE client speaking the control handshake and the datagram data
plane directly (so tests can also send broken requests), and a wrapper that
runs a real vde_plug and speaks the 2-byte big-endian stream framing on its
stdin/stdout.  The "scenario" commands run one behaviour check each and exit
0 when it holds, 1 with a message when it does not.

usage: vdepeer.py SCENARIO DIR [args...] [--plug PATH]
"""

import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time

MAGIC = 0xfeedface

# struct sockaddr_un of the system the test runs on, as the switch built
# for it expects it: on Linux a 2-byte family and 108 path bytes (110), on
# the BSDs and macOS a 1-byte sun_len, a 1-byte family and 104 path bytes
# (106).  Abstract names (user-mode-linux's) exist on Linux only.
LINUX = sys.platform.startswith("linux")
SUN_PATH = 108 if LINUX else 104
SUN_LEN = 2 + SUN_PATH  # sizeof(struct sockaddr_un): 110 or 106
HDR3 = 12 + SUN_LEN     # a version 3 request: 122 or 118


def sun_head(family=socket.AF_UNIX):
    """The bytes of a sockaddr_un before sun_path."""
    if LINUX:
        return struct.pack("=H", family)
    return struct.pack("BB", SUN_LEN, family)

seq = [0]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def sockaddr(path, abstract=False):
    """A raw sockaddr_un of this system: family (and sun_len), then the
    path bytes."""
    raw = path if isinstance(path, bytes) else path.encode()
    return sun_head() + raw.ljust(SUN_PATH, b"\0")[:SUN_PATH]


def request(path, port=0, rtype=0, version=3, descr=b"vdepeer", magic=MAGIC):
    if version == 3:
        return (struct.pack("<III", magic, 3, rtype | (port << 8)) +
                sockaddr(path) + descr)
    return (struct.pack("<II", magic, rtype) + b"\0" * 6 + sockaddr(path) +
            descr)


class Client:
    """A VDE cable made by hand: a control connection and a data socket."""

    def __init__(self, swdir, port=0, port0=False, descr=b"vdepeer",
                 raw=None, abstract=False, version=3, expect_fail=False,
                 timeout=5):
        self.timeout = timeout
        self.expect_fail = expect_fail
        self.ctl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.ctl.connect(os.path.join(swdir, "ctl"))
        self.data = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if abstract:
            # Bound with the full length, as UML does.
            name = (b"\0" + struct.pack("<II", os.getpid(), seq[0]) +
                    os.urandom(8)).ljust(108, b"\0")
            seq[0] += 1
            self.data.bind(name)
            self.path = name
        else:
            while True:
                self.path = os.path.join(
                    swdir, ".%05d-%05d" % (os.getpid(), seq[0]))
                seq[0] += 1
                try:
                    self.data.bind(self.path)
                    break
                except OSError:
                    continue
        if raw is None:
            raw = request(self.path, port, 1 if port0 else 0, version,
                          descr)
            if abstract:
                # user-mode-linux: 124 bytes, 2 bytes of padding.
                raw = struct.pack("<III", MAGIC, 3, 0) + \
                    struct.pack("<H", socket.AF_UNIX) + \
                    name.ljust(108, b"\0") + b"\x07\x99"
        self.ctl.sendall(raw)
        self.reply = self._recv_reply()
        self.ok = len(self.reply) == SUN_LEN
        if not self.ok:
            if not abstract:
                os.unlink(self.path)
            if not expect_fail:
                fail("handshake refused (reply %d bytes)" % len(self.reply))
            return
        self.remote = self.reply[2:].split(b"\0", 1)[0].decode()
        self.data.connect(self.remote)
        if not abstract:
            os.unlink(self.path)
        self.data.setblocking(False)

    def _recv_reply(self):
        got = b""
        self.ctl.settimeout(self.timeout)
        try:
            while len(got) < SUN_LEN:
                b = self.ctl.recv(SUN_LEN - len(got))
                if not b:
                    break
                got += b
        except socket.timeout:
            if not self.expect_fail:
                fail("no reply and no close within %d s" % self.timeout)
        except ConnectionResetError:
            pass
        return got

    def send(self, frame):
        # The switch drains its sockets in bursts: wait for room.
        while True:
            try:
                self.data.send(frame)
                return
            except BlockingIOError:
                select.select([], [self.data], [], 5)

    def recv(self, timeout=1.0):
        r, _, _ = select.select([self.data], [], [], timeout)
        if not r:
            return None
        return self.data.recv(65536)

    def drain(self, timeout=0.3):
        out = []
        while True:
            f = self.recv(timeout)
            if f is None:
                return out
            out.append(f)

    def close(self):
        self.ctl.close()
        self.data.close()


class Plug:
    """A real vde_plug on the switch, framed on its stdin/stdout."""

    def __init__(self, prog, swdir, port=0):
        # vdeplug4's vde_plug takes the port as DIR[N].
        args = [prog, "%s[%d]" % (swdir, port) if port else swdir]
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE)
        self.buf = b""

    def send(self, frame):
        self.p.stdin.write(struct.pack(">H", len(frame)) + frame)
        self.p.stdin.flush()

    def recv(self, timeout=1.0):
        end = time.time() + timeout
        while True:
            if len(self.buf) >= 2:
                n = struct.unpack(">H", self.buf[:2])[0]
                if len(self.buf) >= 2 + n:
                    f = self.buf[2:2 + n]
                    self.buf = self.buf[2 + n:]
                    return f
            left = end - time.time()
            if left <= 0:
                return None
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                return None
            b = os.read(self.p.stdout.fileno(), 65536)
            if not b:
                return None
            self.buf += b

    def drain(self, timeout=0.3):
        out = []
        while True:
            f = self.recv(timeout)
            if f is None:
                return out
            out.append(f)

    def close(self):
        self.p.kill()
        self.p.wait()


def mac(n):
    return bytes([0x02, 0, 0, 0, (n >> 8) & 0xff, n & 0xff])


BCAST = b"\xff" * 6


def frame(dst, src, payload=b"", size=0):
    f = dst + src + b"\x88\xb5" + payload
    if size > len(f):
        f += bytes((i & 0xff) for i in range(size - len(f)))
    return f


def peer(swdir, opts, port=0):
    if opts.get("plug"):
        return Plug(opts["plug"], swdir, port)
    return Client(swdir, port)


def wait_joined(peers, swdir, timeout=10.0):
    """
    Make sure every peer (a plug may still be in its handshake) is on the
    switch: rounds of a frame from each to an unknown address (flooded)
    until every peer's frame reached another peer and every peer received
    one (peers on one port do not see each other), timeout seconds at
    most; then nothing of it is left to read.
    """
    end = time.time() + timeout
    rnd = 0
    while True:
        rnd += 1
        for i, p in enumerate(peers):
            p.send(frame(mac(0xfff0), mac(0xff00 + i), b"hello%d." % rnd))
        heard, seen = set(), set()
        stop = min(end, time.time() + 0.5)
        while len(heard) < len(peers) or len(seen) < len(peers):
            if time.time() >= stop:
                break
            for j, p in enumerate(peers):
                f = p.recv(0.01)
                while f is not None:
                    if b"hello%d." % rnd in f:
                        seen.add(j)
                        heard.add(f[11])
                    f = p.recv(0)
        if len(heard) == len(peers) and len(seen) == len(peers):
            break
        if time.time() >= end:
            fail("peers not all on the switch after %gs" % timeout)
    for p in peers:
        p.drain(0.2)


def expect(p, pred, what, timeout=1.0):
    end = time.time() + timeout
    while time.time() < end:
        f = p.recv(end - time.time())
        if f is None:
            break
        if pred(f):
            return f
    fail("expected " + what)


FENCES = [0]


def expect_none(p, pred, what, fence=None, timeout=5.0):
    """
    No frame matching pred reaches p.  Call it once the frame that must
    not leak was seen elsewhere: the switch has then sent it to every
    port it goes to.  fence (another peer whose broadcasts reach p) then
    sends a broadcast, and p reads until that arrives (timeout seconds at
    most): a leak, even one held in an output queue, comes before it.
    Without a fence, p reads until it has been idle for a second.
    """
    if fence is None:
        frames = p.drain(1.0)
    else:
        FENCES[0] += 1
        tag = b"F-fence%d" % FENCES[0]
        fence.send(frame(BCAST, mac(0xfe00 + FENCES[0] % 256), tag))
        frames = []
        end = time.time() + timeout
        while True:
            left = end - time.time()
            f = p.recv(left) if left > 0 else None
            if f is None:
                fail("fence frame not delivered within %gs (checking %s)"
                     % (timeout, what))
            if tag in f:
                break
            frames.append(f)
    for f in frames:
        if pred(f):
            fail("unexpected " + what)


def tagged(tag):
    return lambda f: tag in f


# --- scenarios -------------------------------------------------------------

def sc_learn(swdir, opts):
    a, b, c = (peer(swdir, opts) for _ in range(3))
    wait_joined([a, b, c], swdir)
    a.send(frame(BCAST, mac(1), b"T-bcast"))
    expect(b, tagged(b"T-bcast"), "broadcast at b")
    expect(c, tagged(b"T-bcast"), "broadcast at c")
    expect_none(a, tagged(b"T-bcast"), "broadcast reflected to a", b)
    b.send(frame(mac(1), mac(2), b"T-reply"))
    expect(a, tagged(b"T-reply"), "learned unicast at a")
    expect_none(c, tagged(b"T-reply"), "learned unicast leaked to c", b)
    a.send(frame(mac(2), mac(1), b"T-uni"))
    expect(b, tagged(b"T-uni"), "unicast at b")
    expect_none(c, tagged(b"T-uni"), "unicast leaked to c", a)


def sc_flood(swdir, opts):
    a, b, c = (peer(swdir, opts) for _ in range(3))
    wait_joined([a, b, c], swdir)
    a.send(frame(mac(77), mac(1), b"T-unknown"))
    expect(b, tagged(b"T-unknown"), "unknown unicast flooded to b")
    expect(c, tagged(b"T-unknown"), "unknown unicast flooded to c")
    a.send(frame(b"\x01\x00\x5e\x00\x00\x01", mac(1), b"T-mcast"))
    expect(b, tagged(b"T-mcast"), "multicast at b")
    expect(c, tagged(b"T-mcast"), "multicast at c")
    # A multicast source is never learned: frames to it still flood.
    c.send(frame(mac(3), b"\x01\x00\x00\x00\x00\x09", b"T-msrc"))
    b.send(frame(b"\x01\x00\x00\x00\x00\x09", mac(2), b"T-tomsrc"))
    expect(a, tagged(b"T-tomsrc"), "frame to multicast address at a")
    # Padding of runts and whole jumbo frames.
    a.send(frame(BCAST, mac(1), b"T-runt"))
    f = expect(b, tagged(b"T-runt"), "runt at b")
    if len(f) != 60:
        fail("runt delivered as %d bytes, not 60" % len(f))
    big = frame(BCAST, mac(1), b"T-jumbo", 9216 + 14)
    a.send(big)
    f = expect(b, tagged(b"T-jumbo"), "jumbo at b")
    if f != big:
        fail("jumbo frame changed (%d bytes)" % len(f))


def sc_hub(swdir, opts):
    a, b, c = (peer(swdir, opts) for _ in range(3))
    wait_joined([a, b, c], swdir)
    b.send(frame(mac(1), mac(2), b"T-1"))
    a.send(frame(mac(2), mac(1), b"T-hub"))
    expect(b, tagged(b"T-hub"), "hub frame at b")
    expect(c, tagged(b"T-hub"), "hub frame at c (hub floods everything)")


def sc_short(swdir, opts):
    """Frames under 14 bytes vanish; the switch keeps forwarding."""
    a, b = Client(swdir), Client(swdir)
    for n in (0, 1, 13):
        a.send(b"\xff" * n)
    a.send(frame(BCAST, mac(1), b"T-after"))
    f = expect(b, lambda f: True, "a frame at b")
    if b"T-after" not in f:
        fail("a short frame was delivered (%d bytes)" % len(f))


def sc_oversize(swdir, opts):
    """A datagram bigger than any frame is dropped, not truncated."""
    a, b = Client(swdir), Client(swdir)
    a.data.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    a.send(frame(BCAST, mac(1), b"T-huge", 9300))
    a.send(frame(BCAST, mac(1), b"T-ok"))
    f = expect(b, lambda f: True, "a frame at b")
    if b"T-ok" not in f:
        fail("an oversized frame was delivered (%d bytes)" % len(f))


def sc_port(swdir, opts):
    """port N gives DIR/NNN.F, port 0 by REQ_NEW_PORT0, out of range EOF."""
    want = int(opts["args"][0])
    c = Client(swdir, port=want)
    if not os.path.basename(c.remote).startswith("%03d." % want):
        fail("asked for port %d, got %s" % (want, c.remote))
    z = Client(swdir, port0=True)
    if not os.path.basename(z.remote).startswith("000."):
        fail("port 0 request got %s" % z.remote)
    # A plug on port 0 and one on port want exchange frames.
    z.send(frame(BCAST, mac(10), b"T-p0"))
    expect(c, tagged(b"T-p0"), "frame from port 0")


def sc_numports(swdir, opts):
    n = int(opts["args"][0])
    peers = [Client(swdir) for _ in range(n)]
    names = sorted(os.path.basename(p.remote).split(".")[0] for p in peers)
    if names != ["%03d" % i for i in range(1, n + 1)]:
        fail("ports used: %s" % names)
    extra = Client(swdir, expect_fail=True)
    if extra.ok:
        fail("client %d accepted on a %d-port switch" % (n + 1, n))
    far = Client(swdir, port=n + 1, expect_fail=True)
    if far.ok:
        fail("port %d accepted on a %d-port switch" % (n + 1, n))
    # Freeing a port makes it usable again.
    peers[0].close()
    # The switch frees the port when it sees the close: until then a new
    # client is refused (every port is taken).
    end = time.time() + 5
    while True:
        again = Client(swdir, expect_fail=True)
        if again.ok:
            break
        again.close()
        if time.time() >= end:
            fail("freed port 1 not free after 5 s")
        time.sleep(0.05)
    if not os.path.basename(again.remote).startswith("001."):
        fail("freed port 1 not reused: %s" % again.remote)


def sc_mobility(swdir, opts):
    p1 = peer(swdir, opts, 3)
    p2 = peer(swdir, opts, 3)
    o = peer(swdir, opts)
    wait_joined([p1, p2, o], swdir)
    o.send(frame(BCAST, mac(9), b"T-dup"))
    expect(p1, tagged(b"T-dup"), "frame at cable 1 of port 3")
    expect(p2, tagged(b"T-dup"), "frame at cable 2 of port 3")
    p1.send(frame(BCAST, mac(3), b"T-norefl"))
    expect(o, tagged(b"T-norefl"), "frame from port 3 at the other port")
    expect_none(p2, tagged(b"T-norefl"), "reflection between cables", o)
    o.send(frame(mac(3), mac(9), b"T-uni3"))
    expect(p1, tagged(b"T-uni3"), "unicast at cable 1")
    expect(p2, tagged(b"T-uni3"), "unicast at cable 2")
    p1.close()
    # The switch has seen it go once it removed the cable's data socket.
    end = time.time() + 5
    while len([n for n in os.listdir(swdir) if n.startswith("003.")]) > 1:
        if time.time() >= end:
            fail("cable 1 of port 3 still there 5 s after it closed")
        time.sleep(0.05)
    o.send(frame(mac(3), mac(9), b"T-after"))
    expect(p2, tagged(b"T-after"), "traffic on the remaining cable")
    p2.send(frame(mac(9), mac(3), b"T-back"))
    expect(o, tagged(b"T-back"), "traffic from the remaining cable")


def raw_try(swdir, data, chunks=None):
    """Send raw handshake bytes; True when the switch replied."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(os.path.join(swdir, "ctl"))
    if chunks:
        for i in range(0, len(data), chunks):
            s.send(data[i:i + chunks])
            time.sleep(0.01)
    else:
        s.sendall(data)
    s.settimeout(5)
    try:
        got = s.recv(200)
    except socket.timeout:
        got = None
    except ConnectionResetError:
        got = b""   # closed with our bytes unread: a close all the same
    s.close()
    return got


def sc_bad(swdir, opts):
    """Every handshake defect closes that connection only."""
    good = Client(swdir)
    other = Client(swdir)
    d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    path = os.path.join(swdir, ".bad-%d" % os.getpid())
    d.bind(path)
    ok = request(path)
    cases = {
        "bad magic": request(path, magic=0x12345678),
        "version 2": request(path)[:4] + struct.pack("<I", 2) +
        request(path)[8:],
        "version 4": request(path)[:4] + struct.pack("<I", 4) +
        request(path)[8:],
        "bad type": request(path, rtype=7),
        "oversized": request(path, descr=b"x" * 300),
        "out of range port": request(path, port=100000),
        "not a socket": request("/etc/passwd"),
        "missing socket": request(os.path.join(swdir, "nonexistent")),
        "bad family": ok[:12] + sun_head(7) + ok[14:],
        "unterminated path": ok[:14] + b"A" * SUN_PATH + ok[HDR3:],
    }
    for what, data in cases.items():
        got = raw_try(swdir, data)
        if got is None:
            fail(what + ": connection neither answered nor closed")
        if got:
            fail(what + ": got a reply")
    # Truncated: the client closes before the header is complete.
    for n in (3, 7, 50, HDR3 - 1):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(os.path.join(swdir, "ctl"))
        s.send(ok[:n])
        s.close()
    # The header in small pieces is fine.
    got = raw_try(swdir, ok, chunks=5)
    if not got or len(got) != SUN_LEN:
        fail("request split in 5-byte writes was not answered")
    # Extra bytes after a complete request are ignored.
    c = Client(swdir)
    c.ctl.send(b"garbage after the request")
    good.send(frame(BCAST, mac(1), b"T-alive"))
    expect(other, tagged(b"T-alive"), "forwarding after bad requests")
    expect(c, tagged(b"T-alive"), "the client that sent extra bytes")
    os.unlink(path)


def sc_v1uml(swdir, opts):
    """Version 1 requests and user-mode-linux's 124-byte abstract one."""
    v1 = Client(swdir, version=1, descr=b"v1 client")
    if not LINUX:
        # No abstract names here: the version 1 client alone.
        other = Client(swdir)
        v1.send(frame(BCAST, mac(1), b"T-v1"))
        expect(other, tagged(b"T-v1"), "frame from the v1 client")
        print("no abstract sockets here: UML part not run", file=sys.stderr)
        return
    uml = Client(swdir, abstract=True)
    v1.send(frame(BCAST, mac(1), b"T-v1"))
    expect(uml, tagged(b"T-v1"), "frame from the v1 client at the UML one")
    uml.send(frame(mac(1), mac(2), b"T-uml"))
    expect(v1, tagged(b"T-uml"), "frame from the UML client")


def sc_slowreader(swdir, opts):
    """A client that never reads costs only its own frames."""
    slow = Client(swdir)
    a, b = Client(swdir), Client(swdir)
    for i in range(3000):
        a.send(frame(BCAST, mac(1), b"F%05d" % i, 1000))
        if i % 50 == 0:
            b.drain(0.001)
    b.drain(0.2)
    a.send(frame(BCAST, mac(1), b"T-last"))
    expect(b, tagged(b"T-last"), "frames after the slow reader filled up")
    slow.close()


def sc_burst(swdir, opts):
    """A burst to a cable that is not reading waits for it (bounded)."""
    a, b = Client(swdir), Client(swdir)
    b.send(frame(BCAST, mac(2), b"T-hi"))
    expect(a, tagged(b"T-hi"), "b's hello")
    # More than the kernel buffers for b's socket (measured on a socket
    # pair with the switch's 1 MiB send buffer), less than that plus the
    # switch's queue for b (256 KiB).
    x, y = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    x.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    x.setblocking(False)
    cap = 0
    try:
        while cap < 100000:
            x.send(b"\0" * 1000)
            cap += 1
    except BlockingIOError:
        pass
    x.close()
    y.close()
    n = cap + 150
    for i in range(n):
        a.send(frame(mac(2), mac(1), b"B%05d" % i, 1000))
        if i % 16 == 0:
            time.sleep(0.001)
    got = [f for f in b.drain(0.5) if b"B" in f[14:16]]
    idx = [int(f[15:20]) for f in got]
    if idx != list(range(n)):
        fail("burst of %d delivered %d frames, in order: %s" %
             (n, len(idx), idx == sorted(idx)))


def qframe(seq, size):
    """A frame whose every byte follows from its sequence number."""
    head = mac(2) + mac(1) + b"\x88\xb5" + struct.pack(">I", seq)
    off = (seq * 7) & 0xff
    return head + QPATTERN[off:off + size - len(head)]


QPATTERN = bytes(range(256)) * 40


def sc_queue(swdir, opts):
    """Bursts of mixed sizes to a slow reader: what arrives is intact and
    in order (the queue wraps around many times)."""
    import random
    rnd = random.Random(4711)
    a, b = Client(swdir), Client(swdir)
    b.send(frame(BCAST, mac(2), b"T-hi"))
    expect(a, tagged(b"T-hi"), "b's hello")
    a.data.setblocking(True)
    seq, got, last = 0, 0, -1

    def check(f):
        nonlocal got, last
        if f[12:14] != b"\x88\xb5" or f[:12] != mac(2) + mac(1):
            return
        n = struct.unpack(">I", f[14:18])[0]
        if n <= last:
            fail("frame %d after %d: out of order" % (n, last))
        if f != qframe(n, len(f)):
            fail("frame %d (%d bytes) corrupted" % (n, len(f)))
        last, got = n, got + 1

    for burst in range(60):
        for i in range(rnd.randint(100, 1500)):
            a.send(qframe(seq, rnd.choice((60, 200, 1514, 4000, 9230))))
            seq += 1
        # Read only part of it: the switch's queue for b stays busy.
        for i in range(rnd.randint(50, 800)):
            f = b.recv(0.05)
            if f is None:
                break
            check(f)
    for f in b.drain(0.5):
        check(f)
    if got < seq // 10:
        fail("only %d of %d frames arrived" % (got, seq))
    print("%d of %d frames delivered intact" % (got, seq), file=sys.stderr)


def sc_exhaust(swdir, opts):
    """More clients than the switch has descriptors: the extra ones fail,
    the switch survives, and once they leave everything works again."""
    n = int(opts["args"][0])
    a, b = Client(swdir), Client(swdir)
    many = [Client(swdir, expect_fail=True, timeout=0.3) for _ in range(n)]
    ok = sum(1 for c in many if c.ok)
    if ok == n:
        fail("all %d clients accepted: no exhaustion happened" % n)
    a.send(frame(BCAST, mac(1), b"T-full"))
    expect(b, tagged(b"T-full"), "forwarding while out of descriptors")
    for c in many:
        c.close()
    # The switch retries accept() after a second: poll for 10 s at most.
    end = time.time() + 10
    while True:
        c = Client(swdir, expect_fail=True, timeout=1)
        if c.ok:
            break
        c.close()
        if time.time() >= end:
            fail("no new client accepted within 10 s after the storm")
        time.sleep(0.05)
    a.send(frame(BCAST, mac(1), b"T-again"))
    expect(c, tagged(b"T-again"), "a new client after the storm")
    print("%d of %d accepted while exhausted" % (ok, n), file=sys.stderr)


def sc_cycles(swdir, opts):
    n = int(opts["args"][0])
    watcher_a, watcher_b = Client(swdir), Client(swdir)
    for i in range(n):
        c = Client(swdir)
        c.send(frame(BCAST, mac(100), b"C"))
        c.close()
        if i % 100 == 0:
            watcher_a.send(frame(BCAST, mac(1), b"T-w%d" % i))
            expect(watcher_b, tagged(b"T-w%d" % i),
                   "forwarding during cycle %d" % i)
    # Plain connects that close at once (as a second switch's probe).
    for i in range(n // 10):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(os.path.join(swdir, "ctl"))
        s.close()


def sc_security(swdir, opts):
    """Run as an unprivileged uid: a socket of another user is refused."""
    uid = int(opts["args"][0])
    victim = opts["args"][1]       # a socket path not owned by uid
    mine = Client(swdir, port=7)   # root's cable on port 7
    os.setgid(uid)
    os.setuid(uid)
    c = Client(swdir)              # own socket: accepted
    st = os.stat(c.remote)
    if st.st_uid != uid or (st.st_mode & 0o777) != 0o600:
        fail("data socket %s: uid %d mode %o, want %d 600" %
             (c.remote, st.st_uid, st.st_mode & 0o777, uid))
    got = raw_try(swdir, request(victim))
    if got:
        fail("switch accepted a request naming %s" % victim)
    # Another user's active port: no second cable for us.
    other = Client(swdir, port=7, expect_fail=True)
    if other.ok:
        fail("a second user joined root's port 7")
    c.send(frame(BCAST, mac(1), b"T-sec"))
    expect(mine, tagged(b"T-sec"), "frame from the unprivileged client")
    c.close()


def count_of(path):
    """The count fakeos.so keeps in path (0 before the first)."""
    try:
        with open(path) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def sc_stall(swdir, opts):
    """The switch under fakeos.so with FAKEOS_ENOBUFS=FLAG: while FLAG
    exists its sends fail with ENOBUFS and poll() still says writable (as
    on FreeBSD).  It must retry from a timer, backing off, not spin, and
    deliver what it queued once the stall ends."""
    flag, countf = opts["args"][0], opts["args"][1]
    a, b = Client(swdir), Client(swdir)
    wait_joined([a, b], swdir)
    open(flag, "w").close()
    for i in range(5):
        a.send(frame(BCAST, mac(1), b"T-stall%d" % i))
    end = time.time() + 5
    while count_of(countf) == 0:
        if time.time() > end:
            fail("the switch never sent during the stall")
        time.sleep(0.01)
    # The measure: the sends refused in one second of the stall.
    c0 = count_of(countf)
    time.sleep(1.0)
    tries = count_of(countf) - c0
    os.unlink(flag)
    for i in range(5):
        expect(b, tagged(b"T-stall%d" % i), "frame %d after the stall" % i,
               timeout=3)
    if tries > 40:
        fail("%d sends refused with ENOBUFS in 1 s: the switch spins "
             "instead of backing off" % tries)
    print("%d sends refused in 1 s" % tries, file=sys.stderr)


def sc_bigbatch(swdir, opts):
    """The switch under fakeos.so with a small FAKEOS_SNDBUF: a frame larger
    than its send buffer (EMSGSIZE) first in a batch loses only itself.
    The switch is stopped while the batch is sent, so that it reads the
    whole batch at once."""
    pid, size = int(opts["args"][0]), int(opts["args"][1])
    a, b = Client(swdir), Client(swdir)
    wait_joined([a, b], swdir)
    os.kill(pid, signal.SIGSTOP)
    try:
        a.send(frame(BCAST, mac(1), b"T-big", size=size))
        for i in range(8):
            a.send(frame(BCAST, mac(1), b"T-small%d" % i))
    finally:
        os.kill(pid, signal.SIGCONT)
    for i in range(8):
        expect(b, tagged(b"T-small%d" % i),
               "small frame %d after a refused %d-byte frame" % (i, size))
    expect_none(b, tagged(b"T-big"), "the %d-byte frame" % size)


SCENARIOS = {
    "learn": sc_learn, "flood": sc_flood, "hub": sc_hub, "short": sc_short,
    "oversize": sc_oversize, "port": sc_port, "numports": sc_numports,
    "mobility": sc_mobility, "bad": sc_bad, "v1uml": sc_v1uml,
    "slowreader": sc_slowreader, "burst": sc_burst,
    "queue": sc_queue, "exhaust": sc_exhaust, "cycles": sc_cycles,
    "security": sc_security, "stall": sc_stall, "bigbatch": sc_bigbatch,
}


def main():
    argv = sys.argv[1:]
    opts = {"plug": None}
    if "--plug" in argv:
        i = argv.index("--plug")
        opts["plug"] = argv[i + 1]
        del argv[i:i + 2]
    if len(argv) < 2 or argv[0] not in SCENARIOS:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    opts["args"] = argv[2:]
    SCENARIOS[argv[0]](argv[1], opts)
    print("ok")


if __name__ == "__main__":
    main()
