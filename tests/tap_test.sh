#! /usr/bin/env atf-sh
#
# tap_test: vde_switch -t: host tap interfaces as switch ports, with real
# traffic between network namespaces.

. "$(atf_get_srcdir)/common.subr"

# two_taps_switch: a switch with two taps (created by the switch, named in
# one comma-separated -t), each moved into its own namespace with an
# address: ns $NS1 has 10.77.$1.1, ns $NS2 10.77.$1.2.
two_taps_switch() {
	NS1=$(uniq_name vdn1) NS2=$(uniq_name vdn2)
	T1=$(uniq_name vdt1) T2=$(uniq_name vdt2)
	netns "$NS1"
	netns "$NS2"
	echo "$T1" >>created_links.lst
	echo "$T2" >>created_links.lst
	start_switch sw -t "$T1,$T2"
	wait_for 10 ip link show "$T1"
	wait_for 10 ip link show "$T2"
	ip link set "$T1" netns "$NS1" || atf_fail "move $T1"
	ip link set "$T2" netns "$NS2" || atf_fail "move $T2"
	ip -n "$NS1" addr add "10.77.$1.1/24" dev "$T1"
	ip -n "$NS2" addr add "10.77.$1.2/24" dev "$T2"
	ip -n "$NS1" link set "$T1" up
	ip -n "$NS2" link set "$T2" up
}

tap_cleanup() {
	kill_all
}

atf_test_case ping_and_tcp cleanup
ping_and_tcp_head() {
	atf_set descr "ns1 <-> switch (-t tap1,tap2) <-> ns2: ping and a TCP transfer with every byte checked"
	atf_set require.user root
	atf_set timeout 120
}
ping_and_tcp_body() {
	two_taps_switch 1
	atf_check -s exit:0 -o ignore ip netns exec "$NS1" \
	    ping -c 3 -i 0.2 -W 2 10.77.1.2
	head -c 4000000 /dev/urandom >data.in
	ip netns exec "$NS2" python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.1.2", 5077)); s.listen(1)
open("ready", "w").close()
c, _ = s.accept()
with open("data.out", "wb") as f:
    while True:
        b = c.recv(65536)
        if not b: break
        f.write(b)
' &
	echo $! >>created_pids.lst
	srv=$!
	wait_for 10 test -e ready
	atf_check -s exit:0 ip netns exec "$NS1" python3 -c '
import socket
s = socket.create_connection(("10.77.1.2", 5077), timeout=30)
s.sendall(open("data.in", "rb").read()); s.close()
'
	wait $srv
	atf_check -s exit:0 cmp data.in data.out
}
ping_and_tcp_cleanup() { tap_cleanup; }

atf_test_case jumbo cleanup
jumbo_head() {
	atf_set descr "with MTU 9000 taps an 8972-byte ping should pass whole (no fragmentation)"
	atf_set require.user root
	atf_set timeout 60
}
jumbo_body() {
	two_taps_switch 2
	ip -n "$NS1" link set "$T1" mtu 9000
	ip -n "$NS2" link set "$T2" mtu 9000
	atf_check -s exit:0 -o match:"8980 bytes from" ip netns exec "$NS1" \
	    ping -c 2 -i 0.2 -W 2 -M do -s 8972 10.77.2.2
}
jumbo_cleanup() { tap_cleanup; }

atf_test_case toolong_counted cleanup
toolong_counted_head() {
	atf_set descr "a tap frame longer than the switch carries should be dropped, logged once and counted in port/showinfo and the port's input drops"
	atf_set require.user root
	atf_set timeout 60
}
toolong_counted_body() {
	NS1=$(uniq_name vdl1) T1=$(uniq_name vdl1)
	netns "$NS1"
	echo "$T1" >>created_links.lst
	start_switch sw -M "$PWD/sw.mgmt" -t "$T1"
	wait_for 10 ip link show "$T1"
	ip link set "$T1" netns "$NS1" || atf_fail "move $T1"
	ip -n "$NS1" addr add 10.77.9.1/24 dev "$T1"
	ip -n "$NS1" link set "$T1" mtu 9500 || atf_fail "mtu 9500 on $T1"
	ip -n "$NS1" link set "$T1" up
	# No ARP: the frames go straight to a made-up neighbour.
	ip -n "$NS1" neigh add 10.77.9.2 lladdr 02:00:00:00:09:02 dev "$T1"
	atf_check -s exit:0 -o match:'^framemax=9234 dropped=0$' \
	    "$VDECMD" -s "$PWD/sw.mgmt" port/showinfo
	# 9400 bytes of ICMP data: a frame of 9442 bytes, no offload.
	ip netns exec "$NS1" ping -c 2 -i 0.2 -W 1 -M do -s 9400 10.77.9.2 \
	    >/dev/null 2>&1
	wait_for 10 sh -c "'$VDECMD' -s '$PWD/sw.mgmt' port/showinfo |
	    grep -q '^framemax=9234 dropped=2\$'"
	atf_check -s exit:0 -o match:'DROP: in +2 ' \
	    "$VDECMD" -s "$PWD/sw.mgmt" 'port/print 1'
	atf_check -s exit:0 -o inline:'1\n' \
	    grep -c "sent a frame of 9442 bytes, more than 9234" sw.err
}
toolong_counted_cleanup() { tap_cleanup; }

