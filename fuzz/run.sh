#!/bin/sh
#
# run.sh: run every libFuzzer target fuzz/*_fuzz for a bounded time each
# (FUZZ_TIME seconds, default 20) and fail when one of them finds a crash,
# a leak or a broken invariant.  Seeds come from fuzz/corpus/NAME/ when it
# exists; new inputs go to a scratch directory, never into the tree.
#
# To add a target: write fuzz/NAME_fuzz.c with LLVMFuzzerTestOneInput(),
# add fuzz/NAME_fuzz to FUZZ_PROGS in files.mk with a rule like the others,
# and optionally seed files in fuzz/corpus/NAME/.  This script finds it.

cd "$(dirname "$0")/.." || exit 2
time=${FUZZ_TIME:-20}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/vde-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT INT TERM
status=0
found=0

for t in fuzz/*_fuzz; do
	[ -x "$t" ] || continue
	found=$((found + 1))
	name=$(basename "$t" _fuzz)
	mkdir -p "$scratch/$name"
	seeds=
	[ -d "fuzz/corpus/$name" ] && seeds="fuzz/corpus/$name"
	echo "=== $name (${time}s)"
	if "$t" -max_total_time="$time" -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$scratch/$name-" -print_final_stats=1 \
	    "$scratch/$name" $seeds >"$scratch/$name.log" 2>&1; then
		grep -E '^(stat::number_of_executed_units|Done)' \
		    "$scratch/$name.log" | sed 's/^/    /'
	else
		echo "    FAILED: $t found a problem; the end of its log:"
		tail -n 40 "$scratch/$name.log" | sed 's/^/    /'
		for a in "$scratch/$name"-*; do
			[ -f "$a" ] || continue
			echo "    reproducer: $(od -An -tx1 "$a" | head -n 8)"
		done
		status=1
	fi
done
if [ "$found" -eq 0 ]; then
	echo "fuzz/run.sh: no fuzz targets built (make fuzz)" >&2
	exit 1
fi
exit $status
