#!/usr/bin/env python3
"""wftrace.py: the Markov chain's node changes, from a wirefilter console.

    wftrace.py SOCKET COUNT TIMEOUT [COMMAND...]

Connects to the management socket, turns markov-debug on, sends the
COMMANDs (e.g. a markov-time that starts the walk) and prints the first
COUNT trace lines (those starting with 3800, one per change of node),
then exits; exits 1 if they have not come within TIMEOUT seconds.
"""
import socket
import sys
import time


def main():
    path, count = sys.argv[1], int(sys.argv[2])
    limit = time.monotonic() + float(sys.argv[3])
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(b'markov-debug 1\n')
    for c in sys.argv[4:]:
        s.sendall(c.encode() + b'\n')
    buf = b''
    got = []
    while len(got) < count:
        left = limit - time.monotonic()
        if left <= 0:
            sys.stderr.write('only %d trace lines\n' % len(got))
            sys.exit(1)
        s.settimeout(left)
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        if not data:
            sys.stderr.write('the console closed\n')
            sys.exit(1)
        buf += data
        while b'\n' in buf:
            line, buf = buf.split(b'\n', 1)
            line = line.decode(errors='replace').lstrip('\r')
            # A prompt may be in front of the first line.
            i = line.find('3800 ')
            if i >= 0 and len(got) < count:
                got.append(line[i:])
    print('\n'.join(got))


if __name__ == '__main__':
    main()
