#!/usr/bin/env python3
"""wfprobe.py: measure what a cable does to numbered frames.

    wfprobe.py --a "CMD A" --b "CMD B" [--count N] [--dir lr|rl|both]
               [--size BYTES] [--rate FRAMES_PER_S] [--settle S]

CMD A and CMD B (run through sh -c) speak vde_plug's stream framing,
e.g. "vde_plug S1" and "vde_plug S2" on two switches joined by the cable
under test.  After a probe gets through in the direction(s) under test
(a lossy cable may need many probes), COUNT numbered frames are sent
from A to B (lr), B to A (rl) or both, paced at RATE frames/s, each
carrying its send time.  Then frames are counted until none has
arrived for SETTLE seconds.  One line of JSON per direction is printed:
sent, received (all copies), unique, dup (extra copies), lost,
bursts (runs of consecutive lost sequence numbers), burst_mean,
reordered (frames that arrived after a later-numbered one), and the
delays (ms) of first copies: delay_mean, delay_sd, delay_median and
delay_iqr (interquartile range; the median and the IQR resist the
scheduling hiccups of a loaded machine), delay_max, and rx_fps, the rate
at which frames arrived from the first to the last.  For noise: each
frame carries a CRC-32 of its contents; intact counts the sequence
numbers that arrived with a good one, and noise_bits the bits set in
the zero padding after it (noise_bytes bytes of padding looked at, over
all copies that arrived).  The probes that check the path
is up are 60 bytes long whatever --size says.
"""
import argparse
import json
import math
import os
import select
import struct
import subprocess
import sys
import time
import zlib

ETHERTYPE = b'\x88\xb5'
BCAST = b'\xff' * 6
MAGIC = b'WFPR'


class Plug:
    def __init__(self, cmd):
        self.p = subprocess.Popen(['sh', '-c', cmd], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, bufsize=0)
        self.fd = self.p.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.buf = b''

    def send(self, fr):
        self.p.stdin.write(struct.pack('>H', len(fr)) + fr)

    def frames(self):
        """The whole records read so far."""
        try:
            data = os.read(self.fd, 1 << 20)
        except BlockingIOError:
            data = b''
        self.buf += data
        out = []
        while len(self.buf) >= 2:
            n = struct.unpack('>H', self.buf[:2])[0]
            if len(self.buf) < 2 + n:
                break
            out.append(self.buf[2:2 + n])
            self.buf = self.buf[2 + n:]
        return out

    def close(self):
        self.p.stdin.close()
        self.p.terminate()
        self.p.wait()


def frame(src, d, kind, seq, size):
    head = BCAST + src + ETHERTYPE
    body = MAGIC + bytes([d, kind]) + struct.pack('>IQ', seq,
                                                  time.monotonic_ns())
    fr = (head + body + b'\0' * 4).ljust(size, b'\0')
    crc = struct.pack('>I', zlib.crc32(fr))
    return fr[:32] + crc + fr[36:]


def intact(fr):
    """Whether the frame's CRC-32 (bytes 32 to 35, taken as zeros) holds."""
    if len(fr) < 36:
        return False
    return zlib.crc32(fr[:32] + b'\0' * 4 + fr[36:]) == \
        struct.unpack('>I', fr[32:36])[0]


def padbits(fr):
    """The bits set in the zero padding after the CRC."""
    return sum(bin(b).count('1') for b in fr[36:] if b)


