#! /usr/bin/env atf-sh
#
# vlan_test: 802.1Q VLANs in vde_switch (spec section 8), checked against an
# independent 802.1Q peer: Scapy (tests/helpers/vlanpeer.py) writes tagged
# and untagged frames into taps in network namespaces and reads what comes
# out of the others; real namespace stacks answer ARP and ICMP on access
# ports; tcpdump -e confirms tags on the wire.  Every port is a tap made by
# our vde_plug2tap inside its own namespace, on a fixed switch port, but
# for the trunk of linux_subinterfaces: a Linux kernel in user-mode-linux.

. "$(atf_get_srcdir)/common.subr"
. "$(atf_get_srcdir)/uml.subr"

PY=$PYTHON_ANYUSER
VPEER="$PY $HELPERS/vlanpeer.py"

need_lab() {
	need_prog "$PY" ip tcpdump
	"$PY" -c 'import scapy' 2>/dev/null ||
	    vde_skip "python3-scapy is not installed"
}

# lab_switch: our switch with a management socket.
lab_switch() {
	start_switch sw -M "$PWD/mgmt" "$@"
	wait_for 10 test -S "$PWD/mgmt"
}

# lab_port NAME PORT [IP]: a namespace with a tap on switch port PORT (and
# address IP/24 on it); adds "--port NAME=NS:IF[:IP]" to ports.args.
lab_port() {
	_ns=$(uniq_name "vl$1")
	_if=$(uniq_name "tv$1")
	netns "$_ns"
	ip netns exec "$_ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$_ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	bg "plug$1" ip netns exec "$_ns" "$VDE_PLUG2TAP" -s "$PWD/sw.sw" \
	    -p "$2" "$_if"
	wait_for 10 ip -n "$_ns" link show "$_if"
	ip -n "$_ns" link set "$_if" up
	if [ -n "${3:-}" ]; then
		ip -n "$_ns" addr add "$3/24" dev "$_if"
		echo "--port $1=$_ns:$_if:$3" >>ports.args
	else
		echo "--port $1=$_ns:$_if" >>ports.args
	fi
	echo "$_ns" >"ns.$1"
	echo "$_if" >"if.$1"
}

# peer SCENARIO: run a vlanpeer scenario over every lab port.
peer() {
	atf_check -s exit:0 -o match:'^ok$' -e ignore $VPEER "$1" \
	    $(cat ports.args)
}

# mgmt CMD...: console commands that must all succeed ("!CODE cmd" must
# fail with that status line).
mgmt() {
	atf_check -s exit:0 -o save:mgmt.out -e ignore $VPEER mgmt \
	    "$PWD/mgmt" "$@"
}

lab_cleanup() {
	kill_all
}

atf_test_case transparent cleanup
transparent_head() {
	atf_set descr "before any VLAN exists, tagged frames (any VID, PCP, priority tags) should cross the switch untouched"
	atf_set require.user root
	atf_set timeout 60
}
transparent_body() {
	need_lab
	start_switch sw
	lab_port t 1
	lab_port a 2
	lab_port b 3
	peer ready
	# tcpdump -e on a's tap sees the tag as sent on t.
	bg tcpd ip netns exec "$(cat ns.a)" tcpdump -l -e -n -i "$(cat if.a)" \
	    vlan
	wait_for 10 grep -q 'listening on' tcpd.err
	peer transparent
	if ! poll 5 grep -q 'vlan 42, p 3' tcpd.out; then
		cat tcpd.out tcpd.err
		atf_fail "tcpdump -e did not see VLAN 42 with priority 3"
	fi
	alive sw || atf_fail "the switch died"
}
transparent_cleanup() { lab_cleanup; }

# lab_vlans: the usual lab once the cables work: VLANs 10 and 20, the
# trunk t on port 1 (one command: the list syntax), access ports.
lab_vlans() {
	mgmt "vlan/create 10,20" "vlan/addport 10,20 1" "$@"
}

