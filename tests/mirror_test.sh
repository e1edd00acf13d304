#! /usr/bin/env atf-sh
#
# mirror_test: mirror/add, mirror/del, mirror/addvlan, mirror/print: a
# namespace on the mirror port sees every frame of the source port (or
# VLAN), both directions, with its VLAN tags, and none of the switch's
# normal traffic; the mirror goes with its source port.

. "$(atf_get_srcdir)/common.subr"
. "$(atf_get_srcdir)/capture.subr"

# raw NS IFACE VID COUNT: COUNT broadcast frames (EtherType 0x88b5, local
# experimental) sent raw on IFACE in NS, tagged with VLAN VID (0: untagged).
raw() {
	ip netns exec "$1" python3 -c '
import socket, struct, sys
ifname, vid, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
src = s.getsockname()[4]
tag = struct.pack("!HH", 0x8100, vid) if vid else b""
for i in range(count):
    s.send(b"\xff" * 6 + src + tag + struct.pack("!H", 0x88b5) +
        b"vde mirror test %d " % i + b"x" * 40)
' "$2" "$3" "$4" || atf_fail "raw frames from $1"
}

# sniff: tcpdump on the mirror port's tap (ns 3) into m.pcap, the frames
# the switch sends there (not those ns 3 sends: -Q in).
sniff() {
	bg sniff ip netns exec "$CAP_NS3" tcpdump -Z root -nn -U \
	    --immediate-mode -Q in -i "$CAP_T3" \
	    -w "$PWD/m.pcap"
	wait_for 10 grep -q "listening on" sniff.err
}

# records_at_least N: m.pcap holds N records or more.
records_at_least() {
	[ "$(tcpdump -nn -r m.pcap 2>/dev/null | grep -c '^[0-9]')" -ge "$1" ]
}

# shows CMD REGEX: the console's answer to CMD has a line matching REGEX
# (wait_for needs a one-line command: kyua takes a multi-line failure
# reason for a broken test).
shows() {
	"$VDECMD" -s "$MGMT" "$1" | grep -q "$2"
}

# copied_at_least IN OUT: mirror/print counts IN and OUT copies or more.
copied_at_least() {
	"$VDECMD" -s "$MGMT" mirror/print |
	    awk -v i="$1" -v o="$2" '$7 >= i && $9 >= o { ok = 1 }
	    END { exit !ok }'
}

# unsniff N: once m.pcap has N records (the switch sent them), stop it.
unsniff() {
	wait_for 10 records_at_least "$1"
	kill -INT "$(pid_of sniff)"
	wait_for 10 grep -q "packets captured" sniff.err
}

mirror_cleanup() {
	kill_all
}

atf_test_case span cleanup
span_head() {
	atf_set descr "the mirror port should get every frame entering and leaving the source port (tags as on the wire) and none of the normal traffic"
	atf_set require.user root
	atf_set require.progs tcpdump
	atf_set timeout 120
}
span_body() {
	cap_switch 85 3
	# Ports 1 and 2 carry VLAN 10 tagged, ports 2 and 3 VLAN 20 tagged:
	# VLAN 20 is traffic that the switch floods to port 3 and not to 1.
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" \
	    -c "vlan/create 10" -c "vlan/create 20" \
	    -c "vlan/addport 10 1" -c "vlan/addport 10 2" \
	    -c "vlan/addport 20 2" -c "vlan/addport 20 3"
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" "mirror/add 1 3 both"
	atf_check -s exit:0 -o match:"^Port 0001 mirror to 0003 both in 0 out 0$" \
	    "$VDECMD" -s "$MGMT" mirror/print
	sniff
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" port/resetcounter 1
	atf_check -s exit:0 -o ignore ip netns exec "$CAP_NS1" \
	    ping -c 3 -i 0.2 -W 2 10.85.0.2
	raw "$CAP_NS1" "$CAP_T1" 10 4
	raw "$CAP_NS2" "$CAP_T2" 10 5
	raw "$CAP_NS2" "$CAP_T2" 20 6
	raw "$CAP_NS2" "$CAP_T2" 0 2
	# The mirror port's own frames are dropped, counted as input drops.
	raw "$CAP_NS3" "$CAP_T3" 0 3
	# Port 1 takes at least ARP, 3 echoes and 4 frames of VLAN 10, and
	# sends at least ARP, 3 replies, 5 of VLAN 10 and 2 of VLAN 0.
	wait_for 10 copied_at_least 8 11
	"$VDECMD" -s "$MGMT" -c "port/print 1" -c "port/print 3" -c mirror/print \
	    >print.out || atf_fail "port/print"
	in=$(awk '$1 == "IN:" { print $3; exit }' print.out)
	out=$(awk '$1 == "OUT:" { print $3; exit }' print.out)
	unsniff $((in + out))
	atf_check -s exit:0 \
	    -o match:"^Port 0001 mirror to 0003 both in $in out $out\$" \
	    cat print.out
	cap_expect "$((in + out))" m.pcap
	cap_expect "4" m.pcap \
	    vlan 10 and ether src "$(ip -n "$CAP_NS1" -br link show "$CAP_T1" |
	    awk '{ print $3 }')"
	cap_expect "5" m.pcap \
	    vlan 10 and ether src "$(ip -n "$CAP_NS2" -br link show "$CAP_T2" |
	    awk '{ print $3 }')"
	cap_expect "0" m.pcap vlan 20
	cap_expect "3" m.pcap \
	    'icmp[icmptype] == icmp-echo'
	cap_expect "3" m.pcap \
	    'icmp[icmptype] == icmp-echoreply'
	awk '$1 == "DROP:" { n++ } n == 2 { print $3; exit }' print.out \
	    >drop3
	atf_check -s exit:0 -o inline:"3\n" cat drop3
}
span_cleanup() { mirror_cleanup; }

