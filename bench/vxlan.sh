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

# The scale part (issue 15): VXS_N switches (16), each in its own
# namespace S<i> with 192.168.215.<i> on a veth to one bridge (the
# underlay, in namespace SB), a tap with 10.215.0.<i> and a VXLAN port 5
# (VNI 7) naming the other 15 as remotes: a full mesh in unicast mode.
# Measured, BENCH_VXSCALE_REPS times each (default: the tap suite's
# repetitions, 3, or 1 with BENCH_QUICK): the time until every switch
# has learned every other host; the switch CPU per frame flooded to the
# 15 remotes, against a unicast frame to one learned remote in the same
# run; and memory: the mesh switches' RSS, and the RSS one switch gains
# when 1023 remotes are added to its port (bench/vxremotes.py).  Figures
# go to $WORK/vxscale.md.

VXS_N=16
VXS_SECS=2

# vxs_c I CMD: console command CMD of switch I.
vxs_c() {
	"$TOP/src/tools/vdecmd" -s "$WORK/vs$1.mgmt" "$2"
}

# vxs_up: the mesh; VXS_PIDS lists the switches in order.
vxs_up() {
	VXS_PIDS=
	mk_netns "${NS_S}b" || return 1
	ip -n "${NS_S}b" link add br0 type bridge &&
	    ip -n "${NS_S}b" link set br0 up || return 1
	_si=1
	while [ $_si -le $VXS_N ]; do
		mk_netns "$NS_S$_si" &&
		    ip -n "${NS_S}b" link add "p$_si" type veth peer ul \
		    netns "$NS_S$_si" &&
		    ip -n "${NS_S}b" link set "p$_si" master br0 up &&
		    ip -n "$NS_S$_si" addr add "192.168.215.$_si/24" dev ul &&
		    ip -n "$NS_S$_si" link set ul up || return 1
		_si=$((_si + 1))
	done
	_si=1
	while [ $_si -le $VXS_N ]; do
		_r= _j=1
		while [ $_j -le $VXS_N ]; do
			[ $_j != $_si ] && _r="$_r,remote=192.168.215.$_j"
			_j=$((_j + 1))
		done
		sw_start ours "$WORK/vs$_si" "$NS_S$_si" -- -M "$WORK/vs$_si.mgmt" \
		    -t "${NS_S}t$_si" --vxlan "swport=5,vni=7$_r" || return 1
		VXS_PIDS="$VXS_PIDS $SW_PID"
		wait_until 10 ip -n "$NS_S$_si" link show "${NS_S}t$_si" &&
		    ip -n "$NS_S$_si" addr add "10.215.0.$_si/24" \
		    dev "${NS_S}t$_si" &&
		    ip -n "$NS_S$_si" link set "${NS_S}t$_si" up || return 1
		_si=$((_si + 1))
	done
	wait_until 10 test -S "$WORK/vs$VXS_N.mgmt"
}

vxs_down() {
	for _p in $VXS_PIDS; do
		stop_pid "$_p"
	done
	VXS_PIDS=
	_si=1
	while [ $_si -le $VXS_N ]; do
		ip netns del "$NS_S$_si" 2>/dev/null
		ledger_del netns "$NS_S$_si"
		_si=$((_si + 1))
	done
	ip netns del "${NS_S}b" 2>/dev/null
	ledger_del netns "${NS_S}b"
}

# vxs_learn REP: bench/vxlearn.py empties every table, makes every host
# send one broadcast (from 02:00:00:00:aa:<i>, all at once, from senders
# started beforehand) and times how long until every table holds the
# other 15 hosts.
vxs_learn() {
	_l=$(python3 "$BENCH_DIR/vxlearn.py" $VXS_N "$NS_S" "${NS_S}t" \
	    "$WORK/vs") || { note "vxscale rep $1: failed"; return 1; }
	printf 'learn\t%s\nround\t%s\n' "$(kv "$_l" learn_ms)" \
	    "$(kv "$_l" round_ms)" >>"$WORK/vxscale.tsv"
	note "vxscale rep $1: $_l"
}

# vxs_send KIND DST: frames of 60 bytes to DST from host 1's tap for
# VXS_SECS seconds, one every 0.2 ms at most (what the switch cannot take
# the tap drops); records switch 1's CPU per frame it sent into the overlay (its
# counter tx) and the datagrams per frame (tx_datagrams / tx).
vxs_send() {
	_p=$(echo $VXS_PIDS | cut -d ' ' -f 1)
	vxs_c 1 "vxlan/resetcounter 5" >/dev/null || return 1
	_c0=$(cpu_ticks "$_p")
	ip netns exec "${NS_S}1" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
f = bytes.fromhex(sys.argv[2].replace(":", "")) + \
    b"\x02\x00\x00\x00\x99\x01\x88\xb5" + b"x" * 46
end = time.monotonic() + float(sys.argv[3])
while time.monotonic() < end:
    try:
        s.send(f)
    except OSError:
        pass
    time.sleep(0.0002)
' "${NS_S}t1" "$2" "$VXS_SECS" || return 1
	# Until the switch has caught up: tx stops moving.
	_prev=-1
	while :; do
		_tx=$(vxs_c 1 "vxlan/print 5" | awk '$2 == "tx" { print $3 }')
		[ "$_tx" = "$_prev" ] && break
		_prev=$_tx
		sleep 0.2
	done
	_c1=$(cpu_ticks "$_p")
	_dg=$(vxs_c 1 "vxlan/print 5" | awk '$2 == "tx_datagrams" { print $3 }')
	[ "${_tx:-0}" -gt 0 ] || return 1
	awk -v k="$1" -v t=$((_c1 - _c0)) -v n="$_tx" -v d="$_dg" \
	    -v hz="$CLK_TCK" 'BEGIN { printf "%s_us\t%.2f\n%s_copies\t%.2f\n",
	    k, t / hz / n * 1e6, k, d / n }' >>"$WORK/vxscale.tsv"
	note "vxscale $1: $_tx frames, $_dg datagrams, $((_c1 - _c0)) ticks"
}

