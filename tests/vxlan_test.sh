#! /usr/bin/env atf-sh
#
# vxlan_test: VXLAN ports (vxport.c) against the kernel's vxlan device,
# Debian's vdeplug4 and each other, over an underlay of network
# namespaces joined by veth pairs and a bridge that the test makes.
#
# Layout: our switch runs in an underlay namespace U<i> (its UDP socket
# lives there); the tap it makes is moved into a host namespace H<i> with
# the overlay address 10.99.0.<i>/24.  The kernel's side is a vxlan device
# with 10.99.0.9/24 in its own underlay namespace.

. "$(atf_get_srcdir)/common.subr"
. "$(atf_get_srcdir)/uml.subr"

vx_cleanup() {
	kill_all
}

# vx_switch I ARGS...: our switch in U$I with a tap into H$I (10.99.0.I,
# MTU $VX_TAPMTU), console at sw$I.mgmt.
vx_switch() {
	_vxi=$1; shift
	_t=$(uniq_name vxt$_vxi)
	echo "$_t" >>created_links.lst
	bg "sw$_vxi" ip netns exec "$(uniq_name vxu$_vxi)" "$VDE_SWITCH" \
	    --nostdin -s "$PWD/sw$_vxi.sw" -M "$PWD/sw$_vxi.mgmt" -t "$_t" "$@"
	wait_for 10 test -S "$PWD/sw$_vxi.mgmt"
	wait_for 10 ip -n "$(uniq_name vxu$_vxi)" link show "$_t"
	ip -n "$(uniq_name vxu$_vxi)" link set "$_t" netns \
	    "$(uniq_name vxh$_vxi)" || atf_fail "move $_t"
	ip -n "$(uniq_name vxh$_vxi)" link set "$_t" mtu "${VX_TAPMTU:-1400}"
	ip -n "$(uniq_name vxh$_vxi)" addr add "10.99.0.$_vxi/24" dev "$_t"
	ip -n "$(uniq_name vxh$_vxi)" link set "$_t" up
}

# vx_has NAME CMD PATTERN: does console command CMD of switch NAME print
# a line matching PATTERN?  vx_hasnt: the opposite.  (For wait_for.)
vx_has() {
	"$VDECMD" -s "$PWD/$1.mgmt" "$2" | grep -q -- "$3"
}
vx_hasnt() {
	! vx_has "$@"
}

# vx_nofdb NS MAC: the kernel's vx0 in NS has forgotten MAC.
vx_nofdb() {
	! bridge -n "$1" fdb show dev vx0 | grep -q -- "$2"
}

# vx_mac I: the MAC address of host I's tap.
vx_mac() {
	ip -n "$(uniq_name vxh$1)" link show "$(uniq_name vxt$1)" |
	    awk '/link\/ether/ { print $2 }'
}

# vx_underlay N: namespaces U1..UN and H1..HN; U1..UN joined by a bridge
# in namespace UB, U<i> has 192.168.99.<i>/24 and fd99::<i>/64 on "ul".
vx_underlay() {
	netns "$(uniq_name vxub)"
	ip -n "$(uniq_name vxub)" link add br0 type bridge
	ip -n "$(uniq_name vxub)" link set br0 up
	_vxi=1
	while [ $_vxi -le "$1" ]; do
		netns "$(uniq_name vxu$_vxi)"
		netns "$(uniq_name vxh$_vxi)"
		ip -n "$(uniq_name vxub)" link add "p$_vxi" type veth peer ul \
		    netns "$(uniq_name vxu$_vxi)" || atf_fail "veth p$_vxi"
		ip -n "$(uniq_name vxub)" link set "p$_vxi" master br0 up
		ip -n "$(uniq_name vxu$_vxi)" addr add "192.168.99.$_vxi/24" dev ul
		ip -n "$(uniq_name vxu$_vxi)" addr add "fd99::$_vxi/64" dev ul \
		    nodad
		ip -n "$(uniq_name vxu$_vxi)" link set ul up
		_vxi=$((_vxi + 1))
	done
}

# vx_kernel I ARGS...: the kernel's vxlan device vx0 in U$I with
# 10.99.0.9/24 (ARGS: id, remote or group, and so on).
vx_kernel() {
	_u=$(uniq_name vxu$1); shift
	ip -n "$_u" link add vx0 type vxlan "$@" dstport 4789 dev ul ||
	    atf_fail "ip link add vx0 type vxlan $*"
	ip -n "$_u" link set vx0 mtu "${VX_TAPMTU:-1400}"
	# The kernel leaves the inner TCP checksum of what vx0 sends to the
	# NIC; a veth never fills it in and a user-space VTEP would get it
	# unfinished.  Checksumming in software is what a real NIC does.
	ip netns exec "$_u" ethtool -K ul tx off >/dev/null ||
	    atf_fail "ethtool -K ul tx off"
	ip -n "$_u" addr add 10.99.0.9/24 dev vx0
	ip -n "$_u" link set vx0 up
}

# vx_ping FROM-NS ADDR: a few pings must pass.
vx_ping() {
	atf_check -s exit:0 -o ignore ip netns exec "$1" \
	    ping -c 3 -i 0.2 -W 2 "$2"
}

# vx_tcp FROM-NS TO-NS ADDR: 4 MiB over TCP, checked by SHA-256.
vx_tcp() {
	head -c 4194304 /dev/urandom >data.in
	rm -f ready data.out
	ip netns exec "$2" /usr/bin/python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("'"$3"'", 5099)); s.listen(1)
open("ready", "w").close()
c, _ = s.accept()
with open("data.out", "wb") as f:
    while True:
        b = c.recv(65536)
        if not b: break
        f.write(b)
