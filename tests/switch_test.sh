#! /usr/bin/env atf-sh
#
# switch_test: vde_switch as its clients see it: handshakes, forwarding,
# learning, hub mode, ports, mobility, bad peers, security, lifecycle.
# The peers are tests/helpers/vdepeer.py (a hand-made client that can also
# send broken requests), Debian's vde_plug and our own vde_plug.

. "$(atf_get_srcdir)/common.subr"

PEER="python3 $HELPERS/vdepeer.py"

# scenario NAME SWITCH [ARGS...]: run one vdepeer scenario against the
# switch started as SWITCH.
scenario() {
	_sc=$1 _sw=$2; shift 2
	atf_check -s exit:0 -o match:ok -e ignore $PEER "$_sc" "$PWD/$_sw.sw" "$@"
}

# stop_switch NAME: SIGTERM, wait for the exit, check that it cleaned up and
# a sanitizer build reported nothing.
stop_switch() {
	kill -TERM "$(pid_of "$1")"
	wait_for 10 sh -c "! kill -0 $(pid_of "$1") 2>/dev/null"
	grep -qE "Sanitizer|runtime error" "$1.err" &&
	    atf_fail "sanitizer report: $(cat "$1.err")"
	test -e "$1.sw" &&
	    atf_fail "$1.sw left after exit: $(ls -A "$1.sw" | tr '\n' ' ')"
	true
}

# switch_alive NAME: the switch still runs and still forwards.
switch_alive() {
	alive "$1" || atf_fail "the switch died: $(cat "$1.err")"
	scenario learn "$1"
}

common_cleanup() {
	kill_all
}

atf_test_case learning cleanup
learning_head() {
	atf_set descr "broadcast should flood, a learned address should get unicast only"
	atf_set timeout 30
}
learning_body() {
	start_switch sw
	scenario learn sw
}
learning_cleanup() { common_cleanup; }

atf_test_case learning_debian_plug cleanup
learning_debian_plug_head() {
	atf_set descr "Debian's vde_plug (vdeplug4) clients should learn and flood through our switch"
	atf_set timeout 30
}
learning_debian_plug_body() {
	need_prog "$ORIG_PLUG"
	start_switch sw
	scenario learn sw --plug "$ORIG_PLUG"
	scenario flood sw --plug "$ORIG_PLUG"
}
learning_debian_plug_cleanup() { common_cleanup; }

atf_test_case learning_our_plug cleanup
learning_our_plug_head() {
	atf_set descr "our vde_plug clients should learn and flood through our switch"
	atf_set timeout 30
}
learning_our_plug_body() {
	[ -x "$VDE_PLUG" ] || vde_skip "our vde_plug is not built"
	start_switch sw
	scenario learn sw --plug "$VDE_PLUG"
	scenario flood sw --plug "$VDE_PLUG"
}
learning_our_plug_cleanup() { common_cleanup; }

atf_test_case flooding cleanup
flooding_head() {
	atf_set descr "unknown unicast and multicast should flood; runts padded to 60; jumbo frames whole"
	atf_set timeout 30
}
flooding_body() {
	start_switch sw
	scenario flood sw
}
flooding_cleanup() { common_cleanup; }

atf_test_case hub_mode cleanup
hub_mode_head() {
	atf_set descr "-x and -hub should send every frame to every other port"
	atf_set timeout 30
}
hub_mode_body() {
	start_switch sw -x
	scenario hub sw
	start_switch sw2 -hub
	scenario hub sw2
}
hub_mode_cleanup() { common_cleanup; }

atf_test_case short_and_oversize cleanup
short_and_oversize_head() {
	atf_set descr "frames under 14 bytes and datagrams over 9234 bytes should be dropped, not forwarded or truncated"
	atf_set timeout 30
}
short_and_oversize_body() {
	start_switch sw
	scenario short sw
	scenario oversize sw
}
short_and_oversize_cleanup() { common_cleanup; }

atf_test_case ports cleanup
ports_head() {
	atf_set descr "an explicit port should be DIR/NNN.F, port 0 should come from REQ_NEW_PORT0"
	atf_set timeout 30
}
ports_body() {
	start_switch sw
	scenario port sw 5
	scenario port sw 32
}
ports_cleanup() { common_cleanup; }

