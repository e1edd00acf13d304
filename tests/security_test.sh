#! /usr/bin/env atf-sh
#
# security_test: a root switch attacked by an unprivileged local user
# (nobody), as issue 13 describes the attacks.  Each case runs the attack
# with the real switch for a bounded number of rounds and then checks that
# nothing it must protect changed.  The attacks are in helpers/attack.py.

. "$(atf_get_srcdir)/common.subr"

ATTACK=$HELPERS/attack.py
# The attacker's Python must be one that nobody can run (not a shim in
# root's home): the system's.
PY=$PYTHON_ANYUSER

# setup: a base directory like /tmp (sticky, writable by all) holding a
# root-only victim file, and the attacker's identity.
setup() {
	need_linux setpriv
	need_prog setpriv "$PY"
	id nobody >/dev/null 2>&1 || vde_skip "no user nobody"
	shared_dir base vdesec 1777
	printf 'root secret\n' >"$base/victim"
	chmod 0644 "$base/victim"
}

cleanup_all() {
	kill_all
}

# as_nobody CMD...: run CMD as nobody, without any group of root's.
as_nobody() {
	setpriv --reuid nobody --regid nogroup --clear-groups "$@"
}

# victim_intact: the victim file keeps root's owner, its mode and content.
victim_intact() {
	atf_check -o inline:"644 root root\n" $STAT_C '%a %U %G' "$base/victim"
	atf_check -o inline:"root secret\n" cat "$base/victim"
}

# handshakes FILE: the attack's count of accepted handshakes, which must
# be positive (else the attack did not run and the case proves nothing).
handshakes() {
	n=$(sed -n 's/^handshakes //p' "$1")
	[ -n "$n" ] && [ "$n" -gt 0 ] || atf_fail "the attack got no port: $(cat "$1")"
	echo "$n"
}

atf_test_case data_socket_chown_race cleanup
data_socket_chown_race_head() {
	atf_set descr "symlinks renamed over the data socket names of a root -m 777 switch should never make it chown or chmod their target"
	atf_set require.user root
	atf_set timeout 120
}
data_socket_chown_race_body() {
	setup
	start_switch_at "$base/sw" -m 777
	as_nobody "$PY" "$ATTACK" chownrace "$base/sw" "$base/victim" 600 20 \
	    >attack.out 2>attack.err || atf_fail "attack: $(cat attack.err)"
	echo "$(handshakes attack.out) handshakes"
	victim_intact
	alive sw || atf_fail "the switch died"
	# Directory shared by all: the sticky bit keeps entries to their owners.
	atf_check -o inline:"3777 root\n" $STAT_C '%a %U' "$base/sw"
}
data_socket_chown_race_cleanup() {
	cleanup_all
}

atf_test_case client_socket_connect_race cleanup
client_socket_connect_race_head() {
	atf_set descr "a client socket path flipped by a symlink between the client's socket and a root-only socket should never let frames reach the root-only socket"
	atf_set require.user root
	atf_set timeout 120
}
client_socket_connect_race_body() {
	setup
	mkdir -m 0700 "$base/rootonly"
	bg sink "$PY" "$ATTACK" sink "$base/rootonly/sock" "$PWD/stop" 60
	wait_for 10 grep -q ready sink.out
	start_switch_at "$base/sw" -m 777
	as_nobody mkdir "$base/att"
	as_nobody "$PY" "$ATTACK" connectrace "$base/sw" "$base/att" \
	    "$base/rootonly/sock" 3000 12 >attack.out 2>attack.err ||
	    atf_fail "attack: $(cat attack.err)"
	echo "$(handshakes attack.out) handshakes"
	touch stop
	wait_for 10 grep -q received sink.out
	atf_check -o inline:"received 0\n" grep received sink.out
	alive sw || atf_fail "the switch died"
}
client_socket_connect_race_cleanup() {
	cleanup_all
}

atf_test_case foreign_directory_refused cleanup
foreign_directory_refused_head() {
	atf_set descr "a root switch should refuse a directory another user made, a directory others may write without the sticky bit, and one whose parent others may change"
	atf_set require.user root
	atf_set timeout 60
}
foreign_directory_refused_body() {
	setup
	# Made beforehand by nobody: its owner could replace ctl later.
	as_nobody mkdir -m 0755 "$base/foo"
	atf_check -s exit:1 -o empty \
	    -e match:"switch directory $base/foo belongs to uid $(id -u nobody), not to the switch's user" \
	    timeout 10 "$VDE_SWITCH" --nostdin -s "$base/foo"
	atf_check -o inline:"755 nobody\n" $STAT_C '%a %U' "$base/foo"
	atf_check -o empty ls -A "$base/foo"

	# Root's own, but writable by all without the sticky bit.
	mkdir "$base/open"
	chmod 0777 "$base/open"
	atf_check -s exit:1 -o empty \
	    -e match:"switch directory $base/open is writable by others and has no sticky bit" \
	    timeout 10 "$VDE_SWITCH" --nostdin -s "$base/open"
	atf_check -o empty ls -A "$base/open"

	# A new directory in that one: others could rename it away.
	atf_check -s exit:1 -o empty \
	    -e match:"switch directory $base/open/sw: its parent $base/open can be changed by other users" \
	    timeout 10 "$VDE_SWITCH" --nostdin -s "$base/open/sw"

	# The switch's own, private or sticky: accepted.
	mkdir -m 0700 "$base/mine"
	start_switch_at "$base/mine" -m 777
	atf_check -o inline:"3777\n" $STAT_C '%a' "$base/mine"
}
foreign_directory_refused_cleanup() {
	cleanup_all
}

