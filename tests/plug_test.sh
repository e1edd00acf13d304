#! /usr/bin/env atf-sh
#
# plug_test: vde_plug and dpipe against our switch and Debian's original,
# with our plug and Debian's on either side of a cable, through a real sshd,
# and with the stream framing abused (splits, empty, runt and oversize
# records).  Frames are checked end to end by helpers/plugpair.py.

. "$(atf_get_srcdir)/common.subr"
. "$(atf_get_srcdir)/cable.subr"

# bg_plug NAME ARGS...: our vde_plug in the background with a stdin that
# never reaches EOF (a FIFO it holds open itself), recorded in the ledger.
bg_plug() {
	_n=$1; shift
	mkfifo "$_n.fifo"
	"$VDE_PLUG" "$@" <>"$_n.fifo" >"$_n.out" 2>"$_n.err" &
	echo $! >"$_n.pid"
	echo $! >>created_pids.lst
}

# port_socket DIR N: whether DIR holds a data socket of port N.
port_socket() {
	ls "$1" | grep -q "^$(printf %03d "$2")\."
}

# in_group PGRP N: whether process group PGRP has exactly N members.
in_group() {
	[ "$(ps -e -o pgid= | awk -v g="$1" '$1 == g' | wc -l)" -eq "$2" ]
}

no_leftovers() {
	_left=$(client_leftovers "$1")
	[ -z "$_left" ] || atf_fail "client sockets left behind: $_left"
}

atf_test_case ours_into_orig_switch cleanup
ours_into_orig_switch_head() {
	atf_set descr "our vde_plug should carry split, junk and normal records through Debian's vde_switch and show its description"
	atf_set require.user root
	atf_set timeout 60
}
ours_into_orig_switch_body() {
	need_prog "$ORIG_SWITCH" /usr/bin/socat
	start_orig_switch sw -M "$PWD/sw.mgmt"
	plugpair --a "$VDE_PLUG $PWD/sw.sw" --b "$VDE_PLUG $PWD/sw.sw" \
	    --sizes 60,1514,1518 --split --junk
	bg_plug p1 "$PWD/sw.sw"
	wait_for 10 has_data_sockets "$PWD/sw.sw" 1
	mgmt "$PWD/sw.mgmt" port/print >print.out
	grep -q "vde_plug: user=root pid=$(pid_of p1)\$" print.out ||
	    atf_fail "port/print lacks our description: $(grep -i user print.out)"
	kill "$(pid_of p1)"
	wait_for 10 has_data_sockets "$PWD/sw.sw" 0
	no_leftovers "$PWD/sw.sw"
}
ours_into_orig_switch_cleanup() {
	kill_all
}

atf_test_case ours_into_our_switch cleanup
ours_into_our_switch_head() {
	atf_set descr "our vde_plug should carry split, junk, normal and jumbo records through our switch"
	atf_set require.user root
	atf_set timeout 60
}
ours_into_our_switch_body() {
	start_switch sw
	plugpair --a "$VDE_PLUG $PWD/sw.sw" --b "$VDE_PLUG $PWD/sw.sw" \
	    --sizes 60,1514,1518,$JUMBO --split --junk
	bg_plug p1 "$PWD/sw.sw"
	wait_for 10 grep -q "vde_plug: user=root pid=$(pid_of p1)" sw.err
	kill "$(pid_of p1)"
	wait_for 10 has_data_sockets "$PWD/sw.sw" 0
	no_leftovers "$PWD/sw.sw"
}
ours_into_our_switch_cleanup() {
	kill_all
}

atf_test_case orig_plug_into_our_switch cleanup
orig_plug_into_our_switch_head() {
	atf_set descr "Debian's vde_plug should carry normal and jumbo frames through our switch"
	atf_set require.user root
	atf_set timeout 60
}
orig_plug_into_our_switch_body() {
	need_prog "$ORIG_PLUG"
	start_switch sw
	plugpair --a "$ORIG_PLUG $PWD/sw.sw" --b "$ORIG_PLUG $PWD/sw.sw" \
	    --sizes 60,1514,1518,$JUMBO
	plugpair --a "$ORIG_PLUG $PWD/sw.sw" --b "$VDE_PLUG $PWD/sw.sw" \
	    --sizes 60,1514,1518,$JUMBO
	wait_for 10 has_data_sockets "$PWD/sw.sw" 0
}
orig_plug_into_our_switch_cleanup() {
	kill_all
}

