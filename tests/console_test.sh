#! /usr/bin/env atf-sh
#
# console_test: the management console of vde_switch as its users see it:
# the -M socket (golden transcripts of every command's output in
# tests/mgmt/NAME.in -> NAME.out, with pids, MACs, times, fds and paths
# normalised), the stdin console, rc files, load, many clients, long and
# batched lines, clients that do not read or hang up, our vdecmd, and
# Debian's unixcmd, unixterm and vdeterm against our socket.

. "$(atf_get_srcdir)/common.subr"

GOLDEN=$(atf_get_srcdir)/mgmt

# start_mgmt NAME [ARGS...]: our switch with its console on NAME.mgmt.
start_mgmt() {
	_n=$1; shift
	start_switch "$_n" -M "$PWD/$_n.mgmt" "$@"
	wait_for 10 test -S "$PWD/$_n.mgmt"
}

# session SOCK: send stdin as one write, print everything the switch says
# until it closes (after logout, or after it saw our end of input).
session() {
	socat -t 10 - "UNIX-CONNECT:$1"
}

# normalise: blank out what differs from run to run.
normalise() {
	sed -e "s|$PWD|WORK|g" \
	    -e 's/^VDE switch V\.[0-9.]*$/VDE switch V.VERSION/' \
	    -e 's/^pid [0-9]* MAC [0-9a-f:]* uptime [0-9]*$/pid PID MAC MAC uptime SECS/' \
	    -e 's/ age [0-9]* secs$/ age N secs/' \
	    -e 's/endpoint ID [0-9]\{4\}/endpoint ID NNNN/' \
	    -e 's/FD *[0-9]*/FD N/g' \
	    -e 's/[Pp][Ii][Dd]=[0-9]*/PID=N/g' \
	    -e 's/^Hash: [0-9]\{4\} /Hash: NNNN /'
}

# golden NAME: run tests/mgmt/NAME.in on switch NAME's console and compare
# the normalised transcript with tests/mgmt/NAME.out.
golden() {
	session "$PWD/$1.mgmt" <"$GOLDEN/$1.in" | normalise >"$1.got"
	if ! cmp -s "$GOLDEN/$1.out" "$1.got"; then
		diff -u "$GOLDEN/$1.out" "$1.got"
		atf_fail "console transcript of $1.in differs from $1.out"
	fi
}

common_cleanup() {
	kill_all
}

need_socat() {
	need_prog socat
}

atf_test_case golden_core cleanup
golden_core_head() {
	atf_set descr "help, showinfo, ds/showinfo, unknown commands, blank and comment lines, logout"
	atf_set timeout 30
}
golden_core_body() {
	need_socat
	start_mgmt core --mgmtmode 0640
	golden core
}
golden_core_cleanup() { common_cleanup; }

atf_test_case golden_port cleanup
golden_port_head() {
	atf_set descr "every port/ command's output and error codes"
	atf_set timeout 30
}
golden_port_body() {
	need_socat
	start_mgmt port -n 8
	golden port
}
golden_port_cleanup() { common_cleanup; }

atf_test_case golden_hash cleanup
golden_hash_head() {
	atf_set descr "every hash/ command's output and validation (>= 1)"
	atf_set timeout 30
}
golden_hash_body() {
	need_socat
	start_mgmt hash
	golden hash
}
golden_hash_cleanup() { common_cleanup; }

atf_test_case golden_debug cleanup
golden_debug_head() {
	atf_set descr "debug/list, debug/add, debug/del and their error codes"
	atf_set timeout 30
}
golden_debug_body() {
	need_socat
	start_mgmt debug
	golden debug
}
golden_debug_cleanup() { common_cleanup; }

# plug NAME SW PORT: our vde_plug on port PORT of switch SW, sending one
# 60-byte broadcast frame from 02:00:00:00:00:PORT, then staying connected.
plug() {
	_pn=$1 _sw=$2 _port=$3
	# Stream record: 2-byte length 60, broadcast, source, type 0x0800.
	{
		printf '\000\074\377\377\377\377\377\377\002\000\000\000\000'
		printf "\\$(printf %03o "$_port")\\010\\000"
		head -c 46 /dev/zero
		sleep 60
	} | "$VDE_PLUG" -p "$_port" -D "plug on $_port" -s "$PWD/$_sw.sw" \
	    >"$_pn.out" 2>"$_pn.err" &
	echo $! >>created_pids.lst
}

atf_test_case golden_active cleanup
golden_active_head() {
	atf_set descr "port/print with an endpoint and counters, hash/print and hash/find of a learned address (real port), epclose"
	atf_set timeout 30
}
golden_active_body() {
	need_socat
	start_mgmt active
	plug p3 active 3
	wait_for 10 sh -c "$VDECMD -s $PWD/active.mgmt hash/print | grep -q 'port: 003'"
	golden active
}
golden_active_cleanup() { common_cleanup; }