' &
	_srv=$!
	echo $_srv >>created_pids.lst
	wait_for 10 test -e ready
	atf_check -s exit:0 ip netns exec "$1" /usr/bin/python3 -c '
import socket
s = socket.create_connection(("'"$3"'", 5099), timeout=60)
s.sendall(open("data.in", "rb").read()); s.close()
'
	wait $_srv
	atf_check -s exit:0 -o save:sum.in sh -c 'sha256sum <data.in'
	atf_check -s exit:0 -o file:sum.in sh -c 'sha256sum <data.out'
}

# vx_kernel_case REMOTE-OR-GROUP-ARGS OUR-OPTS: the common body of the
# kernel interoperability cases.
vx_kernel_case() {
	vx_underlay 2
	vx_switch 1 --vxlan "$2"
	vx_kernel 2 id 42 $1
	vx_ping "$(uniq_name vxh1)" 10.99.0.9
	vx_tcp "$(uniq_name vxh1)" "$(uniq_name vxu2)" 10.99.0.9
	# Learned on both sides: the host's MAC in the kernel's table, the
	# kernel device's MAC in ours, each pointing at the other's VTEP.
	_hm=$(vx_mac 1)
	_km=$(ip -n "$(uniq_name vxu2)" link show vx0 |
	    awk '/link\/ether/ { print $2 }')
	atf_check -s exit:0 -o match:"$_hm dst $VX_OURS" \
	    bridge -n "$(uniq_name vxu2)" fdb show dev vx0
	atf_check -s exit:0 -o match:"Addr: $_km VLAN 0000 to $VX_THEIRS age" \
	    "$VDECMD" -s "$PWD/sw1.mgmt" "vxlan/fdb 5"
	atf_check -s exit:0 -o match:"counter rx_unknown_src +0$" \
	    -o match:"counter rx +[1-9]" "$VDECMD" -s "$PWD/sw1.mgmt" "vxlan/print 5"
}

atf_test_case kernel_unicast_v4 cleanup
kernel_unicast_v4_head() {
	atf_set descr "our VXLAN port and the kernel's vxlan device, unicast remotes over IPv4: ping, 4 MiB by SHA-256, entries learned on both sides"
	atf_set require.user root
	atf_set timeout 180
}
kernel_unicast_v4_body() {
	VX_OURS=192.168.99.1 VX_THEIRS=192.168.99.2
	vx_kernel_case "remote 192.168.99.1" "swport=5,vni=42,remote=192.168.99.2"
}
kernel_unicast_v4_cleanup() { vx_cleanup; }

atf_test_case kernel_unicast_v6 cleanup
kernel_unicast_v6_head() {
	atf_set descr "the same over an IPv6 underlay (UDP checksums computed both ways)"
	atf_set require.user root
	atf_set timeout 180
}
kernel_unicast_v6_body() {
	VX_OURS=fd99::1 VX_THEIRS=fd99::2
	vx_kernel_case "remote fd99::1" "swport=5,vni=42,remote=fd99::2"
}
kernel_unicast_v6_cleanup() { vx_cleanup; }

atf_test_case kernel_group_v4 cleanup
kernel_group_v4_head() {
	atf_set descr "our VXLAN port and the kernel's vxlan device in the multicast group 239.1.1.42"
	atf_set require.user root
	atf_set timeout 180
}
kernel_group_v4_body() {
	VX_OURS=192.168.99.1 VX_THEIRS=192.168.99.2
	vx_kernel_case "group 239.1.1.42" "swport=5,vni=42,group=239.1.1.42,if=ul"
}
kernel_group_v4_cleanup() { vx_cleanup; }

atf_test_case kernel_group_v6 cleanup
kernel_group_v6_head() {
	atf_set descr "our VXLAN port and the kernel's vxlan device in the multicast group ff05::42 over IPv6"
	atf_set require.user root
	atf_set timeout 180
}
kernel_group_v6_body() {
	VX_OURS=fd99::1 VX_THEIRS=fd99::2
	vx_kernel_case "group ff05::42" "swport=5,vni=42,group=ff05::42,if=ul"
}
kernel_group_v6_cleanup() { vx_cleanup; }

# vx_sniff I MARK: count, for 4 seconds, the frames of type 0x88b5 that
# carry MARK arriving at host I's tap; the count goes to sniff$I.
vx_sniff() {
	rm -f "sniff$1" "sniff$1.ready"
	ip netns exec "$(uniq_name vxh$1)" /usr/bin/python3 -c '
import socket, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88b5))
s.bind(("'"$(uniq_name vxt$1)"'", 0)); s.settimeout(0.2)
open("sniff'"$1"'.ready", "w").close()
n = 0; end = time.time() + 4
while time.time() < end:
    try:
        b = s.recv(2048)
    except socket.timeout:
        continue
    if b"'"$2"'" in b: n += 1
open("sniff'"$1"'.tmp", "w").write("%d\n" % n)
' &
	echo $! >>created_pids.lst
	wait_for 10 test -e "sniff$1.ready"
}

# vx_send I MARK [DST]: one frame of type 0x88b5 carrying MARK from host
# I's tap to DST (default: broadcast), as colon-separated hex.
vx_send() {
	ip netns exec "$(uniq_name vxh$1)" /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("'"$(uniq_name vxt$1)"'", 0))
dst = bytes.fromhex("'"${3:-ff:ff:ff:ff:ff:ff}"'".replace(":", ""))
s.send(dst + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5" +
    b"'"$2"'".ljust(46, b"."))
' || atf_fail "send a frame from host $1"
}

