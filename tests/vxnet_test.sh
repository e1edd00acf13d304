#! /usr/bin/env atf-sh
#
# vxnet_test: the library's vxvde:// and vxlan:// networks, through
# "vde_plug SWITCH vxvde://..." (and vxlan://), against Debian's vdeplug4
# and the kernel's vxlan device.  Every test builds its own underlay: two
# namespaces U1 and U2 joined by a veth pair (10.79.0.1-2/24 and
# fd79::1-2/64, with routes for the multicast groups), and hosts behind
# the members in namespaces of their own (10.80.0.1-2/24, fd80::1-2/64)
# on taps of a switch.

. "$(atf_get_srcdir)/common.subr"

# underlay: U1 and U2 joined by the veth pair V1-V2.
underlay() {
	need_prog ip tcpdump
	U1=$(uniq_name vxu1) U2=$(uniq_name vxu2)
	V1=$(uniq_name vxv1) V2=$(uniq_name vxv2)
	netns "$U1"
	netns "$U2"
	ip -n "$U1" link add "$V1" type veth peer name "$V2" netns "$U2" ||
	    atf_fail "veth pair"
	_i=1
	for _p in "$U1:$V1" "$U2:$V2"; do
		_ns=${_p%%:*} _if=${_p#*:}
		ip -n "$_ns" addr add "10.79.0.$_i/24" dev "$_if"
		ip -n "$_ns" addr add "fd79::$_i/64" dev "$_if" nodad
		ip -n "$_ns" link set "$_if" up
		ip -n "$_ns" route add 224.0.0.0/4 dev "$_if"
		ip -n "$_ns" -6 route add ff05::/16 dev "$_if" table local
		_i=$((_i + 1))
	done
}

# host N TAP: move TAP (made by a switch) into a new namespace H<N> with
# the host addresses 10.80.0.N and fd80::N.
host() {
	eval "H$1=\$(uniq_name vxh$1)"
	eval "_h=\$H$1"
	netns "$_h"
	wait_for 10 ip link show "$2"
	ip link set "$2" netns "$_h" || atf_fail "move $2"
	ip -n "$_h" addr add "10.80.0.$1/24" dev "$2"
	ip -n "$_h" addr add "fd80::$1/64" dev "$2" nodad
	ip -n "$_h" link set "$2" up
}

# our_member N URL: our switch sN with a tap for host N, joined to URL by
# our vde_plug in U<N>.
our_member() {
	eval "T$1=\$(uniq_name vxt$1)"
	eval "_t=\$T$1 _u=\$U$1"
	echo "$_t" >>created_links.lst
	start_switch "s$1" -t "$_t"
	host "$1" "$_t"
	bg "plug$1" ip netns exec "$_u" "$VDE_PLUG" "$PWD/s$1.sw" "$2"
}

# debian_member N URL: the same with Debian's vde_switch and vde_plug.
debian_member() {
	need_prog "$ORIG_SWITCH" "$ORIG_PLUG"
	eval "T$1=\$(uniq_name vxt$1)"
	eval "_t=\$T$1 _u=\$U$1"
	echo "$_t" >>created_links.lst
	start_orig_switch "s$1" -t "$_t"
	host "$1" "$_t"
	bg "plug$1" ip netns exec "$_u" "$ORIG_PLUG" "$PWD/s$1.sw" "$2"
}

# kernel_member N ARGS...: a kernel vxlan device K in U<N> (VNI 1, port
# 4789) with ARGS, holding host N's addresses itself.
kernel_member() {
	_n=$1; shift
	eval "_u=\$U$_n"
	ip -n "$_u" link add vxk type vxlan id 1 dstport 4789 ttl 1 "$@" ||
	    atf_fail "kernel vxlan: $*"
	ip -n "$_u" addr add "10.80.0.$_n/24" dev vxk
	ip -n "$_u" addr add "fd80::$_n/64" dev vxk nodad
	ip -n "$_u" link set vxk up
	eval "H$_n=\$_u"
}

# within SECONDS COMMAND...: retry COMMAND, which takes its own time
# (wait_for counts 50 ms a try), until it succeeds or SECONDS have passed.
within() {
	_end=$(( $(date +%s) + $1 )); shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$_end" ] || atf_fail "timed out: $*"
		sleep 0.05
	done
}

# pings FROM TO: host FROM reaches host TO over IPv4 and IPv6 (the first
# exchange waits for neighbour discovery and for the members to start).
pings() {
	eval "_f=\$H$1"
	within 20 ip netns exec "$_f" ping -c 1 -W 1 "10.80.0.$2"
	within 20 ip netns exec "$_f" ping -6 -c 1 -W 1 "fd80::$2"
	atf_check -s exit:0 -o match:" 0% packet loss" ip netns exec "$_f" \
	    ping -c 3 -i 0.2 -W 2 "10.80.0.$2"
}

# capture NAME NS IF FILTER...: tcpdump in the background, line by line
# into NAME.out, ready when this returns.
capture() {
	_n=$1 _ns=$2 _if=$3; shift 3
	bg "$_n" ip netns exec "$_ns" tcpdump -l -nn -i "$_if" "$@"
	wait_for 10 grep -q "listening on" "$_n.err"
}

# oneline FILE: FILE's first lines as one line, for a message.
oneline() {
	head -n 5 "$1" | tr '\n\t' '  '
}

# stop NAME: end the background process NAME and wait until it is gone.
stop() {
	kill "$(pid_of "$1")"
	wait_for 10 sh -c "! kill -0 $(pid_of "$1") 2>/dev/null"
}

vxnet_cleanup() {
	kill_all
}

atf_test_case vxvde_vdeplug4_v4 cleanup
vxvde_vdeplug4_v4_head() {
	atf_set descr "our vde_plug SWITCH vxvde:// and Debian's (vdeplug4) on Debian's vde_switch: hosts ping both ways; learned stations get unicast"
	atf_set require.user root
	atf_set timeout 120
}
vxvde_vdeplug4_v4_body() {
	underlay
	our_member 1 vxvde://
	debian_member 2 vxvde://
	pings 1 2
	pings 2 1
	# Both members learned each other: the hosts' unicast frames go
	# from one member's port to the other's, not to the group.
	capture uni "$U1" "$V1" udp and dst host 10.79.0.2
	capture uni2 "$U1" "$V1" udp and dst host 10.79.0.1
	atf_check -s exit:0 -o ignore ip netns exec "$H1" \
	    ping -c 3 -i 0.2 -W 2 10.80.0.2
	wait_for 10 grep -q "10.79.0.1.[0-9]* > 10.79.0.2.[0-9]*: UDP" uni.out
	wait_for 10 grep -q "10.79.0.2.[0-9]* > 10.79.0.1.[0-9]*: UDP" uni2.out
	alive plug1 || atf_fail "our vde_plug died: $(oneline plug1.err)"
}
vxvde_vdeplug4_v4_cleanup() { vxnet_cleanup; }

atf_test_case vxvde_vdeplug4_v6 cleanup
vxvde_vdeplug4_v6_head() {
	atf_set descr "vxvde:///v6 (group ff05:56de::1) between our vde_plug and Debian's: hosts ping both ways"
	atf_set require.user root
	atf_set timeout 120
}
vxvde_vdeplug4_v6_body() {
	underlay
	our_member 1 vxvde:///v6
	debian_member 2 vxvde:///v6
	capture grp "$U1" "$V1" udp and dst host ff05:56de::1 and port 14789
	pings 1 2
	pings 2 1
	grep -q "fd79::1.[0-9]* > ff05:56de::1.14789: UDP" grp.out ||
	    atf_fail "no IPv6 datagram of ours to the group: $(oneline grp.out)"
}
vxvde_vdeplug4_v6_cleanup() { vxnet_cleanup; }

atf_test_case vxvde_vdeplug4_grp cleanup
vxvde_vdeplug4_grp_head() {
	atf_set descr "vxvde:///grp=1000 with our vde_plug and Debian's: both take group 239.0.3.232 and VNI 1000, hosts ping both ways"
	atf_set require.user root
	atf_set timeout 120
}
vxvde_vdeplug4_grp_body() {
	underlay
	capture grp "$U1" "$V1" -x udp and dst host 239.0.3.232 and port 14789
	our_member 1 vxvde:///grp=1000
	debian_member 2 vxvde:///grp=1000
	pings 1 2
	pings 2 1
	# Both send to the group; the VXLAN header (after 20 + 8 bytes of
	# IPv4 and UDP) carries VNI 1000 = 0x0003e8.
	grep -q "10.79.0.1.[0-9]* > 239.0.3.232.14789" grp.out ||
	    atf_fail "nothing of ours to 239.0.3.232: $(oneline grp.out)"
	grep -q "10.79.0.2.[0-9]* > 239.0.3.232.14789" grp.out ||
	    atf_fail "nothing of Debian's to 239.0.3.232"
	grep -q "0x0010: .* 0800 0000$" grp.out &&
	    grep -q "0x0020:  0003 e800 " grp.out ||
	    atf_fail "no VNI 1000 header: $(oneline grp.out)"
}
vxvde_vdeplug4_grp_cleanup() { vxnet_cleanup; }

atf_test_case vxvde_one_host cleanup
vxvde_one_host_head() {
	atf_set descr "two of our members of one vxvde network on the same host (vni=42, port=14790): hosts ping; a member ignores its own group datagrams"
	atf_set require.user root
	atf_set timeout 120
}
vxvde_one_host_body() {
	underlay
	U2=$U1
	our_member 1 vxvde://239.1.2.3/vni=42/port=14790
	our_member 2 vxvde://239.1.2.3/vni=42/port=14790
	pings 1 2
	pings 2 1
	# A broadcast of host 1 reaches host 2 and does not come back to
	# host 1 (its member drops its own datagram from the group).
	_mac=$(ip -n "$H1" -br link show "$T1" | awk '{ print $3 }')
	capture own "$H1" "$T1" -Q in ether src "$_mac"
	capture seen "$H2" "$T2" ether src "$_mac" and ether broadcast
	ip netns exec "$H1" ping -b -c 1 -W 1 10.80.0.255 >/dev/null 2>&1
	wait_for 10 grep -q "10.80.0.255" seen.out
	atf_check -s exit:0 -o ignore ip netns exec "$H1" \
	    ping -c 2 -i 0.2 -W 2 10.80.0.2
	[ -s own.out ] && atf_fail "host 1 got its own broadcast back: $(oneline own.out)"
	true
}
vxvde_one_host_cleanup() { vxnet_cleanup; }

atf_test_case vxlan_kernel_mcast cleanup
vxlan_kernel_mcast_head() {
	atf_set descr "our vxlan:// and the kernel's vxlan device on group 239.0.0.1, then on ff05::42 (v6): ping both ways, the kernel learns our host behind our address"
	atf_set require.user root
	atf_set timeout 150
}
vxlan_kernel_mcast_body() {
	underlay
	our_member 1 vxlan://
	kernel_member 2 group 239.0.0.1 dev "$V2"
	pings 1 2
	pings 2 1
	_mac=$(ip -n "$H1" -br link show "$T1" | awk '{ print $3 }')
	bridge -n "$U2" fdb show dev vxk | grep -q "^$_mac dst 10.79.0.1 " ||
	    atf_fail "the kernel did not learn $_mac at 10.79.0.1: $(bridge -n "$U2" fdb show dev vxk)"
	# The same over IPv6.
	stop plug1
	ip -n "$U2" link del vxk
	bg plug1 ip netns exec "$U1" "$VDE_PLUG" "$PWD/s1.sw" \
	    "vxlan://ff05::42/vni=1"
	kernel_member 2 group ff05::42 dev "$V2"
	ip -n "$H1" neigh flush all
	pings 1 2
	pings 2 1
	bridge -n "$U2" fdb show dev vxk | grep -q "^$_mac dst fd79::1 " ||
	    atf_fail "the kernel did not learn $_mac at fd79::1"
}
vxlan_kernel_mcast_cleanup() { vxnet_cleanup; }

atf_test_case vxlan_kernel_unicast cleanup
vxlan_kernel_unicast_head() {
	atf_set descr "vxlan://UNICAST (our extension: no group, one remote) and a kernel vxlan device with remote: ping both ways over IPv4 and IPv6 underlay"
	atf_set require.user root
	atf_set timeout 150
}
vxlan_kernel_unicast_body() {
	underlay
	our_member 1 vxlan://10.79.0.2/vni=7
	ip -n "$U2" link add vxk type vxlan id 7 dstport 4789 remote 10.79.0.1 \
	    local 10.79.0.2 || atf_fail "kernel vxlan"
	ip -n "$U2" addr add 10.80.0.2/24 dev vxk
	ip -n "$U2" addr add fd80::2/64 dev vxk nodad
	ip -n "$U2" link set vxk up
	H2=$U2
	pings 1 2
	pings 2 1
	stop plug1
	ip -n "$U2" link del vxk
	ip -n "$U2" link add vxk type vxlan id 7 dstport 4789 remote fd79::1 \
	    local fd79::2 || atf_fail "kernel vxlan over IPv6"
	ip -n "$U2" addr add 10.80.0.2/24 dev vxk
	ip -n "$U2" addr add fd80::2/64 dev vxk nodad
	ip -n "$U2" link set vxk up
	bg plug1 ip netns exec "$U1" "$VDE_PLUG" "$PWD/s1.sw" \
	    "vxlan://[fd79::2]/vni=7"
	ip -n "$H1" neigh flush all
	pings 1 2
	pings 2 1
}
vxlan_kernel_unicast_cleanup() { vxnet_cleanup; }

# arp_learned NS ADDR: NS has a link-layer address for ADDR.
arp_learned() {
	ip -n "$1" neigh show "$2" | grep -q lladdr
}

atf_test_case vxlan_vdeplug4 cleanup
vxlan_vdeplug4_head() {
	atf_set descr "our vxlan:// and Debian's vdeplug4 vxlan://: flooded frames cross both ways; vdeplug4 4.0.1 loses the unicast frames it learned a destination for, with us and with the kernel alike"
	atf_set require.user root
	atf_set timeout 150
}
vxlan_vdeplug4_body() {
	underlay
	our_member 1 vxlan://
	debian_member 2 vxlan://
	# Host 2's ARP request is flooded by vdeplug4 to the group and
	# reaches host 1; host 1's reply goes back as unicast from us to
	# vdeplug4's address and reaches host 2: frames in both directions.
	wait_for 20 alive plug2
	ip netns exec "$H2" ping -c 1 -W 1 10.80.0.1 >/dev/null 2>&1
	within 20 sh -c "ip netns exec $H2 ping -c 1 -W 1 10.80.0.1 \
	    >/dev/null 2>&1; ip -n $H1 neigh show 10.80.0.2 | grep -q lladdr"
	wait_for 10 arp_learned "$H2" 10.80.0.1
	# But vdeplug4 sends a frame for a learned station to no address
	# (sendmsg fails with EDESTADDRREQ): host 2's pings never leave.
	capture fromdeb "$U1" "$V1" udp and src host 10.79.0.2
	atf_check -s not-exit:0 -o match:"100% packet loss" \
	    ip netns exec "$H2" ping -c 3 -i 0.2 -W 1 10.80.0.1
	grep -q "ICMP echo request" fromdeb.out &&
	    atf_fail "vdeplug4 sent a learned unicast: fixed? $(oneline fromdeb.out)"

	# The kernel instead of us meets the same loss: its ARP request
	# reaches host 2, whose reply never leaves vdeplug4.
	stop plug1
	kernel_member 1 group 239.0.0.1 dev "$V1"
	ip -n "$H2" neigh flush all
	capture toh2 "$H2" "$T2" arp
	atf_check -s not-exit:0 -o ignore ip netns exec "$H1" \
	    ping -c 3 -i 0.3 -W 1 10.80.0.2
	grep -q "Request who-has 10.80.0.2 tell 10.80.0.1" toh2.out ||
	    atf_fail "the kernel's ARP request did not reach host 2"
	grep -q "Reply 10.80.0.2 is-at" toh2.out ||
	    atf_fail "host 2 did not answer"
	arp_learned "$H1" 10.80.0.2 &&
	    atf_fail "the kernel got vdeplug4's unicast reply: fixed?"
	true
}
vxlan_vdeplug4_cleanup() { vxnet_cleanup; }

# vxsend DST PORT HEX...: one UDP datagram from U2 to DST:PORT per HEX
# payload (TTL 1).
vxsend() {
	_dst=$1 _port=$2; shift 2
	ip netns exec "$U2" "$PYTHON_ANYUSER" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
for h in sys.argv[3:]:
    s.sendto(bytes.fromhex(h), (sys.argv[1], int(sys.argv[2])))
' "$_dst" "$_port" "$@" || atf_fail "sending datagrams"
}

# marked KIND: a broadcast frame of EtherType 0x88b5 whose payload is
# "MARK-KIND", in hex.
marked() {
	printf 'ffffffffffff02000000009988b5%s' \
	    "$(printf 'MARK-%s' "$1" | od -An -tx1 | tr -d ' \n')"
	printf '00%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 \
	    21 22 23 24 25 26 27 28 29 30
}

atf_test_case vxvde_bad_datagrams cleanup
vxvde_bad_datagrams_head() {
	atf_set descr "datagrams with the I flag clear, another VNI, too short, or an inner frame under 14 bytes are ignored by vxvde://; a good one after them is delivered and the member keeps working"
	atf_set require.user root
	atf_set timeout 120
}
vxvde_bad_datagrams_body() {
	underlay
	our_member 1 vxvde://
	our_member 2 vxvde://
	pings 1 2
	capture marks "$H1" "$T1" -A ether proto 0x88b5
	vxsend 239.0.0.1 14789 \
	    "0000000000000100$(marked noflag)" \
	    "0800000000000200$(marked vni2)" \
	    "08000000000001" \
	    "0800000000000100ffffffffffff0200000000" \
	    "0c00000000000100$(marked good)"
	# A reserved bit set is ignored (RFC 7348): that last one counts.
	wait_for 10 grep -q "MARK-good" marks.out
	for bad in noflag vni2; do
		grep -q "MARK-$bad" marks.out &&
		    atf_fail "the datagram \"$bad\" was delivered"
	done
	_n=$(grep -c "0x88b5" marks.out)
	[ "$_n" -eq 1 ] || atf_fail "$_n frames delivered, 1 expected: $(oneline marks.out)"
	alive plug1 || atf_fail "vde_plug died: $(oneline plug1.err)"
	pings 1 2
	pings 2 1
}
vxvde_bad_datagrams_cleanup() { vxnet_cleanup; }

atf_test_case qemu_vxvde cleanup
qemu_vxvde_head() {
	atf_set descr "QEMU with our libvdeplug joins vxvde:// with no switch (-netdev vde,sock=vxvde://): its frames reach a host behind our member, the host's frames reach QEMU"
	atf_set require.user root
	atf_set timeout 120
}
qemu_vxvde_body() {
	need_prog /usr/bin/qemu-system-x86_64 /usr/bin/socat
	underlay
	our_member 2 vxvde://
	wait_for 10 sh -c "ip netns exec $U2 ss -uan | grep -q 239.0.0.1:14789"
	capture fromq "$H2" "$T2" ether src 52:54:00:12:34:56
	# No guest: QMP's announce-self makes the NIC send RARP frames, and
	# filter-dump records what the network delivers to the NIC.
	set -- env LD_LIBRARY_PATH="$VDE_LIBDIR"
	if [ -n "${VDE_SANITIZED:-}" ]; then
		_rt=$(clang -print-file-name=libclang_rt.asan-x86_64.so)
		set -- "$@" LD_PRELOAD="$_rt" \
		    ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0
	fi
	bg qemu ip netns exec "$U1" "$@" /usr/bin/qemu-system-x86_64 \
	    -netdev vde,id=n0,sock=vxvde:// \
	    -device e1000,netdev=n0,mac=52:54:00:12:34:56 \
	    -object "filter-dump,id=f0,netdev=n0,file=$PWD/qemu.pcap" \
	    -qmp "unix:$PWD/qmp.sock,server=on,wait=off" \
	    -nographic -nodefaults -display none -m 64
	wait_for 30 test -S "$PWD/qmp.sock"
	grep -q "$VDE_LIBDIR/libvdeplug.so" "/proc/$(pid_of qemu)/maps" ||
	    atf_fail "QEMU did not load our libvdeplug"
	wait_for 10 sh -c "ip netns exec $U1 ss -uanp | grep -q '239.0.0.1:14789 .*qemu'"
	printf '%s\n' '{"execute":"qmp_capabilities"}' \
	    '{"execute":"announce-self","arguments":{"initial":50,"max":100,"rounds":3,"step":50}}' |
	    socat -t 2 - "UNIX-CONNECT:$PWD/qmp.sock" >qmp.out ||
	    atf_fail "QMP: $(oneline qmp.out)"
	wait_for 10 grep -q "Reverse" fromq.out
	_mac=$(ip -n "$H2" -br link show "$T2" | awk '{ print $3 }')
	within 20 sh -c "ip netns exec $H2 ping -c 1 -W 1 -b 10.80.0.255; \
	    tcpdump -nn -e -r $PWD/qemu.pcap 2>/dev/null | grep -q '^.* $_mac > ff:ff:ff:ff:ff:ff'"
	alive qemu || atf_fail "QEMU died: $(oneline qemu.err)"
}
qemu_vxvde_cleanup() { vxnet_cleanup; }

atf_test_case url_errors
url_errors_head() {
	atf_set descr "vde_plug refuses bad vxvde:// and vxlan:// names with the reason, and both in a login shell"
	atf_set timeout 60
}
url_errors_body() {
	atf_check -s not-exit:0 -e match:"port is not a number from 1 to 65535" \
	    timeout 10 "$VDE_PLUG" vxvde:///port=0 vxvde:///port=1
	atf_check -s not-exit:0 -e match:"vni is not a number from 0 to 16777215" \
	    timeout 10 "$VDE_PLUG" vxlan:///vni=16777216 vxvde://
	atf_check -s not-exit:0 -e match:"unknown option \"bogus\"" \
	    timeout 10 "$VDE_PLUG" vxvde:///bogus vxvde://
	atf_check -s not-exit:0 -e match:"not a multicast address" \
	    timeout 10 "$VDE_PLUG" vxvde://10.1.2.3 vxvde://
	atf_check -s not-exit:0 -e match:"no such interface \"nosuchif0\"" \
	    timeout 10 "$VDE_PLUG" vxvde:///if=nosuchif0 vxvde://
	# A login shell (vde_plug -c) only joins switches.
	atf_check -s exit:1 \
	    -e match:"a cable that is not a switch \(vxvde:///vni=3\) is refused" \
	    "$VDE_PLUG" -c "vde_plug vxvde:///vni=3"
	atf_check -s exit:1 -e match:"a cable that is not a switch \(vxlan://\)" \
	    "$VDE_PLUG" -c "vde_plug vxlan://"
}

atf_init_test_cases() {
	atf_add_test_case vxvde_vdeplug4_v4
	atf_add_test_case vxvde_vdeplug4_v6
	atf_add_test_case vxvde_vdeplug4_grp
	atf_add_test_case vxvde_one_host
	atf_add_test_case vxlan_kernel_mcast
	atf_add_test_case vxlan_kernel_unicast
	atf_add_test_case vxlan_vdeplug4
	atf_add_test_case vxvde_bad_datagrams
	atf_add_test_case qemu_vxvde
	atf_add_test_case url_errors
}
