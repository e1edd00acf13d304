#!/bin/sh
#
# demo.sh: the main job in one go.  Starts our vde_switch with two tap
# ports, puts each tap in its own network namespace as a "host", pings
# from one host to the other through the switch, and shows what the switch
# saw on its management console.  Everything it makes is removed at exit.
# Needs root (taps and namespaces) and a built tree ("make demo" does both).

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
sw=$top/src/switch/vde_switch
cmd=$top/src/tools/vdecmd

if [ "$(id -u)" != 0 ]; then
	echo "demo: run as root (it creates taps and network namespaces)" >&2
	exit 1
fi

tag=$$
dir=$(mktemp -d "${TMPDIR:-/tmp}/vde-demo.XXXXXX")
ns1=vdedemo-a$tag
ns2=vdedemo-b$tag
tap1=vdea$tag
tap2=vdeb$tag
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$ns1" 2>/dev/null
	ip netns del "$ns2" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

say() {
	printf '\n\033[1m== %s\033[0m\n' "$*"
}

run() {
	echo "# $*"
	"$@"
}

say "start a switch with two tap ports and a console socket"
echo "# $sw --nostdin -s $dir/switch -M $dir/mgmt -t $tap1 -t $tap2 &"
"$sw" --nostdin -s "$dir/switch" -M "$dir/mgmt" -t "$tap1" -t "$tap2" &
pid=$!
i=0
while [ ! -S "$dir/mgmt" ] || ! ip link show "$tap2" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "demo: the switch did not start" >&2; exit 1; }
	sleep 0.1
done

say "two hosts: a network namespace on each tap"
for n in 1 2; do
	eval ns=\$ns$n tap=\$tap$n
	run ip netns add "$ns"
	run ip link set "$tap" netns "$ns"
	run ip -n "$ns" addr add "10.77.0.$n/24" dev "$tap"
	run ip -n "$ns" link set "$tap" up
done

say "ping host 2 from host 1 through the switch"
run ip netns exec "$ns1" ping -c 3 -i 0.2 -W 2 10.77.0.2 || exit 1

say "what the switch saw"
run "$cmd" -s "$dir/mgmt" port/print
run "$cmd" -s "$dir/mgmt" hash/print

say "done: the switch forwarded between two hosts; cleaning up"
