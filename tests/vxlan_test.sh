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

vx_cleanup() {
	kill_all
}

# vx_console NAME CMD: one console command to switch NAME (-M NAME.mgmt).
vx_console() {
	"$VDECMD" -s "$PWD/$1.mgmt" "$2"
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

atf_init_test_cases() {
	atf_add_test_case kernel_unicast_v4
	atf_add_test_case kernel_unicast_v6
	atf_add_test_case kernel_group_v4
	atf_add_test_case kernel_group_v6
}