def parse(fr):
    if len(fr) < 14 + 18 or fr[12:14] != ETHERTYPE or fr[14:18] != MAGIC:
        return None
    d, kind = fr[18], fr[19]
    seq, t = struct.unpack('>IQ', fr[20:32])
    return d, kind, seq, t, intact(fr), padbits(fr), max(0, len(fr) - 36)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--a', required=True)
    ap.add_argument('--b', required=True)
    ap.add_argument('--count', type=int, default=1000)
    ap.add_argument('--dir', default='both')
    ap.add_argument('--size', type=int, default=100)
    ap.add_argument('--rate', type=float, default=10000)
    ap.add_argument('--settle', type=float, default=1.0)
    ap.add_argument('--up', type=float, default=20.0)
    args = ap.parse_args()

    plugs = [Plug(args.a), Plug(args.b)]
    srcs = [b'\x02\x00\x00\x00\x00\x0a', b'\x02\x00\x00\x00\x00\x0b']
    dirs = {'lr': [0], 'rl': [1], 'both': [0, 1]}[args.dir]
    # Frames of direction d go from plugs[d] to plugs[1 - d].
    got = {d: [] for d in dirs}         # (seq, arrival ns, send ns, ok)
    noise = {d: [0, 0] for d in dirs}   # padding bits set, bytes seen
    up = {d: False for d in dirs}

    def poll(timeout):
        r, _, _ = select.select([p.fd for p in plugs], [], [], timeout)
        now = time.monotonic_ns()
        for i, p in enumerate(plugs):
            if p.fd not in r:
                continue
            for fr in p.frames():
                x = parse(fr)
                if x is None:
                    continue
                d, kind, seq, t, ok, bits, nbytes = x
                if d not in got or 1 - d != i:
                    continue
                if kind == 0:
                    up[d] = True
                else:
                    got[d].append((seq, now, t, ok))
                    noise[d][0] += bits
                    noise[d][1] += nbytes

    deadline = time.monotonic() + args.up
    while not all(up.values()):
        if time.monotonic() > deadline:
            sys.exit('wfprobe: the cable never passed a probe')
        for d in dirs:
            if not up[d]:
                plugs[d].send(frame(srcs[d], d, 0, 0, 60))
        poll(0.02)
    poll(0.2)

    start = time.monotonic()
    for seq in range(args.count):
        due = start + seq / args.rate
        while True:
            left = due - time.monotonic()
            if left <= 0:
                break
            poll(min(left, 0.05))
        # Late (the machine is busy): the schedule moves on rather than
        # catching up with a burst that the path might drop.
        if -left > 8 / args.rate:
            start += -left
        for d in dirs:
            plugs[d].send(frame(srcs[d], d, 1, seq, args.size))
        if seq % 64 == 0:
            poll(0)
    # Settle: until nothing has arrived for SETTLE seconds (a loaded
    # machine may hold frames in the pipes for a while), 30 s at most.
    hard = time.monotonic() + 30
    last = (-1, time.monotonic())
    while time.monotonic() < hard:
        poll(0.05)
        n = sum(len(v) for v in got.values())
        if n != last[0]:
            last = (n, time.monotonic())
        elif time.monotonic() - last[1] > args.settle:
            break
    for p in plugs:
        p.close()

    for d in dirs:
        rows = got[d]
        seen = set()
        good = set()
        delays = []
        reordered = 0
        top = -1
        for seq, now, t, ok in rows:
            if ok:
                good.add(seq)
            if seq < top:
                reordered += 1
            top = max(top, seq)
            if seq not in seen:
                seen.add(seq)
                delays.append((now - t) / 1e6)
        bursts = []
        run = 0
        for seq in range(args.count):
            if seq in seen:
                if run:
                    bursts.append(run)
                run = 0
            else:
                run += 1
        if run:
            bursts.append(run)
        n = len(delays)
        mean = sum(delays) / n if n else 0.0
        sd = math.sqrt(sum((x - mean) ** 2 for x in delays) / (n - 1)) \
            if n > 1 else 0.0
        ds = sorted(delays)

        def q(f):
            return ds[min(n - 1, int(f * n))] if n else 0.0
        print(json.dumps({
            'dir': ['lr', 'rl'][d], 'sent': args.count,
            'received': len(rows), 'unique': len(seen),
            'dup': len(rows) - len(seen), 'lost': args.count - len(seen),
            'bursts': len(bursts),
            'burst_mean': sum(bursts) / len(bursts) if bursts else 0.0,
            'reordered': reordered,
            'first_lost': min(set(range(args.count)) - seen, default=-1),
            'last_lost': max(set(range(args.count)) - seen, default=-1),
            'delay_mean': round(mean, 3), 'delay_sd': round(sd, 3),
            'rx_fps': round((len(rows) - 1) * 1e9 /
                            (rows[-1][1] - rows[0][1]), 2)
            if len(rows) > 1 and rows[-1][1] > rows[0][1] else 0.0,
            'delay_median': round(q(0.5), 3),
            'delay_max': round(ds[-1], 3) if n else 0.0,
            'intact': len(good), 'noise_bits': noise[d][0],
            'noise_bytes': noise[d][1],
            'delay_iqr': round(q(0.75) - q(0.25), 3)}))


if __name__ == '__main__':
    main()
