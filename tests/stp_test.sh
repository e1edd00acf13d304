#! /usr/bin/env atf-sh
#
# stp_test: vde_switch -F, the spanning tree (IEEE 802.1w RSTP with 802.1D
# fallback).  Three switches cabled in a triangle, each with a tap in its
# own namespace: the tree blocks exactly one cable, a broadcast arrives
# once per host, ping works, and cutting a forwarding cable reroutes the
# traffic within seconds.  The same triangle without -F loops.  A Linux
# kernel bridge (802.1D STP) joined to our switch by two parallel links
# ends up with one link blocked and agrees with us on the root bridge.
#
# Switch state is read with "fstp/print" on each switch's -M console.

. "$(atf_get_srcdir)/common.subr"

# Our switch NAME with -F (unless NOSTP is set), MAC 00:ff:00:00:aa:IDX,
# a console NAME.mg and a tap moved into a namespace of its own that has
# address 10.78.SUBNET.IDX.
stp_switch() {
	ss_n=$1 ss_i=$2 ss_net=$3
	ss_ns=$(uniq_name "vs${ss_n}") ss_t=$(uniq_name "vt${ss_n}")
	netns "$ss_ns"
	echo "$ss_t" >>created_links.lst
	start_switch "$ss_n" ${NOSTP:--F} --macaddr "00:ff:00:00:aa:0$ss_i" \
	    -M "$PWD/$ss_n.mg" -t "$ss_t"
	wait_for 10 ip link show "$ss_t"
	ip link set "$ss_t" netns "$ss_ns" || atf_fail "move $ss_t"
	ip -n "$ss_ns" addr add "10.78.$ss_net.$ss_i/24" dev "$ss_t"
	ip -n "$ss_ns" link set "$ss_t" up
	eval "NS_$ss_n=$ss_ns TAP_$ss_n=$ss_t"
}

# cable A B: our dpipe joining two of our vde_plugs, in a process group
# of its own (recorded for the cleanup) so it can be cut as a whole.
cable() {
	bg "c$1$2" "$DPIPE" -P "$PWD/c$1$2.pgrp" "$VDE_PLUG" "$PWD/$1.sw" = \
	    "$VDE_PLUG" "$PWD/$2.sw"
	wait_for 10 test -s "c$1$2.pgrp"
	cat "c$1$2.pgrp" >>created_pgrps.lst
}

cut_cable() {
	kill -TERM -- "-$(cat "c$1$2.pgrp")" 2>/dev/null
}

fstp() {
	"$VDECMD" -s "$PWD/$1.mg" "$2"
}

stp_cleanup() {
	if [ -f created_pgrps.lst ]; then
		while read -r g; do
			kill -CONT -- "-$g" 2>/dev/null
			kill -TERM -- "-$g" 2>/dev/null
		done <created_pgrps.lst
	fi
	kill_all
}

# bcast_listen NAME NS IF: count frames of EtherType 0x88b5 carrying this
# test's marker on IF for 3 seconds from the first one (20 s at most); the
# count goes to NAME.count.
bcast_listen() {
	ip netns exec "$2" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88b5))
s.bind((sys.argv[1], 0))
s.settimeout(0.1)
open(sys.argv[2] + ".ready", "w").close()
# Count for 3 s from the first copy (under load the first may take a
# while): at most 20 s in all.
n, end, limit = 0, None, time.time() + 20
while time.time() < (end or limit):
    try:
        if b"vde-stp-test" in s.recv(2048):
            n += 1
            end = end or min(time.time() + 3, limit)
    except socket.timeout:
        pass
open(sys.argv[2] + ".count", "w").write("%d\n" % n)
' "$3" "$1" &
	echo $! >>created_pids.lst
	wait_for 10 test -e "$1.ready"
}

# bcast_send NS IF: one broadcast frame of EtherType 0x88b5.
bcast_send() {
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
s.send(b"\xff" * 6 + s.getsockname()[4] + b"\x88\xb5" +
    b"vde-stp-test".ljust(46, b"\0"))
' "$2"
}

