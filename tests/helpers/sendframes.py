#!/usr/bin/env python3
"""sendframes.py COUNT [SIZE [LINGER]]: write COUNT broadcast frames of SIZE
bytes (default 60) in the vde_plug stream framing to stdout, then wait
LINGER seconds (default 1) before closing it, so that a vde_plug reading
them has sent them all before it sees EOF."""
import os
import struct
import sys
import time

count = int(sys.argv[1])
size = int(sys.argv[2]) if len(sys.argv) > 2 else 60
linger = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
out = sys.stdout.buffer
for i in range(count):
    fr = b'\xff' * 6 + b'\x02\x00\x00\xcc\x00\x01' + b'\x88\xb5'
    fr += ('flood%d' % i).encode().ljust(size - 14, b'.')
    out.write(struct.pack('>H', len(fr)) + fr)
out.flush()
time.sleep(linger)
