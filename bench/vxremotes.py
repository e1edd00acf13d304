#!/usr/bin/env python3
"""vxremotes: memory per remote VTEP of a VXLAN port, in one switch.

Reads the switch's VmRSS, adds N remotes (10.216.x.y) to its VXLAN port 5
over one console connection (vxlan/addremote), reads VmRSS again and
prints "before_kb=A after_kb=B per_remote=C" (C in bytes).

usage: vxremotes.py PID MGMT N
"""

import sys

from vxlearn import Console


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    sys.exit("vxremotes: no VmRSS for %d" % pid)


def main():
    pid, mgmt, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    con = Console(mgmt)
    a = rss_kb(pid)
    for j in range(1, n + 1):
        r = con.cmd("vxlan/addremote 5 10.216.%d.%d" % (j // 250,
                                                        j % 250 + 1))
        if "1000 " not in r:
            sys.exit("vxremotes: addremote %d: %s" % (j, r.strip()))
    b = rss_kb(pid)
    print("before_kb=%d after_kb=%d per_remote=%.0f" %
          (a, b, (b - a) * 1024.0 / n))


main()