# Three switches, three cables: s1 (lowest MAC) becomes the root.
triangle() {
	stp_switch s1 1 1
	stp_switch s2 2 1
	stp_switch s3 3 1
	cable s1 s2
	cable s2 s3
	cable s3 s1
}

tri_state() {
	for s in s1 s2 s3; do
		fstp "$s" fstp/print
	done >state.txt 2>&1
}

# One port discarding (an alternate or backup), the other eight forward.
tri_converged() {
	tri_state
	[ "$(grep -c 'state=discarding' state.txt)" -eq 1 ] &&
	    [ "$(grep -c 'state=forwarding' state.txt)" -eq 8 ] &&
	    grep 'state=discarding' state.txt | grep -qE 'role=(Alternate|Backup)'
}

# tri_ping NS ADDR: ping, showing the MAC tables when it fails.
tri_ping() {
	ip netns exec "$1" ping -c 2 -i 0.2 -W 2 "$2" && return 0
	date
	for s in s1 s2 s3; do
		echo "== $s"
		fstp "$s" hash/print
		fstp "$s" fstp/print
	done
	for n in "$NS_s1" "$NS_s2" "$NS_s3"; do
		ip -n "$n" -s link show
		ip -n "$n" neigh show
		ip -n "$n" addr show
	done
	atf_fail "no ping from $1 to $2"
}

atf_test_case triangle cleanup
triangle_head() {
	atf_set descr "three -F switches in a triangle: one cable blocked, one copy of a broadcast per host, ping, and fast rerouting when a forwarding cable is cut"
	atf_set require.user root
	atf_set timeout 120
}
triangle_body() {
	triangle
	wait_for 30 tri_converged
	cat state.txt
	# Every switch agrees that s1 is the root.
	[ "$(grep -c 'root 80:00:00:ff:00:00:aa:01' state.txt)" -eq 3 ] ||
	    atf_fail "the switches disagree on the root: $(cat state.txt)"
	grep -q 'FST DATA VLAN 0000 ROOTSWITCH' state.txt ||
	    atf_fail "no root switch"

	tri_ping "$NS_s1" 10.78.1.2
	tri_ping "$NS_s1" 10.78.1.3

	# One broadcast from host 1: exactly one copy at hosts 2 and 3.
	bcast_listen h2 "$NS_s2" "$TAP_s2"
	bcast_listen h3 "$NS_s3" "$TAP_s3"
	bcast_send "$NS_s1" "$TAP_s1"
	wait_for 25 test -s h2.count
	wait_for 25 test -s h3.count
	echo "broadcast copies: host 2 $(cat h2.count), host 3 $(cat h3.count)"
	atf_check_equal "$(cat h2.count)" 1
	atf_check_equal "$(cat h3.count)" 1

	# s2's root port is its cable to s1.  Cut it and time how long
	# host 2 cannot reach host 1.
	grep -A9 'bridge 80:00:00:ff:00:00:aa:02' state.txt |
	    grep -q 'rootport 0000' && atf_fail "s2 has no root port"
	ip netns exec "$NS_s2" ping -c 1 -W 2 10.78.1.1 >/dev/null ||
	    atf_fail "no path from host 2 to host 1 before the cut"
	t0=$(date +%s%N)
	cut_cable s1 s2
	i=0
	until ip netns exec "$NS_s2" ping -c 1 -W 0.2 10.78.1.1 >/dev/null 2>&1
	do
		i=$((i + 1))
		[ $i -ge 100 ] && atf_fail "no traffic 20 s after the cut"
	done
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	echo "reconvergence after cutting a forwarding cable: $ms ms"
	[ "$ms" -lt 6000 ] || atf_fail "rerouting took $ms ms"
	# And the tree is whole again: all four remaining cable ends forward.
	tri_state
	[ "$(grep -c 'state=discarding' state.txt)" -eq 0 ] ||
	    atf_fail "a port still blocks: $(cat state.txt)"
	atf_check -s exit:0 -o ignore ip netns exec "$NS_s1" \
	    ping -c 2 -i 0.2 -W 2 10.78.1.3
}
triangle_cleanup() { stp_cleanup; }

