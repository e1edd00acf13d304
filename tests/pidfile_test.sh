#! /usr/bin/env atf-sh
#
# pidfile_test: the pid files of vde_plug (--pidfile, -p), vde_plug2tap
# (-P), dpipe (-p, -P) and vde_switch (-p), written by root in directories
# another user can write (issue 13): a symbolic link, a FIFO or a
# directory planted there is refused and left alone, a stale file is
# replaced, a live one is refused, and at exit only our own file is
# removed.

. "$(atf_get_srcdir)/common.subr"

# The tools, each as NAME for with_pidfile and bg_pidfile.
TOOLS="plug plugp plug2tap dpipe dpipeP switch"

# setup_tools: what the tools need: a switch for the plugs, a tap name
# for vde_plug2tap.
setup_tools() {
	need_linux setpriv
	need_prog setpriv timeout
	[ -c /dev/net/tun ] || vde_skip "no /dev/net/tun"
	start_switch sw
	TAP=$(uniq_name pft)
	echo "$TAP" >>created_links.lst
}

# with_pidfile TOOL PF: run TOOL in the foreground with pid file PF; it
# ends by itself (empty input, dpipe runs "true = true"; the switch is
# stopped after 5 s, as only a refusal ends it sooner).
with_pidfile() {
	case $1 in
	plug)	timeout 10 "$VDE_PLUG" --pidfile "$2" "$PWD/sw.sw" ;;
	plugp)	timeout 10 "$VDE_PLUG" -p "$2" "$PWD/sw.sw" ;;
	plug2tap) timeout 10 "$VDE_PLUG2TAP" -P "$2" -s - "$TAP" ;;
	dpipe)	timeout 10 "$DPIPE" -p "$2" true = true ;;
	dpipeP)	timeout 10 "$DPIPE" -P "$2" true = true ;;
	switch)	timeout 5 "$VDE_SWITCH" --nostdin -s "$PWD/sw2.sw" -p "$2" ;;
	esac </dev/null
}

# bg_pidfile TOOL PF: TOOL in the background with pid file PF until it is
# killed, recorded in the ledger; TOOL.pid holds its pid (exec: the
# subshell that runs the case becomes the tool).
bg_pidfile() {
	rm -f "$1.fifo"
	mkfifo "$1.fifo"
	case $1 in
	plug)	exec "$VDE_PLUG" --pidfile "$2" "$PWD/sw.sw" ;;
	plugp)	exec "$VDE_PLUG" -p "$2" "$PWD/sw.sw" ;;
	plug2tap) exec "$VDE_PLUG2TAP" -P "$2" -s - "$TAP" ;;
	dpipe)	exec "$DPIPE" -p "$2" cat = cat ;;
	dpipeP)	exec "$DPIPE" -P "$2" cat = cat ;;
	switch)	exec "$VDE_SWITCH" --nostdin -s "$PWD/sw2.sw" -p "$2" ;;
	esac <>"$1.fifo" >"$1.out" 2>"$1.err" &
	echo $! >"$1.pid"
	echo $! >>created_pids.lst
}

# own_pid TOOL: what TOOL writes into its pid file.
own_pid() {
	case $1 in
	dpipe)	echo "-$(pid_of "$1")" ;;
	*)	pid_of "$1" ;;
	esac
}

# pf_is FILE CONTENT: whether FILE holds CONTENT (one line).
pf_is() {
	[ "$(cat "$1" 2>/dev/null)" = "$2" ]
}

# gone PID: whether process PID has ended (a zombie has).
gone() {
	case $(ps -o stat= -p "$1") in
	Z*|'')	true ;;
	*)	false ;;
	esac
}

# expect_refused TOOL PF REGEX: TOOL must exit 1 at once with REGEX in
# its error message.
expect_refused() {
	with_pidfile "$1" "$2" >"$1.out" 2>"$1.err"
	_rc=$?
	[ "$_rc" -eq 1 ] ||
	    atf_fail "$1 with pidfile $2: exit $_rc, expected 1 (stderr: $(cat "$1.err"))"
	grep -q -- "$3" "$1.err" ||
	    atf_fail "$1 with pidfile $2: no \"$3\" in: $(cat "$1.err")"
}

# pf_dirs: two directories in /tmp that nobody can write: a sticky one like
# /tmp itself (where fs.protected_symlinks may already stop root following
# nobody's links) and one nobody owns (where nothing does).
pf_dirs() {
	shared_dir sticky vdepid 1777
	shared_dir owned vdepid 0755
	chown nobody:nogroup "$owned"
}

as_nobody() {
	setpriv --reuid nobody --regid nogroup --clear-groups "$@"
}

# victim_state: content, owner, group and mode of the victim file.
victim_state() {
	echo "$($STAT_C '%U %G %a %s' victim) $(md5sum <victim)"
}

pf_cleanup() {
	kill_all
}

