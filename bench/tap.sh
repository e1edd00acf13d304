# tap.sh: the tap-to-tap suite (sourced by bench/run.sh).
#
# Two namespaces A and B talk through a third, C, which holds the switch:
# for "ours" and "orig" a vde_switch started in C with two taps (-t), the
# taps then moved into A and B; for "bridge" a kernel bridge in C with a
# veth pair to each of A and B.  Per setup: ping RTT, iperf3 TCP with 1 and
# 4 streams, and UDP with 64-byte payloads at full rate (delivered
# packets/s, loss, and the switch's CPU seconds per million packets).

TAP_NET=10.213.0

# tap_up KIND: build A, B and C for KIND; sets TAP_PID (switch or empty).
tap_up() {
	TAP_PID=
	mk_netns "$NS_A" && mk_netns "$NS_B" && mk_netns "$NS_C" || return 1
	case $1 in
	ours|base|orig)
		sw_start "$1" "$WORK/tap-$1" "$NS_C" -- \
		    -t "${NS_A}t" -t "${NS_B}t" || return 1
		TAP_PID=$SW_PID
		wait_until 10 ip -n "$NS_C" link show "${NS_B}t" || {
			note "$1: taps did not appear"
			return 1
		}
		ip -n "$NS_C" link set "${NS_A}t" netns "$NS_A" &&
		    ip -n "$NS_C" link set "${NS_B}t" netns "$NS_B" || return 1
		;;
	bridge)
		ip -n "$NS_C" link add "${NS_C}br" type bridge &&
		    ip -n "$NS_C" link set "${NS_C}br" up || return 1
		for _ns in "$NS_A" "$NS_B"; do
			ip -n "$NS_C" link add "${_ns}v" type veth \
			    peer name "${_ns}t" netns "$_ns" &&
			    ip -n "$NS_C" link set "${_ns}v" master \
			    "${NS_C}br" up || return 1
		done
		;;
	esac
	ip -n "$NS_A" addr add "$TAP_NET.1/24" dev "${NS_A}t" &&
	    ip -n "$NS_A" link set "${NS_A}t" up &&
	    ip -n "$NS_B" addr add "$TAP_NET.2/24" dev "${NS_B}t" &&
	    ip -n "$NS_B" link set "${NS_B}t" up || return 1
	wait_until 10 ip netns exec "$NS_A" ping -c 1 -W 1 "$TAP_NET.2" || {
		note "$1: no ping between the namespaces"
		return 1
	}
	ip netns exec "$NS_B" iperf3 -s -B "$TAP_NET.2" >/dev/null 2>&1 &
	IPERF_PID=$!
	ledger_add pids "$IPERF_PID"
	wait_until 10 sh -c "ip netns exec $NS_B ss -Hltn | grep -q ':5201'"
}

tap_down() {
	[ -n "${IPERF_PID:-}" ] && stop_pid "$IPERF_PID"
	IPERF_PID=
	[ -n "$TAP_PID" ] && stop_pid "$TAP_PID"
	for _ns in "$NS_A" "$NS_B" "$NS_C"; do
		ip netns del "$_ns" 2>/dev/null
		ledger_del netns "$_ns"
	done
	# Deleting a namespace is asynchronous; its names must be free again.
	wait_until 10 sh -c "! ip netns list | grep -q '^$NS_C'"
}

# if_stat NS IF COUNTER: an interface counter (rx_packets, tx_dropped).
if_stat() {
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3" 2>/dev/null ||
	    echo 0
}

# iperf TEST KIND REP IPERF3-ARGS...: one iperf3 run from A to B.  Also
# records the rate at which frames reached B's interface (what the switch
# forwarded, whatever the receiving program then managed to read) and the
# share dropped on A's interface before the switch took them.
iperf() {
	_t=$1 _k=$2 _r=$3
	shift 3
	_c0=
	[ -n "$TAP_PID" ] && _c0=$(cpu_ticks "$TAP_PID")
	_b0=$(if_stat "$NS_B" "${NS_B}t" rx_packets)
	_a0=$(if_stat "$NS_A" "${NS_A}t" tx_packets)
	_d0=$(if_stat "$NS_A" "${NS_A}t" tx_dropped)
	timeout -k 2 $((IPERF_T + 20)) ip netns exec "$NS_A" iperf3 \
	    -c "$TAP_NET.2" -t "$IPERF_T" -J "$@" >"$WORK/iperf.json" \
	    2>>"$WORK/iperf.err"
	_b1=$(if_stat "$NS_B" "${NS_B}t" rx_packets)
	_a1=$(if_stat "$NS_A" "${NS_A}t" tx_packets)
	_d1=$(if_stat "$NS_A" "${NS_A}t" tx_dropped)
	rec "$_t" "$_k" "$_r" fwd_pps $(( (_b1 - _b0) / IPERF_T ))
	rec "$_t" "$_k" "$_r" in_drop_pct "$(awk -v d=$((_d1 - _d0)) \
	    -v a=$((_a1 - _a0)) 'BEGIN { if (a + d > 0)
		printf "%.2f", 100 * d / (a + d) }')"
	_res=$(python3 "$BENCH_DIR/iperf_json.py" "$WORK/iperf.json")
	if [ -z "$_res" ]; then
		note "$_t $_k rep $_r: iperf3 failed"
		rec "$_t" "$_k" "$_r" failed 1
		return 1
	fi
	note "$_t $_k rep $_r: $_res"
	for _m in mbps pps loss_pct packets; do
		_v=$(kv "$_res" $_m)
		[ -n "$_v" ] && rec "$_t" "$_k" "$_r" "$_m" "$_v"
	done
	if [ -n "$_c0" ] && [ -n "$(kv "$_res" packets)" ]; then
		rec "$_t" "$_k" "$_r" cpu_s_per_mframe "$(cpu_per_mframe \
		    $(($(cpu_ticks "$TAP_PID") - _c0)) "$(kv "$_res" packets)")"
	fi
	return 0
}

tap_once() {
	_kind=$1 _rep=$2
	if ! tap_up "$_kind"; then
		rec tap "$_kind" "$_rep" failed 1
		tap_down
		return
	fi
	_p=$(ip netns exec "$NS_A" ping -q -n -c "$PING_N" -i 0.01 -W 1 \
	    "$TAP_NET.2" 2>/dev/null | sed -n 's|^rtt [^=]*= [^/]*/\([^/]*\)/.*|\1|p')
	if [ -n "$_p" ]; then
		_us=$(awk -v a="$_p" 'BEGIN { printf "%.1f", a * 1000 }')
		note "ping $_kind rep $_rep: avg $_us us"
		rec ping "$_kind" "$_rep" rtt_us "$_us"
	fi
	iperf tcp1 "$_kind" "$_rep"
	iperf tcp4 "$_kind" "$_rep" -P 4
	iperf udp64 "$_kind" "$_rep" -u -b 0 -l 64
	[ -n "$TAP_PID" ] && rec tap "$_kind" "$_rep" hwm_kb \
	    "$(vm_kb "$TAP_PID" VmHWM)"
	tap_down
}

tap_suite() {
	NS_A=vb${TAG}a NS_B=vb${TAG}b NS_C=vb${TAG}c
	for _rep in $(seq 1 "$TAP_REPS"); do
		for _kind in $(kinds_order "$_rep" $TAP_KINDS); do
			tap_once "$_kind" "$_rep"
		done
	done
}