atf_test_case numports cleanup
numports_head() {
	atf_set descr "-n 4 should give ports 1..4 and refuse a fifth client and port 5"
	atf_set timeout 30
}
numports_body() {
	start_switch sw -n 4
	scenario numports sw 4
	grep -q "port out of range" sw.err || atf_fail "no log line for port 5"
	grep -q "no free port" sw.err || atf_fail "no log line for the fifth client"
	alive sw || atf_fail "switch died"
}
numports_cleanup() { common_cleanup; }

atf_test_case mobility cleanup
mobility_head() {
	atf_set descr "two cables on one port should both get its frames, never each other's; one closing leaves the other working"
	atf_set timeout 30
}
mobility_body() {
	start_switch sw
	scenario mobility sw
	stop_switch sw
}
mobility_cleanup() { common_cleanup; }

atf_test_case mobility_plugs cleanup
mobility_plugs_head() {
	atf_set descr "mobility with Debian's and our vde_plug as the cables"
	atf_set timeout 30
}
mobility_plugs_body() {
	need_prog "$ORIG_PLUG"
	start_switch sw
	scenario mobility sw --plug "$ORIG_PLUG"
	if [ -x "$VDE_PLUG" ]; then
		scenario mobility sw --plug "$VDE_PLUG"
	fi
}
mobility_plugs_cleanup() { common_cleanup; }

atf_test_case bad_handshakes cleanup
bad_handshakes_head() {
	atf_set descr "bad magic, versions 2 and 4, bad type, truncated, oversized, out-of-range port, foreign or missing client socket: each closes only that connection, with a log line"
	atf_set timeout 60
}
bad_handshakes_body() {
	start_switch sw
	scenario bad sw
	for what in "bad magic" "unsupported request version" \
	    "bad request type" "oversized request" "port out of range" \
	    "not a socket" "request truncated" "not AF_UNIX" \
	    "not terminated"; do
		grep -q "$what" sw.err || atf_fail "no log line with '$what'"
	done
	switch_alive sw
	stop_switch sw
}
bad_handshakes_cleanup() { common_cleanup; }

atf_test_case v1_and_uml cleanup
v1_and_uml_head() {
	atf_set descr "version 1 requests and user-mode-linux's 124-byte request with an abstract address should be accepted"
	atf_set timeout 30
}
v1_and_uml_body() {
	start_switch sw
	scenario v1uml sw
}
v1_and_uml_cleanup() { common_cleanup; }

atf_test_case slow_reader cleanup
slow_reader_head() {
	atf_set descr "a client that stops reading should cost only its own frames"
	atf_set timeout 60
}
slow_reader_body() {
	start_switch sw
	scenario slowreader sw
	switch_alive sw
	stop_switch sw
}
slow_reader_cleanup() { common_cleanup; }

atf_test_case burst_queued cleanup
burst_queued_head() {
	atf_set descr "a burst larger than a client's socket queue should be held for it and delivered in order, not dropped"
	atf_set timeout 30
}
burst_queued_body() {
	start_switch sw
	scenario burst sw
	scenario queue sw
	stop_switch sw
}
burst_queued_cleanup() { common_cleanup; }

atf_test_case out_of_descriptors cleanup
out_of_descriptors_head() {
	atf_set descr "a switch out of file descriptors should refuse new clients, keep forwarding, and recover when they leave"
	atf_set timeout 60
}
out_of_descriptors_body() {
	bg sw sh -c "ulimit -n 40 && exec '$VDE_SWITCH' --nostdin -s '$PWD/sw.sw'"
	wait_for 10 test -S "$PWD/sw.sw/ctl"
	scenario exhaust sw 30
	grep -q "Too many open files" sw.err || atf_fail "no log of the exhaustion"
	switch_alive sw
	stop_switch sw
}
out_of_descriptors_cleanup() { common_cleanup; }

fdcount() {
	ls "/proc/$1/fd" | wc -l
}

rsskb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

