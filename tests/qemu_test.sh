#! /usr/bin/env atf-sh
#
# qemu_test: QEMU's -netdev vde on our switch and on Debian's, with
# Debian's libvdeplug and with ours put in its place by LD_LIBRARY_PATH,
# and the ABI of our libvdeplug.so.2 against Debian's.  No guest runs:
# QEMU is proved connected by its endpoint on the switch (port/print shows
# its "QEMU" description) and by frames flooded to its port being
# delivered (OUT counter) without drops, then by a clean teardown.

. "$(atf_get_srcdir)/common.subr"
. "$(atf_get_srcdir)/cable.subr"

QEMU=/usr/bin/qemu-system-x86_64

# debian_lib: the real path of Debian's libvdeplug.so.2.
debian_lib() {
	_l=$(/sbin/ldconfig -p | awk '$1 == "libvdeplug.so.2" { print $NF; exit }')
	[ -n "$_l" ] && readlink -f "$_l"
}

# port3_line PATTERN: whether port/print's block of port 3 has PATTERN.
port3_has() {
	mgmt "$PWD/sw.mgmt" port/print |
	    awk '/^Port /{ p = ($2 == "0003") } p' | grep -q "$1"
}

# port3_out: the OUT packet counter of port 3.
port3_out() {
	mgmt "$PWD/sw.mgmt" port/print |
	    awk '/^Port /{ p = ($2 == "0003") } p && /OUT:/ { print $3; exit }'
}

out_at_least() {
	_n=$(port3_out)
	[ -n "$_n" ] && [ "$_n" -ge "$1" ]
}

# qemu_case LIB SWITCH: LIB is "debian" or "ours", SWITCH "orig" or "ours".
qemu_case() {
	_lib=$1 _sw=$2
	need_prog "$QEMU" /usr/bin/socat
	if [ "$_sw" = orig ]; then
		need_prog "$ORIG_SWITCH"
		start_orig_switch sw -M "$PWD/sw.mgmt"
	else
		start_switch sw -M "$PWD/sw.mgmt"
	fi
	wait_for 10 test -S "$PWD/sw.mgmt"
	set -- env
	if [ "$_lib" = ours ]; then
		set -- "$@" LD_LIBRARY_PATH="$VDE_LIBDIR"
		if [ -n "${VDE_SANITIZED:-}" ]; then
			# An instrumented library needs the sanitizer runtime
			# that QEMU itself does not carry.
			_rt=$(clang -print-file-name=libclang_rt.asan-x86_64.so)
			set -- "$@" LD_PRELOAD="$_rt" \
			    ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0
		fi
	fi
	bg qemu "$@" "$QEMU" -netdev "vde,id=n0,sock=$PWD/sw.sw,port=3" \
	    -device e1000,netdev=n0,mac=52:54:00:12:34:56 -nographic \
	    -nodefaults -display none -m 64
	wait_for 30 port3_has "QEMU user="
	port3_has ACTIVE || atf_fail "port 3 is not active"
	# Our library on our switch: shared-memory rings (issue 18).
	if [ "$_lib" = ours ] && [ "$_sw" = ours ]; then
		port3_has "module ring " ||
		    atf_fail "QEMU with our library is not on rings"
	fi

	# Whose library is QEMU running?
	_maps=/proc/$(pid_of qemu)/maps
	if [ "$_lib" = ours ]; then
		grep -q "$VDE_LIBDIR/libvdeplug.so" "$_maps" ||
		    atf_fail "QEMU did not load our libvdeplug"
	else
		grep -q "$(debian_lib)" "$_maps" ||
		    atf_fail "QEMU did not load Debian's libvdeplug"
	fi

	# Frames flooded by another client are delivered to QEMU's port.
	_before=$(port3_out)
	python3 "$HELPERS/sendframes.py" 20 |
	    "$VDE_PLUG" "$PWD/sw.sw" || atf_fail "flooding plug failed"
	wait_for 10 out_at_least $((${_before:-0} + 20))
	if [ "$_sw" = ours ]; then
		mgmt "$PWD/sw.mgmt" port/print |
		    awk '/^Port /{ p = ($2 == "0003") } p && /DROP:/' |
		    grep -q 'out *0$' || atf_fail "frames to QEMU were dropped"
	fi
	alive qemu || atf_fail "QEMU died: $(cat qemu.err)"

	# Teardown: the endpoint and every socket go, the switch stays.
	kill "$(pid_of qemu)"
	wait_for 20 has_data_sockets "$PWD/sw.sw" 0
	_left=$(client_leftovers "$PWD/sw.sw")
	[ -z "$_left" ] || atf_fail "client sockets left: $_left"
	alive sw || atf_fail "the switch died"
	port3_has "QEMU" && atf_fail "port 3 still shows QEMU after it left"
	true
}