atf_test_case trunk_and_access cleanup
trunk_and_access_head() {
	atf_set descr "a trunk should reach real stacks on access ports of VLAN 10 and 20 (ARP, ICMP) in their own VLAN only; access ports of one VLAN talk, across VLANs not"
	atf_set require.user root
	atf_set timeout 90
}
trunk_and_access_body() {
	need_lab
	lab_switch
	lab_port t 1
	lab_port a 2 10.77.0.1
	lab_port b 3 10.77.0.2
	lab_port a2 4 10.77.0.3
	peer ready
	lab_vlans "port/setvlan 2 10" "port/setvlan 3 20" "port/setvlan 4 10"
	mgmt "vlan/print 10"
	atf_check -o match:'^VLAN 0010$' \
	    -o match:'^ -- Port 0001 tagged=1 active=1 status=Forwarding$' \
	    -o match:'^ -- Port 0002 tagged=0 active=1 status=Forwarding$' \
	    -o match:'^ -- Port 0004 tagged=0 active=1 status=Forwarding$' \
	    -o not-match:'Port 0003' cat mgmt.out
	bg tcpd ip netns exec "$(cat ns.t)" tcpdump -l -e -n -i "$(cat if.t)" \
	    vlan
	wait_for 10 grep -q 'listening on' tcpd.err
	peer trunk
	# On the wire of the trunk: the replies carry the access port's VLAN.
	wait_for 5 grep -Eq 'vlan 10, p 0, ethertype ARP.*Reply 10.77.0.1 is-at' tcpd.out
	wait_for 5 grep -Eq 'vlan 20, p 0, ethertype ARP.*Reply 10.77.0.2 is-at' tcpd.out
	# Real stacks: same VLAN yes, across VLANs no (same subnet).
	atf_check -o ignore ip netns exec "$(cat ns.a)" ping -c 2 -W 2 10.77.0.3
	atf_check -s exit:1 -o match:"100% packet loss" \
	    ip netns exec "$(cat ns.a)" ping -c 2 -W 1 10.77.0.2
	atf_check -s exit:1 -o match:"100% packet loss" \
	    ip netns exec "$(cat ns.b)" ping -c 2 -W 1 10.77.0.3
	alive sw || atf_fail "the switch died"
}
trunk_and_access_cleanup() { lab_cleanup; }

atf_test_case egress_tagging cleanup
egress_tagging_head() {
	atf_set descr "untagged->tagged should get PCP 0, tagged->tagged keep PCP and DEI, tagged->untagged lose exactly the tag; a trunk-all port carries every VLAN"
	atf_set require.user root
	atf_set timeout 90
}
egress_tagging_body() {
	need_lab
	lab_switch
	lab_port t 1
	lab_port a 2
	lab_port b 3
	lab_port u 5
	peer ready
	# u is made a trunk of every VLAN before they exist: "all".
	mgmt "vlan/addport all 5"
	lab_vlans "port/setvlan 2 10" "port/setvlan 3 20"
	peer tagging
}
egress_tagging_cleanup() { lab_cleanup; }

atf_test_case priority_tags cleanup
priority_tags_head() {
	atf_set descr "a VID-0 priority-tagged frame should belong to the port's untagged VLAN and keep its priority on trunks"
	atf_set require.user root
	atf_set timeout 90
}
priority_tags_body() {
	need_lab
	lab_switch
	lab_port t 1
	lab_port a 2
	lab_port a2 4
	lab_port u 5
	peer ready
	lab_vlans "vlan/addport 10 5" "port/setvlan 2 10" "port/setvlan 4 10"
	peer priority
}
priority_tags_cleanup() { lab_cleanup; }

atf_test_case same_mac_two_vlans cleanup
same_mac_two_vlans_head() {
	atf_set descr "one MAC should be learned independently in two VLANs on two ports, and unicast follow the right entry in each"
	atf_set require.user root
	atf_set timeout 90
}
same_mac_two_vlans_body() {
	need_lab
	lab_switch
	lab_port t 1
	lab_port a 2
	lab_port b 3
	lab_port c 5
	peer ready
	lab_vlans "port/setvlan 2 10" "port/setvlan 3 20" "port/setvlan 5 20"
	peer samemac
	mgmt "hash/print"
	atf_check -o match:'Addr: 02:00:00:00:0d:01 VLAN 0010 to port: 001' \
	    -o match:'Addr: 02:00:00:00:0d:01 VLAN 0020 to port: 005' \
	    cat mgmt.out
}
same_mac_two_vlans_cleanup() { lab_cleanup; }