# vx_mesh_case OPTS1 OPTS2 OPTS3: three switches, every pair pings, one
# broadcast arrives once at each other host, a host that leaves ages out.
vx_mesh_case() {
	vx_underlay 3
	vx_switch 1 --vxlan "$1"
	vx_switch 2 --vxlan "$2"
	vx_switch 3 --vxlan "$3"
	for a in 1 2 3; do
		for b in 1 2 3; do
			[ $a = $b ] || vx_ping "$(uniq_name vxh$a)" 10.99.0.$b
		done
	done
	vx_sniff 2 vxmark$$
	vx_sniff 3 vxmark$$
	vx_send 1 vxmark$$
	wait_for 10 test -e sniff2.tmp
	wait_for 10 test -e sniff3.tmp
	atf_check -s exit:0 -o inline:'1\n' cat sniff2.tmp
	atf_check -s exit:0 -o inline:'1\n' cat sniff3.tmp
	# Host 3 leaves: switch 1 forgets it within its expire time.
	_m3=$(vx_mac 3)
	atf_check -s exit:0 -o match:"Addr: $_m3 VLAN 0000 to 192.168.99.3" \
	    "$VDECMD" -s "$PWD/sw1.mgmt" "vxlan/fdb 5"
	atf_check -s exit:0 "$VDECMD" -s "$PWD/sw1.mgmt" "vxlan/set 5 expire=3"
	ip -n "$(uniq_name vxh3)" link set "$(uniq_name vxt3)" down
	wait_for 20 vx_hasnt sw1 "vxlan/fdb 5" "$_m3"
	atf_check -s exit:0 -o match:"counter rx_unknown_src +0$" \
	    "$VDECMD" -s "$PWD/sw1.mgmt" "vxlan/print 5"
}

atf_test_case mesh_unicast cleanup
mesh_unicast_head() {
	atf_set descr "three switches in three namespaces, full mesh of unicast remotes: every pair reaches every other, a broadcast arrives exactly once per host (split horizon), a host that leaves ages out"
	atf_set require.user root
	atf_set timeout 180
}
mesh_unicast_body() {
	vx_mesh_case "swport=5,vni=7,remote=192.168.99.2,remote=192.168.99.3" \
	    "swport=5,vni=7,remote=192.168.99.1,remote=192.168.99.3" \
	    "swport=5,vni=7,remote=192.168.99.1,remote=192.168.99.2"
}
mesh_unicast_cleanup() { vx_cleanup; }

atf_test_case mesh_group cleanup
mesh_group_head() {
	atf_set descr "three switches in one multicast group: every pair reaches every other, a broadcast arrives exactly once per host, a host that leaves ages out"
	atf_set require.user root
	atf_set timeout 180
}
mesh_group_body() {
	_o="swport=5,vni=7,group=239.1.1.7,if=ul"
	vx_mesh_case "$_o" "$_o" "$_o"
}
mesh_group_cleanup() { vx_cleanup; }

atf_test_case bad_input cleanup
bad_input_head() {
	atf_set descr "every bad datagram is counted (short, oversized, flags, VNI, inner runt, unknown source), frames over the underlay MTU are dropped, counted and logged once, and the port keeps forwarding"
	atf_set require.user root
	atf_set timeout 180
}
bad_input_body() {
	vx_underlay 2
	vx_switch 1 --vxlan "swport=5,vni=42,remote=192.168.99.2"
	vx_kernel 2 id 42 remote 192.168.99.1
	vx_ping "$(uniq_name vxh1)" 10.99.0.9
	# A source that is no remote: another address on the kernel's side.
	ip -n "$(uniq_name vxu2)" addr add 192.168.99.12/24 dev ul
	ip netns exec "$(uniq_name vxu2)" /usr/bin/python3 -c '
import socket, struct
def hdr(flags, vni):
    return bytes([flags, 0, 0, 0]) + struct.pack(">I", vni << 8)
frame = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x09" + b"\x88\xb5" + b"x" * 46
bad = [b"\x08\x00\x00",                    # short: no whole header
       hdr(8, 42) + b"y" * 9300,            # oversized
       hdr(0, 42) + frame,                  # I flag clear
       hdr(8, 43) + frame,                  # another VNI
       hdr(8, 42) + b"z" * 10]              # inner frame under 14 bytes
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.168.99.2", 0))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("192.168.99.12", 0))
for i in range(3):
    for d in bad:
        s.sendto(d, ("192.168.99.1", 4789))
    u.sendto(hdr(8, 42) + frame, ("192.168.99.1", 4789))
' || atf_fail "send the bad datagrams"
	for c in rx_short rx_oversized rx_flags rx_vni rx_runt rx_unknown_src
	do
		wait_for 10 vx_has sw1 "vxlan/print 5" "counter $c  *3\$"
	done
	# A frame too large for the underlay (1514 + 36 > 1500).
	ip -n "$(uniq_name vxh1)" link set "$(uniq_name vxt1)" mtu 1500
	ip netns exec "$(uniq_name vxh1)" ping -c 3 -i 0.2 -W 1 -M do \
	    -s 1472 10.99.0.9 >/dev/null 2>&1
	atf_check -s exit:0 -o match:"counter tx_toobig +3$" \
	    "$VDECMD" -s "$PWD/sw1.mgmt" "vxlan/print 5"
	atf_check -s exit:0 -o inline:'1\n' \
	    grep -c "does not fit the underlay MTU 1500" sw1.err
	# Nothing went back to the senders; the port still forwards.
	vx_ping "$(uniq_name vxh1)" 10.99.0.9
	atf_check -s exit:0 -o match:"counter rx_unknown_src +3$" \
	    "$VDECMD" -s "$PWD/sw1.mgmt" "vxlan/print 5"
}
bad_input_cleanup() { vx_cleanup; }

