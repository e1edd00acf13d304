#! /usr/bin/env atf-sh
#
# libperm_test: a root client of libvdeplug (our vde_plug, which links it
# statically) must not let a local user change files through the client's
# data socket (issue 13, item 1, the library's half).  The client names
# its socket DIR/.PPPPP-SSSSS (its pid and a counter from 0), so in a
# switch directory that others may write and that has no sticky bit, a
# symbolic link renamed over that name between bind and the calls that
# set the socket's group and mode used to make root change the link's
# target.  The library now binds only in safe directories and else in a
# private one; these tests attack it, and check that frames still flow and
# that group and mode still reach the socket.

. "$(atf_get_srcdir)/common.subr"
. "$(atf_get_srcdir)/cable.subr"

SYMRACE=$HELPERS/symrace.py
SOCKSTAT=$HELPERS/sockstat.py
PY=$PYTHON_ANYUSER
HANDSHAKES=300

# mkbase: a directory under /tmp that nobody may traverse (the test's
# work directory is closed to other users), and a private TMPDIR for the
# clients so that their private directories can be counted.
mkbase() {
	need_linux setpriv
	need_prog setpriv "$PY"
	shared_dir base vdelib 0755
	mkdir -m 0700 "$base/tmp"
	TMPDIR=$base/tmp
	export TMPDIR
}

rmbase() {
	kill_all
}

# open_dir DIR: whether DIR is writable by all and lacks the sticky bit.
open_dir() {
	case $($STAT_C %a "$1") in
	777|2777) return 0 ;;
	esac
	return 1
}

# nothing_left: no client socket in the switch directory DIR, no private
# directory in TMPDIR.
nothing_left() {
	_left="$(client_leftovers "$1") $(ls -A "$TMPDIR")"
	[ "$_left" = " " ] || atf_fail "left behind: $_left"
}

atf_test_case symlink_race cleanup
symlink_race_head() {
	atf_set descr "a root client connecting $HANDSHAKES times to a switch whose directory is 0777 without the sticky bit should never chown or chmod a root file that nobody keeps renaming symbolic links to over the client's socket names"
	atf_set require.user root
	atf_set timeout 180
}
symlink_race_body() {
	mkbase
	echo "root's own" >"$base/victim"
	chown root:root "$base/victim"
	chmod 0644 "$base/victim"
	bg sw "$VDE_SWITCH" --nostdin -s "$base/sw"
	wait_for 10 test -S "$base/sw/ctl"
	chmod 0777 "$base/sw"
	open_dir "$base/sw" || atf_fail "switch directory: $($STAT_C %a "$base/sw")"

	# A copy the attacker can read wherever this tree is.
	cp "$SYMRACE" "$base/symrace.py"
	bg atk setpriv --reuid nobody --regid nogroup --clear-groups \
	    "$PY" "$base/symrace.py" "$base/sw" "$base/victim" "$base/stop"
	wait_for 10 grep -q ready atk.out

	# A group and a mode, as QEMU's "-netdev vde,group=,mode=" asks:
	# the library then sets both.  Each plug ends at the EOF of stdin,
	# right after its handshake.
	i=0 ok=0
	while [ $i -lt $HANDSHAKES ]; do
		i=$((i + 1))
		timeout 10 "$VDE_PLUG" -g daemon -m 0660 "$base/sw" \
		    </dev/null >/dev/null 2>>plug.err && ok=$((ok + 1))
		[ "$($STAT_C '%U %G %a' "$base/victim")" = "root root 644" ] ||
		    break
	done
	touch "$base/stop"
	wait_for 10 sh -c "test \$(wc -l <atk.out) -ge 2"
	echo "handshakes: $i, succeeded: $ok, names the attacker hit: $(tail -n 1 atk.out)"

	atf_check -o inline:"root root 644\n" $STAT_C '%U %G %a' "$base/victim"
	[ "$ok" -eq "$HANDSHAKES" ] ||
	    atf_fail "only $ok of $HANDSHAKES handshakes succeeded: $(tail -n 3 plug.err)"
	alive sw || atf_fail "the switch died"
	nothing_left "$base/sw"
}
symlink_race_cleanup() {
	rmbase
}

atf_test_case frames_through_open_dir cleanup
frames_through_open_dir_head() {
	atf_set descr "two root clients should exchange frames through Debian's vde_switch -m 777 and through ours in a 0777 directory, with their sockets in private directories that are gone afterwards"
	atf_set require.user root
	atf_set timeout 90
}
frames_through_open_dir_body() {
	need_prog "$ORIG_SWITCH"
	mkdir -m 0700 ptmp
	TMPDIR=$PWD/ptmp
	export TMPDIR
	# Debian's switch makes "-m 777" directories 02777, without sticky.
	start_orig_switch orig -m 777
	open_dir orig.sw || atf_fail "Debian's directory: $($STAT_C %a orig.sw)"
	plugpair --a "$VDE_PLUG $PWD/orig.sw" --b "$VDE_PLUG $PWD/orig.sw" \
	    --sizes 60,1514
	nothing_left orig.sw

	start_switch ours
	chmod 0777 ours.sw
	plugpair --a "$VDE_PLUG $PWD/ours.sw" \
	    --b "$VDE_PLUG -g daemon -m 0660 $PWD/ours.sw" --sizes 60,1514,$JUMBO
	nothing_left ours.sw
}
frames_through_open_dir_cleanup() {
	kill_all
}

# sock_seen DIR ARGS...: run our vde_plug ARGS against a fake switch in
# DIR that reports the client socket it was given; prints the report.
sock_seen() {
	_d=$1; shift
	bg fake "$PY" "$SOCKSTAT" "$_d"
	wait_for 10 test -S "$_d/ctl"
	"$VDE_PLUG" "$@" "$_d" </dev/null >/dev/null 2>&1
	wait "$(pid_of fake)"
	[ -s fake.out ] || atf_fail "the fake switch saw no socket: $(cat fake.err)"
	cat fake.out
}

atf_test_case group_and_mode cleanup
group_and_mode_head() {
	atf_set descr "the client socket should have the requested group and mode in a safe switch directory (0700, or sticky) and in the private 0711 directory used for a 0777 one"
	atf_set require.user root
	atf_set timeout 60
}
group_and_mode_body() {
	mkbase
	mkdir -m 0700 "$base/sw"
	sock_seen "$base/sw" -g daemon -m 0660 >seen
	atf_check -o match:"^$base/sw/\.[0-9]{5,}-00000 660 root daemon 700 root\$" cat seen
	# Without a group or a mode: 0700, the group as bind made it.
	sock_seen "$base/sw" >seen
	atf_check -o match:"^$base/sw/\.[0-9]{5,}-00000 700 root root 700 root\$" cat seen

	chmod 1777 "$base/sw"
	sock_seen "$base/sw" -g daemon -m 0640 >seen
	atf_check -o match:"^$base/sw/\.[0-9]{5,}-00000 640 root daemon 1777 root\$" cat seen

	chmod 0777 "$base/sw"
	sock_seen "$base/sw" -g daemon -m 0660 >seen
	atf_check -o match:"^$TMPDIR/vde\.[A-Za-z0-9]{6}/\.[0-9]{5,}-00000 660 root daemon 711 root\$" cat seen
	nothing_left "$base/sw"
}
group_and_mode_cleanup() {
	rmbase
}

atf_init_test_cases() {
	atf_add_test_case symlink_race
	atf_add_test_case frames_through_open_dir
	atf_add_test_case group_and_mode
}
