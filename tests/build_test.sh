#! /usr/bin/env atf-sh
#
# build_test: properties of the source tree and of "make install".

. "$(atf_get_srcdir)/common.subr"

atf_test_case no_os_names_outside_os
no_os_names_outside_os_head() {
	atf_set descr "no source outside os/ and compat/ should test for an operating system"
}
no_os_names_outside_os_body() {
	cd "$TOP" || atf_fail "no tree"
	if grep -rniIE --include='*.[ch]' --include='*.sh' '__linux__|__FreeBSD__|__APPLE__|__OpenBSD__|__NetBSD__|linux/|<net/if_tap|TUNSETIFF' \
	    src tests/*.c 2>/dev/null; then
		atf_fail "operating-system names above must move to os/ or compat/"
	fi
}

atf_test_case install_stages_everything
install_stages_everything_head() {
	atf_set descr "make install should stage programs, library, header, pkg-config file and manuals under DESTDIR"
}
install_stages_everything_body() {
	stage=$PWD/stage
	staged_tree
	atf_check -o ignore -e ignore make -C "$TREE" install DESTDIR="$stage" \
	    PREFIX=/usr/local MANDIR=/usr/local/man
	for f in bin/vde_switch bin/vde_plug bin/dpipe bin/vde_plug2tap \
	    bin/vdecmd lib/libvdeplug.so.2 lib/libvdeplug.so lib/libvdeplug.a \
	    include/libvdeplug.h lib/pkgconfig/vdeplug.pc \
	    man/man8/vde_switch.8 man/man1/vde_plug.1 man/man1/dpipe.1 \
	    man/man3/libvdeplug.3 man/man3/vde_open.3; do
		test -e "$stage/usr/local/$f" || atf_fail "not installed: $f"
	done
	grep -q '^libdir=/usr/local/lib' "$stage/usr/local/lib/pkgconfig/vdeplug.pc" ||
	    atf_fail "vdeplug.pc does not name the install libdir"
	atf_check -o ignore -e ignore make -C "$TREE" uninstall DESTDIR="$stage" \
	    PREFIX=/usr/local MANDIR=/usr/local/man
	left=$(find "$stage" -type f -o -type l)
	[ -z "$left" ] || atf_fail "uninstall left: $left"
	# Nothing was written into the tree under test.
	changed=$(find "$TOP" -newer started ! -path "$TOP/.git*" | head -n 5)
	[ -z "$changed" ] ||
	    atf_fail "install wrote into the tree under test: $(echo $changed)"
}

atf_test_case sbindir_honoured
sbindir_honoured_head() {
	atf_set descr "install should put the daemon in SBINDIR and tools in BINDIR"
}
sbindir_honoured_body() {
	stage=$PWD/stage
	staged_tree
	atf_check -o ignore -e ignore make -C "$TREE" install DESTDIR="$stage" \
	    PREFIX=/opt/vde SBINDIR=/opt/vde/sbin BINDIR=/opt/vde/bin \
	    LIBDIR=/opt/vde/lib64
	test -x "$stage/opt/vde/sbin/vde_switch" || atf_fail "vde_switch not in SBINDIR"
	test -x "$stage/opt/vde/bin/vde_plug" || atf_fail "vde_plug not in BINDIR"
	test -e "$stage/opt/vde/lib64/libvdeplug.so.2" || atf_fail "library not in LIBDIR"
}

atf_init_test_cases() {
	atf_add_test_case no_os_names_outside_os
	atf_add_test_case install_stages_everything
	atf_add_test_case sbindir_honoured
}