atf_test_case debug_events cleanup
debug_events_head() {
	atf_set descr "a console subscribed with debug/add should get port/+ port/ep/+ port/ep/- port/- events"
	atf_set timeout 30
}
debug_events_body() {
	need_socat
	start_mgmt ev
	{ printf 'debug/add port\n'; sleep 20; } |
	    socat -t 10 - "UNIX-CONNECT:$PWD/ev.mgmt" >ev.log &
	echo $! >>created_pids.lst
	wait_for 10 grep -q '1000 Success' ev.log
	plug p5 ev 5
	wait_for 10 grep -q '3031 port/ep/+ Port 05 FD ' ev.log
	grep -q '3021 port/+ 05$' ev.log || atf_fail "no port/+ event"
	wait_for 10 grep -q '3023 port/descr Port 05 FD .* -> "plug on 5' ev.log
	id=$($VDECMD -s "$PWD/ev.mgmt" 'port/print 5' |
	    sed -n 's/.*endpoint ID \([0-9]*\).*/\1/p')
	atf_check -s exit:0 $VDECMD -s "$PWD/ev.mgmt" "port/epclose 5 $id"
	wait_for 10 grep -q '3022 port/- 05$' ev.log
	grep -q '3032 port/ep/- Port 05 FD ' ev.log || atf_fail "no ep/- event"
	# port/ep/- comes before port/-.
	[ "$(grep -n '3032 port/ep/-' ev.log | cut -d: -f1)" -le \
	    "$(grep -n '3022 port/-' ev.log | cut -d: -f1)" ] ||
	    atf_fail "port/- before port/ep/-"
}
debug_events_cleanup() { common_cleanup; }

atf_test_case concurrent_sessions cleanup
concurrent_sessions_head() {
	atf_set descr "20 console clients connected at once should each get complete, correct replies"
	atf_set timeout 60
}
concurrent_sessions_body() {
	need_socat
	start_mgmt many
	i=0
	while [ $i -lt 20 ]; do
		# The second command waits (30 s at most) for the file go.
		{
			printf 'port/showinfo\n'
			n=0
			while [ ! -e go ] && [ $n -lt 600 ]; do
				sleep 0.05
				n=$((n + 1))
			done
			printf 'help\nlogout\n'
		} | socat -t 10 - "UNIX-CONNECT:$PWD/many.mgmt" >"c$i.out" &
		echo $! >>created_pids.lst
		i=$((i + 1))
	done
	# All 20 are connected at once: each has its first reply.
	i=0
	while [ $i -lt 20 ]; do
		wait_for 20 grep -q '1000 Success' "c$i.out"
		i=$((i + 1))
	done
	touch go
	i=0
	while [ $i -lt 20 ]; do
		wait_for 20 grep -q 'END OF SESSION' "c$i.out"
		[ "$(grep -c '1000 Success$' "c$i.out")" = 2 ] ||
		    { cat "c$i.out" >&2; atf_fail "client $i: not two replies"; }
		grep -q '^port/allprint' "c$i.out" || atf_fail "client $i: no help"
		i=$((i + 1))
	done
	alive many || atf_fail "the switch died"
}
concurrent_sessions_cleanup() { common_cleanup; }

atf_test_case batched_lines cleanup
batched_lines_head() {
	atf_set descr "two commands in one write should both run, in order, with \\r\\n accepted"
	atf_set timeout 30
}
batched_lines_body() {
	need_socat
	start_mgmt batch
	printf 'port/create 3\r\nport/allprint 3\nlogout\n' |
	    session "$PWD/batch.mgmt" >out
	atf_check -o match:'^1000 Success' -o match:'^Port 0003 untagged' \
	    -o match:'END OF SESSION$' cat out
	[ "$(grep -c '1000 Success' out)" = 2 ] || { cat out >&2; atf_fail "not two replies"; }
}
batched_lines_cleanup() { common_cleanup; }

atf_test_case long_line cleanup
long_line_head() {
	atf_set descr "a 64 KiB line should get 1090 once, and the session should go on"
	atf_set timeout 30
}
long_line_body() {
	need_socat
	start_mgmt long
	{ head -c 65536 /dev/zero | tr '\0' x; printf '\nport/showinfo\nlogout\n'; } |
	    session "$PWD/long.mgmt" >out
	[ "$(grep -c '1090 Message too long$' out)" = 1 ] ||
	    { cat out >&2; atf_fail "not one 1090 reply"; }
	atf_check -o match:'^Numports=32$' -o match:'END OF SESSION$' cat out
	alive long || atf_fail "the switch died"
}
long_line_cleanup() { common_cleanup; }