atf_test_case tap_deleted cleanup
tap_deleted_head() {
	atf_set descr "a tap deleted under the switch should close its port with a log line; the switch goes on"
	atf_set require.user root
	atf_set timeout 60
}
tap_deleted_body() {
	T1=$(uniq_name vdx1) T2=$(uniq_name vdx2)
	echo "$T1" >>created_links.lst
	echo "$T2" >>created_links.lst
	start_switch sw -tap "$T1" -t "$T2"
	wait_for 10 ip link show "$T1"
	wait_for 10 ip link show "$T2"
	ip link set "$T1" up
	ip link del "$T1"
	wait_for 10 grep -q "tap $T1.*closing the port" sw.err
	alive sw || atf_fail "the switch died"
	atf_check -s exit:0 -o match:ok -e ignore \
	    python3 "$HELPERS/vdepeer.py" learn "$PWD/sw.sw"
	ip link show "$T2" >/dev/null || atf_fail "the other tap went too"
}
tap_deleted_cleanup() { tap_cleanup; }

atf_test_case tap_and_plug cleanup
tap_and_plug_head() {
	atf_set descr "a host tap and a vde_plug client should talk (ARP and ping through a plug-side namespace)"
	atf_set require.user root
	atf_set timeout 60
}
tap_and_plug_body() {
	need_prog "$ORIG_PLUG2TAP"
	NS1=$(uniq_name vdp1) NS2=$(uniq_name vdp2)
	T1=$(uniq_name vdq1) T2=$(uniq_name vdq2)
	netns "$NS1"
	netns "$NS2"
	echo "$T1" >>created_links.lst
	start_switch sw -t "$T1"
	wait_for 10 ip link show "$T1"
	ip link set "$T1" netns "$NS1"
	ip -n "$NS1" addr add 10.77.3.1/24 dev "$T1"
	ip -n "$NS1" link set "$T1" up
	# The second host joins with a client-side tap (Debian's plug2tap).
	ip -n "$NS2" tuntap add dev "$T2" mode tap
	ip -n "$NS2" addr add 10.77.3.2/24 dev "$T2"
	ip -n "$NS2" link set "$T2" up
	bg p2t ip netns exec "$NS2" "$ORIG_PLUG2TAP" -s "$PWD/sw.sw" "$T2"
	wait_for 10 grep -q "new endpoint" sw.err
	atf_check -s exit:0 -o ignore ip netns exec "$NS1" \
	    ping -c 3 -i 0.2 -W 2 10.77.3.2
}
tap_and_plug_cleanup() { tap_cleanup; }

# --- offloads ---------------------------------------------------------------
#
# Taps of our switch carry the kernel's checksum and segmentation offloads:
# between two such taps a TCP stream crosses in segments of up to 64 KiB;
# toward any other cable the switch must make the complete frames itself.
# Real kernels on both sides verify every checksum, and every transfer is
# checked byte for byte.

# off_names: namespaces NS1 and NS2 and tap names T1 and T2, in the ledgers
# (a tap that ends in a namespace goes with it; the ledger covers the rest).
off_names() {
	NS1=$(uniq_name vdo1) NS2=$(uniq_name vdo2)
	T1=$(uniq_name vdoa) T2=$(uniq_name vdob)
	netns "$NS1"
	netns "$NS2"
	echo "$T1" >>created_links.lst
	echo "$T2" >>created_links.lst
}

# off_ns NS TAP N: move TAP into NS, address 10.77.N.x/24 and fd77:N::x/64
# (x from the tap's place: OFF_X), up.
off_ns() {
	wait_for 10 ip link show "$2"
	ip link set "$2" netns "$1" || atf_fail "move $2"
	ip -n "$1" addr add "10.77.$3.$OFF_X/24" dev "$2"
	ip -n "$1" addr add "fd77:$3::$OFF_X/64" dev "$2" nodad
	ip -n "$1" link set "$2" up
}

