#!/usr/bin/env python3
"""plugpair.py: drive two stream plugs and check frames end to end.

    plugpair.py [options] --a "CMD A" --b "CMD B"

Runs the two commands (through sh -c); each must speak the vde_plug
stream framing (2-byte big-endian length, then the frame) on its stdin
and stdout, e.g. "vde_plug DIR" on two switches joined somehow.  The
helper first waits until a probe sent into A comes out of B (the path is
up), then checks, in both directions unless --one-way:

  --sizes 60,1514,9000   frames of these sizes arrive whole and unchanged
  --split                A's records are written one byte per write, and
                         a 60-byte record is cut at every possible byte
  --junk                 records of length 0, 1, 13 and 9300 sent into A
                         are dropped and the stream stays in sync: the
                         next frame arrives intact and nothing else does

Exit 0 when every check passed; the reason on stderr otherwise.
"""
import argparse
import os
import select
import struct
import subprocess
import sys
import time

ETHERTYPE = b'\x88\xb5'          # IEEE local experimental
BCAST = b'\xff' * 6


def frame(src, tag, size):
    """A broadcast frame of size bytes whose payload names tag."""
    head = BCAST + src + ETHERTYPE
    body = tag.encode().ljust(24, b'.')
    pad = bytes((i * 7 + len(tag)) & 0xff for i in range(max(0, size - 14 - 24)))
    return (head + body + pad)[:size]


class Plug:
    def __init__(self, name, cmd):
        self.name = name
        self.p = subprocess.Popen(['sh', '-c', cmd], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, bufsize=0)
        self.buf = b''

    def write(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, fr, split=False):
        rec = struct.pack('>H', len(fr)) + fr
        if split:
            for i in range(len(rec)):
                self.write(rec[i:i + 1])
        else:
            self.write(rec)

    def recv(self, timeout):
        """The next frame from the plug, or None after timeout seconds."""
        end = time.time() + timeout
        while True:
            if len(self.buf) >= 2:
                n = struct.unpack('>H', self.buf[:2])[0]
                if len(self.buf) >= 2 + n:
                    fr = self.buf[2:2 + n]
                    self.buf = self.buf[2 + n:]
                    return fr
            left = end - time.time()
            if left <= 0:
                return None
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                return None
            data = os.read(self.p.stdout.fileno(), 65536)
            if not data:
                raise SystemExit('%s: plug closed its stdout' % self.name)
            self.buf += data

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        try:
            self.p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def expect(rx, want, timeout, what):
    """Wait for frame want at rx; probes and our own echoes are skipped."""
    end = time.time() + timeout
    while time.time() < end:
        fr = rx.recv(end - time.time())
        if fr is None:
            break
        if fr == want:
            return
        if b'probe' in fr[14:40]:
            continue
        # Switches pad runts to 60 bytes: compare the meaningful part.
        if len(want) < 60 and fr[:len(want)] == want and \
                fr[len(want):] == b'\0' * (len(fr) - len(want)):
            return
        raise SystemExit('%s: unexpected frame of %d bytes (wanted %d): %r'
                         % (what, len(fr), len(want), fr[:40]))
    raise SystemExit('%s: frame of %d bytes never arrived' % (what, len(want)))


def sync(tx, rx, srcmac, timeout):
    """Send probes until one crosses: both plugs and the path are up."""
    end = time.time() + timeout
    n = 0
    while time.time() < end:
        tx.send(frame(srcmac, 'probe%d' % n, 60))
        n += 1
        fr = rx.recv(0.2)
        while fr is not None:
            if b'probe' in fr[14:40]:
                # Drain the probes still in flight before going on.
                while rx.recv(0.3) is not None:
                    pass
                return
            fr = rx.recv(0.05)
    raise SystemExit('no path from %s to %s within %ds'
                     % (tx.name, rx.name, timeout))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--a', required=True)
    ap.add_argument('--b', required=True)
    ap.add_argument('--sizes', default='60,1514')
    ap.add_argument('--split', action='store_true')
    ap.add_argument('--junk', action='store_true')
    ap.add_argument('--one-way', action='store_true')
    ap.add_argument('--timeout', type=float, default=15)
    o = ap.parse_args()

    a = Plug('A', o.a)
    b = Plug('B', o.b)
    mac_a = b'\x02\x00\x00\xaa\x00\x01'
    mac_b = b'\x02\x00\x00\xbb\x00\x02'
    try:
        sync(a, b, mac_a, o.timeout)
        sizes = [int(s) for s in o.sizes.split(',') if s]
        for s in sizes:
            fr = frame(mac_a, 'a2b-%d' % s, s)
            a.send(fr, o.split)
            expect(b, fr, 5, 'A to B, %d bytes' % s)
        if o.split:
            fr = frame(mac_a, 'cut', 60)
            rec = struct.pack('>H', len(fr)) + fr
            for cut in range(1, len(rec)):
                a.write(rec[:cut])
                time.sleep(0.002)
                a.write(rec[cut:])
                expect(b, fr, 5, 'record cut at byte %d' % cut)
        if o.junk:
            for n in (0, 1, 13, 9300):
                a.write(struct.pack('>H', n) + b'\x11' * n)
            fr = frame(mac_a, 'after-junk', 60)
            a.send(fr)
            expect(b, fr, 5, 'first frame after the junk records')
            # And nothing else: no fragment of the junk came out as a frame.
            extra = b.recv(0.5)
            while extra is not None and b'probe' in extra[14:40]:
                extra = b.recv(0.5)
            if extra is not None:
                raise SystemExit('junk leaked: a frame of %d bytes' % len(extra))
        if not o.one_way:
            sync(b, a, mac_b, o.timeout)
            for s in sizes:
                fr = frame(mac_b, 'b2a-%d' % s, s)
                b.send(fr)
                expect(a, fr, 5, 'B to A, %d bytes' % s)
    finally:
        a.close()
        b.close()
    print('ok')


if __name__ == '__main__':
    main()