atf_test_case error_codes cleanup
error_codes_head() {
	atf_set descr "unknown commands give 1038, bad arguments 1022, misses 1006/1019; vdecmd exits with the errno"
	atf_set timeout 30
}
error_codes_body() {
	start_mgmt err
	S=$PWD/err.mgmt
	atf_check -s exit:38 -e match:'1038 Function not implemented' $VDECMD -s "$S" bogus
	atf_check -s exit:38 -e match:'1038' $VDECMD -s "$S" 'helpme'
	atf_check -s exit:22 -e match:'1022 Invalid argument' $VDECMD -s "$S" 'port/create x'
	atf_check -s exit:22 -e match:'1022' $VDECMD -s "$S" 'hash/setgcint 0'
	atf_check -s exit:22 -e match:'1022' $VDECMD -s "$S" 'hash/find 00:11:22:33:44'
	atf_check -s exit:19 -e match:'1019 No such device' $VDECMD -s "$S" 'hash/find 00:11:22:33:44:55'
	atf_check -s exit:6 -e match:'1006 No such device or address' $VDECMD -s "$S" 'port/remove 9'
	atf_check -s exit:0 $VDECMD -s "$S" 'port/create 9'
	atf_check -s exit:17 -e match:'1017 File exists' $VDECMD -s "$S" 'port/create 9'
	atf_check -s exit:28 -o inline:'Port 0001\n' \
	    -e match:'1028 No space left' $VDECMD -s "$S" \
	    -c 'port/setnumports 1' -c port/createauto -c port/createauto
	atf_check -s exit:2 -e match:'1002 No such file or directory' \
	    $VDECMD -s "$S" 'load /nonexistent/x'
}
error_codes_cleanup() { common_cleanup; }

atf_test_case vdecmd_client cleanup
vdecmd_client_head() {
	atf_set descr "vdecmd should run commands in order, print data without framing, stop at the first failure unless -k, and relay an interactive session"
	atf_set timeout 30
}
vdecmd_client_body() {
	start_mgmt vc
	S=$PWD/vc.mgmt
	atf_check -s exit:0 -o inline:'Numports=32\nHUB=false\ncounters=true\nportcables=16 refused=0\nusercables=64 refused=0\nqueuememory=16777216 used=0 refused=0\nminsegment=256 dropped=0\nframemax=9234 dropped=0\nringmemory=134217728 used=0 refused=0 corrupt=0\nPort 0001\n' \
	    $VDECMD -s "$S" -c port/showinfo -c port/createauto
	atf_check -s exit:22 -o empty -e match:'port/create x: 1022' \
	    $VDECMD -s "$S" -c 'port/create x' -c 'port/create 20'
	atf_check -s exit:6 -e match:'1006' $VDECMD -s "$S" 'port/allprint 20'
	atf_check -s exit:22 -e ignore $VDECMD -k -s "$S" -c 'port/create x' -c 'port/create 20'
	atf_check -s exit:0 -o match:'^Port 0020' $VDECMD -s "$S" 'port/allprint 20'
	atf_check -s exit:0 -o empty $VDECMD -s "$S" logout
	# Interactive: stdin to the switch, everything back verbatim.
	printf 'port/showinfo\nlogout\n' | $VDECMD -s "$S" >inter.out
	atf_check -o match:'^VDE switch V\.' -o match:'^Numports=32$' \
	    -o match:'END OF SESSION$' cat inter.out
	atf_check -s exit:255 -e match:'usage' $VDECMD port/showinfo
	# A switch that never answers: -t bounds the wait.
	need_prog socat
	{ printf 'VDE switch V.1\nx\n\nvde$ '; sleep 10; } |
	    socat "UNIX-LISTEN:$PWD/mute.sock" - >/dev/null &
	echo $! >>created_pids.lst
	wait_for 10 test -S "$PWD/mute.sock"
	atf_check -s exit:255 -e match:'no reply from the switch in 1 s' \
	    $VDECMD -t 1 -s "$PWD/mute.sock" help
	atf_check -s exit:255 -e match:'No such file' $VDECMD -s "$PWD/none" help
}
vdecmd_client_cleanup() { common_cleanup; }

atf_test_case vdecmd_against_vde2 cleanup
vdecmd_against_vde2_head() {
	atf_set descr "our vdecmd should drive Debian's VDE 2 switch (one command per read) the same way"
	atf_set timeout 30
}
vdecmd_against_vde2_body() {
	need_prog "$ORIG_SWITCH"
	start_orig_switch o -M "$PWD/o.mgmt"
	wait_for 10 test -S "$PWD/o.mgmt"
	atf_check -s exit:0 -o match:'^Numports=32$' -o match:'^Port 0005 ' \
	    $VDECMD -s "$PWD/o.mgmt" -c port/showinfo -c 'port/create 5' -c 'port/allprint 5'
	atf_check -s exit:17 -e match:'1017 File exists' \
	    $VDECMD -s "$PWD/o.mgmt" 'port/create 5'
	atf_check -s exit:38 -e match:'1038' $VDECMD -s "$PWD/o.mgmt" bogus
}
vdecmd_against_vde2_cleanup() { common_cleanup; }

