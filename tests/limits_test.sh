#! /usr/bin/env atf-sh
#
# limits_test: what a peer can make a root switch allocate is bounded
# (issue 13): cables per port (--port-cables) and per user
# (--user-cables), the memory of all output queues (--queue-memory), the
# segments one offload frame stands for (--min-segment), and the port
# table (-n at most 65535).  The attacker runs as nobody.

. "$(atf_get_srcdir)/common.subr"

PY=$PYTHON_ANYUSER
HOG=$HELPERS/cablehog.py
# AddressSanitizer's shadow memory and quarantine double what a build
# under it holds: its bounds are twice as large (still far below what the
# attacks cost without the limits: 520 MB).
SAN=1
[ -n "${VDE_SANITIZED:-}" ] && SAN=2

# setup: a base directory the other users can reach, with a directory of
# nobody's for its client sockets, recorded for cleanup.
setup() {
	need_linux setpriv
	need_prog setpriv "$PY"
	shared_dir base vdelim 0755
	mkdir "$base/hog"
	chown nobody "$base/hog"
}

cleanup_all() {
	kill_all
}

# nobody CMD...: run CMD as nobody, without any group of root's.
nobody() {
	setpriv --reuid nobody --regid nogroup --clear-groups "$@"
}

# rss_kb: the switch's resident set in KiB.
rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$(pid_of sw)/status"
}

nfds() {
	ls "/proc/$(pid_of sw)/fd" | wc -l
}

# showinfo: the switch's port/showinfo.
showinfo() {
	"$VDECMD" -s "$base/mgmt" port/showinfo
}

# hostile COUNT PORT NAME: nobody makes COUNT cables on PORT (0: any), all
# naming one socket that is never read, and holds them.
hostile() {
	bg "$3" nobody "$PY" "$HOG" hog "$base/sw" "$base/hog" "$1" "$2"
	wait_for 300 test -s "$3.out"
}

# flood COUNT: root's cable on port 1999 sends COUNT broadcasts of 1514
# bytes; wait until the switch has read them all.
flood() {
	bg flood "$PY" "$HOG" flood "$base/sw" "$1" 1514 1999
	wait_for 60 grep -q sent flood.out
	wait_for 60 sh -c "[ \"\$('$VDECMD' -s '$base/mgmt' 'port/print 1999' |
	    sed -n 's/^ IN:  pkts *\([0-9]*\) .*/\1/p')\" -ge $1 ]"
}

atf_test_case hostile_cables_bounded cleanup
hostile_cables_bounded_head() {
	atf_set descr "1000 cables of nobody on one port and 1000 on any port, all naming one unread socket, plus 300 broadcasts: the switch stays under 32 MiB and 300 descriptors, refuses and logs the excess, and other users still connect and exchange frames"
	atf_set require.user root
	atf_set timeout 300
}
hostile_cables_bounded_body() {
	setup
	bg sw "$VDE_SWITCH" --nostdin -s "$base/sw" -m 666 -M "$base/mgmt" -n 2000
	wait_for 10 test -S "$base/mgmt"
	rss0=$(rss_kb)

	hostile 1000 5 hog1
	hostile 1000 0 hog2
	flood 300

	rss=$(rss_kb)
	fds=$(nfds)
	echo "RSS ${rss0} kB at start, ${rss} kB now; ${fds} descriptors" >&2
	cat hog1.out hog2.out >&2
	[ "$rss" -lt "$((32768 * SAN))" ] ||
	    atf_fail "the switch grew to $rss kB (bound: $((32 * SAN)) MiB)"
	[ "$fds" -lt 300 ] ||
	    atf_fail "the switch holds $fds descriptors (bound: 300)"

	# 16 cables on port 5, then 48 more: 64 for the user.
	atf_check -o inline:"accepted 16 refused 984\n" cat hog1.out
	atf_check -o inline:"accepted 48 refused 952\n" cat hog2.out
	showinfo >info
	atf_check -o match:"^portcables=16 refused=984$" \
	    -o match:"^usercables=64 refused=952$" cat info
	# Logged, but at most 10 lines a second: the log does not grow with
	# the flood.
	n1=$(grep -c "request for port 5 from uid [0-9]* refused: the port has its maximum of cables (--port-cables)" sw.err)
	n2=$(grep -c "request for port 0 from uid [0-9]* refused: the user has its maximum of cables (--user-cables)" sw.err)
	[ "$n1" -ge 1 ] || atf_fail "refusals not logged ($n1, $n2 lines)"
	[ $((n1 + n2)) -lt 1936 ] ||
	    atf_fail "every refusal logged ($n1, $n2 lines): no rate limit"
	wait_for 5 grep -q "more refusals not logged one by one" sw.err
	# Frames to the congested cables were dropped and counted.
	"$VDECMD" -s "$base/mgmt" "port/print 5" >p5
	grep -q '^ DROP: in  *0  *out  *[1-9]' p5 ||
	    { cat p5 >&2; atf_fail "no output drops counted on port 5"; }

	# Another user (daemon) and root still get cables and exchange frames.
	atf_check -o inline:"ok\n" -e ignore "$PY" "$HELPERS/plugpair.py" \
	    --sizes 60,1514 \
	    --a "setpriv --reuid daemon --regid daemon --clear-groups $VDE_PLUG $base/sw" \
	    --b "$VDE_PLUG $base/sw"
	alive sw || atf_fail "the switch died"
}
hostile_cables_bounded_cleanup() { cleanup_all; }