atf_test_case non_member_dropped cleanup
non_member_dropped_head() {
	atf_set descr "tagged frames on a port that is not a member (or of an undefined VLAN) should be dropped and counted; untagged frames on a port without untagged VLAN too"
	atf_set require.user root
	atf_set timeout 90
}
non_member_dropped_body() {
	need_lab
	lab_switch
	lab_port t 1
	lab_port a 2
	lab_port b 3
	peer ready
	lab_vlans "port/setvlan 2 10" "port/setvlan 3 20"
	peer nonmember
	mgmt "vlan/portinfo 2" "vlan/portinfo 1"
	atf_check -o match:'^Port 0002 untagged_vlan=0010 tagged=none trunkall=0 drop_tagged=1 drop_untagged=0$' \
	    -o match:'^Port 0001 untagged_vlan=0000 tagged=10,20 trunkall=0 drop_tagged=1 drop_untagged=0$' \
	    cat mgmt.out
	# No untagged VLAN at all: untagged frames are refused and counted.
	mgmt "port/setvlan 3 4095"
	atf_check -s exit:0 -o match:'^ok$' -e ignore $VPEER untagged_refused \
	    $(cat ports.args)
	mgmt "vlan/portinfo 3"
	atf_check -o match:'^Port 0003 untagged_vlan=4095 tagged=none trunkall=0 drop_tagged=0 drop_untagged=1$' \
	    cat mgmt.out
}
non_member_dropped_cleanup() { lab_cleanup; }

atf_test_case console cleanup
console_head() {
	atf_set descr "vlan/* and port/setvlan should check their arguments with the original's status codes, refuse VLAN 0 removal, accept lists atomically, and print the original's formats"
	atf_set timeout 30
}
console_body() {
	lab_switch
	mgmt "!1022 vlan/create 0" "!1022 vlan/create 4094" "!1022 vlan/create x" \
	    "vlan/create 10" "!1017 vlan/create 10" \
	    "port/create 3" "port/create 4" "port/setvlan 3 10" \
	    "vlan/addport 10 4" "vlan/addport 10 3" \
	    "!1006 vlan/addport 11 4" "!1006 vlan/addport 10 9" \
	    "!1022 vlan/addport 10" "!1022 vlan/addport 10 4 5" \
	    "!1098 vlan/delport 10 3" "!1098 vlan/delport 0 4" \
	    "!1006 vlan/delport 10 9" \
	    "!1022 vlan/remove 0" "!1098 vlan/remove 10" "!1006 vlan/remove 11" \
	    "!1022 vlan/remove 4095" \
	    "!1006 port/setvlan 3 11" "!1006 port/setvlan 9 10" \
	    "!1022 port/setvlan 3 4096" "!1022 port/setvlan 3" \
	    "!1022 vlan/print 4094" "vlan/print 0" "vlan/allprint 0"
	# A failing data command still prints its (empty) data block.
	atf_check -o match:"^0000 DATA END WITH '.'\$" cat mgmt.out

	mgmt "vlan/allprint 10"
	atf_check -o match:'^VLAN 0010$' \
	    -o match:'^ -- Port 0003 tagged=0 active=0 status=' \
	    -o match:'^ -- Port 0004 tagged=1 active=0 status=' cat mgmt.out
	mgmt "vlan/print 10"
	atf_check -o not-match:'Port' cat mgmt.out

	# Lists: all or nothing.
	mgmt "vlan/create 20-22,30" "!1017 vlan/create 22-23" \
	    "!1006 vlan/addport 20,23 4" "vlan/addport 20-22,30 4" \
	    "vlan/delport 21,30 4" "vlan/portinfo 4"
	atf_check -o match:'^Port 0004 untagged_vlan=0000 tagged=10,20,22 trunkall=0 drop_tagged=0 drop_untagged=0$' \
	    cat mgmt.out
	mgmt "vlan/print"
	atf_check -o not-match:'VLAN 0023' -o match:'^VLAN 0030$' cat mgmt.out
	mgmt "!1098 vlan/remove 20,30" "vlan/remove 21,30" "vlan/print"
	atf_check -o not-match:'VLAN 0021' -o not-match:'VLAN 0030' \
	    -o match:'^VLAN 0020$' cat mgmt.out

	# Trunk-all: every VLAN, also those made later; not "in use".
	mgmt "vlan/addport all 4" "vlan/create 40" "vlan/portinfo 4" \
	    "vlan/remove 40" "vlan/delport all 4" "vlan/portinfo 4"
	atf_check -o match:'tagged=10,20,22,40 trunkall=1' \
	    -o match:'tagged=none trunkall=0' cat mgmt.out

	# port/print shows the untagged VLAN set by port/setvlan.
	mgmt "port/setvlan 4 4095" "port/allprint 4"
	atf_check -o match:'^Port 0004 untagged_vlan=4095 INACTIVE' cat mgmt.out
}
console_cleanup() { lab_cleanup; }