atf_test_case client_path_looked_at_as_client cleanup
client_path_looked_at_as_client_head() {
	atf_set descr "a root switch should look at the path a client names with the client's credentials, so that a client learns nothing about a directory it cannot search"
	atf_set require.user root
	atf_set timeout 60
}
client_path_looked_at_as_client_body() {
	setup
	mkdir -m 0700 "$base/rootonly"
	bg sink "$PY" "$ATTACK" sink "$base/rootonly/sock" "$PWD/stop" 30
	wait_for 10 grep -q ready sink.out
	start_switch_at "$base/sw" -m 777
	atf_check -o inline:"refused\n" \
	    setpriv --reuid nobody --regid nogroup --clear-groups \
	    "$PY" "$ATTACK" probe "$base/sw" "$base/rootonly/sock"
	# Seen as nobody: the directory cannot be searched.  Seen as root
	# (the old way), the log said whose socket it is.
	wait_for 10 grep -q "client socket $base/rootonly/sock: Permission denied" sw.err
	atf_check -s exit:1 grep "belongs to uid" sw.err
	# The same path named by root (the sink's owner) is taken.
	atf_check -o inline:"accepted\n" \
	    "$PY" "$ATTACK" probe "$base/sw" "$base/rootonly/sock"
	touch stop
	alive sw || atf_fail "the switch died"
}
client_path_looked_at_as_client_cleanup() {
	cleanup_all
}

atf_test_case idle_connections_do_not_lock_out cleanup
idle_connections_do_not_lock_out_head() {
	atf_set descr "300 idle control connections held by nobody should not keep another user's client, or root's, from getting a port"
	atf_set require.user root
	atf_set timeout 90
}
idle_connections_do_not_lock_out_body() {
	setup
	id daemon >/dev/null 2>&1 || vde_skip "no user daemon"
	start_switch_at "$base/sw" -m 777
	bg hold setpriv --reuid nobody --regid nogroup --clear-groups \
	    "$PY" "$ATTACK" hold "$base/sw" 300 "$PWD/stop" 60
	wait_for 20 grep -q opened hold.out
	# While they are held (well inside the 10 s handshake timeout): two
	# cables of another user, then two of root, exchange frames.
	atf_check -o inline:"ok\n" -e ignore \
	    setpriv --reuid daemon --regid daemon --clear-groups \
	    "$PY" "$HELPERS/vdepeer.py" learn "$base/sw"
	atf_check -o inline:"ok\n" -e ignore \
	    "$PY" "$HELPERS/vdepeer.py" learn "$base/sw"
	touch stop
	wait_for 20 grep -q closed hold.out
	# All but --user-handshakes (8) were closed at once.
	closed=$(sed -n 's/^closed //p' hold.out)
	[ "$closed" -ge 292 ] || atf_fail "only $closed of 300 idle connections were closed"
	grep -q "too many unfinished handshakes of this user" sw.err ||
	    atf_fail "no log line for the refused connections"
}
idle_connections_do_not_lock_out_cleanup() {
	cleanup_all
}

atf_test_case user_handshakes_option cleanup
user_handshakes_option_head() {
	atf_set descr "--user-handshakes N should let a user hold at most N unfinished handshakes"
	atf_set require.user root
	atf_set timeout 60
}
user_handshakes_option_body() {
	setup
	start_switch_at "$base/sw" -m 777 --user-handshakes 2
	bg hold setpriv --reuid nobody --regid nogroup --clear-groups \
	    "$PY" "$ATTACK" hold "$base/sw" 20 "$PWD/stop" 30
	wait_for 20 grep -q opened hold.out
	# Give the switch the time to see every connection: poll its log.
	wait_for 10 grep -q "refused" sw.err
	touch stop
	wait_for 20 grep -q closed hold.out
	atf_check -o inline:"closed 18\n" grep closed hold.out
}
user_handshakes_option_cleanup() {
	cleanup_all
}