atf_test_case queue_memory_bounded cleanup
queue_memory_bounded_head() {
	atf_set descr "with the cable limits raised, 2000 congested cables of nobody and 300 broadcasts keep the output queues within --queue-memory (16M by default) and the switch under 32 MiB; the frames that found no queue are dropped and counted"
	atf_set require.user root
	atf_set timeout 300
}
queue_memory_bounded_body() {
	setup
	bg sw "$VDE_SWITCH" --nostdin -s "$base/sw" -m 666 -M "$base/mgmt" -n 2000 \
	    --port-cables 5000 -user-cables 5000
	wait_for 10 test -S "$base/mgmt"

	hostile 1000 5 hog1
	hostile 1000 0 hog2
	atf_check -o inline:"accepted 1000 refused 0\n" cat hog1.out
	atf_check -o inline:"accepted 1000 refused 0\n" cat hog2.out
	flood 300

	rss=$(rss_kb)
	echo "RSS ${rss} kB" >&2
	[ "$rss" -lt "$((32768 * SAN))" ] ||
	    atf_fail "the switch grew to $rss kB (bound: $((32 * SAN)) MiB)"
	showinfo >info
	used=$(sed -n 's/^queuememory=16777216 used=\([0-9]*\) refused=[1-9][0-9]*$/\1/p' info)
	[ -n "$used" ] && [ "$used" -le 16777216 ] && [ "$used" -gt 8388608 ] ||
	    { cat info >&2; atf_fail "queue memory not used up to its budget, or none refused"; }
	atf_check -o match:"output queues hold their maximum of 16777216 bytes" cat sw.err
	"$VDECMD" -s "$base/mgmt" "port/print 5" >p5
	grep -q '^ DROP: in  *0  *out  *[1-9]' p5 ||
	    { cat p5 >&2; atf_fail "no output drops counted on port 5"; }
}
queue_memory_bounded_cleanup() { cleanup_all; }

atf_test_case queue_memory_returns cleanup
queue_memory_returns_head() {
	atf_set descr "--queue-memory: with room for one queue, of two congested cables one gets it and the other drops; once they read, the queue is freed and its memory is back in the budget"
	atf_set require.user root
	atf_set timeout 60
}
queue_memory_returns_body() {
	setup
	bg sw "$VDE_SWITCH" --nostdin -s "$base/sw" -M "$base/mgmt" -n 2000 \
	    --queue-memory 300K
	wait_for 10 test -S "$base/mgmt"
	showinfo >info
	atf_check -o match:"^queuememory=307200 used=0 refused=0$" cat info
	bg idle1 "$PY" "$HOG" idle "$base/sw"
	bg idle2 "$PY" "$HOG" idle "$base/sw"
	wait_for 10 grep -q ready idle1.out
	wait_for 10 grep -q ready idle2.out
	flood 3000
	showinfo >info
	grep -q '^queuememory=307200 used=2[0-9]\{5\} refused=[1-9]' info ||
	    { cat info >&2; atf_fail "not one queue in use and one refused"; }
	touch "$base/drain"
	wait_for 10 grep -q read idle1.out
	wait_for 10 grep -q read idle2.out
	wait_for 10 sh -c "'$VDECMD' -s '$base/mgmt' port/showinfo |
	    grep -q '^queuememory=307200 used=0 '"
}
queue_memory_returns_cleanup() { cleanup_all; }