atf_test_case kernel_aging cleanup
kernel_aging_head() {
	atf_set descr "learned entries age out on both sides: the kernel forgets our host, we forget the kernel's device, each within its ageing time"
	atf_set require.user root
	atf_set timeout 180
}
kernel_aging_body() {
	vx_underlay 2
	vx_switch 1 --vxlan "swport=5,vni=42,remote=192.168.99.2,expire=4"
	vx_kernel 2 id 42 remote 192.168.99.1 ageing 4
	vx_ping "$(uniq_name vxh1)" 10.99.0.9
	_hm=$(vx_mac 1)
	_km=$(ip -n "$(uniq_name vxu2)" link show vx0 |
	    awk '/link\/ether/ { print $2 }')
	atf_check -s exit:0 -o match:"$_hm dst 192.168.99.1" \
	    bridge -n "$(uniq_name vxu2)" fdb show dev vx0
	atf_check -s exit:0 -o match:"Addr: $_km VLAN 0000 to 192.168.99.2" \
	    "$VDECMD" -s "$PWD/sw1.mgmt" "vxlan/fdb 5"
	# Quiet: the host goes down, the kernel stops asking for it.
	ip -n "$(uniq_name vxh1)" link set "$(uniq_name vxt1)" down
	ip -n "$(uniq_name vxu2)" neigh flush dev vx0
	wait_for 40 vx_nofdb "$(uniq_name vxu2)" "$_hm"
	wait_for 40 vx_hasnt sw1 "vxlan/fdb 5" "$_km"
}
kernel_aging_cleanup() { vx_cleanup; }

atf_test_case vdeplug4 cleanup
vdeplug4_head() {
	atf_set descr "our VXLAN port and Debian's vdeplug4 (vde_plug vxlan:// on Debian's vde_switch with a tap): frames both ways, each side learns the other"
	atf_set require.user root
	atf_set timeout 180
}
vdeplug4_body() {
	need_prog "$ORIG_SWITCH" "$ORIG_PLUG"
	vx_underlay 2
	_u2=$(uniq_name vxu2) _h2=$(uniq_name vxh2) _t2=$(uniq_name vxt2)
	# vdeplug4's defaults: group 239.0.0.1, port 4789, VNI 1.
	vx_switch 1 --vxlan "swport=5,vni=1,group=239.0.0.1,if=ul"
	ip -n "$_u2" route add 224.0.0.0/4 dev ul
	echo "$_t2" >>created_links.lst
	mkfifo sw2.stdin
	ip netns exec "$_u2" "$ORIG_SWITCH" -s "$PWD/sw2.sw" -t "$_t2" \
	    <>sw2.stdin >sw2.out 2>sw2.err &
	echo $! >>created_pids.lst
	wait_for 10 test -S "$PWD/sw2.sw/ctl"
	wait_for 10 ip -n "$_u2" link show "$_t2"
	ip -n "$_u2" link set "$_t2" netns "$_h2" || atf_fail "move $_t2"
	ip -n "$_h2" link set "$_t2" mtu 1400
	ip -n "$_h2" addr add 10.99.0.2/24 dev "$_t2"
	ip -n "$_h2" link set "$_t2" up
	bg plug4 ip netns exec "$_u2" "$ORIG_PLUG" "vde://$PWD/sw2.sw" \
	    "vxlan://239.0.0.1/if=ul"
	wait_for 10 sh -c "ip netns exec '$_u2' ss -uan | grep -q ':4789 '"
	# Broadcasts both ways; each side learns the other's host.
	vx_sniff 2 vxb1$$
	vx_send 1 vxb1$$
	wait_for 10 test -e sniff2.tmp
	atf_check -s exit:0 -o inline:'1\n' cat sniff2.tmp
	vx_sniff 1 vxb2$$
	vx_send 2 vxb2$$
	wait_for 10 test -e sniff1.tmp
	atf_check -s exit:0 -o inline:'1\n' cat sniff1.tmp
	atf_check -s exit:0 -o match:"Addr: 02:00:00:00:00:01 VLAN 0000 to 192.168.99.2" \
	    "$VDECMD" -s "$PWD/sw1.mgmt" "vxlan/fdb 5"
	# Unicast from us to vdeplug4 arrives.
	vx_sniff 2 vxu1$$
	vx_send 1 vxu1$$ "$(vx_mac 2)"
	wait_for 10 test -e sniff2.tmp
	atf_check -s exit:0 -o inline:'1\n' cat sniff2.tmp
	# vdeplug4 4.0.1 cannot send unicast: its sendmsg to a learned
	# address fails (EDESTADDRREQ), so a ping gets no reply.  The
	# kernel's vxlan device in our place fares no better: shown here,
	# documented in vde_switch(8).
	atf_check -s not-exit:0 -o ignore ip netns exec "$(uniq_name vxh1)" \
	    ping -c 2 -i 0.2 -W 1 10.99.0.2
	kill "$(pid_of sw1)"
	ip -n "$(uniq_name vxh1)" link del "$(uniq_name vxt1)" 2>/dev/null
	vx_kernel 1 id 1 group 239.0.0.1
	atf_check -s not-exit:0 -o ignore ip netns exec "$(uniq_name vxu1)" \
	    ping -c 2 -i 0.2 -W 1 10.99.0.2
	ip -n "$(uniq_name vxu1)" neigh show dev vx0 >neigh.txt
	# The kernel's ARP request reached host 2; the reply never came back.
	atf_check -s exit:0 -o match:"10.99.0.2 .*(INCOMPLETE|FAILED)" \
	    cat neigh.txt
}
vdeplug4_cleanup() { vx_cleanup; }