atf_test_case debian_lib_orig_switch cleanup
debian_lib_orig_switch_head() {
	atf_set descr "QEMU with Debian's libvdeplug should join Debian's vde_switch (reference case)"
	atf_set require.user root
	atf_set timeout 90
}
debian_lib_orig_switch_body() {
	qemu_case debian orig
}
debian_lib_orig_switch_cleanup() {
	kill_all
}

atf_test_case debian_lib_our_switch cleanup
debian_lib_our_switch_head() {
	atf_set descr "QEMU with Debian's libvdeplug should join our switch and receive frames"
	atf_set require.user root
	atf_set timeout 90
}
debian_lib_our_switch_body() {
	qemu_case debian ours
}
debian_lib_our_switch_cleanup() {
	kill_all
}

atf_test_case our_lib_orig_switch cleanup
our_lib_orig_switch_head() {
	atf_set descr "QEMU with our libvdeplug (LD_LIBRARY_PATH) should join Debian's vde_switch"
	atf_set require.user root
	atf_set timeout 90
}
our_lib_orig_switch_body() {
	qemu_case ours orig
}
our_lib_orig_switch_cleanup() {
	kill_all
}

atf_test_case our_lib_our_switch cleanup
our_lib_our_switch_head() {
	atf_set descr "QEMU with our libvdeplug (LD_LIBRARY_PATH) should join our switch and receive frames"
	atf_set require.user root
	atf_set timeout 90
}
our_lib_our_switch_body() {
	qemu_case ours ours
}
our_lib_our_switch_cleanup() {
	kill_all
}

atf_test_case abi_matches_debian
abi_matches_debian_head() {
	atf_set descr "our libvdeplug.so.2 should export exactly the functions of Debian's, under the same SONAME"
}
abi_matches_debian_body() {
	need_prog nm objdump
	deb=$(debian_lib)
	[ -n "$deb" ] || vde_skip "Debian's libvdeplug.so.2 is not installed"
	ours=$VDE_LIBDIR/libvdeplug.so.2
	test -f "$ours" || atf_fail "$ours not built"
	nm -D --defined-only "$deb" | awk '$2 == "T" { print $3 }' |
	    sort >deb.syms
	# Everything we export (sanitizer runtimes' hooks aside) must be one
	# of Debian's functions, and every one of them must be there.
	nm -D --defined-only "$ours" | awk '{ print $NF }' |
	    grep -vE '^_*(asan|ubsan|sancov|lsan)|^_(init|fini|edata|end)$|^__bss_start$' |
	    sort >our.syms
	[ -s deb.syms ] || atf_fail "no functions found in $deb"
	diff -u deb.syms our.syms >syms.diff ||
	    atf_fail "exported symbols differ: $(cat syms.diff | tr '\n' ' ')"
	nm -D --defined-only "$ours" | awk '$NF == "vde_open_real" { print $2 }' |
	    grep -qx T || atf_fail "vde_open_real is not an exported function"
	deb_so=$(objdump -p "$deb" | awk '$1 == "SONAME" { print $2 }')
	our_so=$(objdump -p "$ours" | awk '$1 == "SONAME" { print $2 }')
	[ "$our_so" = libvdeplug.so.2 ] || atf_fail "our SONAME is '$our_so'"
	[ "$our_so" = "$deb_so" ] || atf_fail "SONAME $our_so, Debian's $deb_so"
}

atf_init_test_cases() {
	atf_add_test_case debian_lib_orig_switch
	atf_add_test_case debian_lib_our_switch
	atf_add_test_case our_lib_orig_switch
	atf_add_test_case our_lib_our_switch
	atf_add_test_case abi_matches_debian
}