atf_test_case plug_ports cleanup
plug_ports_head() {
	atf_set descr "vde_plug should take a port from -p N, --port N, DIR[N] and port 0 from DIR[0], and a pidfile from -p FILE"
	atf_set require.user root
	atf_set timeout 60
}
plug_ports_body() {
	start_switch sw
	bg_plug p5 -p 5 "$PWD/sw.sw"
	bg_plug p6 --port 6 "$PWD/sw.sw"
	bg_plug p7 "$PWD/sw.sw[7]"
	bg_plug p9 -s "$PWD/sw.sw" -p 9
	bg_plug p0 "vde://$PWD/sw.sw[0]"
	bg_plug pf -p "$PWD/plug.pidfile" "$PWD/sw.sw"
	for n in 5 6 7 9 0; do
		wait_for 10 port_socket "$PWD/sw.sw" $n
	done
	wait_for 10 test -s plug.pidfile
	[ "$(cat plug.pidfile)" = "$(pid_of pf)" ] ||
	    atf_fail "pidfile holds $(cat plug.pidfile), not $(pid_of pf)"
	wait_for 10 has_data_sockets "$PWD/sw.sw" 6
	no_leftovers "$PWD/sw.sw"
}
plug_ports_cleanup() {
	kill_all
}

atf_test_case plug_daemon cleanup
plug_daemon_head() {
	atf_set descr "vde_plug -d --pidfile F DIR = cmd should detach, keep its endpoint and clean up when killed"
	atf_set require.user root
	atf_set timeout 60
}
plug_daemon_body() {
	start_switch sw
	atf_check -s exit:0 -o empty -e empty "$VDE_PLUG" -d \
	    --pidfile "$PWD/d.pidfile" "$PWD/sw.sw" = sleep 300
	wait_for 10 test -s d.pidfile
	pid=$(cat d.pidfile)
	echo "$pid" >>created_pids.lst
	kill -0 "$pid" || atf_fail "the daemon is not running"
	wait_for 10 has_data_sockets "$PWD/sw.sw" 1
	kill "$pid"
	wait_for 10 has_data_sockets "$PWD/sw.sw" 0
	wait_for 10 sh -c "! test -e '$PWD/d.pidfile'"
	no_leftovers "$PWD/sw.sw"
}
plug_daemon_cleanup() {
	kill_all
}

atf_test_case plug_exits cleanup
plug_exits_head() {
	atf_set descr "vde_plug should exit on EOF of stdin, when the switch goes away, and with a clear error for refused or bad names"
	atf_set require.user root
	atf_set timeout 60
}
plug_exits_body() {
	start_switch sw -n 4
	atf_check -s exit:0 -o empty -e empty "$VDE_PLUG" "$PWD/sw.sw" </dev/null
	atf_check -s exit:1 -o empty -e match:"tap://" \
	    "$VDE_PLUG" tap://tap0 </dev/null
	atf_check -s exit:1 -o empty -e match:"sw" \
	    "$VDE_PLUG" "$PWD/sw.sw[40]" </dev/null
	atf_check -s exit:1 -o empty -e match:"No such file" \
	    "$VDE_PLUG" "$PWD/nosuch" </dev/null
	bg_plug p1 "$PWD/sw.sw"
	wait_for 10 has_data_sockets "$PWD/sw.sw" 1
	kill "$(pid_of sw)"
	wait_for 10 sh -c "! kill -0 $(pid_of p1) 2>/dev/null"
	no_leftovers "$PWD/sw.sw"

	# Same with Debian's switch.
	need_prog "$ORIG_SWITCH"
	start_orig_switch osw
	bg_plug p2 "$PWD/osw.sw"
	wait_for 10 has_data_sockets "$PWD/osw.sw" 1
	kill "$(pid_of osw)"
	wait_for 10 sh -c "! kill -0 $(pid_of p2) 2>/dev/null"
}
plug_exits_cleanup() {
	kill_all
}

