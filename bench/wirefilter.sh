#!/bin/sh
#
# wirefilter.sh: wirefilter's throughput with no impairment, against a
# plain cable and Debian's /usr/bin/wirefilter, in the same run ("make
# bench" runs it after run.sh's suites; it can also run alone).
#
# Two of our switches; the blaster's sender joins the first and its
# receiver the second (bench/blaster S1 S2), and one of these joins them:
#   plain   our vde_plug S1 S2 (two switches joined directly, no model)
#   ours    our wirefilter -v S1:S2
#   orig    Debian's wirefilter -v S1:S2
# Per repetition (the order of the kinds rotates) the blaster sends N64
# frames of 64 bytes and N1500 of 1500 bytes, unpaced.  Recorded: frames/s
# delivered at the receiver and the cable's CPU time (utime + stime) per
# million frames sent.  The report gives medians and ratios and replaces
# the part of OUT between "wirefilter:begin" and "wirefilter:end".
#
# Environment: BENCH_QUICK=1 (one repetition, small counts, prints only),
# BENCH_REPS (default 5), BENCH_OUT (default bench/RESULTS.md, "-": stdout).

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$BENCH_DIR/.." && pwd)
SWITCH=$TOP/src/switch/vde_switch
PLUG=$TOP/src/tools/vde_plug
OURS=$TOP/src/tools/wirefilter
ORIG=/usr/bin/wirefilter
BLASTER=$TOP/bench/blaster

if [ -n "${BENCH_QUICK:-}" ]; then
	REPS=1 N64=20000 N1500=10000 OUT=${BENCH_OUT:--}
else
	REPS=5 N64=300000 N1500=100000 OUT=${BENCH_OUT:-$BENCH_DIR/RESULTS.md}
fi
REPS=${BENCH_REPS:-$REPS}
for p in "$SWITCH" "$PLUG" "$OURS" "$ORIG" "$BLASTER"; do
	[ -x "$p" ] || { echo "wirefilter bench: $p is missing" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vde-wfbench.XXXXXX") || exit 1
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
note() {
	echo "wirefilter bench: $*" >&2
}

# up N COMMAND...: wait (up to N s) until COMMAND succeeds.
up() {
	_n=$(( $1 * 20 )); shift
	while ! "$@" >/dev/null 2>&1; do
		_n=$((_n - 1))
		[ $_n -gt 0 ] || return 1
		sleep 0.05
	done
}

for s in s1 s2; do
	"$SWITCH" --nostdin -s "$WORK/$s" >"$WORK/$s.log" 2>&1 &
	PIDS="$PIDS $!"
	up 10 test -S "$WORK/$s/ctl" || { note "switch $s did not start"; exit 1; }
done

: >"$WORK/raw.tsv"
cpu() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# one KIND REP: start the cable, blast both sizes, stop it.
one() {
	case $1 in
	plain)	"$PLUG" "$WORK/s1" "$WORK/s2" </dev/null >/dev/null 2>&1 & ;;
	ours)	"$OURS" -v "$WORK/s1:$WORK/s2" --daemon --pidfile "$WORK/wf.pid" ;;
	orig)	"$ORIG" -v "$WORK/s1:$WORK/s2" --daemon --pidfile "$WORK/wf.pid" ;;
	esac
	if [ $1 = plain ]; then
		_p=$!
	else
		up 10 test -s "$WORK/wf.pid" || { note "$1 did not start"; return; }
		_p=$(cat "$WORK/wf.pid")
		rm -f "$WORK/wf.pid"
	fi
	PIDS="$PIDS $_p"
	# The cable is up when a probe run gets frames across.
	up 10 sh -c "'$BLASTER' -n 10 -w 1 '$WORK/s1' '$WORK/s2' | grep -qv 'received=0 '"
	for _len in 64 1500; do
		[ $_len = 64 ] && _n=$N64 || _n=$N1500
		_c0=$(cpu "$_p")
		_out=$(timeout 60 "$BLASTER" -n "$_n" -l $_len -w 20 \
		    "$WORK/s1" "$WORK/s2" 2>>"$WORK/blaster.err")
		_c1=$(cpu "$_p")
		note "$1 rep $2 len $_len: $_out"
		_fps=$(echo "$_out" | sed -n 's/.* fps=\([0-9.]*\).*/\1/p')
		_sent=$(echo "$_out" | sed -n 's/.*sent=\([0-9]*\).*/\1/p')
		[ -n "$_fps" ] || continue
		printf '%s\t%s\t%s\t%s\n' "$1" "$_len" "$_fps" \
		    "$(awk -v t=$((_c1 - _c0)) -v h="$(getconf CLK_TCK)" \
		    -v n="$_sent" 'BEGIN { printf "%.3f", t / h / n * 1e6 }')" \
		    >>"$WORK/raw.tsv"
	done
	kill "$_p"
	up 5 sh -c "! kill -0 $_p"
}

KINDS="plain ours orig"
for r in $(seq 1 "$REPS"); do
	# Rotate the order: no kind always runs first.
	case $((r % 3)) in
	0) order="plain ours orig" ;;
	1) order="ours orig plain" ;;
	2) order="orig plain ours" ;;
	esac
	for k in $order; do
		one "$k" "$r"
	done
done

python3 - "$WORK/raw.tsv" "$REPS" "$N64" "$N1500" >"$WORK/report.md" <<'PY'
import statistics, sys, time
rows = [l.split('\t') for l in open(sys.argv[1]).read().splitlines()]
reps, n64, n1500 = sys.argv[2:5]
def med(kind, length, col):
    v = [float(r[col]) for r in rows if r[0] == kind and r[1] == length]
    return statistics.median(v) if v else None
print('### wirefilter, no impairment (bench/wirefilter.sh)\n')
print('%s, %s repetitions, %s x 64 B and %s x 1500 B unpaced per run; '
      'load before the run %s.\n' % (time.strftime('%Y-%m-%d %H:%M UTC',
      time.gmtime()), reps, n64, n1500,
      open('/proc/loadavg').read().split()[0]))
print('| frames | plain cable fps | ours fps | Debian fps | ours / Debian '
      '| ours / plain | CPU s/Mframe: plain, ours, Debian |')
print('|---|---|---|---|---|---|---|')
for length in ('64', '1500'):
    p, o, d = (med(k, length, 2) for k in ('plain', 'ours', 'orig'))
    cp, co, cd = (med(k, length, 3) for k in ('plain', 'ours', 'orig'))
    f = lambda x: '%.0f' % x if x is not None else '-'
    g = lambda x: '%.2f' % x if x is not None else '-'
    r = lambda a, b: '%.2fx' % (a / b) if a and b else '-'
    print('| %s B | %s | %s | %s | %s | %s | %s, %s, %s |' % (
        length, f(p), f(o), f(d), r(o, d), r(o, p), g(cp), g(co), g(cd)))
PY
cat "$WORK/report.md"
if [ "$OUT" != "-" ]; then
	if ! grep -q '^<!-- wirefilter:begin -->' "$OUT"; then
		printf '\n<!-- wirefilter:begin -->\n<!-- wirefilter:end -->\n' \
		    >>"$OUT"
	fi
	awk -v rep="$WORK/report.md" '
	    /^<!-- wirefilter:begin -->/ { print; while ((getline l < rep) > 0) print l; skip = 1; next }
	    /^<!-- wirefilter:end -->/ { skip = 0 }
	    !skip { print }' "$OUT" >"$WORK/out.md" && cp "$WORK/out.md" "$OUT"
	note "results written to $OUT"
fi