atf_test_case symlink_refused cleanup
symlink_refused_head() {
	atf_set descr "a symbolic link that nobody planted at a root tool's pidfile path should be refused and left alone, and its root-owned target should keep content, owner and mode"
	atf_set require.user root
	atf_set timeout 120
}
symlink_refused_body() {
	setup_tools
	pf_dirs
	printf 'precious root file\n' >victim
	chmod 0640 victim
	before=$(victim_state)
	for d in "$sticky" "$owned"; do
		for t in $TOOLS; do
			as_nobody ln -s "$PWD/victim" "$d/$t.pid" ||
			    atf_fail "nobody cannot plant a link in $d"
			expect_refused "$t" "$d/$t.pid" \
			    "pidfile $d/$t.pid exists and is a symbolic link: refusing"
			[ "$(victim_state)" = "$before" ] ||
			    atf_fail "$t wrote through $d/$t.pid: $(victim_state) (was $before)"
			[ -L "$d/$t.pid" ] &&
			    [ "$(readlink "$d/$t.pid")" = "$PWD/victim" ] ||
			    atf_fail "$t did not leave the link $d/$t.pid alone"
		done
	done
}
symlink_refused_cleanup() {
	pf_cleanup
}

atf_test_case special_refused cleanup
special_refused_head() {
	atf_set descr "a FIFO or a directory at a tool's pidfile path should be refused at once (no blocking open) and left alone"
	atf_set require.user root
	atf_set timeout 120
}
special_refused_body() {
	setup_tools
	pf_dirs
	for t in $TOOLS; do
		as_nobody mkfifo "$owned/$t.fifo" || atf_fail "mkfifo"
		expect_refused "$t" "$owned/$t.fifo" \
		    "pidfile $owned/$t.fifo exists and is a FIFO: refusing"
		[ -p "$owned/$t.fifo" ] || atf_fail "$t replaced the FIFO"
		as_nobody mkdir "$owned/$t.dir" || atf_fail "mkdir"
		expect_refused "$t" "$owned/$t.dir" \
		    "pidfile $owned/$t.dir exists and is a directory: refusing"
		[ -d "$owned/$t.dir" ] || atf_fail "$t replaced the directory"
	done
}
special_refused_cleanup() {
	pf_cleanup
}

atf_test_case live_refused cleanup
live_refused_head() {
	atf_set descr "a pidfile naming a live process should make each tool refuse to start, with the file unchanged"
	atf_set require.user root
	atf_set timeout 120
}
live_refused_body() {
	setup_tools
	bg holder sleep 120
	for t in $TOOLS; do
		pid_of holder >"$t.pidfile"
		expect_refused "$t" "$PWD/$t.pidfile" \
		    "pidfile $PWD/$t.pidfile: process $(pid_of holder) is running"
		[ "$(cat "$t.pidfile")" = "$(pid_of holder)" ] ||
		    atf_fail "$t changed a live pidfile: $(cat "$t.pidfile")"
	done
}
live_refused_cleanup() {
	pf_cleanup
}

atf_test_case stale_replaced cleanup
stale_replaced_head() {
	atf_set descr "a stale pidfile (a dead pid, junk, an empty file) should be replaced by the tool's own pid and removed at exit"
	atf_set require.user root
	atf_set timeout 120
}
stale_replaced_body() {
	setup_tools
	for t in $TOOLS; do
		for stale in 99999999 junk ''; do
			printf '%s\n' "$stale" >"$t.pidfile"
			bg_pidfile "$t" "$PWD/$t.pidfile"
			wait_for 10 pf_is "$t.pidfile" "$(own_pid "$t")"
			grep -q "replacing stale pidfile" "$t.err" ||
			    atf_fail "$t: no note of the stale file: $(cat "$t.err")"
			kill "$(pid_of "$t")"
			wait_for 10 test ! -e "$t.pidfile"
			wait_for 10 gone "$(pid_of "$t")"
		done
	done
}
stale_replaced_cleanup() {
	pf_cleanup
}

atf_test_case replaced_kept cleanup
replaced_kept_head() {
	atf_set descr "a tool should remove its pidfile at exit only while the name still leads to the file it made"
	atf_set require.user root
	atf_set timeout 120
}
replaced_kept_body() {
	setup_tools
	for t in $TOOLS; do
		bg_pidfile "$t" "$PWD/$t.pidfile"
		wait_for 10 pf_is "$t.pidfile" "$(own_pid "$t")"
		rm "$t.pidfile"
		echo "someone else's" >"$t.pidfile"
		kill "$(pid_of "$t")"
		wait_for 10 gone "$(pid_of "$t")"
		[ "$(cat "$t.pidfile" 2>/dev/null)" = "someone else's" ] ||
		    atf_fail "$t removed a pidfile that was not its own"
	done
}
replaced_kept_cleanup() {
	pf_cleanup
}

atf_init_test_cases() {
	atf_add_test_case symlink_refused
	atf_add_test_case special_refused
	atf_add_test_case live_refused
	atf_add_test_case stale_replaced
	atf_add_test_case replaced_kept
}
