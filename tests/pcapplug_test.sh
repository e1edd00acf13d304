#! /usr/bin/env atf-sh
#
# pcapplug_test: vde_pcapplug joins one end of a veth pair to a switch;
# a namespace on the other end pings a namespace on a tap of the switch.
# Ours and Debian's vde_pcapplug, each with ours and Debian's switch.
#
# Debian's vde_pcapplug (2.3.2 with libpcap 1.10) only works one way
# here: it injects what the switch sends, but what the veth receives never
# wakes its poll (its capture is not in immediate mode, so libpcap's
# TPACKET_V3 ring hands frames over only when a block fills), so no reply
# reaches the switch.  Its cases check the injecting half: the veth's
# namespace learns the tap's address from the injected ARP request.

. "$(atf_get_srcdir)/common.subr"

VDE_PCAPPLUG=$TOP/src/tools/vde_pcapplug
ORIG_PCAPPLUG=/usr/bin/vde_pcapplug

# across PLUG SWITCH: ns NSP holds veth end VA (no address; the plug
# captures and injects there), ns NSV the other end VB (10.77.62.2), ns
# NST a tap of the switch (10.77.62.1).  Both ways of pinging must work.
across() {
	need_linux "network namespaces, veth and taps"
	_plug=$1 _sw=$2
	NSP=$(uniq_name vpp) NSV=$(uniq_name vpv) NST=$(uniq_name vpt)
	VA=$(uniq_name vpa) VB=$(uniq_name vpb) T=$(uniq_name vpT)
	netns "$NSP"
	netns "$NSV"
	netns "$NST"
	echo "$T" >>created_links.lst
	ip link add "$VA" netns "$NSP" type veth peer name "$VB" netns "$NSV" ||
	    atf_fail "veth"
	ip -n "$NSP" link set "$VA" up
	ip -n "$NSV" addr add 10.77.62.2/24 dev "$VB"
	ip -n "$NSV" link set "$VB" up
	if [ "$_sw" = ours ]; then
		start_switch sw -t "$T"
	else
		start_orig_switch sw -t "$T"
	fi
	wait_for 10 ip link show "$T"
	ip link set "$T" netns "$NST" || atf_fail "move $T"
	ip -n "$NST" addr add 10.77.62.1/24 dev "$T"
	ip -n "$NST" link set "$T" up
	bg plug ip netns exec "$NSP" "$_plug" -s "$PWD/sw.sw" "$VA"
	if [ "$3" = inject-only ]; then
		# Each ping's ARP request goes switch -> plug -> veth.
		ip netns exec "$NST" ping -c 5 -i 0.3 -W 1 10.77.62.2 \
		    >ping.out 2>&1
		ip -n "$NSV" neigh show 10.77.62.1 >neigh.out
		grep -q lladdr neigh.out ||
		    atf_fail "nothing injected: $NSV never saw 10.77.62.1's ARP request"
		echo "Debian's plug, ping: $(grep received ping.out)"
		alive plug || atf_fail "the plug died: $(cat plug.err)"
		return
	fi
	# Up: a reply came back (each try is 1 s, 20 tries at most).
	_i=0
	until ip netns exec "$NST" ping -c 1 -W 1 10.77.62.2 >/dev/null 2>&1
	do
		_i=$((_i + 1))
		[ $_i -lt 20 ] || atf_fail "no ping reply across the plug in 20 s"
	done
	atf_check -s exit:0 -o match:"3 received" \
	    ip netns exec "$NST" ping -c 3 -i 0.2 -W 2 10.77.62.2
	atf_check -s exit:0 -o match:"3 received" \
	    ip netns exec "$NSV" ping -c 3 -i 0.2 -W 2 10.77.62.1
	# Large frames too (1400 bytes of payload, not fragmented).
	atf_check -s exit:0 -o match:"2 received" \
	    ip netns exec "$NSV" ping -c 2 -i 0.2 -W 2 -M do -s 1400 10.77.62.1
	# No injected frame came back: one ping gives one reply, no
	# duplicates (a loop would show as "DUP!").
	ip netns exec "$NST" ping -c 3 -i 0.2 -W 2 10.77.62.2 >dup.out
	if grep -q 'DUP' dup.out; then
		atf_fail "duplicated replies: $(cat dup.out)"
	fi
	alive plug || atf_fail "the plug died: $(cat plug.err)"
}

atf_test_case ours_ours cleanup
ours_ours_head() {
	atf_set descr "our vde_pcapplug joins a veth to our switch: ping across both ways, no duplicates"
	atf_set require.user root
	atf_set timeout 60
}
ours_ours_body() {
	across "$VDE_PCAPPLUG" ours
}
ours_ours_cleanup() {
	kill_all
}

atf_test_case ours_orig cleanup
ours_orig_head() {
	atf_set descr "our vde_pcapplug joins a veth to Debian's switch: ping across both ways, no duplicates"
	atf_set require.user root
	atf_set timeout 60
}
ours_orig_body() {
	need_prog "$ORIG_SWITCH"
	across "$VDE_PCAPPLUG" orig
}
ours_orig_cleanup() {
	kill_all
}

atf_test_case orig_ours cleanup
orig_ours_head() {
	atf_set descr "Debian's vde_pcapplug joins a veth to our switch: what our switch sends is injected on the veth (its capture half does not work here, see above)"
	atf_set require.user root
	atf_set timeout 60
}
orig_ours_body() {
	need_prog "$ORIG_PCAPPLUG"
	across "$ORIG_PCAPPLUG" ours inject-only
}
orig_ours_cleanup() {
	kill_all
}

atf_test_case orig_orig cleanup
orig_orig_head() {
	atf_set descr "Debian's vde_pcapplug and switch, the reference: what the switch sends is injected on the veth (its capture half does not work here, see above)"
	atf_set require.user root
	atf_set timeout 60
}
orig_orig_body() {
	need_prog "$ORIG_PCAPPLUG" "$ORIG_SWITCH"
	across "$ORIG_PCAPPLUG" orig inject-only
}
orig_orig_cleanup() {
	kill_all
}

atf_test_case bad_interface cleanup
bad_interface_head() {
	atf_set descr "an interface that does not exist is refused with libpcap's reason, before the switch is joined"
	atf_set require.user root
	atf_set timeout 30
}
bad_interface_body() {
	start_switch sw
	atf_check -s exit:1 -e match:"interface vdenosuch0: .*(No such device|doesn't exist)" \
	    "$VDE_PCAPPLUG" -s "$PWD/sw.sw" vdenosuch0
	atf_check -s exit:1 -e match:"usage: vde_pcapplug" "$VDE_PCAPPLUG"
}
bad_interface_cleanup() {
	kill_all
}

atf_init_test_cases() {
	atf_add_test_case ours_ours
	atf_add_test_case ours_orig
	atf_add_test_case orig_ours
	atf_add_test_case orig_orig
	atf_add_test_case bad_interface
}