atf_test_case connect_cycles cleanup
connect_cycles_head() {
	atf_set descr "1000 connect/disconnect cycles should leave no descriptors or memory behind while others keep forwarding"
	atf_set timeout 300
}
connect_cycles_body() {
	[ -d /proc/self/fd ] || vde_skip "needs /proc to count descriptors"
	start_switch sw
	pid=$(pid_of sw)
	scenario cycles sw 100
	fd0=$(fdcount "$pid")
	rss0=$(rsskb "$pid")
	scenario cycles sw 1000
	# Endpoints close asynchronously: wait for the count to settle.
	wait_for 10 test "$(fdcount "$pid")" -le "$fd0"
	rss1=$(rsskb "$pid")
	# AddressSanitizer keeps freed memory in quarantine: there its leak
	# check at exit (stop_switch) stands in for the RSS bound.
	if [ -z "${VDE_SANITIZED:-}" ]; then
		[ $((rss1 - rss0)) -lt 1024 ] ||
		    atf_fail "RSS grew from $rss0 kB to $rss1 kB"
	fi
	switch_alive sw
	left=$(ls -A sw.sw | grep -v '^ctl$' | wc -l)
	[ "$left" -eq 0 ] || atf_fail "leftovers in the directory: $(ls -A sw.sw)"
	stop_switch sw
}
connect_cycles_cleanup() { common_cleanup; }

atf_test_case security_foreign_socket cleanup
security_foreign_socket_head() {
	atf_set descr "a client naming a socket owned by another user must be refused (a root switch never writes into it)"
	atf_set require.user root
	atf_set timeout 30
}
security_foreign_socket_body() {
	nobody=$(id -u nobody 2>/dev/null) || vde_skip "no user nobody"
	# A directory nobody can reach (the work directory may be private).
	shared_dir d vdesec 0755
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])' "$d/victim"
	bg sw "$VDE_SWITCH" --nostdin -m 666 -s "$d/sw"
	wait_for 10 test -S "$d/sw/ctl"
	atf_check -s exit:0 -o match:ok -e ignore \
	    $PEER security "$d/sw" "$nobody" "$d/victim"
	grep -q "belongs to uid 0, not to the requesting uid $nobody" sw.err ||
	    atf_fail "no refusal logged: $(cat sw.err)"
	grep -q "request for port 7 .*Address already in use" sw.err ||
	    atf_fail "no log of the refused second user on port 7"
	alive sw || atf_fail "switch died"
}
security_foreign_socket_cleanup() { common_cleanup; }

atf_test_case stale_ctl cleanup
stale_ctl_head() {
	atf_set descr "a ctl socket nobody listens on should be replaced"
	atf_set timeout 30
}
stale_ctl_body() {
	mkdir sw.sw
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$PWD/sw.sw/ctl"
	test -S sw.sw/ctl || atf_fail "setup: no stale socket"
	start_switch sw
	wait_for 5 grep -q "stale" sw.err
	scenario learn sw
}
stale_ctl_cleanup() { common_cleanup; }

atf_test_case second_switch cleanup
second_switch_head() {
	atf_set descr "a second switch on a live directory should refuse to start and leave the first intact"
	atf_set timeout 30
}
second_switch_body() {
	start_switch sw
	atf_check -s exit:1 -e match:"another switch is running" \
	    "$VDE_SWITCH" --nostdin -s "$PWD/sw.sw"
	test -S sw.sw/ctl || atf_fail "the second switch removed the first's ctl"
	switch_alive sw
}
second_switch_cleanup() { common_cleanup; }

atf_test_case overlong_path cleanup
overlong_path_head() {
	atf_set descr "a directory path too long for the sockets should be refused, not truncated"
}
overlong_path_body() {
	long=$PWD/$(printf 'd%.0s' $(seq 1 110))
	atf_check -s exit:1 -e match:"too long" "$VDE_SWITCH" --nostdin -s "$long"
}
overlong_path_cleanup() { common_cleanup; }

atf_test_case modes_and_options cleanup
modes_and_options_head() {
	atf_set descr "single-dash long options should work; -mod should set the ctl mode and derive the directory mode"
	atf_set timeout 30
}
modes_and_options_body() {
	bg sw "$VDE_SWITCH" -nostdin -sock "$PWD/sw.sw" -mod 640 -numports 3
	wait_for 10 test -S "$PWD/sw.sw/ctl"
	atf_check -o inline:"640\n" $STAT_C %a sw.sw/ctl
	atf_check -o inline:"2750\n" $STAT_C %a sw.sw
	scenario numports sw 3
	bg sw2 "$VDE_SWITCH" --nostdin -s "$PWD/sw2.sw" --dirmode 2770
	wait_for 10 test -S "$PWD/sw2.sw/ctl"
	atf_check -o inline:"660\n" $STAT_C %a sw2.sw/ctl
	atf_check -o inline:"3770\n" $STAT_C %a sw2.sw
	bg sw3 "$VDE_SWITCH" --nostdin -s "$PWD/sw3.sw"
	wait_for 10 test -S "$PWD/sw3.sw/ctl"
	atf_check -o inline:"600\n" $STAT_C %a sw3.sw/ctl
	atf_check -o inline:"2700\n" $STAT_C %a sw3.sw
}
modes_and_options_cleanup() { common_cleanup; }