atf_test_case help_order cleanup
help_order_head() {
	atf_set descr "help should list the menus in VDE 2's order (ds, core, debug, hash, fstp, port, vlan), then capture, mirror and vxlan, with headers and aligned columns"
	atf_set timeout 30
}
help_order_body() {
	start_mgmt help
	atf_check -s exit:0 -o save:help $VDECMD -s "$PWD/help.mgmt" help
	atf_check -o inline:'COMMAND PATH       SYNTAX          HELP\n------------       --------------  ------------\n' \
	    head -n 2 help
	menus=$(awk '$2 == "============" { printf "%s ", $1 }' help)
	echo "$menus" |
	    grep -Eq '^ds debug hash (fstp )?port (vlan )?(capture mirror )?(vxlan )?$' ||
	    atf_fail "menu order: $menus"
	order=$(awk '$2 == "============" || $1 == "help" { printf "%s ", $1 }' help)
	case "$order" in
	"ds help debug hash "*) ;;
	*) atf_fail "core commands not after ds: $order" ;;
	esac
	# Every row: the path in 18 columns, the syntax in 15.
	if sed -n '3,$p' help | grep -v '^[^ ]\{1,18\} *[^ ]' >/dev/null; then
		atf_fail "a row has no path"
	fi
	grep -q '^port/allprint      \[N\]             ' help ||
	    atf_fail "columns misaligned"
}
help_order_cleanup() { common_cleanup; }

atf_test_case shutdown_cleans_up cleanup
shutdown_cleans_up_head() {
	atf_set descr "shutdown on the console should end the switch with status 0 and remove its directory and -M socket"
	atf_set timeout 30
}
shutdown_cleans_up_body() {
	start_mgmt down
	pid=$(pid_of down)
	atf_check -s exit:0 -o empty $VDECMD -s "$PWD/down.mgmt" shutdown
	wait_for 10 sh -c "! kill -0 $pid"
	wait "$pid" 2>/dev/null
	test -e "$PWD/down.sw" && atf_fail "switch directory left behind"
	test -e "$PWD/down.mgmt" && atf_fail "management socket left behind"
	true
}
shutdown_cleans_up_cleanup() { common_cleanup; }

atf_test_case stdin_console cleanup
stdin_console_head() {
	atf_set descr "the stdin console: no banner, replies and prompt on stdout, logout ignored, EOF exits cleanly"
	atf_set timeout 30
}
stdin_console_body() {
	printf '\nport/showinfo\nlogout\nbogus\n' >in
	atf_check -s exit:0 -o save:out -e ignore \
	    "$VDE_SWITCH" -s "$PWD/sin.sw" -M "$PWD/sin.mgmt" <in
	printf '\nvde$ 0000 DATA END WITH '"'"'.'"'"'\nNumports=32\nHUB=false\ncounters=true\nportcables=16 refused=0\nusercables=64 refused=0\nqueuememory=16777216 used=0 refused=0\nminsegment=256 dropped=0\nframemax=9234 dropped=0\nringmemory=134217728 used=0 refused=0 corrupt=0\n.\n1000 Success\n\nvde$ \nvde$ 1038 Function not implemented\n\nvde$ ' >expect
	atf_check -o file:expect cat out
	test -e "$PWD/sin.sw" && atf_fail "switch directory left behind"
	test -e "$PWD/sin.mgmt" && atf_fail "management socket left behind"
	# shutdown from stdin.
	printf 'shutdown\nport/showinfo\n' | "$VDE_SWITCH" -s "$PWD/sin.sw" >out2 2>/dev/null
	atf_check -o inline:'9999 END OF SESSION' cat out2
}
stdin_console_cleanup() { common_cleanup; }