atf_test_case stalled_cable cleanup
stalled_cable_head() {
	atf_set descr "a cable that silently stops carrying frames (its port stays up): its BPDUs age out in 3 hellos and traffic takes the other way"
	atf_set require.user root
	atf_set timeout 120
}
stalled_cable_body() {
	triangle
	wait_for 30 tri_converged
	tri_ping "$NS_s2" 10.78.1.1
	# Freeze the s1-s2 cable: both plugs stay connected, nothing flows.
	t0=$(date +%s%N)
	kill -STOP -- "-$(cat cs1s2.pgrp)"
	i=0
	until ip netns exec "$NS_s2" ping -c 1 -W 0.2 10.78.1.1 >/dev/null 2>&1
	do
		i=$((i + 1))
		[ $i -ge 150 ] && atf_fail "no traffic 30 s after the stall"
	done
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	echo "reconvergence after a silent cable failure: $ms ms"
	# 3 x hello (6 s) to notice, then RSTP's handshake.
	[ "$ms" -lt 12000 ] || atf_fail "rerouting took $ms ms"
	tri_state
	cat state.txt
	grep -A9 'bridge 80:00:00:ff:00:00:aa:02' state.txt |
	    grep -q 'rootport 0003' || atf_fail "s2 should reach s1 through s3"
}
stalled_cable_cleanup() { stp_cleanup; }

atf_test_case bpdu_flood cleanup
bpdu_flood_head() {
	atf_set descr "a host flooding malformed and valid BPDUs should not stop data between two other hosts; the excess is dropped and counted"
	atf_set require.user root
	atf_set timeout 90
}
bpdu_flood_body() {
	NS1=$(uniq_name vsf1) NS2=$(uniq_name vsf2) NS3=$(uniq_name vsf3)
	T1=$(uniq_name vtf1) T2=$(uniq_name vtf2) T3=$(uniq_name vtf3)
	for n in "$NS1" "$NS2" "$NS3"; do
		netns "$n"
	done
	for t in "$T1" "$T2" "$T3"; do
		echo "$t" >>created_links.lst
	done
	start_switch s1 -F --macaddr 00:ff:00:00:aa:01 -M "$PWD/s1.mg" \
	    -t "$T1,$T2,$T3"
	i=1
	for t in "$T1" "$T2" "$T3"; do
		wait_for 10 ip link show "$t"
		eval "n=\$NS$i"
		ip link set "$t" netns "$n" || atf_fail "move $t"
		ip -n "$n" addr add "10.78.3.$i/24" dev "$t"
		ip -n "$n" link set "$t" up
		i=$((i + 1))
	done
	wait_for 20 sh -c "\"$VDECMD\" -s \"$PWD/s1.mg\" fstp/print |
	    grep -c state=forwarding | grep -qx 3"
	# Host 3 sends BPDUs as fast as it can for 6 seconds: truncated
	# ones, ones with a bad LLC, and valid inferior Config BPDUs.
	ip netns exec "$NS3" python3 -c '
import socket, struct, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
hdr = bytes.fromhex("0180c2000000") + s.getsockname()[4]
cfg = struct.pack(">HBBBQIQHHHHH", 0, 0, 0, 0, 0xf000020000000001, 0,
    0xf000020000000001, 0x8001, 0, 20 * 256, 2 * 256, 15 * 256)
frames = [hdr + b"\x00\x26\x42\x42\x03" + cfg[:10],
    hdr + b"\x00\x26\xaa\xaa\x03" + cfg,
    hdr + b"\x00\x26\x42\x42\x03" + cfg]
end, n = time.time() + 6, 0
while time.time() < end:
    for f in frames:
        try:
            s.send(f.ljust(60, b"\0")); n += 1
        except OSError:
            pass
open("flood.sent", "w").write("%d\n" % n)
' "$T3" &
	echo $! >>created_pids.lst
	# The flood is on once the switch counts malformed BPDUs on port 3.
	wait_for 10 sh -c "'$VDECMD' -s '$PWD/s1.mg' fstp/print |
	    grep 'Port 0003 ' | grep -qv ' bad=0 '"
	atf_check -s exit:0 -o ignore ip netns exec "$NS1" \
	    ping -c 10 -i 0.2 -W 2 10.78.3.2
	wait_for 20 test -s flood.sent
	"$VDECMD" -s "$PWD/s1.mg" fstp/print >state.txt
	cat state.txt
	echo "BPDUs sent by the flooder: $(cat flood.sent)"
	line=$(grep 'Port 0003 ' state.txt)
	bad=$(echo "$line" | sed 's/.* bad=\([0-9]*\).*/\1/')
	dropped=$(echo "$line" | sed 's/.* dropped=\([0-9]*\).*/\1/')
	[ "$bad" -gt 0 ] || atf_fail "malformed BPDUs not counted"
	[ "$dropped" -gt 0 ] || atf_fail "no BPDU dropped by the rate limit"
	# The valid inferior BPDUs made no difference to the tree.
	grep -q 'ROOTSWITCH' state.txt || atf_fail "lost the root role"
	[ "$(grep -c state=forwarding state.txt)" -eq 3 ] ||
	    atf_fail "a port stopped forwarding"
}
bpdu_flood_cleanup() { stp_cleanup; }