atf_test_case group_option cleanup
group_option_head() {
	atf_set descr "-g should set the group of directory, ctl and data sockets; an unknown group is an error"
	atf_set require.user root
	atf_set timeout 30
}
group_option_body() {
	grp=$(getent group daemon | cut -d: -f1)
	[ -n "$grp" ] || vde_skip "no group daemon"
	bg sw "$VDE_SWITCH" --nostdin -s "$PWD/sw.sw" -m 660 -group "$grp"
	wait_for 10 test -S "$PWD/sw.sw/ctl"
	atf_check -o inline:"$grp\n" $STAT_C %G sw.sw/ctl
	atf_check -o inline:"$grp\n" $STAT_C %G sw.sw
	atf_check -s exit:1 -e match:"No such group" \
	    "$VDE_SWITCH" --nostdin -s "$PWD/x.sw" -g no-such-group-vde
}
group_option_cleanup() { common_cleanup; }

atf_test_case usage_errors
usage_errors_head() {
	atf_set descr "positional arguments and bad numbers should print usage and exit 1; -v exits 0"
}
usage_errors_body() {
	atf_check -s exit:1 -e match:usage "$VDE_SWITCH" /tmp/my.ctl
	atf_check -s exit:1 -e match:usage "$VDE_SWITCH" -n 0
	atf_check -s exit:1 -e match:usage "$VDE_SWITCH" -n 2147483647
	atf_check -s exit:1 -e match:usage "$VDE_SWITCH" -m 9x
	atf_check -s exit:1 -e match:usage "$VDE_SWITCH" --macaddr 1:2:3
	atf_check -s exit:0 -o match:"^vde_switch \(vde\) [0-9]" "$VDE_SWITCH" -v
}

atf_test_case signals_clean_up cleanup
signals_clean_up_head() {
	atf_set descr "SIGTERM, SIGINT and SIGHUP should remove sockets (also dead clients' ones) and directory and exit 0"
	atf_set timeout 60
}
signals_clean_up_body() {
	for sig in TERM INT HUP; do
		"$VDE_SWITCH" --nostdin -s "$PWD/s$sig.sw" 2>"s$sig.err" &
		pid=$!
		echo $pid >>created_pids.lst
		wait_for 10 test -S "$PWD/s$sig.sw/ctl"
		# A connected client: its data socket must go too.
		python3 "$HELPERS/vdepeer.py" learn "$PWD/s$sig.sw" >/dev/null 2>&1
		# A crashed VDE 2 client's socket, nobody listening: removed.
		python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])' "$PWD/s$sig.sw/.04711-00003"
		kill -$sig $pid
		wait $pid
		st=$?
		[ $st -eq 0 ] || atf_fail "SIG$sig: exit status $st"
		test -e "s$sig.sw" && atf_fail "SIG$sig: $(ls -A s$sig.sw) left"
		grep -q "Caught signal" "s$sig.err" || atf_fail "SIG$sig: no log"
	done
}
signals_clean_up_cleanup() { common_cleanup; }

atf_test_case daemon_pidfile cleanup
daemon_pidfile_head() {
	atf_set descr "-daemon -pidfile should detach, write the pid, and remove it at exit; a stale pidfile is replaced, a live one refused"
	atf_set timeout 30
}
daemon_pidfile_body() {
	atf_check -s exit:0 "$VDE_SWITCH" -daemon -pidfile sw.pid -s "$PWD/sw.sw"
	wait_for 10 test -s sw.pid
	pid=$(cat sw.pid)
	echo "$pid" >>created_pids.lst
	kill -0 "$pid" || atf_fail "daemon not running"
	scenario learn sw
	# A live pidfile: refused.
	atf_check -s exit:1 -e match:"is running" \
	    "$VDE_SWITCH" --nostdin -p sw.pid -s "$PWD/x.sw"
	kill "$pid"
	wait_for 10 test ! -e sw.pid
	wait_for 10 test ! -e sw.sw
	# A stale pidfile (no such process): replaced.
	echo 2147483 >old.pid
	start_switch sw2 -p old.pid
	wait_for 10 grep -q "^$(pid_of sw2)\$" old.pid
}
daemon_pidfile_cleanup() { common_cleanup; }