atf_test_case rc_file cleanup
rc_file_head() {
	atf_set descr "-f and ~/.vde2/vde_switch.rc run at start-up without output; fd commands get EBADF; load echoes"
	atf_set timeout 30
}
rc_file_body() {
	cat >rc <<EOF
# set up port 7
port/create 7

port/setuser 7 root
load $PWD/other.rc
debug/list
EOF
	printf 'port/create 8\n' >other.rc
	start_mgmt rc -f "$PWD/rc"
	atf_check -o empty cat rc.out
	atf_check -o match:'Bad file descriptor' cat rc.err
	atf_check -s exit:0 -o match:'^Port 0007 .*NOT Unnamed Allocatable' \
	    -o match:'User: root - Group: NONE' $VDECMD -s "$PWD/rc.mgmt" 'port/allprint 7'
	atf_check -s exit:6 -e ignore $VDECMD -s "$PWD/rc.mgmt" 'port/allprint 8'
	# load on the socket: echo, each command's reply, then load's own.
	atf_check -s exit:0 -o inline:'vde['"$PWD"'/other.rc]: port/create 8\n1000 Success\n' \
	    $VDECMD -s "$PWD/rc.mgmt" "load $PWD/other.rc"
	# The default file in $HOME.
	mkdir -p home/.vde2
	printf 'port/create 9\n' >home/.vde2/vde_switch.rc
	HOME=$PWD/home start_mgmt rc2
	atf_check -s exit:0 -o match:'^Port 0009' $VDECMD -s "$PWD/rc2.mgmt" 'port/allprint 9'
}
rc_file_cleanup() { common_cleanup; }

atf_test_case slow_and_gone_clients cleanup
slow_and_gone_clients_head() {
	atf_set descr "a client that never reads, and one that leaves mid-reply, should not disturb others"
	atf_set timeout 60
}
slow_and_gone_clients_body() {
	need_prog python3
	start_mgmt slow
	python3 - "$PWD/slow.mgmt" <<'EOF' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.setblocking(False)
sent = 0
try:
    for i in range(2000):
        sent += s.send(b"help\n")
except BlockingIOError:
    pass
g = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
g.connect(sys.argv[1])
g.sendall(b"help\nhelp\nhelp\n")
g.close()
open("slow.ready", "w").close()
time.sleep(30)
EOF
	echo $! >>created_pids.lst
	wait_for 10 test -e slow.ready
	atf_check -s exit:0 -o match:'^Numports=32$' $VDECMD -s "$PWD/slow.mgmt" port/showinfo
	alive slow || atf_fail "the switch died"
}
slow_and_gone_clients_cleanup() { common_cleanup; }

atf_test_case stuck_client_dropped cleanup
stuck_client_dropped_head() {
	atf_set descr "a client that stops reading with replies pending should be dropped after 30 s, and its queued commands never run"
	atf_set timeout 180
}
stuck_client_dropped_body() {
	need_prog python3
	start_mgmt stuck
	python3 - "$PWD/stuck.mgmt" <<'EOF2' >stuck.py.out 2>&1 &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(sys.argv[1])
s.setblocking(False)
try:
    for i in range(400):
        s.send(b"help\n")
    s.send(b"port/create 7\n")
except BlockingIOError:
    pass
time.sleep(50)
s.setblocking(True)
data = b""
while True:
    try:
        d = s.recv(65536)
    except ConnectionResetError:
        # Closed with our commands still unread on its side: a reset.
        break
    if not d:
        break
    data += d
print("closed after", len(data), "bytes")
EOF2
	echo $! >>created_pids.lst
	wait_for 60 grep -q 'not reading for 30 s, dropped' stuck.err
	atf_check -s exit:0 -o match:'^Numports=32$' $VDECMD -s "$PWD/stuck.mgmt" port/showinfo
	# The commands queued behind the unread replies were never run.
	atf_check -s exit:6 -e ignore $VDECMD -s "$PWD/stuck.mgmt" 'port/allprint 7'
	wait_for 60 grep -q 'closed after' stuck.py.out
}
stuck_client_dropped_cleanup() { common_cleanup; }

atf_test_case sethub_stops_fstp cleanup
sethub_stops_fstp_head() {
	atf_set descr "port/sethub 1 should turn the spanning tree off, as -x does"
	atf_set timeout 30
}
sethub_stops_fstp_body() {
	start_mgmt hub -F
	atf_check -o match:'^FSTP=true$' $VDECMD -s "$PWD/hub.mgmt" fstp/showinfo
	atf_check -o match:'^FSTP=false$' -o match:'^HUB=true$' \
	    $VDECMD -s "$PWD/hub.mgmt" -c 'port/sethub 1' -c fstp/showinfo -c port/showinfo
}
sethub_stops_fstp_cleanup() { common_cleanup; }

atf_test_case socket_mode cleanup
socket_mode_head() {
	atf_set descr "--mgmtmode and --mgmtgroup should set the -M socket's mode and group"
	atf_set timeout 30
}
socket_mode_body() {
	grp=$(id -gn nobody 2>/dev/null || echo nogroup)
	start_mgmt mode --mgmtmode 0660 --mgmtgroup "$grp"
	atf_check -o inline:"660 $grp\n" $STAT_C '%a %G' "$PWD/mode.mgmt"
}
socket_mode_cleanup() { common_cleanup; }