atf_test_case mixed_cable cleanup
mixed_cable_head() {
	atf_set descr "dpipe our_vde_plug = debian_vde_plug should join our switch and Debian's"
	atf_set require.user root
	atf_set timeout 60
}
mixed_cable_body() {
	need_prog "$ORIG_SWITCH" "$ORIG_PLUG"
	start_switch s1
	start_orig_switch s2
	bg cable "$DPIPE" "$VDE_PLUG" "$PWD/s1.sw" = "$ORIG_PLUG" "$PWD/s2.sw"
	plugpair --a "$VDE_PLUG $PWD/s1.sw" --b "$VDE_PLUG $PWD/s2.sw" \
	    --sizes 60,1514,1518
}
mixed_cable_cleanup() {
	kill_all
}

atf_test_case mixed_cable_reverse cleanup
mixed_cable_reverse_head() {
	atf_set descr "Debian's dpipe debian_vde_plug = our_vde_plug should join our switch and Debian's"
	atf_set require.user root
	atf_set timeout 60
}
mixed_cable_reverse_body() {
	need_prog "$ORIG_SWITCH" "$ORIG_PLUG" "$ORIG_DPIPE"
	start_switch s1
	start_orig_switch s2
	bg cable "$ORIG_DPIPE" "$ORIG_PLUG" "$PWD/s1.sw" = "$VDE_PLUG" "$PWD/s2.sw"
	plugpair --a "$ORIG_PLUG $PWD/s1.sw" --b "$VDE_PLUG $PWD/s2.sw" \
	    --sizes 60,1514,1518
}
mixed_cable_reverse_cleanup() {
	kill_all
}

atf_test_case ssh_cable cleanup
ssh_cable_head() {
	atf_set descr "dpipe vde_plug = ssh 127.0.0.1 vde_plug should join two switches through a real sshd, jumbo frames included, and die as a group"
	atf_set require.user root
	atf_set timeout 90
}
ssh_cable_body() {
	start_switch s1
	start_switch s2
	start_sshd
	bg cable "$DPIPE" -p "$PWD/cable.pgrp" "$VDE_PLUG" "$PWD/s1.sw" = \
	    $SSH "$VDE_PLUG" "$PWD/s2.sw"
	plugpair --a "$VDE_PLUG $PWD/s1.sw" --b "$VDE_PLUG $PWD/s2.sw" \
	    --sizes 60,1514,1518,$JUMBO
	wait_for 10 test -s cable.pgrp
	grep -q '^-[0-9][0-9]*$' cable.pgrp ||
	    atf_fail "dpipe pidfile should hold -PGRP: $(cat cable.pgrp)"
	kill -TERM -- "$(cat cable.pgrp)"
	wait_for 15 has_data_sockets "$PWD/s1.sw" 0
	wait_for 15 has_data_sockets "$PWD/s2.sw" 0
	no_leftovers "$PWD/s1.sw"
	no_leftovers "$PWD/s2.sw"
}
ssh_cable_cleanup() {
	[ -s cable.pgrp ] && kill -TERM -- "$(cat cable.pgrp)" 2>/dev/null
	kill_all
}

atf_test_case plug_command_forms cleanup
plug_command_forms_head() {
	atf_set descr "vde_plug DIR = cmd and vde_plug DIR1 DIR2 should each join two switches"
	atf_set require.user root
	atf_set timeout 60
}
plug_command_forms_body() {
	start_switch s1
	start_switch s2
	start_switch s3
	bg c1 "$VDE_PLUG" "$PWD/s1.sw" = "$VDE_PLUG" "$PWD/s2.sw"
	plugpair --a "$VDE_PLUG $PWD/s1.sw" --b "$VDE_PLUG $PWD/s2.sw" \
	    --sizes 60,1514,1518,$JUMBO
	bg c2 "$VDE_PLUG" "$PWD/s2.sw" "$PWD/s3.sw"
	plugpair --a "$VDE_PLUG $PWD/s1.sw" --b "$VDE_PLUG $PWD/s3.sw" \
	    --sizes 60,1514,1518,$JUMBO
}
plug_command_forms_cleanup() {
	kill_all
}

