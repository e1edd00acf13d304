# vxlan.sh: the VXLAN suite (sourced by bench/run.sh; issue 15).
#
# Tap-to-tap TCP (iperf3, one stream) between namespaces A and B, each
# behind its own "host" namespace H1 and H2 joined by a veth pair (the
# underlay), three ways, interleaved, VXLAN_REPS times each:
#   ours    our switch in H1 and in H2, each with a tap to A or B and a
#           VXLAN port naming the other (unicast, VNI 42);
#   kernel  a kernel bridge in H1 and in H2, each with a veth to A or B and
#           a kernel vxlan device naming the other;
#   dpipe   our two switches joined by a dpipe cable (vde_plug = vde_plug)
#           instead of VXLAN.
# Interfaces in A and B have MTU 1450 in all three, so that TCP segments
# are the same size.  Medians and the ratios ours/kernel and ours/dpipe go
# to $WORK/vxlan.md, which run.sh adds to the report.

VX_NET=10.214.0

# vx_up KIND: build A, B, H1, H2 for KIND; VX_PIDS: what to stop.
vx_up() {
	VX_PIDS=
	for _n in "$NS_A" "$NS_B" "${NS_C}1" "${NS_C}2"; do
		mk_netns "$_n" || return 1
	done
	ip -n "${NS_C}1" link add ul type veth peer ul netns "${NS_C}2" &&
	    ip -n "${NS_C}1" addr add 192.168.214.1/24 dev ul &&
	    ip -n "${NS_C}2" addr add 192.168.214.2/24 dev ul &&
	    ip -n "${NS_C}1" link set ul up &&
	    ip -n "${NS_C}2" link set ul up || return 1
	case $1 in
	ours|dpipe)
		for _i in 1 2; do
			_o=2
			[ $_i = 2 ] && _o=1
			_vx=
			[ "$1" = ours ] &&
			    _vx="--vxlan vni=42,remote=192.168.214.$_o"
			sw_start ours "$WORK/vx$_i" "${NS_C}$_i" -- \
			    -t "${NS_C}t$_i" $_vx || return 1
			VX_PIDS="$VX_PIDS $SW_PID"
			wait_until 10 ip -n "${NS_C}$_i" link show "${NS_C}t$_i" ||
			    return 1
		done
		ip -n "${NS_C}1" link set "${NS_C}t1" netns "$NS_A" name "${NS_A}t" &&
		    ip -n "${NS_C}2" link set "${NS_C}t2" netns "$NS_B" \
		    name "${NS_B}t" || return 1
		if [ "$1" = dpipe ]; then
			"$TOP/src/tools/dpipe" "$TOP/src/tools/vde_plug" \
			    "$WORK/vx1" = "$TOP/src/tools/vde_plug" \
			    "$WORK/vx2" >/dev/null 2>&1 &
			VX_PIDS="$VX_PIDS $!"
			ledger_add pids "$!"
		fi
		;;
	kernel)
		for _i in 1 2; do
			_o=2 _ns=$NS_A
			[ $_i = 2 ] && _o=1 _ns=$NS_B
			_h=${NS_C}$_i
			ip -n "$_h" link add br0 type bridge &&
			    ip -n "$_h" link add vx0 type vxlan id 42 \
			    remote 192.168.214.$_o dstport 4789 dev ul &&
			    ip -n "$_h" link set vx0 master br0 &&
			    ip -n "$_h" link add v0 type veth peer "${_ns}t" \
			    netns "$_ns" &&
			    ip -n "$_h" link set v0 master br0 &&
			    ip -n "$_h" link set vx0 up &&
			    ip -n "$_h" link set v0 up &&
			    ip -n "$_h" link set br0 up || return 1
		done
		;;
	esac
	ip -n "$NS_A" link set "${NS_A}t" mtu 1450 &&
	    ip -n "$NS_B" link set "${NS_B}t" mtu 1450 &&
	    ip -n "$NS_A" addr add "$VX_NET.1/24" dev "${NS_A}t" &&
	    ip -n "$NS_A" link set "${NS_A}t" up &&
	    ip -n "$NS_B" addr add "$VX_NET.2/24" dev "${NS_B}t" &&
	    ip -n "$NS_B" link set "${NS_B}t" up || return 1
	wait_until 10 ip netns exec "$NS_A" ping -c 1 -W 1 "$VX_NET.2" || {
		note "vxlan $1: no ping between the namespaces"
		return 1
	}
	ip netns exec "$NS_B" iperf3 -s -B "$VX_NET.2" >/dev/null 2>&1 &
	VX_PIDS="$VX_PIDS $!"
	ledger_add pids "$!"
	wait_until 10 sh -c "ip netns exec $NS_B ss -Hltn | grep -q ':5201'"
}

