#!/usr/bin/env python3
"""attack: what an unprivileged local user tries against a root switch.

Each command runs one attack for a bounded number of rounds and seconds,
prints what it achieved on its side ("handshakes N", ...) and exits 0; the
test then looks at what it must not have changed.  Run it as the attacker
(e.g. nobody): it never needs privileges.

usage: attack.py chownrace SWDIR VICTIM ROUNDS SECONDS
       attack.py connectrace SWDIR BASE ROOTSOCK ROUNDS SECONDS
       attack.py hold SWDIR COUNT STOPFILE SECONDS
       attack.py probe SWDIR PATH              (one handshake naming PATH)
       attack.py sink SOCK STOPFILE SECONDS      (the victim's side)
"""

import os
import select
import signal
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vdepeer  # noqa: E402


def handshake(swdir, path, port=0, timeout=2.0):
    """One control handshake naming path; the reply's path, or None."""
    ctl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        ctl.connect(os.path.join(swdir, "ctl"))
        ctl.sendall(vdepeer.request(path, port, 0, 3, b"attack"))
        ctl.settimeout(timeout)
        got = b""
        while len(got) < vdepeer.SUN_LEN:
            b = ctl.recv(vdepeer.SUN_LEN - len(got))
            if not b:
                break
            got += b
    except OSError:
        got = b""
    if len(got) != vdepeer.SUN_LEN:
        ctl.close()
        return None, None
    return ctl, got[2:].split(b"\0", 1)[0].decode()


def forever(fn):
    """Run fn() in a child until it is killed; returns the child's pid."""
    pid = os.fork()
    if pid == 0:
        try:
            while True:
                fn()
        finally:
            os._exit(0)
    return pid


def stop(pid):
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def chownrace(swdir, victim, rounds, seconds):
    """Plant symlinks to victim over the data socket names the switch will
    bind (DIR/NNN.F: port 1, small descriptor numbers) while asking for
    ports as fast as possible: the switch must never chown or chmod the
    victim through them."""
    names = ["%03d.%d" % (1, fd) for fd in range(3, 48)]
    tmp = os.path.join(swdir, ".planted-%d" % os.getpid())

    def plant():
        for n in names:
            try:
                os.symlink(victim, tmp)
                os.rename(tmp, os.path.join(swdir, n))
            except OSError:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    child = forever(plant)
    done = 0
    end = time.monotonic() + seconds
    own = os.path.join(swdir, ".%05d-att" % os.getpid())
    try:
        for _ in range(rounds):
            if time.monotonic() > end:
                break
            data = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            try:
                os.unlink(own)
            except OSError:
                pass
            data.bind(own)
            ctl, _ = handshake(swdir, own)
            if ctl is not None:
                done += 1
                ctl.close()
            data.close()
    finally:
        stop(child)
        for n in names + [os.path.basename(own)]:
            p = os.path.join(swdir, n)
            if os.path.islink(p) or n == os.path.basename(own):
                try:
                    os.unlink(p)
                except OSError:
                    pass
    print("handshakes %d" % done)


def connectrace(swdir, base, rootsock, rounds, seconds):
    """Name BASE/l/sock as the client socket while flipping the symlink
    BASE/l between a directory of ours (with our socket "sock") and the
    directory of rootsock (a socket only root may use, also named "sock"),
    and send broadcasts from a second cable of ours after every accepted
    handshake: none of them may reach rootsock."""
    own = os.path.join(base, "own")
    os.mkdir(own, 0o755)
    mine = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    mine.bind(os.path.join(own, "sock"))
    link = os.path.join(base, "l")
    os.symlink(own, link)
    targets = [own, os.path.dirname(rootsock)]
    tmp = os.path.join(base, "l.tmp")

    def flip():
        for t in targets:
            try:
                os.symlink(t, tmp)
                os.rename(tmp, link)
            except OSError:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    sender = vdepeer.Client(swdir, descr=b"attack-sender")
    child = forever(flip)
    done = 0
    end = time.monotonic() + seconds
    bcast = vdepeer.frame(b"\xff" * 6, vdepeer.mac(66), b"attack")
    try:
        for _ in range(rounds):
            if time.monotonic() > end:
                break
            ctl, _ = handshake(swdir, os.path.join(link, "sock"))
            if ctl is None:
                continue
            done += 1
            for _ in range(3):
                sender.send(bcast)
            # Our own socket reads what reached it; the rest went astray.
            while select.select([mine], [], [], 0)[0]:
                mine.recv(65536)
            ctl.close()
    finally:
        stop(child)
    print("handshakes %d" % done)


def wait_file(path, seconds):
    end = time.monotonic() + seconds
    while not os.path.exists(path) and time.monotonic() < end:
        time.sleep(0.05)


def hold(swdir, count, stopfile, seconds):
    """Open count control connections, send nothing, and hold them until
    stopfile exists (at most seconds); print how many the switch had
    closed by then."""
    conns = []
    for _ in range(count):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(os.path.join(swdir, "ctl"))
        except OSError:
            s.close()
            continue
        conns.append(s)
    print("opened %d" % len(conns), flush=True)
    wait_file(stopfile, seconds)
    # A close the switch has decided on may still be on its way: look for
    # a second before counting.
    closed = 0
    end = time.monotonic() + 1.0
    while conns and time.monotonic() < end:
        r, _, _ = select.select(conns, [], [], 0.1)
        for s in r:
            try:
                gone = s.recv(1) == b""
            except OSError:
                gone = True
            if gone:
                closed += 1
                conns.remove(s)
    print("closed %d" % closed, flush=True)


def sink(path, stopfile, seconds):
    """The victim: a datagram socket at path; counts what reaches it until
    stopfile exists (at most seconds) and prints "received N"."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    print("ready", flush=True)
    n = 0
    end = time.monotonic() + seconds
    while not os.path.exists(stopfile) and time.monotonic() < end:
        if select.select([s], [], [], 0.05)[0]:
            s.recv(65536)
            n += 1
    while select.select([s], [], [], 0)[0]:
        s.recv(65536)
        n += 1
    print("received %d" % n, flush=True)


def probe(swdir, path):
    """One handshake naming path: did the switch take it?"""
    ctl, _ = handshake(swdir, path)
    if ctl is None:
        print("refused", flush=True)
    else:
        ctl.close()
        print("accepted", flush=True)


def main():
    a = sys.argv[1:]
    if not a:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    if a[0] == "chownrace" and len(a) == 5:
        chownrace(a[1], a[2], int(a[3]), float(a[4]))
    elif a[0] == "connectrace" and len(a) == 6:
        connectrace(a[1], a[2], a[3], int(a[4]), float(a[5]))
    elif a[0] == "hold" and len(a) == 5:
        hold(a[1], int(a[2]), a[3], float(a[4]))
    elif a[0] == "probe" and len(a) == 3:
        probe(a[1], a[2])
    elif a[0] == "sink" and len(a) == 4:
        sink(a[1], a[2], float(a[3]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