atf_test_case console_operator_only cleanup
console_operator_only_head() {
	atf_set descr "on a root switch a console client of another user (nobody) should not create VXLAN ports, set them or add destinations (they bind UDP ports and send with root's privileges); root should"
	atf_set require.user root
	atf_set timeout 60
}
console_operator_only_body() {
	need_prog setpriv
	shared_dir d vxop 0755
	bg sw1 "$VDE_SWITCH" --nostdin -s "$d/sw1.sw" -M "$d/sw1.mgmt" \
	    --mgmtmode 666
	wait_for 10 test -S "$d/sw1.mgmt"
	_n="setpriv --reuid nobody --regid nogroup --clear-groups $VDECMD -s $d/sw1.mgmt"
	_r="$VDECMD -s $d/sw1.mgmt"
	atf_check -s exit:1 -o match:"only root may open VXLAN sockets" \
	    -e match:"1001 Operation not permitted" \
	    $_n "vxlan/create vni=9,remote=127.0.0.2,port=53"
	atf_check -s exit:0 -o not-match:"vxlan" $_r "port/print"
	atf_check -s exit:0 -o match:"^Port 0001$" \
	    $_r "vxlan/create vni=9,remote=127.0.0.2,port=4790"
	atf_check -s exit:1 -o match:"only root may" -e match:"1001 " \
	    $_n "vxlan/addremote 1 127.0.0.9"
	atf_check -s exit:1 -o match:"only root may" -e match:"1001 " \
	    $_n "vxlan/addfdb 1 02:00:00:00:00:07 0 127.0.0.7"
	atf_check -s exit:1 -o match:"only root may" -e match:"1001 " \
	    $_n "vxlan/set 1 ttl=9"
	atf_check -s exit:0 -o not-match:"127.0.0.9" $_r "vxlan/print 1"
	# Looking stays open to every console user.
	atf_check -s exit:0 -o match:"remote 127.0.0.2" $_n "vxlan/print 1"
}
console_operator_only_cleanup() {
	kill_all
}

atf_test_case console cleanup
console_head() {
	atf_set descr "vxlan/create, print, addremote, delremote, addfdb, delfdb, set, resetcounter, remove, and their refusals; the port shows in port/print like any port"
	atf_set require.user root
	atf_set timeout 60
}
console_body() {
	_ns=$(uniq_name vxc)
	netns "$_ns"
	bg sw1 ip netns exec "$_ns" "$VDE_SWITCH" --nostdin \
	    -s "$PWD/sw1.sw" -M "$PWD/sw1.mgmt"
	wait_for 10 test -S "$PWD/sw1.mgmt"
	_c="$VDECMD -s $PWD/sw1.mgmt"
	atf_check -s exit:0 -o match:"^Port 0001$" \
	    $_c "vxlan/create vni=9,remote=127.0.0.2,port=4790"
	atf_check -s exit:0 -o match:"vxlan vni 9 ipv4 udp 4790 unicast" \
	    -o match:" remote 127.0.0.2" -o match:"fdb 0 entries, max 4096, expire 300 secs, learn rate 256/s" \
	    $_c "vxlan/print 1"
	atf_check -s exit:0 -o match:"endpoint ID .* module vxlan" \
	    $_c "port/print 1"
	atf_check -s exit:0 $_c "vxlan/addremote 1 127.0.0.3"
	atf_check -s not-exit:0 -o ignore -e ignore $_c "vxlan/addremote 1 127.0.0.3"
	atf_check -s exit:0 $_c "vxlan/delremote 1 127.0.0.2"
	atf_check -s exit:0 -o not-match:"remote 127.0.0.2" \
	    -o match:"remote 127.0.0.3" $_c "vxlan/print 1"
	atf_check -s exit:0 -o inline:"1\n" \
	    sh -c "$_c 'vxlan/print 1' | grep -c '^ remote '"
	atf_check -s exit:0 $_c "vxlan/addfdb 1 02:00:00:00:00:07 0 127.0.0.7"
	atf_check -s exit:0 \
	    -o match:"Addr: 02:00:00:00:00:07 VLAN 0000 to 127.0.0.7 static" \
	    $_c "vxlan/fdb 1"
	atf_check -s exit:0 $_c "vxlan/delfdb 1 02:00:00:00:00:07 0"
	atf_check -s exit:0 -o not-match:"02:00:00:00:00:07" $_c "vxlan/fdb 1"
	atf_check -s exit:0 $_c "vxlan/set 1 expire=5,fdbmax=16,learnrate=9"
	atf_check -s exit:0 -o match:"fdb 0 entries, max 16, expire 5 secs, learn rate 9/s" \
	    $_c "vxlan/print 1"
	atf_check -s exit:0 $_c "vxlan/resetcounter 1"
	# Refusals name the reason.
	atf_check -s not-exit:0 -o match:"bad option: colour=red" -e ignore \
	    $_c "vxlan/create vni=3,colour=red"
	atf_check -s not-exit:0 -o match:"remote=10.0.0.2: not a unicast address of the port's family" \
	    -e ignore $_c "vxlan/create vni=3,group=ff05::1,remote=10.0.0.2"
	atf_check -s not-exit:0 -o match:"bind: Address already in use" \
	    -e ignore $_c "vxlan/create vni=3,port=4790"
	atf_check -s not-exit:0 -o match:"bad option: vni" -e ignore \
	    $_c "vxlan/create vni=16777216"
	atf_check -s exit:0 $_c "vxlan/remove 1"
	atf_check -s exit:0 -o not-match:"vxlan" $_c "vxlan/print"
	atf_check -s not-exit:0 -o ignore -e ignore $_c "vxlan/remove 1"
}
console_cleanup() { vx_cleanup; }

