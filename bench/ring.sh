# ring.sh: the shared-memory ring suite (issue 18; sourced by bench/run.sh).
#
# ring_suite: per repetition, in alternating order, three kinds carry
#   N64 64-byte and N1500 1500-byte frames unpaced through a fresh switch:
#   "ring" (our switch, the blaster on rings), "dgram" (our switch, the
#   blaster with VDE_RINGS=0: datagrams) and "orig" (Debian's switch; our
#   blaster falls back to datagrams there).  Records delivered frames/s
#   and the switch's CPU seconds per million frames sent (tests ring64,
#   ring1500).
# ring_report FILE: medians and ratios against Debian's switch as a
#   Markdown table, written between the ring:begin and ring:end markers
#   of FILE (appended when missing); FILE "-" prints it only.

ring_suite() {
	for _rep in $(seq 1 "$REPS"); do
		for _rk in $(kinds_order "$_rep" ring dgram orig); do
			# sw_start and blast_run use _kind and _dir themselves.
			_sk=ours
			[ "$_rk" = orig ] && _sk=orig
			sw_start "$_sk" "$WORK/rg-$_rk" "" || continue
			_pid=$SW_PID
			if [ "$_rk" = dgram ]; then
				VDE_RINGS=0
				export VDE_RINGS
			fi
			blast_run ring64 "$_rk" "$_rep" "$WORK/rg-$_rk" \
			    "$_pid" -n "$N64" -l 64
			blast_run ring1500 "$_rk" "$_rep" "$WORK/rg-$_rk" \
			    "$_pid" -n "$N1500" -l 1500
			unset VDE_RINGS
			stop_pid "$_pid"
		done
	done
}

ring_report() {
	python3 - "$WORK/raw.tsv" >"$WORK/ring.md" <<'PY' || return 1
import statistics, sys
d = {}
for line in open(sys.argv[1]):
    t, k, r, m, v = line.rstrip("\n").split("\t")
    if t in ("ring64", "ring1500") and v != "":
        d.setdefault((t, m, k), []).append(float(v))
def med(t, m, k):
    v = d.get((t, m, k))
    return statistics.median(v) if v else None
def f(x):
    return "-" if x is None else ("%.0f" % x if x >= 100 else "%.3g" % x)
def r(a, b):
    return "-" if a is None or b is None or b == 0 else "%.2fx" % (a / b)
def met(x, op, lim):
    if x is None:
        return "-"
    return "met" if (x <= lim if op == "<=" else x >= lim) else "NOT met"
rows = [
    ("switch CPU s per million 64 B frames", "ring64", "cpu_s_per_mframe", "<=", 0.25),
    ("64 B delivered frames/s", "ring64", "fps", ">=", 2.0),
    ("1500 B delivered frames/s", "ring1500", "fps", ">=", 2.0),
    ("switch CPU s per million 1500 B frames", "ring1500", "cpu_s_per_mframe", None, None),
]
print("| figure | rings | datagrams (VDE_RINGS=0) | Debian | rings / Debian | datagrams / Debian | rings / datagrams | target (rings / Debian) |")
print("|---|---|---|---|---|---|---|---|")
for label, t, m, op, lim in rows:
    a, b, o = med(t, m, "ring"), med(t, m, "dgram"), med(t, m, "orig")
    ratio = None if a is None or o is None or o == 0 else a / o
    tgt = "-" if op is None else "%s %sx: %s" % (op, lim, met(ratio, op, lim))
    print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (label, f(a), f(b), f(o),
          r(a, o), r(b, o), r(a, b), tgt))
n = {k: len(d.get(("ring64", "fps", k), [])) for k in ("ring", "dgram", "orig")}
print()
print("Medians of %d/%d/%d runs (rings/datagrams/Debian); raw values:" %
      (n["ring"], n["dgram"], n["orig"]))
print()
for key in sorted(d):
    print("- %s %s %s: %s" % (key[0], key[1], key[2],
          " ".join("%g" % x for x in d[key])))
PY
	cat "$WORK/ring.md"
	[ "$1" = "-" ] && return 0
	if ! grep -q '^<!-- ring:begin -->' "$1"; then
		printf '\n<!-- ring:begin -->\n<!-- ring:end -->\n' >>"$1"
	fi
	awk -v rep="$WORK/ring.md" '
	    /^<!-- ring:begin -->/ { print; while ((getline l < rep) > 0) print l; skip = 1; next }
	    /^<!-- ring:end -->/ { skip = 0 }
	    !skip { print }' "$1" >"$WORK/ring-out.md" && cp "$WORK/ring-out.md" "$1"
}
