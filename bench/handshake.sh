# handshake.sh: the handshake suite (sourced by bench/run.sh).
#
# handshake_suite: per repetition and switch kind, a root switch with -m 777
#   on a directory all users reach takes NHS handshakes (bind, request,
#   reply, connect, close: bench/handshakes.py) from a root client and
#   NHS from nobody's.  Records handshakes a second and the switch's CPU
#   microseconds per handshake: what the checks of a root switch (the
#   client's credentials around connect, the directory's *at() calls)
#   cost, against Debian's switch, which makes none of them.

# hs_run KIND REP DIR PID WHO [RUNNER...]: NHS handshakes by WHO.
hs_run() {
	_k=$1 _r=$2 _d=$3 _p=$4 _who=$5
	shift 5
	_c0=$(cpu_ticks "$_p")
	_out=$(timeout -k 2 120 "$@" "$HS_PY" "$BENCH_DIR/handshakes.py" \
	    "$_d" "$NHS" 2>>"$WORK/handshake.err")
	_c1=$(cpu_ticks "$_p")
	_n=$(kv "$_out" done)
	if [ -z "$_n" ] || [ "$_n" -eq 0 ]; then
		note "handshake $_k $_who rep $_r: failed ($(tail -n 1 "$WORK/handshake.err"))"
		rec handshake "$_k" "$_r" failed 1
		return 1
	fi
	note "handshake $_k $_who rep $_r: $(echo $_out)"
	rec handshake "$_k" "$_r" "${_who}_per_s" "$(kv "$_out" per_s)"
	rec handshake "$_k" "$_r" "${_who}_cpu_us" \
	    "$(awk -v t=$((_c1 - _c0)) -v hz="$CLK_TCK" -v n="$_n" \
	    'BEGIN { printf "%.1f", t / hz * 1e6 / n }')"
}

handshake_suite() {
	if [ "$(id -u)" -ne 0 ] || ! id nobody >/dev/null 2>&1 ||
	    ! command -v setpriv >/dev/null; then
		note "the handshake suite needs root, nobody and setpriv; skipped"
		return 0
	fi
	# A python nobody can run (root's PATH may hold a private shim).
	HS_PY=/usr/bin/python3
	[ -x "$HS_PY" ] || HS_PY=python3
	_base=$WORK/hs
	mkdir -p "$_base"
	chmod 1777 "$_base"
	chmod 0755 "$WORK"
	for _rep in $(seq 1 "$REPS"); do
		for _kind in $(kinds_order "$_rep" $VDE_KINDS); do
			_dir=$_base/$_kind
			sw_start "$_kind" "$_dir" "" -- -m 777 -n 64 || continue
			_pid=$SW_PID
			hs_run "$_kind" "$_rep" "$_dir" "$_pid" root
			hs_run "$_kind" "$_rep" "$_dir" "$_pid" user \
			    setpriv --reuid nobody --regid nogroup --clear-groups
			stop_pid "$_pid"
		done
	done
}