atf_test_case console cleanup
console_head() {
	atf_set descr "fstp console commands: settings are checked and shown, and debug/add fstp/status reports state changes"
	atf_set require.user root
	atf_set timeout 60
}
console_body() {
	T=$(uniq_name vtc)
	echo "$T" >>created_links.lst
	start_switch s1 --macaddr 00:ff:00:00:aa:01 --priority 0x1000 \
	    -M "$PWD/s1.mg" -t "$T"
	wait_for 10 ip link show "$T"
	ip link set "$T" up
	C="$VDECMD -s $PWD/s1.mg"
	atf_check -o match:'^MAC 00:ff:00:00:aa:01 Priority 4096 \(0x1000\)$' \
	    -o match:'^FSTP=false$' $C fstp/showinfo
	atf_check -o match:'FSTP IS DISABLED' -o match:'Port 0001 role=Disabled' \
	    $C fstp/print
	atf_check -s not-exit:0 -e match:1022 $C "fstp/setedge 0 1"
	atf_check -s not-exit:0 -e match:1006 $C "fstp/setedge 0 9 1"
	atf_check -s not-exit:0 -e match:1022 $C "fstp/setportprio 1 17"
	atf_check -s not-exit:0 -e match:1022 $C "fstp/settimers 0 20 15"
	atf_check -s not-exit:0 -e match:1022 $C "fstp/print 4095"
	atf_check $C "fstp/setcost 1 4000"
	atf_check $C "fstp/bonus 0 1 1000"
	# Subscribe to the state events, then turn the tree on: the tap is
	# an edge port within seconds.
	python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(1)
buf, end = b"", time.time() + 15
def until(pat):
    global buf
    while pat not in buf:
        if time.time() > end:
            sys.exit("timed out waiting for %r in %r" % (pat, buf))
        try:
            buf += s.recv(4096)
        except socket.timeout:
            pass
    buf = buf[buf.index(pat) + len(pat):]
until(b"$ ")
s.send(b"debug/add fstp/status\n")
until(b"1000 Success")
s.send(b"fstp/setfstp 1\n")
until(b"3044 fstp/status Port 0001 VLAN 00:00 learning+forwarding")
s.send(b"debug/add fstp/root\n")
until(b"1000 Success")
s.send(b"fstp/setpriority 0x2000\n")
until(b"3045 fstp/root Port 0000 VLAN 00:00 ROOT 20:00:00:ff:00:00:aa:01")
' "$PWD/s1.mg" || atf_fail "no fstp/status event"
	atf_check -o match:'^FSTP=true$' $C fstp/showinfo
	atf_check -o match:'Port 0001 role=Designated state=forwarding portcost=3000 bonus=1000 edge=1' \
	    -o match:'ROOTSWITCH' -o match:'root 20:00:00:ff:00:00:aa:01' \
	    $C fstp/print
	atf_check $C "fstp/setfstp 0"
	atf_check -o match:'^FSTP=false$' $C fstp/showinfo
}
console_cleanup() { stp_cleanup; }