atf_test_case cmdline cleanup
cmdline_head() {
	atf_set descr "--vxlan is repeatable, one port each; a bad --vxlan stops the switch with the reason"
	atf_set require.user root
	atf_set timeout 60
}
cmdline_body() {
	_ns=$(uniq_name vxl)
	netns "$_ns"
	bg sw1 ip netns exec "$_ns" "$VDE_SWITCH" --nostdin \
	    -s "$PWD/sw1.sw" -M "$PWD/sw1.mgmt" \
	    --vxlan vni=1,remote=127.0.0.2 \
	    --vxlan vni=2,port=4800,group=239.1.1.2,if=lo,swport=7
	wait_for 10 test -S "$PWD/sw1.mgmt"
	atf_check -s exit:0 -o match:"^Port 0001 vxlan vni 1 ipv4 udp 4789 unicast" \
	    -o match:"^Port 0007 vxlan vni 2 ipv4 udp 4800 group 239.1.1.2" \
	    "$VDECMD" -s "$PWD/sw1.mgmt" "vxlan/print"
	atf_check -s not-exit:0 -e match:"--vxlan vni=5,ttl=0: bad option: ttl" \
	    ip netns exec "$_ns" "$VDE_SWITCH" --nostdin -s "$PWD/sw2.sw" \
	    --vxlan vni=5,ttl=0
}
cmdline_cleanup() { vx_cleanup; }

atf_test_case vlan_vni cleanup
vlan_vni_head() {
	atf_set descr "a VXLAN port's untagged VLAN is the VLAN its VNI carries: a host in VLAN 10 reaches the kernel's VNI 10 and not VNI 20, and the other way round after port/setvlan"
	atf_set require.user root
	atf_set timeout 120
}
vlan_vni_body() {
	vx_underlay 2
	vx_switch 1 --vxlan "swport=5,vni=10,remote=192.168.99.2" \
	    --vxlan "swport=6,vni=20,port=4790,remote=192.168.99.2"
	_u2=$(uniq_name vxu2)
	vx_kernel 2 id 10 remote 192.168.99.1
	ip -n "$_u2" link add vx20 type vxlan id 20 remote 192.168.99.1 \
	    dstport 4790 dev ul || atf_fail "vx20"
	ip -n "$_u2" link set vx20 mtu 1400
	ip -n "$_u2" addr add 10.99.0.19/32 dev vx20
	ip -n "$_u2" link set vx20 up
	ip -n "$_u2" route add 10.99.0.1/32 dev vx20 table 20
	ip -n "$_u2" rule add from 10.99.0.19 table 20
	# Each device answers ARP for its own address only.
	ip netns exec "$_u2" sysctl -q -w net.ipv4.conf.all.arp_ignore=1 ||
	    atf_fail "arp_ignore"
	_c="$VDECMD -s $PWD/sw1.mgmt"
	for cmd in "vlan/create 10" "vlan/create 20" "port/setvlan 1 10" \
	    "port/setvlan 5 10" "port/setvlan 6 20"; do
		atf_check -s exit:0 $_c "$cmd"
	done
	_h1=$(uniq_name vxh1)
	vx_ping "$_h1" 10.99.0.9
	atf_check -s not-exit:0 -o ignore ip netns exec "$_h1" \
	    ping -c 2 -i 0.2 -W 1 10.99.0.19
	atf_check -s exit:0 $_c "port/setvlan 1 20"
	ip -n "$_h1" neigh flush dev "$(uniq_name vxt1)"
	vx_ping "$_h1" 10.99.0.19
	atf_check -s not-exit:0 -o ignore ip netns exec "$_h1" \
	    ping -c 2 -i 0.2 -W 1 10.99.0.9
}
vlan_vni_cleanup() { vx_cleanup; }

