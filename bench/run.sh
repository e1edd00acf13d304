#!/bin/sh
#
# run.sh: the vde benchmark ("make bench").  Measures our vde_switch,
# Debian's /usr/bin/vde_switch and (tap suite) the kernel bridge in the same
# run, interleaved, and writes medians and ratios to bench/RESULTS.md
# (between its "bench:begin" and "bench:end" markers; the rest of the file
# is kept).  Needs root for the tap suite.
#
# Environment:
#   BENCH_QUICK=1     a smoke run: one repetition, small counts, ~1 minute;
#                     prints the report but leaves RESULTS.md alone
#   BENCH_SUITES      default "blast lossless mem handshake tap capture
#                     wirefilter vxlan vxscale ring" (ring: bench/ring.sh,
#                     rings against datagrams, a section of its own;
#                     vxscale: 16 switches in a VXLAN mesh, bench/vxlan.sh)
#   BENCH_OURS        our switch (default src/switch/vde_switch)
#   BENCH_ORIG        the original (default /usr/bin/vde_switch)
#   BENCH_BASE        an older build of our switch: measured too, as "base"
#                     (figures before and after an optimisation, same run)
#   BENCH_BLASTER     the blaster (default bench/blaster)
#   BENCH_OUT         the Markdown file to update (default bench/RESULTS.md;
#                     "-" for stdout only)
#   BENCH_REPS, BENCH_TAP_REPS  repetitions (default 5 and 3)
#   BENCH_LIMIT       hard bound on the whole run in seconds (default 840)
#   BENCH_KEEP=1      keep the work directory (raw.tsv, logs)
#   BENCH_TMPFS       where the capture suite writes (default /dev/shm)

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$BENCH_DIR/.." && pwd)
. "$BENCH_DIR/lib.sh"
. "$BENCH_DIR/blast.sh"
. "$BENCH_DIR/tap.sh"
. "$BENCH_DIR/handshake.sh"
. "$BENCH_DIR/capture.sh"
. "$BENCH_DIR/vxlan.sh"
. "$BENCH_DIR/ring.sh"

OURS_SWITCH=${BENCH_OURS:-$TOP/src/switch/vde_switch}
ORIG_SWITCH=${BENCH_ORIG:-/usr/bin/vde_switch}
BLASTER=${BENCH_BLASTER:-$TOP/bench/blaster}
SUITES=${BENCH_SUITES:-blast lossless mem handshake tap capture wirefilter vxlan vxscale ring}
BASE_SWITCH=${BENCH_BASE:-}
VDE_KINDS="ours orig"
TAP_KINDS="ours orig bridge"
if [ -n "$BASE_SWITCH" ]; then
	VDE_KINDS="ours base orig"
	TAP_KINDS="ours base orig bridge"
fi
CLK_TCK=$(getconf CLK_TCK)
TAG=$(( $$ % 100000 ))
LOSSLESS_PCT=0.01

if [ -n "${BENCH_QUICK:-}" ]; then
	REPS=1 TAP_REPS=1 N64=20000 N1500=10000 NIDLE=10000 NLL=10000 NHS=300
	FLOOD_N=100000 FLOOD_WAIT=5 BLAST_WAIT=15 IDLE_WAIT=3 IPERF_T=1
	PING_N=20
	LIMIT=${BENCH_LIMIT:-300}
	OUT=${BENCH_OUT:--}
else
	REPS=5 TAP_REPS=3 N64=300000 N1500=200000 NIDLE=200000 NLL=100000
	NHS=3000
	FLOOD_N=1000000 FLOOD_WAIT=15 BLAST_WAIT=30 IDLE_WAIT=8 IPERF_T=5
	PING_N=200
	LIMIT=${BENCH_LIMIT:-840}
	OUT=${BENCH_OUT:-$BENCH_DIR/RESULTS.md}
fi
REPS=${BENCH_REPS:-$REPS}
TAP_REPS=${BENCH_TAP_REPS:-$TAP_REPS}

for p in "$OURS_SWITCH" "$ORIG_SWITCH" "$BLASTER" $BASE_SWITCH; do
	if [ ! -x "$p" ]; then
		echo "bench: $p is missing (run make first)" >&2
		exit 1
	fi
done
case " $SUITES " in
*" tap "*)
	if [ "$(id -u)" -ne 0 ] || ! command -v iperf3 >/dev/null; then
		echo "bench: the tap suite needs root and iperf3; skipping it" >&2
		SUITES=$(echo "$SUITES" | sed 's/tap//')
	fi
	;;
esac
case " $SUITES " in
*" vxlan "*)
	if [ "$(id -u)" -ne 0 ] || ! command -v iperf3 >/dev/null; then
		echo "bench: the vxlan suite needs root and iperf3; skipping" >&2
		SUITES=$(echo "$SUITES" | sed 's/vxlan//')
	fi
	;;
esac
case " $SUITES " in
*" vxscale "*)
	if [ "$(id -u)" -ne 0 ]; then
		echo "bench: the vxscale suite needs root; skipping" >&2
		SUITES=$(echo "$SUITES" | sed 's/vxscale//')
	fi
	;;
esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vde-bench.XXXXXX") || exit 1
: >"$WORK/raw.tsv"

