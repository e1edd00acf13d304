#!/usr/bin/env python3
"""vxlearn: how long a mesh of VXLAN switches takes to learn every host.

Starts in each namespace NS<i> a sender bound to interface IF<i> that
waits for a line on its stdin, then sends one broadcast frame from
02:00:00:00:aa:<i> (hex).  Connects to the consoles of switches 1..N
(MGMT<i>.mgmt) and empties the VTEP table of each one's VXLAN port 5
(vxlan/set 5 fdbmax=4096).  Then it releases all senders at once and
reads "vxlan/print 5" of every switch whose table is not yet full (N - 1
entries) over and over, on open connections, until all are.  Prints
"learn_ms=T round_ms=R": T from the release until the round that found
the last table full, R a whole round of N reads (the resolution).

usage: vxlearn.py N NS-PREFIX IF-PREFIX MGMT-PREFIX
"""

import re
import select
import socket
import subprocess
import sys
import time

PROMPT = b"\nvde$ "


def read_reply(s, buf):
    end = time.monotonic() + 5
    while PROMPT not in buf:
        if time.monotonic() > end:
            sys.exit("vxlearn: no prompt from a console")
        r, _, _ = select.select([s], [], [], 0.5)
        if r:
            d = s.recv(65536)
            if not d:
                sys.exit("vxlearn: a console closed")
            buf += d
    i = buf.index(PROMPT)
    return buf[:i].decode(errors="replace"), buf[i + len(PROMPT):]


class Console:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        _, self.buf = read_reply(self.s, b"")

    def cmd(self, c):
        self.s.sendall(c.encode() + b"\n")
        reply, self.buf = read_reply(self.s, self.buf)
        return reply


def entries(con):
    m = re.search(r"^ fdb (\d+) entries", con.cmd("vxlan/print 5"), re.M)
    return int(m.group(1)) if m else 0


SENDER = """
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
f = b"\\xff" * 6 + bytes([2, 0, 0, 0, 0xaa, int(sys.argv[2])]) + \\
    b"\\x88\\xb5" + b"vxlearn".ljust(46, b".")
print("ready", flush=True)
sys.stdin.readline()
s.send(f)
"""


def main():
    n, nsp, ifp, mgp = int(sys.argv[1]), sys.argv[2], sys.argv[3], \
        sys.argv[4]
    procs = [subprocess.Popen(["ip", "netns", "exec", "%s%d" % (nsp, i),
                               sys.executable, "-c", SENDER,
                               "%s%d" % (ifp, i), str(i)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
             for i in range(1, n + 1)]
    for p in procs:
        if p.stdout.readline().strip() != b"ready":
            sys.exit("vxlearn: a sender did not start")
    cons = [Console("%s%d.mgmt" % (mgp, i)) for i in range(1, n + 1)]
    for c in cons:
        c.cmd("vxlan/set 5 fdbmax=4096")
    t0 = time.monotonic()
    for p in procs:
        p.stdin.write(b"go\n")
        p.stdin.flush()
    todo = list(cons)
    while todo:
        if time.monotonic() - t0 > 20:
            sys.exit("vxlearn: tables not full after 20 s")
        todo = [c for c in todo if entries(c) < n - 1]
    t1 = time.monotonic()
    r0 = time.monotonic()
    for c in cons:
        entries(c)
    r1 = time.monotonic()
    for p in procs:
        p.wait()
    print("learn_ms=%.1f round_ms=%.1f" % ((t1 - t0) * 1e3, (r1 - r0) * 1e3))


if __name__ == "__main__":
    main()