# xfer NAME FROM_NS TO_NS ADDR BYTES: a TCP transfer FROM_NS -> ADDR in
# TO_NS, every byte checked (SHA-256 of what was sent and received).
xfer() {
	_port=$((5100 + $(ls xfer.* 2>/dev/null | wc -l)))
	touch "xfer.$1"
	case $4 in
	*:*)	_any="::" ;;
	*)	_any="0.0.0.0" ;;
	esac
	bg "rx$1" ip netns exec "$3" python3 "$HELPERS/tcpxfer.py" \
	    recv "$_port" "$PWD/rx$1.bin" "$_any"
	wait_for 10 sh -c "ip netns exec $3 ss -ltn | grep -q ':$_port '"
	timeout 60 ip netns exec "$2" python3 \
	    "$HELPERS/tcpxfer.py" send "$4" "$_port" "$5" \
	    >"tx$1.out" 2>"tx$1.err" ||
	    atf_fail "transfer $1 failed or stalled: $(tail -n 1 "tx$1.err")"
	wait_for 30 sh -c "! kill -0 $(pid_of "rx$1") 2>/dev/null"
	[ -s "tx$1.out" ] && [ "$(cat "tx$1.out")" = "$(cat "rx$1.out")" ] ||
	    atf_fail "transfer $1: sent $(cat "tx$1.out"), got $(cat "rx$1.out")"
}

# mean_in_frame SOCK PORT: port PORT's bytes in / frames in (console).
mean_in_frame() {
	"$VDECMD" -s "$1" "port/print $2" >pp.out || atf_fail "port/print $2"
	awk '/IN:/ { print ($5 / ($3 ? $3 : 1)) }' pp.out | cut -d. -f1
}

# small_frames WHAT FRAMES BYTES MAX: at least 1000 frames, and no more
# than MAX bytes per frame on average.
small_frames() {
	[ "${2:-0}" -ge 1000 ] || atf_fail "$1: ${2:-no} frames"
	[ "$3" -le $(($2 * $4)) ] ||
	    atf_fail "$1: $3 bytes in $2 frames, more than $4 a frame"
}

# port_in SOCK PORT: "FRAMES BYTES" port PORT received (console).  The
# switch counts what it received, a segment as one: on a cable from
# another switch, frames on the wire.
port_in() {
	"$VDECMD" -s "$1" "port/print $2" >pp.out || atf_fail "port/print $2"
	awk '/IN:/ { print $3, $5 }' pp.out
}

# tap_rx NS TAP: "FRAMES BYTES" the kernel received on TAP, each one a
# write of the program behind it.
tap_rx() {
	ip -n "$1" -s -j link show "$2" | python3 -c '
import json, sys
s = json.load(sys.stdin)[0]["stats64"]["rx"]
print(s["packets"], s["bytes"])'
}

# offloads_on TAP LOG: the switch's log says TAP has offloads.
offloads_on() {
	grep -q "tap $1 (checksum and segmentation offloads)" "$2" ||
	    atf_fail "no offloads on $1: $(cat "$2")"
}

atf_test_case offload_tap_to_tap cleanup
offload_tap_to_tap_head() {
	atf_set descr "between two taps with offloads, TCP over IPv4 and IPv6 should cross in segments larger than a frame, every byte intact"
	atf_set require.user root
	atf_set timeout 180
}
offload_tap_to_tap_body() {
	off_names
	start_switch sw -M "$PWD/mgmt" -t "$T1,$T2"
	offloads_on "$T1" sw.err
	offloads_on "$T2" sw.err
	OFF_X=1 off_ns "$NS1" "$T1" 4
	OFF_X=2 off_ns "$NS2" "$T2" 4
	wait_for 20 ip netns exec "$NS1" ping -c 1 -W 1 10.77.4.2
	xfer v4 "$NS1" "$NS2" 10.77.4.2 4000000
	xfer v6 "$NS2" "$NS1" fd77:4::1 2000000
	# The senders' taps handed over segments, not 1514-byte frames.
	for p in 1 2; do
		m=$(mean_in_frame "$PWD/mgmt" $p)
		[ "$m" -gt 3000 ] ||
		    atf_fail "port $p: $m bytes per frame in; no large segments"
	done
}
offload_tap_to_tap_cleanup() { tap_cleanup; }