# Whatever way the run ends, everything it made goes away.  A watchdog
# bounds the whole run; each step is bounded by its own timeout as well.
finish() {
	trap - EXIT INT TERM
	[ -n "${WATCHDOG:-}" ] && kill "$WATCHDOG" 2>/dev/null
	bench_cleanup
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "bench: work directory kept: $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
trap finish EXIT
trap 'echo "bench: interrupted" >&2; exit 1' INT TERM
(
	trap 'kill $sp 2>/dev/null; exit 0' TERM
	sleep "$LIMIT" &
	sp=$!
	wait $sp
	echo "bench: time limit of $LIMIT s reached, stopping" >&2
	kill -TERM $$
) &
WATCHDOG=$!

T0=$(date +%s)
BENCH_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
BENCH_MACHINE="$(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' \
    /proc/cpuinfo | head -n 1), Linux $(uname -r), \
$(awk '/^MemTotal/ { printf "%d MiB RAM", $2 / 1024 }' /proc/meminfo)"
BENCH_LOAD0=$(cut -d ' ' -f 1-3 /proc/loadavg)
note "work directory $WORK; suites: $SUITES; limit ${LIMIT}s"

for s in $SUITES; do
	note "--- $s"
	case $s in
	blast)		blast_suite ;;
	lossless)	lossless_suite ;;
	mem)		mem_suite ;;
	tap)		tap_suite ;;
	handshake)	handshake_suite ;;
	capture)	capture_suite ;;
	wirefilter)	WF_SUITE=1 ;;	# bench/wirefilter.sh, after the report
	vxlan)		vxlan_suite ;;
	vxscale)	vxscale_suite ;;
	ring)		ring_suite ;;
	*)		note "unknown suite $s" ;;
	esac
done

BENCH_LOAD1=$(cut -d ' ' -f 1-3 /proc/loadavg)
BENCH_SECS=$(( $(date +%s) - T0 ))
BENCH_OURS_PATH=$OURS_SWITCH
BENCH_OURS_VER="commit $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo '?')"
BENCH_ORIG_PATH=$ORIG_SWITCH
BENCH_BASE_PATH=$BASE_SWITCH
BENCH_ORIG_VER="$(dpkg-query -W -f '${Package} ${Version}' vde2 2>/dev/null || echo '?')"
BENCH_BLASTER_LIB=$(ldd "$BLASTER" 2>/dev/null | grep -q 'libvdeplug' &&
    echo "shared $(ldd "$BLASTER" | sed -n 's/.*libvdeplug[^ ]* => \([^ ]*\).*/\1/p')" ||
    echo "ours, linked statically")
BENCH_SETTINGS="blaster: $REPS repetitions, $N64 x 64 B, $N1500 x 1500 B, \
$NIDLE x 64 B for the idle-port runs (at most $IDLE_WAIT s with 256 idle \
ports), lossless search with $NLL frames, $FLOOD_N flood frames (at most \
$FLOOD_WAIT s); tap: $TAP_REPS repetitions, iperf3 ${IPERF_T} s, \
$PING_N pings at 10 ms; handshakes: $NHS per client and repetition"
BENCH_SUITES=$SUITES
BENCH_LOSSLESS_PCT=$LOSSLESS_PCT
BENCH_FLOOD_WAIT=$FLOOD_WAIT
export BENCH_DATE BENCH_MACHINE BENCH_LOAD0 BENCH_LOAD1 BENCH_SECS \
    BENCH_OURS_PATH BENCH_OURS_VER BENCH_BASE_PATH BENCH_ORIG_PATH BENCH_ORIG_VER \
    BENCH_BLASTER_LIB BENCH_SETTINGS BENCH_SUITES BENCH_LOSSLESS_PCT \
    BENCH_FLOOD_WAIT

# The ring suite has a section of its own (bench/ring.sh).
case " $SUITES " in
*" ring "*)
	_rout=$OUT
	[ -n "${BENCH_QUICK:-}" ] && _rout=-
	ring_report "$_rout"
	SUITES=$(echo "$SUITES" | sed 's/ring//')
	;;
esac
[ -z "$(echo "$SUITES" | tr -d ' ')" ] && exit 0
BENCH_SUITES=$SUITES

python3 "$BENCH_DIR/report.py" "$WORK/raw.tsv" >"$WORK/report.md" || exit 1
[ -f "$WORK/vxlan.md" ] && cat "$WORK/vxlan.md" >>"$WORK/report.md"
[ -f "$WORK/vxscale.md" ] && cat "$WORK/vxscale.md" >>"$WORK/report.md"
cat "$WORK/report.md"
if [ "$OUT" != "-" ]; then
	# Replace the generated part of OUT, keep everything around it.
	if [ ! -f "$OUT" ] || ! grep -q '^<!-- bench:begin -->' "$OUT"; then
		{ [ -f "$OUT" ] && cat "$OUT"; echo "<!-- bench:begin -->";
		  echo "<!-- bench:end -->"; } >"$WORK/out.md"
		cp "$WORK/out.md" "$OUT"
	fi
	awk -v rep="$WORK/report.md" '
	    /^<!-- bench:begin -->/ { print; while ((getline l < rep) > 0) print l; skip = 1; next }
	    /^<!-- bench:end -->/ { skip = 0 }
	    !skip { print }' "$OUT" >"$WORK/out.md" && cp "$WORK/out.md" "$OUT"
	note "results written to $OUT"
fi
# wirefilter against a plain cable and Debian's, its own section of OUT.
if [ -n "${WF_SUITE:-}" ]; then
	BENCH_OUT=$OUT sh "$BENCH_DIR/wirefilter.sh" || exit 1
fi
exit 0
