#! /usr/bin/env atf-sh
#
# vlan_test: 802.1Q VLANs in vde_switch (spec section 8), checked against an
# independent 802.1Q peer: Scapy (tests/helpers/vlanpeer.py) writes tagged
# and untagged frames into taps in network namespaces and reads what comes
# out of the others; real namespace stacks answer ARP and ICMP on access
# ports; tcpdump -e confirms tags on the wire.  Every port is a tap made by
# our vde_plug2tap inside its own namespace, on a fixed switch port.

. "$(atf_get_srcdir)/common.subr"

PY=/usr/bin/python3
VPEER="$PY $HELPERS/vlanpeer.py"

# poll SECONDS COMMAND...: like wait_for, but returns 1 on timeout.
poll() {
	_n=$(( $1 * 20 )); shift
	while ! "$@" >/dev/null 2>&1; do
		_n=$((_n - 1))
		[ $_n -le 0 ] && return 1
		sleep 0.05
	done
	return 0
}

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

atf_init_test_cases() {
	atf_add_test_case transparent
}