atf_test_case plug_command_sigpipe cleanup
plug_command_sigpipe_head() {
	atf_set descr "the command of vde_plug DIR = cmd should start with SIGPIPE at its default: in (yes | head -n 1), yes dies of SIGPIPE"
	atf_set timeout 30
}
plug_command_sigpipe_body() {
	start_switch s1
	bg c "$VDE_PLUG" "$PWD/s1.sw" = sh -c \
	    '(yes; echo $? >"$0.tmp"; mv "$0.tmp" "$0") | head -n 1 >/dev/null; sleep 30' \
	    "$PWD/status"
	wait_for 10 test -f status
	# 128 + SIGPIPE (13): killed by the signal, not ended by EPIPE.
	atf_check -o inline:'141\n' cat status
}
plug_command_sigpipe_cleanup() {
	kill_all
}

atf_test_case login_shell cleanup
login_shell_head() {
	atf_set descr "vde_plug as a login shell (-c 'vde_plug ARGS') should plug into a switch, also for nobody and with its harmless options and vde://"
	atf_set require.user root
	atf_set timeout 60
}
login_shell_body() {
	need_linux setpriv
	need_prog setpriv
	shell_base
	bg sw "$VDE_SWITCH" --nostdin -s "$base/sw" -m 777
	wait_for 10 test -S "$base/sw/ctl"
	plugpair --a "$VDE_PLUG -c 'vde_plug $base/sw'" \
	    --b "$VDE_PLUG -c '/usr/local/bin/vde_plug -p 4 $base/sw'" \
	    --sizes 60,1514,1518
	plugpair --a "$(as_nobody) $VDE_PLUG -c 'vde_plug -l --port 5 -D cable -m 0700 -g nogroup vde://$base/sw'" \
	    --b "$(as_nobody) $VDE_PLUG -c 'vde_plug -s $base/sw[6]'" \
	    --sizes 60,1514,1518
}
login_shell_cleanup() {
	shell_cleanup
}

# shell_base: a directory in /tmp that nobody can reach and write, for the
# switch and the markers of the login shell tests.
shell_base() {
	shared_dir base vdeshell 1777
}

shell_cleanup() {
	kill_all
}

# as_nobody: the prefix that runs a command as nobody, without groups.
as_nobody() {
	echo "setpriv --reuid nobody --regid nogroup --clear-groups"
}

# shell_refused MARKER COMMAND: nobody's login shell given COMMAND must
# refuse it, say why on stderr, and leave MARKER (a file the command would
# make) uncreated.
shell_refused() {
	_m=$1; shift
	atf_check -s exit:1 -o empty \
	    -e match:"login shell of a VDE cable: .* is refused" \
	    timeout 10 $(as_nobody) "$VDE_PLUG" -c "$1" </dev/null
	[ ! -e "$_m" ] && [ ! -L "$_m" ] ||
	    atf_fail "the login shell ran what it refused: $_m exists"
}