atf_test_case triangle_without_stp cleanup
triangle_without_stp_head() {
	atf_set descr "the same triangle without -F loops: one broadcast comes back again and again (then the loop is torn down)"
	atf_set require.user root
	atf_set timeout 60
}
triangle_without_stp_body() {
	NOSTP=" "
	triangle
	# Let the cables come up: a tap and two cables on every switch.
	for s in s1 s2 s3; do
		wait_for 10 sh -c "[ \$(\"$VDECMD\" -s \"$PWD/$s.mg\" \
		    port/print | grep -c '^Port ') -eq 3 ]"
	done
	fstp s1 fstp/showinfo | grep -q 'FSTP=false' ||
	    atf_fail "spanning tree on without -F"
	bcast_listen h2 "$NS_s2" "$TAP_s2"
	bcast_send "$NS_s1" "$TAP_s1"
	wait_for 25 test -s h2.count
	# Tear the loop down before anything else.
	cut_cable s1 s2
	cut_cable s2 s3
	cut_cable s3 s1
	echo "copies of one broadcast at host 2 without STP: $(cat h2.count)"
	# With STP exactly one copy arrives (triangle); a loop brings the same
	# frame back again and again, tens a second even on a loaded machine.
	[ "$(cat h2.count)" -gt 10 ] ||
	    atf_fail "no broadcast storm without STP: $(cat h2.count) copies"
}
triangle_without_stp_cleanup() { stp_cleanup; }

# The root bridge id in fstp/print's "80:00:00:ff:..." as the kernel's
# "8000.00ff...".
our_root() {
	fstp "$1" fstp/print | sed -n 's/^ ++ root //p' | tr -d ':' |
	    sed 's/^\(....\)/\1./'
}

br_root() {
	ip netns exec "$NS_br" cat "/sys/class/net/$BR/bridge/root_id"
}

# Port states of the kernel bridge: 3 forwarding, 4 blocking.
br_state() {
	ip netns exec "$NS_br" cat "/sys/class/net/$BR/brif/$1/state"
}

# Links L1, L2 (our taps) between s1 and the kernel bridge: exactly one
# end of one of them blocks, and both sides name the same root.
interop_converged() {
	fstp s1 fstp/print >state.txt 2>&1
	ours=$(grep -E "Port 000[23] " state.txt | grep -c 'state=discarding')
	theirs=0
	for l in "$L1" "$L2"; do
		s=$(br_state "$l")
		[ "$s" = 4 ] && theirs=$((theirs + 1))
		[ "$s" = 3 ] || [ "$s" = 4 ] || return 1
	done
	[ "$(grep -E 'Port 000[23] ' state.txt |
	    grep -c 'state=forwarding')" -eq $((2 - ours)) ] || return 1
	[ $((ours + theirs)) -eq 1 ] && [ "$(our_root s1)" = "$(br_root)" ]
}