vx_down() {
	for _p in $VX_PIDS; do
		stop_pid "$_p"
	done
	VX_PIDS=
	for _n in "$NS_A" "$NS_B" "${NS_C}1" "${NS_C}2"; do
		ip netns del "$_n" 2>/dev/null
		ledger_del netns "$_n"
	done
}

# vx_median KIND: the median Mbit/s of KIND in $WORK/vxlan.tsv.
vx_median() {
	awk -v k="$1" '$1 == k { print $2 }' "$WORK/vxlan.tsv" | sort -n |
	    awk '{ v[n++] = $1 } END { if (n == 0) exit
		if (n % 2) print v[(n - 1) / 2]
		else printf "%.2f\n", (v[n / 2 - 1] + v[n / 2]) / 2 }'
}

vxlan_suite() {
	NS_A=vb${TAG}p NS_B=vb${TAG}q NS_C=vb${TAG}h
	: >"$WORK/vxlan.tsv"
	_reps=${BENCH_VXLAN_REPS:-$TAP_REPS}
	_r=1
	while [ $_r -le "$_reps" ]; do
		for _k in $(kinds_order $_r ours kernel dpipe); do
			if vx_up "$_k"; then
				timeout -k 2 $((IPERF_T + 20)) ip netns exec \
				    "$NS_A" iperf3 -c "$VX_NET.2" -t "$IPERF_T" \
				    -J >"$WORK/vxiperf.json" 2>/dev/null
				_m=$(kv "$(python3 "$BENCH_DIR/iperf_json.py" \
				    "$WORK/vxiperf.json")" mbps)
				note "vxlan $_k rep $_r: ${_m:-failed} Mbit/s"
				[ -n "$_m" ] && printf '%s\t%s\n' "$_k" "$_m" \
				    >>"$WORK/vxlan.tsv"
			fi
			vx_down
		done
		_r=$((_r + 1))
	done
	_o=$(vx_median ours) _kn=$(vx_median kernel) _d=$(vx_median dpipe)
	{
		echo
		echo "### VXLAN: tap-to-tap TCP across two hosts (namespaces)"
		echo
		echo "iperf3, 1 stream, ${IPERF_T} s, median of $_reps runs;" \
		    "MTU 1450 in the end hosts; underlay a veth pair."
		echo
		echo "| setup | Mbit/s |"
		echo "|---|---|"
		echo "| ours: two vde_switch joined by VXLAN ports | ${_o:-failed} |"
		echo "| kernel: two bridges joined by vxlan devices | ${_kn:-failed} |"
		echo "| ours: two vde_switch joined by a dpipe cable | ${_d:-failed} |"
		echo
		awk -v o="${_o:-0}" -v k="${_kn:-0}" -v d="${_d:-0}" 'BEGIN {
		    if (k > 0) printf "ours/kernel %.2fx (target >= 0.5x); ", o / k
		    if (d > 0) printf "ours/dpipe %.2fx (target >= 3x)\n", o / d }'
	} >"$WORK/vxlan.md"
}