atf_test_case rcfile_shutdown cleanup
rcfile_shutdown_head() {
	atf_set descr "shutdown in a -f rc file should end the switch at once with status 0, after the lines before it, and remove what it made"
	atf_set timeout 30
}
rcfile_shutdown_body() {
	printf 'port/create 5\nshutdown\n' >rc
	atf_check -s exit:0 -o empty -e ignore timeout 10 "$VDE_SWITCH" \
	    --nostdin -s "$PWD/rc.sw" -M "$PWD/rc.mgmt" -p "$PWD/rc.pid" \
	    -f "$PWD/rc"
	for f in rc.sw rc.mgmt rc.pid; do
		test -e "$f" && atf_fail "$f left behind"
	done
	true
}
rcfile_shutdown_cleanup() { common_cleanup; }

# hold_plug NAME SW: our vde_plug on switch SW, its input held open.
hold_plug() {
	sleep 30 | "$VDE_PLUG" -s "$PWD/$2.sw" >"$1.out" 2>"$1.err" &
	echo $! >>created_pids.lst
}

atf_test_case verbose_log cleanup
verbose_log_head() {
	atf_set descr "--verbose should log debug lines (an endpoint coming up), and without it none should appear"
	atf_set timeout 30
}
verbose_log_body() {
	start_switch quiet -M "$PWD/quiet.mgmt"
	start_switch loud --verbose -M "$PWD/loud.mgmt"
	hold_plug pq quiet
	hold_plug pl loud
	wait_for 10 grep -q 'port 1: endpoint [0-9]* up' loud.err
	wait_for 10 sh -c "$VDECMD -s $PWD/quiet.mgmt 'port/print 1' |
	    grep -q 'endpoint ID'"
	grep -q 'port 1: endpoint [0-9]* up' quiet.err &&
	    atf_fail "debug lines without --verbose: $(cat quiet.err)"
	true
}
verbose_log_cleanup() { common_cleanup; }

atf_test_case debugclients cleanup
debugclients_head() {
	atf_set descr "-D n should let at most n console sessions receive debug events (1016 for the next), VDE 2's debug clients"
	atf_set timeout 30
}
debugclients_body() {
	need_prog socat
	start_switch d -D 1 -M "$PWD/d.mgmt"
	{ printf 'debug/add port\n'; sleep 20; } |
	    socat -t 10 - "UNIX-CONNECT:$PWD/d.mgmt" >s1.log &
	s1=$!
	echo $s1 >>created_pids.lst
	wait_for 10 grep -q '1000 Success' s1.log
	atf_check -s exit:16 -e match:'1016 Device or resource busy' \
	    "$VDECMD" -s "$PWD/d.mgmt" 'debug/add port'
	# The first one leaves: the place is free again.
	kill "$s1"
	wait_for 10 sh -c "$VDECMD -s $PWD/d.mgmt 'debug/add port'"
	start_switch z -D 0 -M "$PWD/z.mgmt"
	atf_check -s exit:16 -e match:'1016 Device or resource busy' \
	    "$VDECMD" -s "$PWD/z.mgmt" 'debug/add port/+'
}
debugclients_cleanup() { common_cleanup; }

atf_init_test_cases() {
	atf_add_test_case learning
	atf_add_test_case learning_debian_plug
	atf_add_test_case learning_our_plug
	atf_add_test_case flooding
	atf_add_test_case hub_mode
	atf_add_test_case short_and_oversize
	atf_add_test_case ports
	atf_add_test_case numports
	atf_add_test_case mobility
	atf_add_test_case mobility_plugs
	atf_add_test_case bad_handshakes
	atf_add_test_case v1_and_uml
	atf_add_test_case slow_reader
	atf_add_test_case burst_queued
	atf_add_test_case out_of_descriptors
	atf_add_test_case connect_cycles
	atf_add_test_case security_foreign_socket
	atf_add_test_case stale_ctl
	atf_add_test_case second_switch
	atf_add_test_case overlong_path
	atf_add_test_case modes_and_options
	atf_add_test_case group_option
	atf_add_test_case usage_errors
	atf_add_test_case signals_clean_up
	atf_add_test_case daemon_pidfile
	atf_add_test_case rcfile_shutdown
	atf_add_test_case verbose_log
	atf_add_test_case debugclients
}