atf_test_case no_peer_credentials cleanup
no_peer_credentials_head() {
	atf_set descr "a root switch built for a system that does not tell who a client is (OS=none without getpeereid) should accept only root's own sockets"
	atf_set require.user root
	atf_set timeout 300
}
no_peer_credentials_body() {
	setup
	need_prog make cc
	# The switch built the way OpenBSD or macOS without getpeereid would
	# build it: no peer-credential call at all.
	mkdir src
	for f in configure Makefile files.mk VERSION; do cp "$TOP/$f" src/; done
	cp -R "$TOP/compat" "$TOP/os" "$TOP/src" src/
	(cd src && make clean >/dev/null 2>&1; OS=none LIBBSD=no ./configure &&
	    make src/switch/vde_switch) >build.log 2>&1 ||
	    atf_fail "OS=none build: $(tail -n 20 build.log)"
	grep -q 'define HAVE_GETPEEREID 0' src/config.h ||
	    atf_fail "this build has getpeereid; the case would test nothing"
	bg sw src/src/switch/vde_switch --nostdin -s "$base/sw" -m 777
	wait_for 10 test -S "$base/sw/ctl"
	# nobody's own socket: the switch cannot tell that nobody asks.
	atf_check -s not-exit:0 -o ignore -e match:"cannot connect" \
	    setpriv --reuid nobody --regid nogroup --clear-groups \
	    "$VDE_PLUG" "$base/sw" </dev/null
	wait_for 5 grep -q "does not say who the client is" sw.err
	grep -q "belongs to uid $(id -u nobody) and the system does not say who the client is: refused" sw.err ||
	    atf_fail "no refusal logged: $(cat sw.err)"
	# Root's own: accepted, frames flow.
	atf_check -o inline:"ok\n" -e ignore \
	    "$PY" "$HELPERS/vdepeer.py" learn "$base/sw"
}
no_peer_credentials_cleanup() {
	cleanup_all
}

atf_test_case unprivileged_switch_with_taps cleanup
unprivileged_switch_with_taps_head() {
	atf_set descr "a switch run as nobody should use taps made for nobody beforehand (ip tuntap ... user nobody) and carry a ping between two namespaces"
	atf_set require.user root
	atf_set timeout 60
}
unprivileged_switch_with_taps_body() {
	setup
	need_prog ip ping
	# Stock Debian lets every user open /dev/net/tun (the kernel checks
	# the tap's owner); some containers do not: do as Debian does, for
	# the length of the case.
	$STAT_C %a /dev/net/tun >tun.mode || atf_fail "no /dev/net/tun"
	chmod 0666 /dev/net/tun
	NS1=$(uniq_name vdu1) NS2=$(uniq_name vdu2)
	T1=$(uniq_name vdut) T2=$(uniq_name vduu)
	for t in "$T1" "$T2"; do
		ip tuntap add "$t" mode tap user nobody || atf_fail "tuntap $t"
		echo "$t" >>created_links.lst
	done
	netns "$NS1"
	netns "$NS2"
	as_nobody mkdir -m 0700 "$base/nb"
	bg sw setpriv --reuid nobody --regid nogroup --clear-groups \
	    "$VDE_SWITCH" --nostdin -s "$base/nb/sw" -M "$base/nb/mgmt" \
	    -t "$T1,$T2"
	wait_for 10 test -S "$base/nb/mgmt"
	atf_check -o inline:"nobody\n" $STAT_C %U "$base/nb/sw/ctl"
	ip link set "$T1" netns "$NS1" || atf_fail "move $T1"
	ip link set "$T2" netns "$NS2" || atf_fail "move $T2"
	ip -n "$NS1" addr add 10.77.91.1/24 dev "$T1"
	ip -n "$NS2" addr add 10.77.91.2/24 dev "$T2"
	ip -n "$NS1" link set "$T1" up
	ip -n "$NS2" link set "$T2" up
	atf_check -s exit:0 -o ignore ip netns exec "$NS1" \
	    ping -c 3 -i 0.2 -W 2 10.77.91.2
	# A tap it was not given is refused to an unprivileged switch.
	atf_check -s exit:1 -o empty -e match:"cannot open tap" \
	    timeout 10 setpriv --reuid nobody --regid nogroup --clear-groups \
	    "$VDE_SWITCH" --nostdin -s "$base/nb/sw2" -t "$(uniq_name vdux)"
}
unprivileged_switch_with_taps_cleanup() {
	[ -f tun.mode ] && chmod "$(cat tun.mode)" /dev/net/tun
	kill_all
	cleanup_all
}

# start_switch_at DIR [ARGS...]: our switch as root on DIR, its output in
# sw.out and sw.err; waits for its ctl socket.
start_switch_at() {
	_d=$1; shift
	bg sw "$VDE_SWITCH" --nostdin -s "$_d" "$@"
	wait_for 10 test -S "$_d/ctl"
}

atf_init_test_cases() {
	atf_add_test_case data_socket_chown_race
	atf_add_test_case client_socket_connect_race
	atf_add_test_case foreign_directory_refused
	atf_add_test_case client_path_looked_at_as_client
	atf_add_test_case idle_connections_do_not_lock_out
	atf_add_test_case user_handshakes_option
	atf_add_test_case no_peer_credentials
	atf_add_test_case unprivileged_switch_with_taps
}