atf_test_case offload_to_plain_peers cleanup
offload_to_plain_peers_head() {
	atf_set descr "a tap with offloads and Debian's vde_plug2tap (no offloads) should exchange TCP over IPv4 and IPv6 and UDP, every checksum made by the switch"
	atf_set require.user root
	atf_set timeout 180
}
offload_to_plain_peers_body() {
	need_prog "$ORIG_PLUG2TAP"
	off_names
	start_switch sw -M "$PWD/mgmt" -t "$T1"
	offloads_on "$T1" sw.err
	OFF_X=1 off_ns "$NS1" "$T1" 5
	ip -n "$NS2" tuntap add dev "$T2" mode tap
	bg p2t ip netns exec "$NS2" "$ORIG_PLUG2TAP" -s "$PWD/sw.sw" "$T2"
	ip -n "$NS2" addr add 10.77.5.2/24 dev "$T2"
	ip -n "$NS2" addr add fd77:5::2/64 dev "$T2" nodad
	ip -n "$NS2" link set "$T2" up
	wait_for 20 ip netns exec "$NS1" ping -c 1 -W 1 10.77.5.2
	xfer v4 "$NS1" "$NS2" 10.77.5.2 4000000
	xfer v6 "$NS1" "$NS2" fd77:5::2 2000000
	xfer back "$NS2" "$NS1" 10.77.5.1 2000000
	# gso.c ran: the offload tap (port 1) handed over segments larger
	# than a frame, and the plain peer's tap got only frames.
	m=$(mean_in_frame "$PWD/mgmt" 1)
	[ "$m" -gt 3000 ] ||
	    atf_fail "port 1: $m bytes per frame in; no large segments"
	small_frames "$T2 (plain peer) received" $(tap_rx "$NS2" "$T2") 1514
	# UDP leaves its checksum to the tap: all 50 datagrams must arrive.
	ip netns exec "$NS2" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.5.2", 5199)); s.settimeout(20)
open("udp.ready", "w").close()
got = set()
while len(got) < 50:
    d, _ = s.recvfrom(4096)
    i = int(d[:4])
    if d != d[:4] + bytes([i]) * (len(d) - 4): sys.exit("bad datagram %d" % i)
    got.add(i)
print(len(got))
' >udp.out 2>udp.err &
	echo $! >>created_pids.lst
	udp=$!
	wait_for 10 test -e udp.ready
	ip netns exec "$NS1" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(50):
    s.sendto(b"%04d" % i + bytes([i]) * (100 + 17 * i), ("10.77.5.2", 5199))
    time.sleep(0.005)
'
	wait $udp || atf_fail "UDP: $(cat udp.err)"
	[ "$(cat udp.out)" = 50 ] || atf_fail "UDP: $(cat udp.out) of 50"
	grep -q "offloaded frame .* dropped" sw.err &&
	    atf_fail "the switch dropped offloaded frames: $(cat sw.err)"
	true
}
offload_to_plain_peers_cleanup() { tap_cleanup; }

atf_test_case offload_vlan_trunk cleanup
offload_vlan_trunk_head() {
	atf_set descr "TCP from taps with offloads in VLAN 10 should cross a tagged trunk cable between two switches intact in both directions"
	atf_set require.user root
	atf_set timeout 180
}
offload_vlan_trunk_body() {
	off_names
	start_switch s1 -M "$PWD/m1" -t "$T1"
	start_switch s2 -M "$PWD/m2" -t "$T2"
	offloads_on "$T1" s1.err
	offloads_on "$T2" s2.err
	for m in m1 m2; do
		for c in "vlan/create 10" "port/create 5" "port/setvlan 1 10" \
		    "vlan/addport 10 5"; do
			"$VDECMD" -s "$PWD/$m" "$c" >/dev/null ||
			    atf_fail "$m: $c"
		done
	done
	bg cable "$DPIPE" "$VDE_PLUG" "$PWD/s1.sw[5]" = \
	    "$VDE_PLUG" "$PWD/s2.sw[5]"
	for m in m1 m2; do
		wait_for 10 sh -c "'$VDECMD' -s '$PWD/$m' 'vlan/print 10' |
		    grep -q 'Port 0005 tagged=1 active=1'"
	done
	OFF_X=1 off_ns "$NS1" "$T1" 6
	OFF_X=2 off_ns "$NS2" "$T2" 6
	wait_for 20 ip netns exec "$NS1" ping -c 1 -W 1 10.77.6.2
	xfer v4 "$NS1" "$NS2" 10.77.6.2 4000000
	xfer v6 "$NS2" "$NS1" fd77:6::1 2000000
	# gso.c ran on both switches: each tap handed over segments (more
	# than 1514 bytes a frame on average, with the ACKs of the other
	# direction counted too), and the trunk cable (port 5) carried only
	# tagged frames.
	for m in m1 m2; do
		v=$(mean_in_frame "$PWD/$m" 1)
		[ "$v" -gt 1514 ] ||
		    atf_fail "$m port 1: $v bytes per frame in; no large segments"
		small_frames "$m port 5 (trunk) received" \
		    $(port_in "$PWD/$m" 5) 1518
	done
}
offload_vlan_trunk_cleanup() { tap_cleanup; }

atf_init_test_cases() {
	atf_add_test_case ping_and_tcp
	atf_add_test_case jumbo
	atf_add_test_case toolong_counted
	atf_add_test_case tap_deleted
	atf_add_test_case tap_and_plug
	atf_add_test_case offload_tap_to_tap
	atf_add_test_case offload_to_plain_peers
	atf_add_test_case offload_vlan_trunk
}