atf_test_case numports_cap cleanup
numports_cap_head() {
	atf_set descr "-n above 65535 is refused with a clear message; with -n 65535 a request for port 65535 works and one for 65536 is refused, without a large allocation; port/setnumports is capped the same way"
	atf_set require.user root
	atf_set timeout 60
}
numports_cap_body() {
	setup
	for n in 65536 2147483646; do
		atf_check -s exit:1 -o empty -e match:"at most 65535 ports" \
		    timeout 5 "$VDE_SWITCH" --nostdin -s "$base/big.sw" -n $n
	done
	bg sw "$VDE_SWITCH" --nostdin -s "$base/sw" -M "$base/mgmt" -n 65535
	wait_for 10 test -S "$base/mgmt"
	atf_check -o inline:"True\nFalse\n" "$PY" -c '
import sys
sys.path.insert(0, sys.argv[1])
import vdepeer
a = vdepeer.Client(sys.argv[2], port=65535)
print(a.ok)
b = vdepeer.Client(sys.argv[2], port=65536, expect_fail=True)
print(b.ok)
' "$HELPERS" "$base/sw"
	atf_check -o match:"request for port 65536 from uid 0 refused: port out of range" cat sw.err
	rss=$(rss_kb)
	echo "RSS ${rss} kB" >&2
	[ "$rss" -lt "$((16384 * SAN))" ] ||
	    atf_fail "the switch grew to $rss kB (bound: $((16 * SAN)) MiB)"
	atf_check -s exit:22 -o ignore -e match:"1022" \
	    "$VDECMD" -s "$base/mgmt" "port/setnumports 65536"
	atf_check -o ignore "$VDECMD" -s "$base/mgmt" "port/setnumports 100"
	atf_check -o ignore "$VDECMD" -s "$base/mgmt" "port/setnumports 65535"
}
numports_cap_cleanup() { cleanup_all; }

atf_test_case gso_size_floor cleanup
gso_size_floor_head() {
	atf_set descr "a TCP segmentation frame from an offload tap with gso_size 1 (65,535 frames' worth) is dropped where it is read: a client gets none of it, the tap port counts it and the switch logs it; gso_size 256 still passes as 6 frames"
	atf_set require.user root
	atf_set timeout 60
}
gso_size_floor_body() {
	need_prog ip "$PY"
	setup
	NS=$(uniq_name vdelimns)
	T=$(uniq_name vdelim)
	netns "$NS"
	ip netns exec "$NS" sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
	start_switch sw -M "$base/mgmt" -t "$T"
	echo "$T" >>created_links.lst
	ip link set "$T" netns "$NS" || atf_fail "move $T"
	ip -n "$NS" link set "$T" up
	wait_for 10 sh -c "'$VDECMD' -s '$base/mgmt' 'port/print 1' | grep -q '$T'"

	# At the floor: the frame becomes ceil(1400 / 256) = 6 frames.
	bg c1 "$PY" "$HOG" count "$PWD/sw.sw" 10
	wait_for 10 grep -q ready c1.out
	atf_check -o ignore ip netns exec "$NS" "$PY" "$HELPERS/gsoinject.py" "$T" 256 1400
	wait_for 15 sh -c "[ \$(wc -l <c1.out) -ge 2 ]"
	atf_check -o inline:"ready\n6\n" cat c1.out

	# Below it: nothing, whatever the frame stands for.
	bg c2 "$PY" "$HOG" count "$PWD/sw.sw" 10
	wait_for 10 grep -q ready c2.out
	atf_check -o ignore ip netns exec "$NS" "$PY" "$HELPERS/gsoinject.py" "$T" 1 1400
	wait_for 15 sh -c "[ \$(wc -l <c2.out) -ge 2 ]"
	atf_check -o inline:"ready\n0\n" cat c2.out
	showinfo >info
	atf_check -o match:"^minsegment=256 dropped=1$" cat info
	"$VDECMD" -s "$base/mgmt" "port/print 1" >p1
	grep -q '^ DROP: in  *1 ' p1 ||
	    { cat p1 >&2; atf_fail "the drop is not counted on the tap's port"; }
	atf_check -o match:"segments of 1 bytes, less than 256 \(--min-segment\)" cat sw.err
}
gso_size_floor_cleanup() { cleanup_all; }

atf_init_test_cases() {
	atf_add_test_case hostile_cables_bounded
	atf_add_test_case queue_memory_bounded
	atf_add_test_case queue_memory_returns
	atf_add_test_case numports_cap
	atf_add_test_case gso_size_floor
}
