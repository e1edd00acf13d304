#!/usr/bin/env python3
"""ringpeer.py MODE DIR [ARGS]: a client of the switch in DIR that offers
shared-memory rings (src/common/ring.h) and then misbehaves on purpose.

  accepted [SECS]     connect, print "rings" if the switch gave rings and
                      "datagrams" if not, then hold the connection SECS
                      seconds (1).
  midframe            connect, write the length and half of a frame into a
                      slot without publishing it, then die by SIGKILL.
  hostile SECS PORT   on port PORT, for SECS seconds: rewrite the ring
                      indices, the sleeping flags and the slot lengths at
                      random while kicking the switch; reconnect whenever the
                      switch closes the connection.  Prints "closed N" (how
                      many times the switch closed it) at the end.
"""
import mmap
import os
import random
import signal
import socket
import struct
import sys
import time

MARK = b'vdeRing1'
SLOTSIZE = 9280
HDRSIZE = 4096


def connect(d, port=0):
    ctl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ctl.settimeout(10)
    ctl.connect(os.path.join(d, 'ctl'))
    data = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    path = os.path.join(d, '.ringpeer-%d-%d' % (os.getpid(),
                                                random.randrange(1 << 30)))
    data.bind(path)
    sun = bytearray(path.encode().ljust(108, b'\0'))
    sun[100:108] = MARK
    req = struct.pack('<III', 0xfeedface, 3, port << 8)
    req += struct.pack('<H', socket.AF_UNIX) + bytes(sun) + b'ringpeer'
    ctl.sendall(req)
    reply = b''
    while len(reply) < 110:
        r = ctl.recv(110 - len(reply))
        if not r:
            raise SystemExit('refused')
        reply += r
    os.unlink(path)
    if reply[2 + 100:2 + 108] != MARK:
        return ctl, None, None, None
    msg, fds, _, _ = socket.recv_fds(ctl, 24, 3)
    magic, ver, nslots, slotsize, size = struct.unpack('<IIIIQ', msg)
    assert magic == 0x76524e47 and slotsize == SLOTSIZE, msg
    mem = mmap.mmap(fds[0], size)
    os.close(fds[0])
    os.close(fds[2])
    wake = socket.socket(fileno=fds[1])
    return ctl, mem, wake, nslots


def accepted(d, hold):
    ctl, mem, _, _ = connect(d)
    print('rings' if mem is not None else 'datagrams', flush=True)
    time.sleep(hold)


def midframe(d):
    ctl, mem, wake, nslots = connect(d)
    if mem is None:
        raise SystemExit('no rings')
    print('rings', flush=True)
    # Slot 0 of the ring to the switch: a length and half of the frame;
    # the index that would publish it is never written.
    struct.pack_into('<I', mem, HDRSIZE, 1000)
    mem[HDRSIZE + 8:HDRSIZE + 8 + 500] = b'\xff' * 500
    os.kill(os.getpid(), signal.SIGKILL)


def closed(ctl):
    ctl.setblocking(False)
    try:
        return ctl.recv(1) == b''
    except BlockingIOError:
        return False
    except OSError:
        return True


def hostile(d, secs, port):
    end = time.time() + secs
    nclosed = 0
    rnd = random.Random(os.getpid())
    words = [0, 64, 128, 256, 320, 384]
    while time.time() < end:
        ctl, mem, wake, nslots = connect(d, port)
        if mem is None:
            raise SystemExit('no rings')
        ring1 = HDRSIZE + nslots * SLOTSIZE
        while time.time() < end:
            for _ in range(64):
                k = rnd.randrange(6)
                if k == 0:
                    v = rnd.choice([rnd.randrange(1 << 32),
                                    rnd.randrange(nslots + 2)])
                    struct.pack_into('<I', mem, rnd.choice(words), v)
                elif k == 1:
                    slot = HDRSIZE + rnd.randrange(nslots) * SLOTSIZE
                    struct.pack_into('<I', mem, slot, rnd.choice(
                        [0, 1, 14, 60, 1514, 9234, 9238, 9239, 1 << 31,
                         rnd.randrange(1 << 32)]))
                elif k == 2:
                    slot = ring1 + rnd.randrange(nslots) * SLOTSIZE
                    struct.pack_into('<I', mem, slot,
                                     rnd.randrange(1 << 32))
                elif k == 3:
                    # A plausible frame: publish one more slot.
                    prod = struct.unpack_from('<I', mem, 0)[0]
                    slot = HDRSIZE + (prod % nslots) * SLOTSIZE
                    struct.pack_into('<I', mem, slot, 60)
                    struct.pack_into('<I', mem, 0, (prod + 1) & 0xffffffff)
                elif k == 4:
                    struct.pack_into('<I', mem, 128, 0)
                else:
                    struct.pack_into('<I', mem, 384, 1)
            try:
                wake.send(b'k', socket.MSG_DONTWAIT)
            except OSError:
                pass
            if closed(ctl):
                nclosed += 1
                break
        try:
            mem.close()
        except BufferError:
            pass
        wake.close()
        ctl.close()
    print('closed %d' % nclosed, flush=True)


def main():
    mode, d = sys.argv[1], sys.argv[2]
    if mode == 'accepted':
        accepted(d, float(sys.argv[3]) if len(sys.argv) > 3 else 1.0)
    elif mode == 'midframe':
        midframe(d)
    elif mode == 'hostile':
        hostile(d, float(sys.argv[3]), int(sys.argv[4]))
    else:
        raise SystemExit(__doc__)


main()