# vxs_rss: an idle switch with a VXLAN port of 1 remote; bench/vxremotes.py
# adds 1023 more through its console and reports the growth of its RSS.
vxs_rss() {
	sw_start ours "$WORK/vsm" "${NS_S}1" -- -M "$WORK/vsm.mgmt" \
	    --vxlan "swport=5,vni=8,port=4790,remote=10.216.9.9" || return 1
	wait_until 10 test -S "$WORK/vsm.mgmt"
	python3 "$BENCH_DIR/vxremotes.py" "$SW_PID" "$WORK/vsm.mgmt" 1023
	stop_pid "$SW_PID"
}

# vxs_median KEY: the median of KEY in $WORK/vxscale.tsv.
vxs_median() {
	awk -v k="$1" '$1 == k { print $2 }' "$WORK/vxscale.tsv" | sort -n |
	    awk '{ v[n++] = $1 } END { if (n == 0) exit
		if (n % 2) print v[(n - 1) / 2]
		else printf "%.2f\n", (v[n / 2 - 1] + v[n / 2]) / 2 }'
}

vxscale_suite() {
	NS_S=vs${TAG}n
	: >"$WORK/vxscale.tsv"
	_reps=${BENCH_VXSCALE_REPS:-$TAP_REPS}
	if ! vxs_up; then
		note "vxscale: the mesh did not come up"
		vxs_down
		return 0
	fi
	_r=1
	while [ $_r -le "$_reps" ]; do
		vxs_learn $_r
		_r=$((_r + 1))
	done
	# Host 2's sender address, which switch 1 learned: the unicast
	# reference goes there.
	_m2=02:00:00:00:aa:02
	_r=1
	while [ $_r -le "$_reps" ]; do
		for _k in $(kinds_order $_r flood unicast); do
			_d=ff:ff:ff:ff:ff:ff
			[ $_k = unicast ] && _d=$_m2
			vxs_send $_k $_d
		done
		_r=$((_r + 1))
	done
	_si=1
	while [ $_si -le $VXS_N ]; do
		printf 'meshrss\t%s\n' "$(vm_kb "$(echo $VXS_PIDS |
		    cut -d ' ' -f $_si)" VmRSS)" >>"$WORK/vxscale.tsv"
		_si=$((_si + 1))
	done
	_r=1
	while [ $_r -le "$_reps" ]; do
		_l=$(vxs_rss)
		note "vxscale remotes: $_l"
		printf 'rss1\t%s\nrss1024\t%s\nperremote\t%s\n' \
		    "$(kv "$_l" before_kb)" "$(kv "$_l" after_kb)" \
		    "$(kv "$_l" per_remote)" >>"$WORK/vxscale.tsv"
		_r=$((_r + 1))
	done
	vxs_down
	_fu=$(vxs_median flood_us) _uu=$(vxs_median unicast_us)
	{
		echo
		echo "### VXLAN scale: $VXS_N switches, full mesh of unicast remotes"
		echo
		echo "$VXS_N namespaces on one bridge, one switch each with a tap" \
		    "and a VXLAN port naming the other $((VXS_N - 1)); medians" \
		    "of $_reps runs."
		echo
		echo "| figure | median |"
		echo "|---|---|"
		echo "| time until every switch has learned every other host (ms) | $(vxs_median learn) |"
		echo "| one round of $VXS_N console reads, the resolution (ms) | $(vxs_median round) |"
		echo "| switch CPU per flooded frame (us) | $_fu |"
		echo "| datagrams sent per flooded frame | $(vxs_median flood_copies) |"
		echo "| switch CPU per unicast frame, one remote (us) | $_uu |"
		echo "| datagrams sent per unicast frame | $(vxs_median unicast_copies) |"
		echo "| RSS of a mesh switch (kB) | $(vxs_median meshrss) |"
		echo "| RSS of that switch with 1 / 1024 remotes (kB) | $(vxs_median rss1) / $(vxs_median rss1024) |"
		echo "| memory per remote (bytes: that growth / 1023) | $(vxs_median perremote) |"
		echo
		awk -v f="${_fu:-0}" -v u="${_uu:-0}" -v n=$((VXS_N - 1)) 'BEGIN {
		    if (u > 0) printf "flooded/unicast CPU per frame %.1fx;" \
			" each copy past the first %.1f us\n", f / u, (f - u) / (n - 1) }'
	} >"$WORK/vxscale.md"
}
