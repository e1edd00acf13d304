# capture.sh: the capture suite (sourced by bench/run.sh).
#
# capture_suite: per repetition, in alternating order, a fresh switch of
#   ours carries N64 64-byte and N1500 1500-byte frames from the blaster
#   without a capture ("ours") and with capture/start on the blaster's
#   first port, both directions, into a file on tmpfs ("capture").
#   Records delivered frames/s, loss and switch CPU per million frames;
#   the capture's own counters (frames written, dropped) go to the raw
#   figures.  Target: the capture costs at most 10% of the frame rate.

CAPTURE_TMPFS=${BENCH_TMPFS:-/dev/shm}

capture_once() {
	_ckind=$1 _crep=$2 _cdir=$WORK/cap-$1
	sw_start ours "$_cdir" "" -- -M "$_cdir.mgmt" || return 1
	_cpid=$SW_PID
	if [ "$_ckind" = capture ]; then
		_cfile=$CAPTURE_TMPFS/vde-bench-$TAG.pcap
		ledger_add files "$_cfile"
		# Port 1, allocatable again, is the blaster's first port.
		if ! "$TOP/src/tools/vdecmd" -s "$_cdir.mgmt" -c "port/create 1" \
		    -c "port/allocatable 1 1" \
		    -c "capture/start 1 both $_cfile" >/dev/null; then
			note "capture rep $_crep: capture/start failed"
			rec capture64 capture "$_crep" failed 1
			stop_pid "$_cpid"
			return 1
		fi
	fi
	blast_run capture64 "$_ckind" "$_crep" "$_cdir" "$_cpid" -n "$N64" -l 64
	blast_run capture1500 "$_ckind" "$_crep" "$_cdir" "$_cpid" \
	    -n "$N1500" -l 1500
	if [ "$_ckind" = capture ]; then
		_p=$("$TOP/src/tools/vdecmd" -s "$_cdir.mgmt" capture/print |
		    sed -n 's/^ frames \([0-9]*\) filtered [0-9]* dropped \([0-9]*\) .*/\1 \2/p')
		note "capture rep $_crep: frames/dropped $_p"
		rec capture capture "$_crep" cap_frames "${_p% *}"
		rec capture capture "$_crep" cap_dropped "${_p#* }"
	fi
	stop_pid "$_cpid"
	[ "$_ckind" = capture ] && rm -f "$_cfile"
	return 0
}

capture_suite() {
	for _crep in $(seq 1 "$REPS"); do
		for _ckind in $(kinds_order "$_crep" ours capture); do
			capture_once "$_ckind" "$_crep"
		done
	done
}
