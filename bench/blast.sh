# blast.sh: the frame-blaster suites (sourced by bench/run.sh).
#
# blast_suite: per repetition and switch kind (order alternating), a fresh
#   switch carries N64 64-byte and N1500 1500-byte frames, unpaced; then a
#   switch with 300 ports carries 64-byte frames with 2 and with 258
#   connected ports (256 idle).  Records delivered frames/s, Mbit/s, loss,
#   switch CPU seconds per million frames sent and peak RSS.
# lossless_suite: the best paced 64-byte rate with loss <= LOSSLESS_PCT.
# mem_suite: RSS idle, with 32 connected ports, and after a flood of
#   1,000,000 random source MACs.

# blast_run TEST KIND REP DIR PID BLASTER-ARGS...: one blaster run against
# the switch PID on DIR; records its figures under TEST.
blast_run() {
	_t=$1 _k=$2 _r=$3 _d=$4 _p=$5
	shift 5
	_c0=$(cpu_ticks "$_p")
	_out=$(timeout -k 2 $((BLAST_WAIT + 20)) "$BLASTER" -w "$BLAST_WAIT" \
	    "$@" "$_d" 2>>"$WORK/blaster.err")
	_c1=$(cpu_ticks "$_p")
	if [ -z "$_out" ]; then
		note "$_t $_k rep $_r: blaster failed ($(tail -n 1 "$WORK/blaster.err"))"
		rec "$_t" "$_k" "$_r" failed 1
		return 1
	fi
	note "$_t $_k rep $_r: $_out"
	for _m in fps mbps loss_pct received sent; do
		rec "$_t" "$_k" "$_r" "$_m" "$(kv "$_out" $_m)"
	done
	rec "$_t" "$_k" "$_r" cpu_s_per_mframe \
	    "$(cpu_per_mframe $((_c1 - _c0)) "$(kv "$_out" sent)")"
	BLAST_OUT=$_out
	return 0
}

blast_once() {
	_kind=$1 _rep=$2 _dir=$WORK/bl-$1
	if sw_start "$_kind" "$_dir" ""; then
		_pid=$SW_PID
		blast_run blast64 "$_kind" "$_rep" "$_dir" "$_pid" \
		    -n "$N64" -l 64
		blast_run blast1500 "$_kind" "$_rep" "$_dir" "$_pid" \
		    -n "$N1500" -l 1500
		rec blast "$_kind" "$_rep" hwm_kb "$(vm_kb "$_pid" VmHWM)"
		stop_pid "$_pid"
	fi
	# The cost of idle ports: same switch, 2 ports, then 2 + 256 idle.
	if sw_start "$_kind" "$_dir" "" -- -n 300; then
		_pid=$SW_PID
		blast_run idle2 "$_kind" "$_rep" "$_dir" "$_pid" \
		    -n "$NIDLE" -l 64
		# Debian's switch slows to a few thousand frames/s here: the
		# run is bounded in time, the rate is what got through.
		blast_run idle256 "$_kind" "$_rep" "$_dir" "$_pid" \
		    -n "$NIDLE" -l 64 -i 256 -w "$IDLE_WAIT"
		stop_pid "$_pid"
	fi
}

blast_suite() {
	for _rep in $(seq 1 "$REPS"); do
		for _kind in $(kinds_order "$_rep" $VDE_KINDS); do
			blast_once "$_kind" "$_rep"
		done
	done
}

# lossless_suite: pace 64-byte frames at falling fractions of each
# switch's median unpaced rate until a run loses at most LOSSLESS_PCT.
lossless_suite() {
	for _kind in $VDE_KINDS; do
		_max=$(median_of blast64 "$_kind" fps)
		[ -n "$_max" ] || continue
		_dir=$WORK/ll-$_kind
		sw_start "$_kind" "$_dir" "" || continue
		_pid=$SW_PID
		for _f in 100 90 80 70 60 50 40 30 20 10; do
			_rate=$((_max * _f / 100))
			blast_run lossless_try "$_kind" "$_f" "$_dir" "$_pid" \
			    -n "$NLL" -l 64 -r "$_rate" || break
			_loss=$(kv "$BLAST_OUT" loss_pct)
			if awk -v l="$_loss" -v m="$LOSSLESS_PCT" \
			    'BEGIN { exit !(l <= m) }'; then
				rec lossless "$_kind" 1 rate "$_rate"
				rec lossless "$_kind" 1 fps \
				    "$(kv "$BLAST_OUT" fps)"
				break
			fi
		done
		stop_pid "$_pid"
	done
}

mem_suite() {
	for _kind in $VDE_KINDS; do
		_dir=$WORK/mem-$_kind
		sw_start "$_kind" "$_dir" "" -- -n 64 || continue
		_pid=$SW_PID
		rec mem "$_kind" 1 rss_idle0_kb "$(vm_kb "$_pid" VmRSS)"
		"$BLASTER" -H -i 32 -w 60 "$_dir" >"$WORK/hold.out" \
		    2>>"$WORK/blaster.err" &
		_hold=$!
		ledger_add pids "$_hold"
		if wait_until 20 grep -q '^ready' "$WORK/hold.out"; then
			# Let the switch finish its side of the last handshake.
			sleep 0.5
			rec mem "$_kind" 1 rss_idle32_kb "$(vm_kb "$_pid" VmRSS)"
		else
			note "mem $_kind: 32 connections did not come up"
		fi
		stop_pid "$_hold"
		if blast_run flood "$_kind" 1 "$_dir" "$_pid" -m -n "$FLOOD_N" \
		    -l 64 -w "$FLOOD_WAIT"; then
			rec mem "$_kind" 1 flood_macs "$(kv "$BLAST_OUT" sent)"
		fi
		rec mem "$_kind" 1 flood_rss_kb "$(vm_kb "$_pid" VmRSS)"
		rec mem "$_kind" 1 flood_hwm_kb "$(vm_kb "$_pid" VmHWM)"
		stop_pid "$_pid"
	done
}
