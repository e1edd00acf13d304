#!/usr/bin/env python3
"""cablehog: a hostile VDE client and its partners, for limits_test.

    cablehog.py hog SWDIR SOCKDIR COUNT [PORT]
        Bind one datagram socket in SOCKDIR and never read it; make COUNT
        control connections to SWDIR/ctl, one after the other, each asking
        for PORT (0: any port) with that one socket as its data socket.
        Keep every accepted connection open, close refused ones, print
        "accepted A refused R" and wait until killed.
    cablehog.py flood SWDIR COUNT SIZE
        One cable sending COUNT broadcast frames of SIZE bytes (waiting
        for room on its own socket, never for anybody else), then print
        "sent COUNT" and wait until killed.
    cablehog.py idle SWDIR
        One cable that connects, prints "ready" and then neither reads nor
        sends until the file SWDIR/../drain exists; it then reads
        everything that arrives for 2 seconds, prints "read N" and waits.
    cablehog.py count SWDIR SECONDS
        One cable that prints "ready", counts the IPv4 TCP frames to port 9
        that arrive until one to port 10 does (gsoinject.py's marker) and
        prints the count ("timeout N" after SECONDS without the marker).
"""
import os
import resource
import select
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vdepeer  # noqa: E402

REPLY = vdepeer.SUN_LEN


def handshake(swdir, path, port):
    """One control connection naming path: the socket, or None."""
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        c.connect(os.path.join(swdir, "ctl"))
        c.sendall(vdepeer.request(path, port, 0, 3, b"cablehog"))
        c.settimeout(10)
        got = b""
        while len(got) < REPLY:
            b = c.recv(REPLY - len(got))
            if not b:
                break
            got += b
    except OSError:
        got = b""
    if len(got) == REPLY:
        return c
    c.close()
    return None


def hog(swdir, sockdir, count, port):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, count + 64) if hard != resource.RLIM_INFINITY \
        else count + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    data = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    path = os.path.join(sockdir, "hog.%d" % os.getpid())
    data.bind(path)
    held = []
    refused = 0
    for _ in range(count):
        c = handshake(swdir, path, port)
        if c is None:
            refused += 1
        else:
            held.append(c)
    print("accepted %d refused %d" % (len(held), refused), flush=True)
    while True:
        signal.pause()


def flood(swdir, count, size, port):
    c = vdepeer.Client(swdir, port=port, descr=b"flood")
    src = vdepeer.mac(0x4242)
    for i in range(count):
        c.send(vdepeer.frame(vdepeer.BCAST, src, struct.pack(">I", i), size))
    print("sent %d" % count, flush=True)
    while True:
        signal.pause()


def idle(swdir):
    c = vdepeer.Client(swdir, descr=b"idle")
    print("ready", flush=True)
    flag = os.path.join(os.path.dirname(swdir.rstrip("/")), "drain")
    while not os.path.exists(flag):
        time.sleep(0.05)
    n = len(c.drain(2.0))
    print("read %d" % n, flush=True)
    while True:
        signal.pause()


def count(swdir, seconds):
    c = vdepeer.Client(swdir, descr=b"count")
    print("ready", flush=True)
    n = 0
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([c.data], [], [], 0.1)
        if not r:
            continue
        try:
            while True:
                f = c.data.recv(70000)
                # IPv4 TCP (gsoinject.py): port 9 counts, port 10 ends.
                if len(f) < 38 or f[12:14] != b"\x08\x00" or f[23] != 6:
                    continue
                ihl = (f[14] & 15) * 4
                dport = struct.unpack(">H", f[14 + ihl + 2:14 + ihl + 4])[0]
                if dport == 10:
                    print(n, flush=True)
                    return
                if dport == 9:
                    n += 1
        except BlockingIOError:
            pass
    print("timeout %d" % n, flush=True)


def main():
    a = sys.argv[1:]
    if len(a) >= 4 and a[0] == "hog":
        hog(a[1], a[2], int(a[3]), int(a[4]) if len(a) > 4 else 0)
    elif len(a) in (4, 5) and a[0] == "flood":
        flood(a[1], int(a[2]), int(a[3]), int(a[4]) if len(a) > 4 else 0)
    elif len(a) == 2 and a[0] == "idle":
        idle(a[1])
    elif len(a) == 3 and a[0] == "count":
        count(a[1], float(a[2]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


main()