atf_test_case linux_bridge cleanup
linux_bridge_head() {
	atf_set descr "a Linux bridge with stp_state 1 and our -F switch on two parallel links: one link blocked, no storm, one root for both, whichever is the root"
	atf_set require.user root
	atf_set timeout 180
}
linux_bridge_body() {
	NS_br=$(uniq_name vsbr) NS_h1=$(uniq_name vsh1) NS_h2=$(uniq_name vsh2)
	BR=$(uniq_name vbr) T=$(uniq_name vt)
	L1=$(uniq_name vl1) L2=$(uniq_name vl2)
	V=$(uniq_name vv) VH=$(uniq_name vh)
	netns "$NS_br"
	netns "$NS_h1"
	netns "$NS_h2"
	# Our switch: port 1 a host tap, ports 2 and 3 the two links.
	for l in "$T" "$L1" "$L2"; do
		echo "$l" >>created_links.lst
	done
	start_switch s1 -F --macaddr 00:ff:00:00:aa:01 -M "$PWD/s1.mg" \
	    -t "$T,$L1,$L2"
	for l in "$T" "$L1" "$L2"; do
		wait_for 10 ip link show "$l"
	done
	ip link set "$T" netns "$NS_h1" || atf_fail "move $T"
	ip -n "$NS_h1" addr add 10.78.2.1/24 dev "$T"
	ip -n "$NS_h1" link set "$T" up
	# The kernel bridge, 802.1D, with short legal timers: hello 1 s,
	# forward delay 4 s, max age 6 s; priority 4096 makes it the root.
	ip -n "$NS_br" link add "$BR" type bridge stp_state 1 priority 4096 \
	    hello_time 100 forward_delay 400 max_age 600 ||
	    atf_fail "no kernel bridge with STP"
	ip -n "$NS_br" link add "$V" type veth peer name "$VH" ||
	    atf_fail "veth"
	ip -n "$NS_br" link set "$VH" netns "$NS_h2" || atf_fail "move $VH"
	ip -n "$NS_h2" addr add 10.78.2.2/24 dev "$VH"
	ip -n "$NS_h2" link set "$VH" up
	for l in "$L1" "$L2"; do
		ip link set "$l" netns "$NS_br" || atf_fail "move $l"
		ip -n "$NS_br" link set "$l" master "$BR" || atf_fail "enslave"
		ip -n "$NS_br" link set "$l" up
	done
	ip -n "$NS_br" link set "$V" master "$BR" || atf_fail "enslave $V"
	ip -n "$NS_br" link set "$V" up
	ip -n "$NS_br" link set "$BR" up
	[ "$(ip netns exec "$NS_br" cat /sys/class/net/$BR/bridge/stp_state)" \
	    = 1 ] || atf_fail "kernel STP is not on"

	# The kernel bridge is the root: one of our links is the alternate.
	wait_for 40 interop_converged
	cat state.txt
	echo "root: ours $(our_root s1), kernel $(br_root)"
	case "$(br_root)" in
	1000.*) ;;
	*) atf_fail "the kernel bridge should be the root: $(br_root)" ;;
	esac
	grep 'state=discarding' state.txt | grep -q 'proto=STP' ||
	    atf_fail "the blocked port does not speak 802.1D"
	atf_check -s exit:0 -o ignore ip netns exec "$NS_h1" \
	    ping -c 2 -i 0.2 -W 2 10.78.2.2
	bcast_listen h2 "$NS_h2" "$VH"
	bcast_send "$NS_h1" "$T"
	wait_for 25 test -s h2.count
	echo "broadcast copies behind the kernel bridge: $(cat h2.count)"
	atf_check_equal "$(cat h2.count)" 1

	# Now we become the root: the kernel bridge must block a link.
	atf_check -s exit:0 "$VDECMD" -s "$PWD/s1.mg" "fstp/settimers 1 6 4"
	atf_check -s exit:0 "$VDECMD" -s "$PWD/s1.mg" "fstp/setpriority 0"
	wait_for 60 sh -c "[ \"\$(ip netns exec $NS_br cat \
	    /sys/class/net/$BR/bridge/root_id)\" = 0000.00ff0000aa01 ]"
	wait_for 60 interop_converged
	cat state.txt
	echo "root: ours $(our_root s1), kernel $(br_root)"
	[ "$(br_state "$L1")" = 4 ] || [ "$(br_state "$L2")" = 4 ] ||
	    atf_fail "the kernel bridge blocks no link"
	atf_check -s exit:0 -o ignore ip netns exec "$NS_h1" \
	    ping -c 2 -i 0.2 -W 2 10.78.2.2
	rm -f h2.ready h2.count
	bcast_listen h2 "$NS_h2" "$VH"
	bcast_send "$NS_h1" "$T"
	wait_for 25 test -s h2.count
	atf_check_equal "$(cat h2.count)" 1
}
linux_bridge_cleanup() { stp_cleanup; }

atf_init_test_cases() {
	atf_add_test_case triangle
	atf_add_test_case stalled_cable
	atf_add_test_case bpdu_flood
	atf_add_test_case console
	atf_add_test_case triangle_without_stp
	atf_add_test_case linux_bridge
}
