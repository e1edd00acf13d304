#!/usr/bin/env python3
"""handshakes: N control handshakes with a switch, one after the other.

Each binds a client datagram socket in the switch directory (as VDE 2's
library does), sends a version 3 request, reads the reply, connects to
the switch's data socket, and closes both.  Prints "done=N per_s=R"
(handshakes that got a reply, and handshakes a second).

usage: handshakes.py SWDIR N
"""

import os
import socket
import struct
import sys
import time

MAGIC = 0xfeedface


def sun(path):
    """A Linux sockaddr_un: family and 108 path bytes."""
    return struct.pack("<H", socket.AF_UNIX) + path.encode().ljust(108, b"\0")


def main():
    swdir, n = sys.argv[1], int(sys.argv[2])
    ctlpath = os.path.join(swdir, "ctl")
    replen = 2 + 108
    done = 0
    t0 = time.monotonic()
    for i in range(n):
        path = os.path.join(swdir, ".%05d-%05d" % (os.getpid(), i % 100000))
        d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        d.bind(path)
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(ctlpath)
        c.sendall(struct.pack("<III", MAGIC, 3, 0) + sun(path) + b"bench")
        got = b""
        while len(got) < replen:
            b = c.recv(replen - len(got))
            if not b:
                break
            got += b
        os.unlink(path)
        if len(got) == replen:
            d.connect(got[2:].split(b"\0", 1)[0].decode())
            done += 1
        d.close()
        c.close()
    dt = time.monotonic() - t0
    print("done=%d per_s=%.0f" % (done, done / dt if dt > 0 else 0))


if __name__ == "__main__":
    main()
