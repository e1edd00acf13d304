#!/usr/bin/env python3
"""tcpxfer.py: a checked TCP transfer for the end-to-end tests.

    tcpxfer.py recv PORT OUTFILE [ADDR]
                                     accept one connection on PORT (of ADDR,
                                     IPv4 or IPv6; any IPv4 address when
                                     not given), write what arrives to
                                     OUTFILE as it comes, print its SHA-256
                                     at EOF
    tcpxfer.py send HOST PORT BYTES [KBPS]
                                     send BYTES of deterministic pseudo-
                                     random data, paced to KBPS kB/s when
                                     given, print the SHA-256 of what was sent

Compare the two printed digests to know that every byte arrived intact."""
import hashlib
import random
import socket
import sys
import time


def recv(port, path, addr='0.0.0.0'):
    fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(1)
    c, _ = ls.accept()
    h = hashlib.sha256()
    with open(path, 'wb', buffering=0) as f:
        while True:
            d = c.recv(65536)
            if not d:
                break
            h.update(d)
            f.write(d)
    print(h.hexdigest())


def send(host, port, total, kbps):
    rng = random.Random(4711)
    s = None
    for _ in range(100):
        try:
            s = socket.create_connection((host, port), timeout=30)
            break
        except OSError:
            time.sleep(0.1)
    if s is None:
        raise SystemExit('cannot connect to %s:%d' % (host, port))
    h = hashlib.sha256()
    chunk = 16384
    sent = 0
    start = time.time()
    while sent < total:
        n = min(chunk, total - sent)
        d = bytes(rng.getrandbits(8) for _ in range(n))
        s.sendall(d)
        h.update(d)
        sent += n
        if kbps:
            ahead = sent / (kbps * 1024.0) - (time.time() - start)
            if ahead > 0:
                time.sleep(ahead)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
    s.close()
    print(h.hexdigest())


if __name__ == '__main__':
    if sys.argv[1] == 'recv':
        recv(int(sys.argv[2]), sys.argv[3], *sys.argv[4:5])
    else:
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
             int(sys.argv[5]) if len(sys.argv) > 5 else 0)