atf_test_case trunk_uml_8021q cleanup
trunk_uml_8021q_head() {
	atf_set descr "a trunk VXLAN port carries VLANs 10 and 20 as tagged inner frames to the kernel's vxlan device of a Linux guest (user-mode-linux) with 802.1Q sub-interfaces: each access host reaches its own VLAN's sub-interface, nothing crosses VLANs"
	atf_set require.user root
	atf_set timeout 180
}
trunk_uml_8021q_body() {
	need_uml drivers/net/vxlan/vxlan.ko
	_u=$(uniq_name vxu1) _a=$(uniq_name vxh10) _b=$(uniq_name vxh20)
	_ul=$(uniq_name vxul)
	netns "$_u"
	netns "$_a"
	netns "$_b"
	# The underlay: switch ul, with a tap in U (192.168.98.1) and the
	# guest's eth0 (192.168.98.2) on its port 5.
	bg ulsw ip netns exec "$_u" "$VDE_SWITCH" --nostdin -s "$PWD/ul.sw" \
	    -t "$_ul"
	wait_for 10 test -S "$PWD/ul.sw/ctl"
	wait_for 10 ip -n "$_u" link show "$_ul"
	ip -n "$_u" addr add 192.168.98.1/24 dev "$_ul"
	ip -n "$_u" link set "$_ul" up
	# The overlay switch in U: its VXLAN port 5 is a trunk of VLANs 10
	# and 20; hosts a (port 2, VLAN 10) and b (port 3, VLAN 20) have
	# addresses in both subnets, so that only the VLANs keep them apart.
	bg sw1 ip netns exec "$_u" "$VDE_SWITCH" --nostdin -s "$PWD/sw1.sw" \
	    -M "$PWD/sw1.mgmt" --vxlan "swport=5,vni=42,remote=192.168.98.2"
	wait_for 10 test -S "$PWD/sw1.mgmt"
	for cmd in "vlan/create 10,20" "vlan/addport 10,20 5" \
	    "port/create 2" "port/create 3" "port/setvlan 2 10" \
	    "port/setvlan 3 20"; do
		atf_check -s exit:0 "$VDECMD" -s "$PWD/sw1.mgmt" "$cmd"
	done
	bg plug10 ip netns exec "$_a" "$VDE_PLUG2TAP" -s "$PWD/sw1.sw" -p 2 \
	    tap10
	bg plug20 ip netns exec "$_b" "$VDE_PLUG2TAP" -s "$PWD/sw1.sw" -p 3 \
	    tap20
	wait_for 10 ip -n "$_a" link show tap10
	wait_for 10 ip -n "$_b" link show tap20
	ip -n "$_a" addr add 10.77.0.1/24 dev tap10
	ip -n "$_a" addr add 10.78.0.1/24 dev tap10
	ip -n "$_b" addr add 10.78.0.2/24 dev tap20
	ip -n "$_b" addr add 10.77.0.2/24 dev tap20
	ip -n "$_a" link set tap10 mtu 1400 up
	ip -n "$_b" link set tap20 mtu 1400 up
	# The guest: vxlan0 (VNI 42) over eth0, vxlan0.10 and vxlan0.20 on
	# it.  Each answers ARP for its own address only (arp_ignore=1) and
	# takes packets only on the interface its reply would leave by
	# (rp_filter=1), so that a frame in the wrong VLAN, or untagged on
	# vxlan0, gets no reply.
	cat >guest.sh <<'GUEST'
modprobe 8021q; echo "$?" >/out/modprobe
modprobe vxlan; echo "$?" >>/out/modprobe
echo 1 >/proc/sys/net/ipv4/conf/all/arp_ignore
echo 1 >/proc/sys/net/ipv4/conf/all/rp_filter
ip link set eth0 up
ip addr add 192.168.98.2/24 dev eth0
IP=/usr/sbin/ip
$IP link add vxlan0 type vxlan id 42 remote 192.168.98.1 dstport 4789 \
    dev eth0; echo "$?" >>/out/modprobe
$IP link set vxlan0 address 02:00:00:00:98:02 mtu 1400 up
$IP link add link vxlan0 name vxlan0.10 type vlan id 10
$IP link add link vxlan0 name vxlan0.20 type vlan id 20
$IP addr add 10.77.0.100/24 dev vxlan0.10
$IP addr add 10.78.0.100/24 dev vxlan0.20
$IP link set vxlan0.10 up
$IP link set vxlan0.20 up
cat /proc/net/vlan/config >/out/vlans
echo up >/out/up
i=0
while [ ! -f /out/go ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
GUEST
	uml_root guest.sh
	uml_hostprog ip
	uml_boot "$PWD/ul.sw" 5
	if ! poll 90 test -f uml.root/out/up; then
		cat uml.out uml.err uml.root/out/log
		atf_fail "user-mode-linux did not come up within 90 s"
	fi
	atf_check -o inline:"0\n0\n0\n" cat uml.root/out/modprobe
	atf_check -o match:'^vxlan0\.10 +\| 10 +\| vxlan0$' \
	    -o match:'^vxlan0\.20 +\| 20 +\| vxlan0$' cat uml.root/out/vlans
	# Each host reaches its own VLAN's sub-interface through the trunk.
	vx_ping "$_a" 10.77.0.100
	vx_ping "$_b" 10.78.0.100
	# Across VLANs nothing: to the other VLAN's sub-interface (from an
	# address of its subnet) and to the other host.
	atf_check -s exit:1 -o match:'100% packet loss' ip netns exec "$_a" \
	    ping -c 2 -i 0.2 -W 1 10.78.0.100
	atf_check -s exit:1 -o match:'100% packet loss' ip netns exec "$_b" \
	    ping -c 2 -i 0.2 -W 1 10.77.0.100
	atf_check -s exit:1 -o match:'100% packet loss' ip netns exec "$_a" \
	    ping -c 2 -i 0.2 -W 1 10.77.0.2
	# The guest's vxlan0 is learned behind its VTEP in both VLANs.
	atf_check -s exit:0 \
	    -o match:'Addr: 02:00:00:00:98:02 VLAN 0010 to 192.168.98.2 ' \
	    -o match:'Addr: 02:00:00:00:98:02 VLAN 0020 to 192.168.98.2 ' \
	    "$VDECMD" -s "$PWD/sw1.mgmt" "vxlan/fdb 5"
	touch uml.root/out/go
	wait_for 30 test -f uml.root/out/end
}
trunk_uml_8021q_cleanup() { uml_cleanup; vx_cleanup; }

# vx_counter SW NAME: counter NAME of VXLAN port 5 on switch SW.
vx_counter() {
	"$VDECMD" -s "$PWD/$1.mgmt" "vxlan/print 5" |
	    awk -v n="$2" '$1 == "counter" && $2 == n { print $3 }'
}

# vx_portout SW N: the frames port N of switch SW sent (port/print OUT).
vx_portout() {
	"$VDECMD" -s "$PWD/$1.mgmt" port/print |
	    awk -v p="$(printf 'Port %04d' "$2")" '
		index($0, p) == 1 { on = 1; next }
		on && $1 == "OUT:" { print $3; exit }'
}

# vx_offload_case FAMILY SENDER-OPTS: 4 MiB from host 1 to host 2 over
# two of our switches; the counters of both VXLAN ports to offload.tsv.
vx_offload_case() {
	vx_underlay 2
	if [ "$1" = 6 ]; then
		_r1=fd99::2 _r2=fd99::1
	else
		_r1=192.168.99.2 _r2=192.168.99.1
	fi
	vx_switch 1 --vxlan "swport=5,vni=42,remote=$_r1$2"
	vx_switch 2 --vxlan "swport=5,vni=42,remote=$_r2"
	vx_ping "$(uniq_name vxh1)" 10.99.0.2
	vx_tcp "$(uniq_name vxh1)" "$(uniq_name vxh2)" 10.99.0.2
	# The receiver first: whatever it counted was sent before.
	for _c in rx rx_offload rx_merged; do
		echo "sw2 $_c $(vx_counter sw2 $_c)"
	done >offload.tsv
	echo "sw2 tapout $(vx_portout sw2 1)" >>offload.tsv
	for _c in tx tx_datagrams tx_offload; do
		echo "sw1 $_c $(vx_counter sw1 $_c)"
	done >>offload.tsv
	cat offload.tsv
}

# vx_get KEY: a figure of offload.tsv ("sw1 tx_offload", say).
vx_get() {
	awk -v k="$1" '$1 " " $2 == k { print $3 }' offload.tsv
}

atf_test_case offload_v4 cleanup
offload_v4_head() {
	atf_set descr "two of our switches over VXLAN/IPv4: a TCP segment from an offload tap leaves in few sends of several datagrams each (UDP segmentation offload), its frames are merged back into segments for the far tap (fewer frames than datagrams), and 4 MiB arrive intact"
	atf_set require.user root
	atf_set timeout 120
}
offload_v4_body() {
	vx_offload_case 4 ""
	_rx=$(vx_get "sw2 rx")
	[ "$(vx_get "sw1 tx_offload")" -gt 0 ] ||
	    atf_fail "the sender never sent several datagrams at once"
	[ "$(vx_get "sw1 tx_offload")" -lt "$(vx_get "sw1 tx_datagrams")" ] ||
	    atf_fail "no send held more than one datagram"
	[ "$(vx_get "sw2 rx_merged")" -gt $((_rx / 2)) ] ||
	    atf_fail "fewer than half the frames received were merged"
	[ "$(vx_get "sw2 tapout")" -lt $((_rx / 4)) ] ||
	    atf_fail "the far tap got one write per frame or so"
}
offload_v4_cleanup() { vx_cleanup; }

atf_test_case offload_v6 cleanup
offload_v6_head() {
	atf_set descr "as offload_v4, over an IPv6 underlay (UDP checksums required)"
	atf_set require.user root
	atf_set timeout 120
}
offload_v6_body() {
	vx_offload_case 6 ""
	[ "$(vx_get "sw1 tx_offload")" -gt 0 ] ||
	    atf_fail "the sender never sent several datagrams at once"
	[ "$(vx_get "sw2 rx_merged")" -gt 0 ] ||
	    atf_fail "nothing was merged"
}
offload_v6_cleanup() { vx_cleanup; }

atf_test_case offload_refused cleanup
offload_refused_head() {
	atf_set descr "udpcsum=0 over IPv4: the system refuses segmentation offload without checksums; the port sends datagram by datagram instead (tx_offload stays 0) and 4 MiB arrive intact"
	atf_set require.user root
	atf_set timeout 120
}
offload_refused_body() {
	vx_offload_case 4 ",udpcsum=0"
	[ "$(vx_get "sw1 tx_offload")" = 0 ] ||
	    atf_fail "a send of several datagrams went through after all"
	[ "$(vx_get "sw1 tx_datagrams")" -ge "$(vx_get "sw2 rx")" ] ||
	    atf_fail "fewer datagrams sent than received"
	[ "$(vx_get "sw2 rx_merged")" -gt 0 ] ||
	    atf_fail "nothing was merged"
}
offload_refused_cleanup() { vx_cleanup; }

atf_test_case offload_recut cleanup
offload_recut_head() {
	atf_set descr "segments merged from the overlay go to a cable without offloads (vde_plug2tap) as the frames they were made of: 4 MiB arrive intact"
	atf_set require.user root
	atf_set timeout 120
}
offload_recut_body() {
	vx_underlay 2
	vx_switch 1 --vxlan "swport=5,vni=42,remote=192.168.99.2"
	bg sw2 ip netns exec "$(uniq_name vxu2)" "$VDE_SWITCH" --nostdin \
	    -s "$PWD/sw2.sw" -M "$PWD/sw2.mgmt" \
	    --vxlan "swport=5,vni=42,remote=192.168.99.1"
	wait_for 10 test -S "$PWD/sw2.mgmt"
	_t=$(uniq_name vxp2)
	echo "$_t" >>created_links.lst
	bg p2t ip netns exec "$(uniq_name vxh2)" "$VDE_PLUG2TAP" \
	    -s "$PWD/sw2.sw" "$_t"
	wait_for 10 ip -n "$(uniq_name vxh2)" link show "$_t"
	ip -n "$(uniq_name vxh2)" link set "$_t" mtu 1400
	ip -n "$(uniq_name vxh2)" addr add 10.99.0.2/24 dev "$_t"
	ip -n "$(uniq_name vxh2)" link set "$_t" up
	vx_ping "$(uniq_name vxh1)" 10.99.0.2
	vx_tcp "$(uniq_name vxh1)" "$(uniq_name vxh2)" 10.99.0.2
	_m=$(vx_counter sw2 rx_merged)
	[ "$_m" -gt 0 ] || atf_fail "nothing was merged"
}
offload_recut_cleanup() { vx_cleanup; }

atf_init_test_cases() {
	atf_add_test_case offload_v4
	atf_add_test_case offload_v6
	atf_add_test_case offload_refused
	atf_add_test_case offload_recut
	atf_add_test_case kernel_unicast_v4
	atf_add_test_case kernel_unicast_v6
	atf_add_test_case kernel_group_v4
	atf_add_test_case kernel_group_v6
	atf_add_test_case mesh_unicast
	atf_add_test_case mesh_group
	atf_add_test_case bad_input
	atf_add_test_case kernel_aging
	atf_add_test_case vdeplug4
	atf_add_test_case console
	atf_add_test_case console_operator_only
	atf_add_test_case cmdline
	atf_add_test_case vlan_vni
	atf_add_test_case trunk_uml_8021q
}
