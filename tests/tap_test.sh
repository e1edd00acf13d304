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

atf_init_test_cases() {
	atf_add_test_case ping_and_tcp
	atf_add_test_case jumbo
	atf_add_test_case tap_deleted
	atf_add_test_case tap_and_plug
}
