# lib.sh: helpers shared by the benchmark suites (sourced by bench/run.sh).
#
# Everything a suite creates (processes, namespaces, interfaces) is written
# to a ledger in $WORK first, and bench_cleanup removes exactly what the
# ledgers name, whatever way the run ends.  Waiting is bounded polling.

# note MESSAGE...: progress on stderr, so stdout stays the report.
note() {
	echo "bench: $*" >&2
}

# rec TEST KIND REP METRIC VALUE: one measurement for the report.
rec() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$WORK/raw.tsv"
}

# wait_until SECONDS COMMAND...: poll every 50 ms; status 1 on time-out.
wait_until() {
	_lim=$(( $1 * 20 )); shift
	_i=0
	while ! "$@" >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ $_i -ge $_lim ] && return 1
		sleep 0.05
	done
	return 0
}

ledger_add() {
	echo "$2" >>"$WORK/$1.lst"
}

ledger_del() {
	[ -f "$WORK/$1.lst" ] || return 0
	grep -vx "$2" "$WORK/$1.lst" >"$WORK/$1.tmp" || true
	mv "$WORK/$1.tmp" "$WORK/$1.lst"
}

# stop_pid PID: TERM, a bounded wait, then KILL.
stop_pid() {
	kill "$1" 2>/dev/null || { ledger_del pids "$1"; return 0; }
	wait_until 3 sh -c "! kill -0 $1" || kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	ledger_del pids "$1"
	return 0
}

# bench_cleanup: kill, delete and remove everything the ledgers name.
bench_cleanup() {
	if [ -f "$WORK/pids.lst" ]; then
		while read -r p; do kill "$p" 2>/dev/null; done <"$WORK/pids.lst"
		sleep 0.3
		while read -r p; do kill -9 "$p" 2>/dev/null; done <"$WORK/pids.lst"
		rm -f "$WORK/pids.lst"
	fi
	if [ -f "$WORK/netns.lst" ]; then
		while read -r n; do ip netns del "$n" 2>/dev/null; done \
		    <"$WORK/netns.lst"
		rm -f "$WORK/netns.lst"
	fi
	if [ -f "$WORK/files.lst" ]; then
		while read -r f; do rm -f "$f"; done <"$WORK/files.lst"
		rm -f "$WORK/files.lst"
	fi
	if [ -f "$WORK/links.lst" ]; then
		while read -r l; do ip link del "$l" 2>/dev/null; done \
		    <"$WORK/links.lst"
		rm -f "$WORK/links.lst"
	fi
	true
}

# sw_start KIND DIR [NETNS] [-- SWITCH ARGS...]: start our switch ("ours"),
# an older build of ours to compare with ("base") or Debian's ("orig") on
# directory DIR, inside NETNS when not empty; sets SW_PID once the control
# socket exists.  Ours runs in the foreground with --nostdin; the original
# leaves on EOF of stdin, so it runs with -d -p.
sw_start() {
	_kind=$1 _dir=$2 _ns=$3
	shift 3
	[ "${1:-}" = "--" ] && shift
	_exec=
	[ -n "$_ns" ] && _exec="ip netns exec $_ns"
	rm -rf "$_dir" "$_dir.pid"
	case $_kind in
	ours|base)
		_bin=$OURS_SWITCH
		[ "$_kind" = base ] && _bin=$BASE_SWITCH
		$_exec "$_bin" --nostdin -s "$_dir" "$@" \
		    </dev/null >"$_dir.log" 2>&1 &
		SW_PID=$!
		ledger_add pids "$SW_PID"
		;;
	orig)
		$_exec "$ORIG_SWITCH" -d -p "$_dir.pid" -s "$_dir" "$@" \
		    </dev/null >"$_dir.log" 2>&1
		wait_until 10 test -s "$_dir.pid" || {
			note "$_kind switch did not start: $(cat "$_dir.log")"
			return 1
		}
		SW_PID=$(cat "$_dir.pid")
		ledger_add pids "$SW_PID"
		;;
	*)
		note "unknown switch kind $_kind"
		return 1
		;;
	esac
	if ! wait_until 10 test -S "$_dir/ctl"; then
		note "$_kind switch did not open $_dir/ctl: $(cat "$_dir.log")"
		stop_pid "$SW_PID"
		return 1
	fi
	return 0
}

# cpu_ticks PID: user+system clock ticks of a process so far.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# vm_kb PID FIELD: a /proc/PID/status field in kB (VmRSS, VmHWM).
vm_kb() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}

# kv LINE KEY: the value of KEY in a "key=value key=value" line.
kv() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# cpu_per_mframe TICKS FRAMES: CPU seconds per million frames.
cpu_per_mframe() {
	awk -v t="$1" -v f="$2" -v hz="$CLK_TCK" \
	    'BEGIN { if (f > 0) printf "%.3f", t / hz / f * 1e6; else print "" }'
}

# mk_netns NAME: a namespace without IPv6 chatter, recorded in the ledger.
mk_netns() {
	ledger_add netns "$1"
	ip netns add "$1" || return 1
	ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1
	ip -n "$1" link set lo up
}

# median_of TEST KIND METRIC: the median recorded so far, as an integer.
median_of() {
	awk -F '\t' -v t="$1" -v k="$2" -v m="$3" \
	    '$1 == t && $2 == k && $4 == m && $5 != "" { v[n++] = $5 }
	    END {
		if (n == 0) exit
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (v[j] + 0 < v[i] + 0) { x = v[i]; v[i] = v[j]; v[j] = x }
		if (n % 2) r = v[(n - 1) / 2]; else r = (v[n / 2 - 1] + v[n / 2]) / 2
		printf "%d\n", r
	    }' "$WORK/raw.tsv"
}

# kinds_order REP KIND...: the kinds, reversed on even repetitions, so no
# kind always runs first (or right after a particular other one).
kinds_order() {
	_r=$1; shift
	if [ $((_r % 2)) -eq 1 ]; then
		echo "$@"
	else
		_out=
		for _x in "$@"; do _out="$_x $_out"; done
		echo "$_out"
	fi
}
