#!/usr/bin/env python3
"""gsoinject: hand a tap's reader a TCP segmentation offload frame.

    gsoinject.py IFNAME GSO_SIZE PAYLOAD_LEN

Sends through interface IFNAME (a tap opened with offloads, seen from its
own side), on an AF_PACKET socket with PACKET_VNET_HDR, one broadcast
IPv4 TCP frame to port 9 with PAYLOAD_LEN payload bytes and a
virtio_net_hdr asking for TCPv4 segmentation into GSO_SIZE-byte segments.
The kernel passes such a frame to the tap's reader as it is, header and
all.  Then a plain TCP frame to port 10 follows as an end marker.  Prints
the bytes of each send.
"""
import socket
import struct
import sys

SOL_PACKET = 263
PACKET_VNET_HDR = 15
F_NEEDS_CSUM = 1
GSO_NONE = 0
GSO_TCPV4 = 1


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def tcp_frame(dport, payload):
    """Broadcast IPv4 TCP; the checksum field holds the pseudo-header's
    sum, as a frame whose checksum is still to be computed does."""
    src_mac = bytes.fromhex("02aabbccdd01")
    tcp = struct.pack("!HHIIBBHHH", 40000, dport, 1, 0, 5 << 4, 0x18,
                      65535, 0, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 20 + len(payload), 1,
                     0x4000, 64, 6, 0, socket.inet_aton("10.77.9.1"),
                     socket.inet_aton("10.77.9.2"))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, 20 + len(payload))
    tcp = tcp[:16] + struct.pack("!H", ~csum(pseudo) & 0xffff) + tcp[18:]
    return b"\xff" * 6 + src_mac + b"\x08\x00" + ip + tcp + payload


def vnet_hdr(gso_type, gso_size):
    # struct virtio_net_hdr in host byte order: flags, gso_type, hdr_len,
    # gso_size, csum_start, csum_offset.
    return struct.pack("=BBHHHH", F_NEEDS_CSUM, gso_type, 14 + 20 + 20,
                       gso_size, 14 + 20, 16)


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    ifname, gso_size, plen = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
    s.bind((ifname, 0))
    payload = bytes(i & 0xff for i in range(plen))
    print(s.send(vnet_hdr(GSO_TCPV4, gso_size) + tcp_frame(9, payload)))
    print(s.send(vnet_hdr(GSO_NONE, 0) + tcp_frame(10, b"end")))


main()
