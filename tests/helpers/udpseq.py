#!/usr/bin/env python3
"""
udpseq.py: a sequence-numbered UDP stream, to count frames lost or
duplicated on the way (TCP would hide both).

  udpseq.py recv PORT COUNT PROGRESS   print "received R unique U lost L
                                        duplicated D most M" (M: copies of
                                        the most copied) once sequence number
                                        COUNT-1 arrived, or 3 s after the
                                        last datagram; write the number of
                                        datagrams so far to the file
                                        PROGRESS every 50
  udpseq.py send ADDR PORT COUNT GAP   send COUNT datagrams, GAP seconds
                                        apart
"""

import os
import socket
import struct
import sys
import time

MAGIC = b"vdeseq\0\0"


def recv(port, count, progress):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    s.settimeout(30)
    seen = {}
    total = 0
    while True:
        try:
            d, _ = s.recvfrom(2048)
        except socket.timeout:
            break
        if len(d) < 12 or d[:8] != MAGIC:
            continue
        (n,) = struct.unpack("!I", d[8:12])
        seen[n] = seen.get(n, 0) + 1
        total += 1
        s.settimeout(3)
        if total % 50 == 0:
            with open(progress + ".tmp", "w") as f:
                f.write("%d\n" % total)
            os.replace(progress + ".tmp", progress)
        if n == count - 1:
            # Let duplicates of the last ones arrive too.
            s.settimeout(0.5)
    unique = sum(1 for n in seen if n < count)
    dup = sum(c - 1 for c in seen.values())
    most = max(seen.values()) if seen else 0
    print("received %d unique %d lost %d duplicated %d most %d"
          % (total, unique, count - unique, dup, most))


def send(addr, port, count, gap):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    pad = bytes(100)
    start = time.monotonic()
    for n in range(count):
        s.sendto(MAGIC + struct.pack("!I", n) + pad, (addr, port))
        # Keep to the schedule: a late wake-up does not slow the stream.
        ahead = start + (n + 1) * gap - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "recv":
        recv(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 6 and sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
             float(sys.argv[5]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