atf_test_case debian_unixcmd cleanup
debian_unixcmd_head() {
	atf_set descr "Debian's unixcmd should read a command's data from our socket"
	atf_set timeout 30
}
debian_unixcmd_body() {
	need_prog unixcmd
	[ -r /etc/vde2/vdecmd ] || vde_skip "no /etc/vde2/vdecmd (vde2 package)"
	start_mgmt ux
	# unixcmd exits 255 even on success, with VDE 2's switch as well.
	atf_check -s ignore -o save:raw \
	    unixcmd -f /etc/vde2/vdecmd -s "$PWD/ux.mgmt" port/showinfo
	# It separates the lines with NUL bytes.
	tr -d '\000' <raw >out
	atf_check -o match:'^Numports=32' -o match:'HUB=false' cat out
	alive ux || atf_fail "the switch died"
}
debian_unixcmd_cleanup() { common_cleanup; }

atf_test_case debian_unixterm cleanup
debian_unixterm_head() {
	atf_set descr "Debian's unixterm (on a pseudo-terminal) should show our banner, prompt and replies"
	atf_set timeout 30
}
debian_unixterm_body() {
	need_linux "script -qc"
	need_prog unixterm script
	start_mgmt ut
	# Each line once the previous one was answered (10 s at most each).
	{
		wait_for 10 grep -q 'vde\$ ' raw
		printf 'port/showinfo\n'
		wait_for 10 grep -q '^1000 Success' raw
		printf 'logout\n'
		wait_for 10 grep -q 'END OF SESSION' raw
	} | script -qc "unixterm $PWD/ut.mgmt" /dev/null >raw
	tr -d '\r' <raw >out
	atf_check -o match:'^VDE switch V\.' -o match:'^Numports=32$' \
	    -o match:'^1000 Success$' cat out
}
debian_unixterm_cleanup() { common_cleanup; }

atf_test_case debian_vdeterm cleanup
debian_vdeterm_head() {
	atf_set descr "Debian's vdeterm (on a pseudo-terminal) should find our prompt, list our commands and show replies"
	atf_set timeout 30
}
debian_vdeterm_body() {
	need_linux "script -qc"
	need_prog vdeterm script
	start_mgmt vt
	# vdeterm sends each command without a newline, like VDE 2 expects.
	# Each line once the previous one was answered (10 s at most each).
	{
		wait_for 10 grep -q 'VDE switch V' raw
		printf 'port/showinfo\r'
		wait_for 10 grep -q 'Success' raw
		printf 'logout\r'
		wait_for 10 grep -q 'END OF SESSION' raw
	} | script -qc "vdeterm $PWD/vt.mgmt" /dev/null >raw
	tr -d '\r' <raw >out
	atf_check -o match:'^VDE switch V\.' -o match:'Numports=32' \
	    -o match:'^Success' cat out
}
debian_vdeterm_cleanup() { common_cleanup; }

# --- issue 13: load as the client, -M file handling, escaped logs --------

# conbase: a directory that other users can reach, removed at cleanup.
conbase() {
	shared_dir base vdecon 0755
}

con_cleanup() {
	kill_all
}

# $NOBODY CMD...: run CMD as nobody, without root's groups.
NOBODY="setpriv --reuid nobody --regid nogroup --clear-groups"

atf_test_case load_as_client cleanup
load_as_client_head() {
	atf_set descr "load on a root switch's -M socket should read files as the console client: nobody gets 1013 and no content for a root 0600 file (also through its own symlink), nobody's own file runs, root's load of the file still runs"
	atf_set require.user root
	atf_set timeout 60
}
load_as_client_body() {
	need_linux setpriv
	need_prog setpriv
	conbase
	bg sw "$VDE_SWITCH" --nostdin -s "$base/sw" -M "$base/mgmt" \
	    --mgmtmode 666
	wait_for 10 test -S "$base/mgmt"
	S=$base/mgmt
	printf 'port/create 9\nTOPSECRET-4711\n' >"$base/secret"
	chmod 0600 "$base/secret"

	atf_check -s exit:13 -o not-match:TOPSECRET \
	    -e match:'1013 Permission denied' -e not-match:TOPSECRET \
	    $NOBODY "$VDECMD" -s "$S" "load $base/secret"
	atf_check -s exit:6 -e ignore "$VDECMD" -s "$S" 'port/allprint 9'
	# Through a symlink that nobody made: the same.
	mkdir "$base/nb"
	chown nobody:nogroup "$base/nb"
	$NOBODY ln -s "$base/secret" "$base/nb/link"
	atf_check -s exit:13 -o not-match:TOPSECRET -e match:'^.*1013 ' \
	    $NOBODY "$VDECMD" -s "$S" "load $base/nb/link"
	atf_check -s exit:6 -e ignore "$VDECMD" -s "$S" 'port/allprint 9'
	# nobody's own file runs.
	$NOBODY sh -c "printf 'port/create 10\n' >'$base/nb/mine'"
	atf_check -s exit:0 -o match:'port/create 10' \
	    $NOBODY "$VDECMD" -s "$S" "load $base/nb/mine"
	atf_check -s exit:0 -o match:'^Port 0010' "$VDECMD" -s "$S" \
	    'port/allprint 10'
	# The operator, root, loads the root file as before.
	atf_check -s exit:0 -o match:'TOPSECRET-4711' "$VDECMD" -s "$S" \
	    "load $base/secret"
	atf_check -s exit:0 -o match:'^Port 0009' "$VDECMD" -s "$S" \
	    'port/allprint 9'
}
load_as_client_cleanup() { con_cleanup; }