atf_test_case console_like_original cleanup
console_like_original_head() {
	atf_set descr "the VLAN commands should answer like Debian's vde_switch (status lines and data), where the spec keeps its behaviour"
	atf_set timeout 30
}
console_like_original_body() {
	need_prog "$ORIG_SWITCH"
	lab_switch
	start_orig_switch orig -M "$PWD/orig.mgmt"
	wait_for 10 test -S "$PWD/orig.mgmt"
	set -- "vlan/create 10" "vlan/create 10" "vlan/create 4094" \
	    "vlan/create 0" "vlan/create 4093" "port/create 3" "port/create 4" \
	    "port/setvlan 3 10" "vlan/addport 10 4" "vlan/addport 11 4" \
	    "vlan/addport 10 9" "vlan/delport 10 3" "vlan/delport 0 4" \
	    "vlan/delport 10 9" "vlan/print" "vlan/allprint" "vlan/allprint 10" \
	    "vlan/print 10" "vlan/print 11" "vlan/remove 10" "vlan/remove 11" \
	    "vlan/remove 4095" "vlan/remove 4093" "port/setvlan 3 11" \
	    "port/setvlan 9 10" "port/setvlan 3 4095" "vlan/delport 10 4" \
	    "vlan/delport 10 4" "vlan/remove 10" "vlan/print"
	$VPEER transcript "$PWD/mgmt" "$@" | sed 's/ status=[A-Za-z]*//' >ours
	$VPEER transcript "$PWD/orig.mgmt" "$@" |
	    sed 's/ status=[A-Za-z]*//' >theirs
	atf_check -o match:'VLAN 0010' cat ours
	atf_check -o ignore diff -u theirs ours
}
console_like_original_cleanup() { lab_cleanup; }

atf_test_case rc_file cleanup
rc_file_head() {
	atf_set descr "VLAN commands in the -f rc file should configure the switch at startup"
	atf_set timeout 30
}
rc_file_body() {
	printf '%s\n' "vlan/create 10,20" "port/create 5" "port/setvlan 5 20" \
	    "vlan/addport 10 5" >rc
	lab_switch -f "$PWD/rc"
	mgmt "vlan/allprint"
	atf_check -o match:'^VLAN 0020$' \
	    -o match:'^ -- Port 0005 tagged=0 active=0' \
	    -o match:'^ -- Port 0005 tagged=1 active=0' cat mgmt.out
}
rc_file_cleanup() { lab_cleanup; }

atf_test_case config_survives_reconnect cleanup
config_survives_reconnect_head() {
	atf_set descr "a port should keep its VLANs while inactive and forward in them again when a client comes back"
	atf_set require.user root
	atf_set timeout 90
}
config_survives_reconnect_body() {
	need_lab
	lab_switch
	lab_port t 1
	lab_port a 2
	peer ready
	lab_vlans "port/setvlan 2 10"
	peer t10_to_a
	# The client of port 2 goes: the port stays in VLAN 10, inactive.
	kill "$(pid_of pluga)"
	wait_for 10 sh -c "$VPEER mgmt '$PWD/mgmt' 'vlan/allprint 10' |
	    grep -q 'Port 0002 tagged=0 active=0'"
	mgmt "vlan/print 10"
	atf_check -o not-match:'Port 0002' cat mgmt.out
	# It comes back on the same port (a new tap of the same name).
	bg pluga ip netns exec "$(cat ns.a)" "$VDE_PLUG2TAP" -s "$PWD/sw.sw" \
	    -p 2 "$(cat if.a)"
	wait_for 10 sh -c "$VPEER mgmt '$PWD/mgmt' 'vlan/print 10' |
	    grep -q 'Port 0002 tagged=0 active=1'"
	wait_for 10 ip -n "$(cat ns.a)" link show "$(cat if.a)"
	ip -n "$(cat ns.a)" link set "$(cat if.a)" up
	peer t10_to_a
}
config_survives_reconnect_cleanup() { lab_cleanup; }

atf_test_case hub_ignores_vlans cleanup
hub_ignores_vlans_head() {
	atf_set descr "in hub mode the VLAN configuration should be ignored: every frame goes everywhere unchanged"
	atf_set require.user root
	atf_set timeout 90
}
hub_ignores_vlans_body() {
	need_lab
	lab_switch -x
	lab_port t 1
	lab_port a 2
	lab_port b 3
	peer ready
	lab_vlans "port/setvlan 2 10" "port/setvlan 3 20"
	peer transparent
}
hub_ignores_vlans_cleanup() { lab_cleanup; }

# The Linux 802.1Q stack comes from user-mode-linux (uml.subr), with 8021q
# as a module.

