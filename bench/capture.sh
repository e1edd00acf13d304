# capture.sh: the capture suite (sourced by bench/run.sh).
#
# capture_suite: per repetition, in rotating order, a fresh switch of
#   ours carries N64 64-byte and N1500 1500-byte frames from the blaster
#   without a capture ("ours"), with capture/start on the blaster's
#   first port, both directions, into a file on tmpfs ("capture": the
#   default share, at most 10% of the switch's time writing) and the same
#   with "share 100" ("capall": the capture writes all it can, as before
#   the share existed).  Records delivered frames/s, loss and switch CPU
#   per million frames; the captures' own counters (frames written,
#   dropped) too.  Target: the capture costs at most 10% of the frame
#   rate.

#   The runs are longer than the blast suite's (CAP_N64 and CAP_N1500,
#   10 and 5 times N64 and N1500): at the rates the rings reach, N1500
#   frames pass in 0.15 s, less than the capture needs to fill its buffer
#   and spend its reserve, and the other programs on the machine change
#   the rate of such short runs by 3x.  Besides the ratio of the medians
#   the report gives the median of the per-repetition ratios (the kinds
#   of one repetition run back to back, under much the same load).

CAPTURE_TMPFS=${BENCH_TMPFS:-/dev/shm}

capture_once() {
	_ckind=$1 _crep=$2 _cdir=$WORK/cap-$1
	sw_start ours "$_cdir" "" -- -M "$_cdir.mgmt" || return 1
	_cpid=$SW_PID
	_cshare=
	[ "$_ckind" = capall ] && _cshare="share 100"
	if [ "$_ckind" != ours ]; then
		_cfile=$CAPTURE_TMPFS/vde-bench-$TAG.pcap
		ledger_add files "$_cfile"
		# Port 1, allocatable again, is the blaster's first port.
		if ! "$TOP/src/tools/vdecmd" -s "$_cdir.mgmt" -c "port/create 1" \
		    -c "port/allocatable 1 1" \
		    -c "capture/start 1 both $_cfile $_cshare" >/dev/null; then
			note "$_ckind rep $_crep: capture/start failed"
			rec capture64 "$_ckind" "$_crep" failed 1
			stop_pid "$_cpid"
			return 1
		fi
	fi
	blast_run capture64 "$_ckind" "$_crep" "$_cdir" "$_cpid" -n "$CAP_N64" -l 64
	blast_run capture1500 "$_ckind" "$_crep" "$_cdir" "$_cpid" \
	    -n "$CAP_N1500" -l 1500
	if [ "$_ckind" != ours ]; then
		_p=$("$TOP/src/tools/vdecmd" -s "$_cdir.mgmt" capture/print |
		    sed -n 's/^ frames \([0-9]*\) filtered [0-9]* dropped \([0-9]*\) .*/\1 \2/p')
		note "$_ckind rep $_crep: frames/dropped $_p"
		rec capture "$_ckind" "$_crep" cap_frames "${_p% *}"
		rec capture "$_ckind" "$_crep" cap_dropped "${_p#* }"
	fi
	stop_pid "$_cpid"
	[ "$_ckind" != ours ] && rm -f "$_cfile"
	return 0
}

capture_suite() {
	CAP_N64=${BENCH_CAP_N64:-$((N64 * 10))}
	CAP_N1500=${BENCH_CAP_N1500:-$((N1500 * 5))}
	for _crep in $(seq 1 "$REPS"); do
		for _ckind in $(kinds_order "$_crep" ours capture capall); do
			capture_once "$_ckind" "$_crep"
		done
	done
}