# forwards NAME: two of our plugs on switch NAME exchange frames.
forwards() {
	atf_check -o inline:"ok\n" -e ignore python3 "$HELPERS/plugpair.py" \
	    --sizes 60,1514 --a "$VDE_PLUG $PWD/$1.sw" --b "$VDE_PLUG $PWD/$1.sw"
}

atf_test_case load_fifo cleanup
load_fifo_head() {
	atf_set descr "load of a FIFO (no writer) or a directory should fail at once (1022, 1021), and the switch should still answer and forward"
	atf_set timeout 60
}
load_fifo_body() {
	need_prog python3
	start_mgmt ff
	mkfifo "$PWD/fifo"
	atf_check -s exit:22 -o empty -e match:'1022 Invalid argument' \
	    "$VDECMD" -t 5 -s "$PWD/ff.mgmt" "load $PWD/fifo"
	atf_check -s exit:21 -o empty -e match:'1021 Is a directory' \
	    "$VDECMD" -t 5 -s "$PWD/ff.mgmt" "load $PWD"
	atf_check -s exit:0 -o match:'^Numports=32$' \
	    "$VDECMD" -t 5 -s "$PWD/ff.mgmt" port/showinfo
	forwards ff
}
load_fifo_cleanup() { common_cleanup; }

atf_test_case load_devzero cleanup
load_devzero_head() {
	atf_set descr "load of /dev/zero should fail at once (1022) without the switch growing, and the switch should still answer and forward"
	atf_set timeout 60
}
load_devzero_body() {
	need_prog python3
	start_mgmt dz
	atf_check -s exit:22 -o empty -e match:'1022 Invalid argument' \
	    "$VDECMD" -t 5 -s "$PWD/dz.mgmt" "load /dev/zero"
	atf_check -s exit:0 -o match:'^Numports=32$' \
	    "$VDECMD" -t 5 -s "$PWD/dz.mgmt" port/showinfo
	forwards dz
}
load_devzero_cleanup() { common_cleanup; }

atf_test_case load_size_cap cleanup
load_size_cap_head() {
	atf_set descr "load of a file over 1 MiB should be refused with 1027 and none of it run; 1 MiB exactly runs"
	atf_set timeout 60
}
load_size_cap_body() {
	start_mgmt cap
	{ printf 'port/create 9\n'; head -c 1048576 /dev/zero | tr '\0' '#'; } >big
	atf_check -s exit:27 -o empty -e match:'1027 File too large' \
	    "$VDECMD" -t 10 -s "$PWD/cap.mgmt" "load $PWD/big"
	atf_check -s exit:6 -e ignore "$VDECMD" -s "$PWD/cap.mgmt" 'port/allprint 9'
	truncate -s 1048576 big
	atf_check -s exit:0 -o match:'port/create 9' \
	    "$VDECMD" -t 10 -s "$PWD/cap.mgmt" "load $PWD/big"
	atf_check -s exit:0 -o match:'^Port 0009' "$VDECMD" -s "$PWD/cap.mgmt" \
	    'port/allprint 9'
}
load_size_cap_cleanup() { common_cleanup; }

atf_test_case mgmt_path_not_socket cleanup
mgmt_path_not_socket_head() {
	atf_set descr "-M naming an ordinary file or a symlink should stop the switch with a clear message and leave the file and the link's target unchanged"
	atf_set timeout 60
}
mgmt_path_not_socket_body() {
	printf 'precious\n' >f.mgmt
	chmod 0640 f.mgmt
	atf_check -s not-exit:0 -o ignore -e match:'not a socket' \
	    timeout 10 "$VDE_SWITCH" --nostdin -s "$PWD/a.sw" -M "$PWD/f.mgmt"
	atf_check -o inline:'precious\n' cat f.mgmt
	atf_check -o inline:'640 regular file\n' $STAT_C '%a %F' f.mgmt
	ln -s f.mgmt l.mgmt
	atf_check -s not-exit:0 -o ignore -e match:'not a socket' \
	    timeout 10 "$VDE_SWITCH" --nostdin -s "$PWD/b.sw" -M "$PWD/l.mgmt" \
	    --mgmtmode 0666
	test -h l.mgmt || atf_fail "the symlink was removed"
	atf_check -o inline:'640 regular file\n' $STAT_C '%a %F' f.mgmt
	atf_check -o inline:'precious\n' cat f.mgmt
}
mgmt_path_not_socket_cleanup() { common_cleanup; }

