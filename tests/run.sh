#!/bin/sh
#
# run.sh: run the whole suite with Kyua from the top of the tree, show the
# output of every case that did not pass, and end with the line
# "N passed, N failed, N skipped".  Exit 1 when anything failed or broke,
# and also when anything was skipped while VDE_NO_SKIP is set (CI), except
# the cases named in VDE_ALLOWED_SKIPS (none by default: even the Linux
# 802.1Q test runs, in user-mode-linux).

cd "$(dirname "$0")/.." || exit 2
db=${VDE_RESULTS:-$(mktemp "${TMPDIR:-/tmp}/vde-kyua.XXXXXX")}
rm -f "$db"

kyua test --kyuafile Kyuafile --results-file "$db" "$@"
kyua report --results-file "$db" --verbose \
    --results-filter broken,failed,skipped >"$db.report" 2>&1
if grep -qE '(broken|failed)' "$db.report"; then
	echo "=== output of the cases that did not pass ==="
	cat "$db.report"
fi
summary=$(grep 'Test cases:' "$db.report" | tail -n 1)
[ -n "$summary" ] || summary=$(kyua report --results-file "$db" | grep 'Test cases:' | tail -n 1)
skipnames=$(sed -n 's/^\([^ ]*\)  ->  skipped.*/\1/p' "$db.report" | sort -u)
rm -f "$db" "$db.report"
: "${VDE_ALLOWED_SKIPS=}"

# "Test cases: 12 total, 1 skipped, 0 expected failures, 0 broken, 1 failed"
total=$(echo "$summary" | sed -n 's/.* \([0-9]*\) total.*/\1/p')
skipped=$(echo "$summary" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
xfail=$(echo "$summary" | sed -n 's/.* \([0-9]*\) expected failures.*/\1/p')
broken=$(echo "$summary" | sed -n 's/.* \([0-9]*\) broken.*/\1/p')
failed=$(echo "$summary" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
: "${total:=0}" "${skipped:=0}" "${xfail:=0}" "${broken:=0}" "${failed:=0}"
bad=$((failed + broken))
passed=$((total - skipped - bad))
rc=0
[ "$total" -gt 0 ] || rc=1
[ "$bad" -eq 0 ] || rc=1
if [ -n "${VDE_NO_SKIP:-}" ]; then
	for t in $skipnames; do
		case " $VDE_ALLOWED_SKIPS " in
		*" $t "*)
			echo "run.sh: allowed skip (VDE_ALLOWED_SKIPS): $t" ;;
		*)
			echo "run.sh: skipped, but VDE_NO_SKIP requires it to run: $t"
			rc=1 ;;
		esac
	done
fi
echo "$passed passed, $bad failed, $skipped skipped"
exit $rc
