#! /usr/bin/env atf-sh
#
# pkg_test: releases and packages (issue 17).  The one version string
# (VERSION) in every program's --version, in vdeplug.pc, debian/changelog
# and the FreeBSD port; a reproducible "make dist"; the FreeBSD port's
# pkg-plist against what "make install" stages; its rc.d script; the
# systemd unit.  None of it needs root.

. "$(atf_get_srcdir)/common.subr"

PORT=$TOP/packaging/freebsd

release() {
	cat "$TOP/VERSION"
}

atf_test_case version_of_every_program
version_of_every_program_head() {
	atf_set descr "every program (PROGS of files.mk) should print 'NAME (vde) VERSION' for --version, and for -v where VDE 2 left it free, and exit 0"
}
version_of_every_program_body() {
	v=$(release)
	progs=$(make -s --no-print-directory -C "$TOP" print-progs) ||
	    atf_fail "make print-progs"
	[ -n "$progs" ] || atf_fail "files.mk lists no programs"
	for p in $progs; do
		n=$(basename "$p")
		atf_check -s exit:0 -o inline:"$n (vde) $v\n" "$TOP/$p" --version
		# wirefilter's -v is VDE 2's: the two switches to join.
		[ "$n" = wirefilter ] && continue
		atf_check -s exit:0 -o inline:"$n (vde) $v\n" "$TOP/$p" -v
	done
}

atf_test_case version_everywhere
version_everywhere_head() {
	atf_set descr "VERSION should be the release of config.h, vdeplug.pc, debian/changelog and the FreeBSD port"
}
version_everywhere_body() {
	v=$(release)
	echo "$v" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' ||
	    atf_fail "VERSION is not N.N.N: $v"
	atf_check -o match:"^#define VDE_VERSION \"$v\"\$" cat "$TOP/config.h"
	# debian/changelog: epoch 1, then the release itself (native).
	atf_check -o inline:"1:$v\n" \
	    sed -n '1s/^vde (\([^)]*\)) .*/\1/p' "$TOP/debian/changelog"
	atf_check -o match:"^DISTVERSION=[[:space:]]*$v\$" cat "$PORT/Makefile"
	staged_tree
	atf_check -o ignore -e ignore make -C "$TREE" install \
	    DESTDIR="$PWD/stage" PREFIX=/usr
	atf_check -o match:"^Version: $v\$" \
	    cat "$PWD/stage/usr/lib/pkgconfig/vdeplug.pc"
}

atf_test_case dist_reproducible cleanup
dist_reproducible_head() {
	atf_set descr "make dist from two checkouts of one commit (other times, other umask) should give the same bytes, sorted, owned by 0, one mtime"
	atf_set require.progs "git gzip"
	atf_set timeout 120
}
dist_reproducible_body() {
	# The checkout the tree under test comes from (CI tests an export of
	# HEAD inside its checkout).
	src=$(git -C "$TOP" rev-parse --show-toplevel 2>/dev/null) ||
	    atf_fail "$TOP is not in a git checkout"
	v=$(release)
	atf_check -o ignore -e ignore git clone -q "$src" a
	# The second checkout: a second later, under another umask.
	sleep 1
	atf_check -o ignore -e ignore sh -c "umask 077 && git clone -q '$src' b"
	# The dist.sh under test, in both (the clones have the committed one).
	cp "$TOP/packaging/dist.sh" a/packaging/dist.sh
	cp "$TOP/packaging/dist.sh" b/packaging/dist.sh
	atf_check -o inline:"vde-$v.tar.gz\n" sh a/packaging/dist.sh "$v"
	atf_check -o inline:"vde-$v.tar.gz\n" sh b/packaging/dist.sh "$v"
	atf_check cmp "a/vde-$v.tar.gz" "b/vde-$v.tar.gz"
	# Entries: sorted, under vde-VERSION/, owner 0/0, one mtime.
	# GNU tar's listing (dist.sh needs GNU tar anyway: gtar on the BSDs).
	tar=tar
	command -v gtar >/dev/null 2>&1 && tar=gtar
	$tar -tzvf "a/vde-$v.tar.gz" >listing || atf_fail "tar -t"
	awk '{ print $6 }' listing >names
	LC_ALL=C sort names >sorted
	atf_check cmp names sorted
	atf_check -s exit:1 grep -v "^vde-$v/" names
	atf_check -o inline:"0/0\n" sh -c "awk '{ print \$2 }' listing | sort -u"
	atf_check -o match:'^1$' sh -c "awk '{ print \$4, \$5 }' listing | sort -u | wc -l"
	# Every tracked file is in it, and nothing else.
	git -C a ls-files | sed "s,^,vde-$v/," | LC_ALL=C sort >tracked
	atf_check cmp sorted tracked
}
dist_reproducible_cleanup() {
	rm -rf a b
}