atf_test_case source_removed cleanup
source_removed_head() {
	atf_set descr "removing the source port should remove its mirror (log line, mirror/print empty) and give the destination port its normal traffic back"
	atf_set require.user root
	atf_set require.progs tcpdump
	atf_set timeout 120
}
source_removed_body() {
	cap_switch 86 3
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" "mirror/add 1 3 in"
	atf_check -s exit:22 -e match:"1022 Invalid argument" \
	    "$VDECMD" -s "$MGMT" "mirror/add 3 2 in"
	atf_check -s exit:22 -e match:"1022 Invalid argument" \
	    "$VDECMD" -s "$MGMT" "mirror/add 2 2 both"
	atf_check -s exit:6 -e match:"1006 No such device or address" \
	    "$VDECMD" -s "$MGMT" "mirror/add 2 9 both"
	# The tap of port 1 goes, then the port.
	id=$(cap_cmd port/print 1 | awk '/endpoint ID/ { print $4 + 0 }')
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" "port/epclose 1 $id"
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" "port/remove 1"
	wait_for 10 grep -q "mirror: port 1 to port 3 ended: port 1 removed" \
	    sw.err
	atf_check -s exit:0 -o empty "$VDECMD" -s "$MGMT" mirror/print
	sniff
	raw "$CAP_NS2" "$CAP_T2" 0 3
	wait_for 10 shows "port/print 3" 'OUT: pkts *3 '
	unsniff 3
	cap_expect "3" m.pcap ether proto 0x88b5
}
source_removed_cleanup() { mirror_cleanup; }

atf_test_case vlan_source cleanup
vlan_source_head() {
	atf_set descr "mirror/addvlan should copy every frame the switch puts into the VLAN, once and as it entered (tagged), and nothing of other VLANs"
	atf_set require.user root
	atf_set require.progs tcpdump
	atf_set timeout 120
}
vlan_source_body() {
	cap_switch 87 3
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" \
	    -c "vlan/create 10" -c "vlan/addport 10 1" -c "vlan/addport 10 2" \
	    -c "mirror/addvlan 10 3"
	atf_check -s exit:22 -e match:"1022 Invalid argument" \
	    "$VDECMD" -s "$MGMT" "mirror/addvlan 4095 3"
	sniff
	# VLAN 0: a ping between ns 1 and 2, not mirrored.
	atf_check -s exit:0 -o ignore ip netns exec "$CAP_NS1" \
	    ping -c 3 -i 0.2 -W 2 10.87.0.2
	raw "$CAP_NS1" "$CAP_T1" 10 4
	raw "$CAP_NS2" "$CAP_T2" 10 5
	wait_for 10 shows mirror/print '^VLAN 0010 mirror to 0003 frames 9$'
	unsniff 9
	cap_expect 9 m.pcap
	cap_expect 9 m.pcap vlan 10
	cap_expect 4 m.pcap vlan 10 and ether src \
	    "$(ip -n "$CAP_NS1" -br link show "$CAP_T1" | awk '{ print $3 }')"
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" "mirror/delvlan 10"
	atf_check -s exit:0 -o empty "$VDECMD" -s "$MGMT" mirror/print
}
vlan_source_cleanup() { mirror_cleanup; }

atf_init_test_cases() {
	atf_add_test_case span
	atf_add_test_case source_removed
	atf_add_test_case vlan_source
}