atf_test_case login_shell_refusals cleanup
login_shell_refusals_head() {
	atf_set descr "vde_plug as nobody's login shell should refuse a command after =, a pidfile, -d, a second switch, cables without a switch and other programs, and run none of them"
	atf_set require.user root
	atf_set timeout 120
}
login_shell_refusals_body() {
	need_linux setpriv
	need_prog setpriv timeout
	shell_base
	# A switch nobody may use: only the refusals stop the attacks.
	bg sw "$VDE_SWITCH" --nostdin -s "$base/sw" -m 777
	wait_for 10 test -S "$base/sw/ctl"
	sw=$base/sw
	# The words are split on blanks without quoting, hence ${IFS}.
	shell_refused "$base/m1" "vde_plug $sw = touch $base/m1"
	shell_refused "$base/m2" "vde_plug $sw = sh -c touch\${IFS}$base/m2"
	shell_refused "$base/m3" "vde_plug --pidfile $base/m3 $sw"
	shell_refused "$base/m4" "vde_plug -p $base/m4 $sw"
	shell_refused "$base/m5" "vde_plug -d $sw"
	shell_refused "$base/m6" "vde_plug $base/m6[]"
	shell_refused "$base/m7" "vde_plug -s $sw $base/m7[]"
	shell_refused "$base/m8" "vde_plug $sw = $VDE_PLUG $base/m8[]"
	up=$(( 20000 + $$ % 20000 ))
	shell_refused "$base/m9" "vde_plug udp://$up->127.0.0.1:$((up + 1))"
	shell_refused "$base/m9" "vde_plug $up->127.0.0.1:$((up + 1))"
	shell_refused "$base/m9" "vde_plug ptp://$base/m9"
	shell_refused "$base/m9" "vde_plug $sw $sw"
	shell_refused "$base/m9" "vde_plug --port2 3 $sw"
	# A default switch that is a cable is refused too.
	mkdir -p "$base/home/.vdeplug"
	echo "$base/m10[]" >"$base/home/.vdeplug/default"
	atf_check -s exit:1 -o empty \
	    -e match:"login shell of a VDE cable: .* is refused" \
	    env HOME="$base/home" timeout 10 $(as_nobody) "$VDE_PLUG" \
	    -c vde_plug </dev/null
	[ ! -e "$base/m10" ] || atf_fail "the default cable was opened"
	# Other programs than vde_plug, and an interactive login.
	atf_check -s exit:1 -o empty -e match:"login shell of a VDE cable" \
	    $(as_nobody) "$VDE_PLUG" -c "sh -c touch\${IFS}$base/m11"
	atf_check -s exit:1 -o empty -e match:"login shell of a VDE cable" \
	    $(as_nobody) "$VDE_PLUG" -c "touch $base/m11"
	[ ! -e "$base/m11" ] || atf_fail "another program ran"
	atf_check -s exit:1 -o empty -e match:"login shell of a VDE cable" \
	    $(as_nobody) "$PYTHON_ANYUSER" -c \
	    "import os; os.execv('$VDE_PLUG', ['-vde_plug'])"
	# Nothing stayed connected (a -d plug would have).
	[ -z "$(ls "$sw" | grep -v '^ctl$')" ] ||
	    atf_fail "a refused plug is connected: $(ls "$sw")"
}
login_shell_refusals_cleanup() {
	shell_cleanup
}

atf_test_case legacy_cables
legacy_cables_head() {
	atf_set descr "VDE 2's point-to-point (path[] and path) and UDP cables should carry frames, the UDP one also with vdeplug4's udp://"
	atf_set timeout 60
}
legacy_cables_body() {
	# The male end needs the female's socket: bounded polling for it.
	plugpair --a "$VDE_PLUG '$PWD/cab[]'" \
	    --b "i=0; while [ ! -S '$PWD/cab' ] && [ \$i -lt 200 ]; do sleep 0.05; i=\$((i + 1)); done; exec $VDE_PLUG '$PWD/cab'" \
	    --sizes 60,1514,1518,$JUMBO --split
	[ ! -e cab ] && [ ! -e cab+ ] || atf_fail "cable sockets left: $(ls)"
	up=$(( 20000 + $$ % 20000 ))
	plugpair --a "$VDE_PLUG '$up->[::1]:$((up + 1))'" \
	    --b "$VDE_PLUG '[::1]:$((up + 1))->[::1]:$up'" \
	    --sizes 60,1514,1518,$JUMBO
	need_prog "$ORIG_PLUG"
	plugpair --a "$VDE_PLUG '$((up + 2))->127.0.0.1:$((up + 3))'" \
	    --b "$ORIG_PLUG 'udp://127.0.0.1:$((up + 3))->127.0.0.1:$((up + 2))'" \
	    --sizes 60,1514,1518
}

