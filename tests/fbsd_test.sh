#! /usr/bin/env atf-sh
#
# fbsd_test: the switch's handling of what FreeBSD answers differently
# from Linux (issue 19), shown on Linux through tests/helpers/fakeos.so, an
# LD_PRELOAD library that gives FreeBSD's answers: EPERM for a setgid
# directory of another group, ENOBUFS from a datagram socket that poll()
# still calls writable, EMSGSIZE for a datagram larger than the send
# buffer.  The library interposes glibc's calls: Linux only.

. "$(atf_get_srcdir)/common.subr"

FAKEOS=$HELPERS/fakeos.so

# fake_switch NAME VAR=VALUE...: our switch under fakeos.so, with the
# given FAKEOS_ variables; waits until it listens or has exited.
fake_switch() {
	_n=$1; shift
	bg "$_n" env LD_PRELOAD="$FAKEOS" "$@" "$VDE_SWITCH" --nostdin \
	    -s "$PWD/$_n.sw"
	wait_for 10 sh -c "test -S '$PWD/$_n.sw/ctl' || ! kill -0 $(pid_of "$_n")"
}

atf_test_case setgid_eperm cleanup
setgid_eperm_head() {
	atf_set "descr" "The switch directory gets its mode without the" \
	    "setgid bit when the system refuses it with EPERM (FreeBSD," \
	    "a directory of another group), instead of exiting"
}
setgid_eperm_body() {
	need_linux "fakeos.so interposes glibc"
	# The library does refuse the bit, as FreeBSD does.
	mkdir d
	atf_check -s not-exit:0 -e match:"Operation not permitted" \
	    env LD_PRELOAD="$FAKEOS" FAKEOS_SETGID_EPERM=1 chmod 2700 d
	fake_switch sw FAKEOS_SETGID_EPERM=1
	atf_check -s exit:0 test -S "$PWD/sw.sw/ctl"
	atf_check -o inline:"700\n" -e empty \
	    python3 -c 'import os, stat, sys
print("%o" % stat.S_IMODE(os.stat(sys.argv[1]).st_mode))' "$PWD/sw.sw"
	atf_check -o inline:"ok\n" -e ignore \
	    python3 "$HELPERS/vdepeer.py" learn "$PWD/sw.sw"
}
setgid_eperm_cleanup() {
	. "$(atf_get_srcdir)/common.subr"
	kill_all
}

atf_test_case enobufs_backoff cleanup
enobufs_backoff_head() {
	atf_set "descr" "After ENOBUFS from a cable whose socket poll() calls" \
	    "writable (FreeBSD), the switch retries from a timer with" \
	    "backoff instead of spinning, and delivers the queued frames"
}
enobufs_backoff_body() {
	need_linux "fakeos.so interposes glibc"
	fake_switch sw FAKEOS_ENOBUFS="$PWD/stall" FAKEOS_COUNT="$PWD/count"
	atf_check -o inline:"ok\n" -e ignore python3 "$HELPERS/vdepeer.py" \
	    stall "$PWD/sw.sw" "$PWD/stall" "$PWD/count"
	atf_check -s exit:0 kill -0 "$(pid_of sw)"
}
enobufs_backoff_cleanup() {
	. "$(atf_get_srcdir)/common.subr"
	kill_all
}

atf_test_case emsgsize_batch cleanup
emsgsize_batch_head() {
	atf_set "descr" "A frame larger than a cable's socket takes" \
	    "(EMSGSIZE: FreeBSD's net.local.dgram.maxdgram) loses only" \
	    "itself, not the frames batched after it"
}
emsgsize_batch_body() {
	need_linux "fakeos.so interposes glibc"
	# Linux's smallest send buffer (about 4.5 KiB) refuses 6000 bytes.
	fake_switch sw FAKEOS_SNDBUF=1
	atf_check -o inline:"ok\n" -e ignore python3 "$HELPERS/vdepeer.py" \
	    bigbatch "$PWD/sw.sw" "$(pid_of sw)" 6000
	atf_check -s exit:0 kill -0 "$(pid_of sw)"
}
emsgsize_batch_cleanup() {
	. "$(atf_get_srcdir)/common.subr"
	kill_all
}

atf_init_test_cases() {
	atf_add_test_case setgid_eperm
	atf_add_test_case enobufs_backoff
	atf_add_test_case emsgsize_batch
}
