#!/usr/bin/env python3
"""sockstat.py: a one-shot fake switch that reports the client's socket.

    sockstat.py DIR

Listens on DIR/ctl, takes one client, reads its request (spec 1.2: magic,
version, type, then the client's sockaddr_un) and prints, about the data
socket the request names, as the client left it at that moment:

    PATH MODE OWNER GROUP DIRMODE DIROWNER

(modes in octal, owners and groups by name), then closes the connection
without a reply, which the client takes as a refusal.  Exits 1 when the
request is short or the socket is missing.
"""
import grp
import os
import pwd
import socket
import stat
import struct
import sys

# magic, version, type, then this system's sockaddr_un: sun_path holds
# 108 bytes on Linux, 104 (after sun_len and a 1-byte family) on the BSDs.
HDR = 12 + 2 + (108 if sys.platform.startswith('linux') else 104)


def name(ids, n):
    try:
        return ids(n)[0]
    except KeyError:
        return str(n)


def main():
    d = sys.argv[1]
    ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ls.bind(os.path.join(d, 'ctl'))
    ls.listen(1)
    ls.settimeout(20)
    c, _ = ls.accept()
    c.settimeout(10)
    req = b''
    while len(req) < HDR:
        b = c.recv(4096)
        if not b:
            sys.exit('sockstat: short request (%d bytes)' % len(req))
        req += b
    magic, = struct.unpack_from('<I', req, 0)
    if magic != 0xfeedface:
        sys.exit('sockstat: bad magic %#x' % magic)
    path = req[14:HDR].split(b'\0', 1)[0].decode()
    try:
        st = os.lstat(path)
        dst = os.lstat(os.path.dirname(path))
    except OSError as e:
        sys.exit('sockstat: %s: %s' % (path, e))
    if not stat.S_ISSOCK(st.st_mode):
        sys.exit('sockstat: %s is not a socket' % path)
    print('%s %o %s %s %o %s' % (path, stat.S_IMODE(st.st_mode),
                                 name(pwd.getpwuid, st.st_uid),
                                 name(grp.getgrgid, st.st_gid),
                                 stat.S_IMODE(dst.st_mode),
                                 name(pwd.getpwuid, dst.st_uid)))
    sys.stdout.flush()
    c.close()
    ls.close()
    os.unlink(os.path.join(d, 'ctl'))


if __name__ == '__main__':
    main()