atf_test_case mgmt_stale_socket cleanup
mgmt_stale_socket_head() {
	atf_set descr "a stale -M socket (nobody listening) should be replaced by the switch's, with the requested mode"
	atf_set timeout 30
}
mgmt_stale_socket_body() {
	need_prog python3
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])' "$PWD/st.mgmt"
	test -S st.mgmt || atf_fail "no stale socket made"
	start_mgmt st --mgmtmode 0640
	atf_check -s exit:0 -o match:'^Numports=32$' "$VDECMD" -s "$PWD/st.mgmt" \
	    port/showinfo
	atf_check -o inline:'640 socket\n' $STAT_C '%a %F' st.mgmt
}
mgmt_stale_socket_cleanup() { common_cleanup; }

atf_test_case mgmt_cleanup_own_socket cleanup
mgmt_cleanup_own_socket_head() {
	atf_set descr "at exit the switch should remove its -M socket only if it is still the one it bound"
	atf_set timeout 30
}
mgmt_cleanup_own_socket_body() {
	start_mgmt own
	pid=$(pid_of own)
	rm -f own.mgmt
	printf 'precious\n' >own.mgmt
	kill -TERM "$pid"
	wait_for 10 sh -c "! kill -0 $pid"
	atf_check -o inline:'precious\n' cat own.mgmt
	# And its own socket is removed, as before.
	start_mgmt own2
	pid=$(pid_of own2)
	kill -TERM "$pid"
	wait_for 10 sh -c "! kill -0 $pid"
	test -e own2.mgmt && atf_fail "own socket left behind"
	true
}
mgmt_cleanup_own_socket_cleanup() { common_cleanup; }

atf_test_case log_escapes_client_path cleanup
log_escapes_client_path_head() {
	atf_set descr "a client socket path with a newline and control bytes, logged when refused, should be on one escaped line, forging none"
	atf_set timeout 30
}
log_escapes_client_path_body() {
	need_prog python3
	start_switch lg
	python3 - "$HELPERS" "$PWD/lg.sw" <<'EOF2'
import sys
sys.path.insert(0, sys.argv[1])
import vdepeer
c = vdepeer.Client(sys.argv[2], expect_fail=True, timeout=2,
    raw=vdepeer.request(b"/nonexistent\nFORGED line\x1b[2J"))
c.close()
EOF2
	wait_for 10 grep -qF '/nonexistent\nFORGED line\033[2J' lg.err
	if grep -q '^FORGED' lg.err; then
		cat lg.err >&2
		atf_fail "a forged log line"
	fi
	if grep -q "$(printf '\033')" lg.err; then
		atf_fail "an escape character reached the log"
	fi
	true
}
log_escapes_client_path_cleanup() { common_cleanup; }

atf_init_test_cases() {
	atf_add_test_case golden_core
	atf_add_test_case golden_port
	atf_add_test_case golden_hash
	atf_add_test_case golden_debug
	atf_add_test_case golden_active
	atf_add_test_case debug_events
	atf_add_test_case concurrent_sessions
	atf_add_test_case batched_lines
	atf_add_test_case long_line
	atf_add_test_case error_codes
	atf_add_test_case vdecmd_client
	atf_add_test_case vdecmd_against_vde2
	atf_add_test_case help_order
	atf_add_test_case shutdown_cleans_up
	atf_add_test_case stdin_console
	atf_add_test_case rc_file
	atf_add_test_case slow_and_gone_clients
	atf_add_test_case stuck_client_dropped
	atf_add_test_case sethub_stops_fstp
	atf_add_test_case socket_mode
	atf_add_test_case debian_unixcmd
	atf_add_test_case debian_unixterm
	atf_add_test_case debian_vdeterm
	atf_add_test_case load_as_client
	atf_add_test_case load_fifo
	atf_add_test_case load_devzero
	atf_add_test_case load_size_cap
	atf_add_test_case mgmt_path_not_socket
	atf_add_test_case mgmt_stale_socket
	atf_add_test_case mgmt_cleanup_own_socket
	atf_add_test_case log_escapes_client_path
}