atf_test_case linux_subinterfaces cleanup
linux_subinterfaces_head() {
	atf_set descr "Linux VLAN sub-interfaces (a real 802.1Q stack, in user-mode-linux) on a trunk port should reach access ports of their VLAN only, both ways"
	atf_set require.user root
	atf_set timeout 180
}
linux_subinterfaces_body() {
	need_lab
	need_uml net/8021q/8021q.ko
	lab_switch
	lab_port a 2 10.77.0.1
	lab_port b 3 10.77.0.2
	atf_check ip -n "$(cat ns.b)" addr add 10.78.0.2/24 dev "$(cat if.b)"
	peer ready
	# Port 1 is made ahead of the guest's cable, so that it can join the
	# VLANs first.
	mgmt "port/create 1"
	lab_vlans "port/setvlan 2 10" "port/setvlan 3 20"
	# The guest: eth0.10 and eth0.20 on the trunk (port 1).  It pings
	# out, then waits (60 s at most) for uml.root/out/go while the host
	# pings in, so that both directions are tried.
	cat >guest.sh <<'GUEST'
modprobe 8021q; echo "$?" >/out/modprobe
ip link set eth0 address 02:00:00:00:77:64
ip link set eth0 up
ip link add link eth0 name eth0.10 type vlan id 10
ip link add link eth0 name eth0.20 type vlan id 20
ip addr add 10.77.0.100/24 dev eth0.10
ip addr add 10.78.0.100/24 dev eth0.20
ip link set eth0.10 up
ip link set eth0.20 up
cat /proc/net/vlan/config >/out/vlans
ping -c 2 -W 3 10.77.0.1; echo "$?" >/out/ping10
ping -c 2 -W 3 10.78.0.2; echo "$?" >/out/ping20
ping -c 2 -W 1 -I eth0.10 10.77.0.2; echo "$?" >/out/pingcross
echo up >/out/up
i=0
while [ ! -f /out/go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
GUEST
	uml_root guest.sh
	uml_boot "$PWD/sw.sw" 1
	if ! poll 90 test -f uml.root/out/up; then
		cat uml.out uml.err uml.root/out/log
		atf_fail "user-mode-linux did not come up and ping within 90 s"
	fi
	cat uml.root/out/log
	atf_check -o inline:"0\n" cat uml.root/out/modprobe
	atf_check -o match:'^eth0\.10 +\| 10 +\| eth0$' \
	    -o match:'^eth0\.20 +\| 20 +\| eth0$' cat uml.root/out/vlans
	# Out of the guest: VLAN 10 reaches a, VLAN 20 reaches b; b shares
	# a's subnet but sits in VLAN 20, so it is not reachable over .10.
	atf_check -o inline:"0\n" cat uml.root/out/ping10
	atf_check -o inline:"0\n" cat uml.root/out/ping20
	atf_check -o not-inline:"0\n" cat uml.root/out/pingcross
	# Into the guest, from the access ports; across VLANs not.
	atf_check -o ignore ip netns exec "$(cat ns.a)" ping -c 2 -W 2 \
	    10.77.0.100
	atf_check -o ignore ip netns exec "$(cat ns.b)" ping -c 2 -W 2 \
	    10.78.0.100
	atf_check -s exit:1 -o match:'100% packet loss' \
	    ip netns exec "$(cat ns.b)" ping -c 2 -W 1 -I "$(cat if.b)" \
	    10.77.0.100
	# The guest's MAC was learnt on the trunk, in both VLANs.
	mgmt "hash/print"
	atf_check -o match:'Addr: 02:00:00:00:77:64 VLAN 0010 to port: 001 ' \
	    -o match:'Addr: 02:00:00:00:77:64 VLAN 0020 to port: 001 ' \
	    cat mgmt.out
	touch uml.root/out/go
	wait_for 30 test -f uml.root/out/end
	wait_for 30 sh -c '! kill -0 "$(cat uml.pid)"'
}
linux_subinterfaces_cleanup() { uml_cleanup; lab_cleanup; }

atf_init_test_cases() {
	atf_add_test_case console
	atf_add_test_case console_like_original
	atf_add_test_case rc_file
	atf_add_test_case transparent
	atf_add_test_case trunk_and_access
	atf_add_test_case egress_tagging
	atf_add_test_case priority_tags
	atf_add_test_case same_mac_two_vlans
	atf_add_test_case non_member_dropped
	atf_add_test_case config_survives_reconnect
	atf_add_test_case hub_ignores_vlans
	atf_add_test_case linux_subinterfaces
}