atf_test_case freebsd_plist_matches_install
freebsd_plist_matches_install_head() {
	atf_set descr "the FreeBSD port's pkg-plist should list exactly what make install stages with the port's settings (manuals compressed by the ports framework)"
}
freebsd_plist_matches_install_body() {
	staged_tree
	# The port's CONFIGURE_ENV, as make variables.
	atf_check -o ignore -e ignore make -C "$TREE" install \
	    DESTDIR="$PWD/stage" PREFIX=/usr/local \
	    MANDIR=/usr/local/share/man \
	    PKGCONFIGDIR=/usr/local/libdata/pkgconfig
	(cd stage/usr/local && find . ! -type d) | sed 's,^\./,,' |
	    sed '/^share\/man\//s/$/.gz/' | LC_ALL=C sort >staged
	[ -s staged ] || atf_fail "make install staged nothing"
	# Outside PREFIX nothing may be staged.
	outside=$(cd stage && find . ! -type d ! -path './usr/local/*')
	[ -z "$outside" ] || atf_fail "staged outside PREFIX: $outside"
	# pkg-plist without keywords (@...) and with %%...%% taken as-is.
	grep -v '^@' "$PORT/pkg-plist" | grep -v '^$' | LC_ALL=C sort >plist
	if ! diff -u plist staged >plist.diff; then
		cat plist.diff
		atf_fail "pkg-plist (-) and make install (+) differ: see the diff above"
	fi
}

atf_test_case freebsd_rcd_script
freebsd_rcd_script_head() {
	atf_set descr "the rc.d script should pass sh -n and, under a stand-in rc.subr, start one switch per profile with its own flags"
}
freebsd_rcd_script_body() {
	rc=$PORT/files/vde_switch.in
	atf_check sh -n "$rc"
	for v in vde_switch_enable vde_switch_flags vde_switch_profiles; do
		grep -q "^# $v " "$rc" || atf_fail "$v is not documented"
	done
	# A stand-in for FreeBSD's /etc/rc.subr: load_rc_config reads
	# ./rc.conf, run_rc_command prints what rc.subr would run.
	cat >rc.subr <<'EOS'
load_rc_config() { . ./rc.conf; }
checkyesno() {
	eval _v=\$$1
	case $_v in [Yy][Ee][Ss]) return 0 ;; *) return 1 ;; esac
}
run_rc_command() {
	checkyesno "$rcvar" || { echo "disabled $profile"; return 0; }
	eval _flags=\$${name}_flags
	echo "$1: $command $_flags $command_args"
}
EOS
	sed -e "s,/etc/rc.subr,$PWD/rc.subr," -e "s,%%PREFIX%%,/usr/local," \
	    "$rc" >vde_switch
	chmod +x vde_switch
	cat >rc.conf <<'EOS'
vde_switch_enable=YES
vde_switch_flags="-n 8"
vde_switch_profiles="lan dmz off"
vde_switch_dmz_flags="-n 16 -t tap3"
vde_switch_off_enable=NO
EOS
	atf_check -o save:out ./vde_switch start
	atf_check -o match:"^start: /usr/local/bin/vde_switch -n 8 --daemon -p /var/run/vde2/lan.pid -s /var/run/vde2/lan/ctl -M /var/run/vde2/lan/mgmt\$" cat out
	atf_check -o match:"^start: /usr/local/bin/vde_switch -n 16 -t tap3 --daemon -p /var/run/vde2/dmz.pid -s /var/run/vde2/dmz/ctl -M /var/run/vde2/dmz/mgmt\$" cat out
	atf_check -o match:"^disabled off\$" cat out
	# Without profiles: one switch named vde.
	printf 'vde_switch_enable=YES\n' >rc.conf
	atf_check -o match:"^status: /usr/local/bin/vde_switch +--daemon -p /var/run/vde2/vde.pid -s /var/run/vde2/vde/ctl -M /var/run/vde2/vde/mgmt\$" \
	    ./vde_switch status
}

atf_test_case systemd_unit
systemd_unit_head() {
	atf_set descr "vde_switch@.service should pass systemd-analyze verify and run the switch in the foreground without a stdin console, under /run/vde2/NAME"
	atf_set require.progs "systemd-analyze"
}
systemd_unit_body() {
	unit=$TOP/packaging/systemd/vde_switch@.service
	# verify wants an instance; the man page may not be installed here.
	cp "$unit" vde_switch@sw0.service
	atf_check -s exit:0 -o empty -e empty \
	    systemd-analyze verify --man=no ./vde_switch@sw0.service
	for want in '^ExecStart=/usr/bin/vde_switch --nostdin -s /run/vde2/%i/ctl -M /run/vde2/%i/mgmt \$OPTIONS$' \
	    '^RuntimeDirectory=vde2/%i$' '^EnvironmentFile=-/etc/vde2/%i.conf$' \
	    '^Restart=on-failure$' '^NoNewPrivileges=yes$' \
	    '^ProtectSystem=strict$' '^PrivateTmp=yes$'; do
		grep -q "$want" "$unit" || atf_fail "the unit lacks $want"
	done
	# No CAP_NET_ADMIN unless the administrator adds it for taps.
	atf_check -s exit:1 grep '^CapabilityBoundingSet=.*CAP_NET_ADMIN' "$unit"
}

atf_init_test_cases() {
	atf_add_test_case version_of_every_program
	atf_add_test_case version_everywhere
	atf_add_test_case dist_reproducible
	atf_add_test_case freebsd_plist_matches_install
	atf_add_test_case freebsd_rcd_script
	atf_add_test_case systemd_unit
}
