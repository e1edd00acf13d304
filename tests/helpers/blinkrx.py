#!/usr/bin/env python3
"""blinkrx.py: the reader of wirefilter's --blink messages.

    blinkrx.py PATH [--noread]

Binds a PF_UNIX datagram socket at PATH and writes each message it
receives to stdout as one line: the message itself when it is printable
text ending with one newline, else "MALFORMED " and its repr().  With
--noread it never reads (a reader whose queue fills up).  It runs until
it is killed.
"""
import os
import select
import signal
import socket
import sys


def main():
    path = sys.argv[1]
    noread = '--noread' in sys.argv[2:]
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(path)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    if noread:
        while True:
            signal.pause()
    out = sys.stdout.buffer
    while True:
        # Take all that is queued, then write it at once: few system
        # calls, so that the reader keeps up on a loaded machine.
        select.select([s], [], [])
        s.setblocking(False)
        while True:
            try:
                m = s.recv(4096)
            except BlockingIOError:
                break
            body = m[:-1]
            if m.endswith(b'\n') and all(0x20 <= c < 0x7f for c in body):
                out.write(m)
            else:
                out.write(b'MALFORMED ' + repr(m).encode() + b'\n')
        s.setblocking(True)
        out.flush()

if __name__ == '__main__':
    main()