atf_test_case dpipe_chain
dpipe_chain_head() {
	atf_set descr "dpipe a = b = c should give b its right neighbour on ALTERNATE_STDIN/STDOUT"
	atf_set timeout 30
}
dpipe_chain_body() {
	atf_check -s exit:0 -o empty -e save:chain.err "$DPIPE" \
	    sh -c 'echo fromA; read x; echo "A:$x" >&2' = \
	    sh -c 'read l; echo "toA"; read r <&$ALTERNATE_STDIN; echo "toC" >&$ALTERNATE_STDOUT; echo "B:$l:$r:$ALTERNATE_STDIN:$ALTERNATE_STDOUT" >&2' = \
	    sh -c 'echo fromC; read z; echo "C:$z" >&2'
	grep -qx 'A:toA' chain.err || atf_fail "A: $(cat chain.err)"
	grep -qE '^B:fromA:fromC:[0-9]+:[0-9]+$' chain.err ||
	    atf_fail "B: $(cat chain.err)"
	grep -qx 'C:toC' chain.err || atf_fail "C: $(cat chain.err)"
	# Two stages need no alternate fds.
	atf_check -s exit:0 -o empty -e inline:"unset\n" "$DPIPE" \
	    sh -c 'echo ${ALTERNATE_STDIN:-unset} >&2' = cat
}

atf_test_case dpipe_ring
dpipe_ring_head() {
	atf_set descr "dpipe a =} b }= c should close a one-way ring a->b->c->a, and ={ the other way"
	atf_set timeout 30
}
dpipe_ring_body() {
	atf_check -s exit:0 -o empty -e inline:"ring:x-b-c\n" "$DPIPE" \
	    sh -c 'echo x; read a; echo "ring:$a" >&2' =} \
	    sh -c 'read b; echo "$b-b"' }= sh -c 'read c; echo "$c-c"'
	atf_check -s exit:0 -o empty -e inline:"ring:x-c-b\n" "$DPIPE" \
	    sh -c 'echo x; read a; echo "ring:$a" >&2' {= \
	    sh -c 'read b; echo "$b-b"' ={ sh -c 'read c; echo "$c-c"'
}

atf_test_case dpipe_group cleanup
dpipe_group_head() {
	atf_set descr "dpipe -p should write -PGRP, and killing that group should end every stage"
	atf_set timeout 30
}
dpipe_group_body() {
	bg dp "$DPIPE" -p "$PWD/dp.pgrp" sleep 300 = sleep 301
	wait_for 10 test -s dp.pgrp
	pgrp=$(cat dp.pgrp)
	case $pgrp in
	-[0-9]*) ;;
	*) atf_fail "pidfile holds '$pgrp', not -PGRP" ;;
	esac
	wait_for 10 in_group "${pgrp#-}" 3
	kill -TERM -- "$pgrp"
	wait_for 10 in_group "${pgrp#-}" 0
}
dpipe_group_cleanup() {
	[ -s dp.pgrp ] && kill -KILL -- "$(cat dp.pgrp)" 2>/dev/null
	kill_all
}

atf_test_case dpipe_usage
dpipe_usage_head() {
	atf_set descr "dpipe should refuse a single command, empty commands and mixed separators"
}
dpipe_usage_body() {
	atf_check -s exit:1 -e match:usage "$DPIPE" cat
	atf_check -s exit:1 -e match:usage "$DPIPE" = cat
	atf_check -s exit:1 -e match:usage "$DPIPE" cat =
	atf_check -s exit:1 -e match:usage "$DPIPE" cat = = cat
	atf_check -s exit:1 -e match:usage "$DPIPE" cat = cat =} cat
}

atf_init_test_cases() {
	atf_add_test_case ours_into_orig_switch
	atf_add_test_case ours_into_our_switch
	atf_add_test_case orig_plug_into_our_switch
	atf_add_test_case plug_ports
	atf_add_test_case plug_daemon
	atf_add_test_case plug_exits
	atf_add_test_case mixed_cable
	atf_add_test_case mixed_cable_reverse
	atf_add_test_case ssh_cable
	atf_add_test_case plug_command_forms
	atf_add_test_case plug_command_sigpipe
	atf_add_test_case login_shell
	atf_add_test_case login_shell_refusals
	atf_add_test_case legacy_cables
	atf_add_test_case dpipe_chain
	atf_add_test_case dpipe_ring
	atf_add_test_case dpipe_group
	atf_add_test_case dpipe_usage
}
