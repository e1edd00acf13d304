#! /usr/bin/env atf-sh
#
# perm_test: a root switch shared by the members of a group (spec 1.4,
# 1.7, 15.9): other users in the group get ports, their data sockets belong
# to them, and users outside the group cannot connect at all.

. "$(atf_get_srcdir)/common.subr"

# mkusers: a group, a member of it and an outsider, recorded for cleanup.
mkusers() {
	need_linux "setpriv, useradd"
	need_prog setpriv useradd groupadd
	tag=$(( $$ % 100000 ))
	grp=vdeg$tag
	member=vdem$tag
	outsider=vdeo$tag
	groupadd "$grp" || atf_fail "groupadd"
	echo "$grp" >created_groups.lst
	useradd -M -N -g nogroup -G "$grp" -s /bin/sh "$member" || atf_fail "useradd"
	echo "$member" >created_users.lst
	useradd -M -N -g nogroup -s /bin/sh "$outsider" || atf_fail "useradd"
	echo "$outsider" >>created_users.lst
	# The switch directory must be reachable by the other users.
	shared_dir base vdeperm 0755
}

rmusers() {
	kill_all
	[ -f created_users.lst ] && while read -r u; do userdel "$u" 2>/dev/null; done <created_users.lst
	[ -f created_groups.lst ] && while read -r g; do groupdel "$g" 2>/dev/null; done <created_groups.lst
	true
}

# count_eps: the number of endpoint lines in port/print.
count_eps() {
	"$VDECMD" -s "$base/mgmt" port/print | grep -c 'endpoint ID'
}

atf_test_case group_members_share_a_root_switch cleanup
group_members_share_a_root_switch_head() {
	atf_set descr "a root switch with -mod 660 -group G should give ports to members of G, with data sockets owned by them, and exchange frames with them"
	atf_set require.user root
	atf_set timeout 60
}
group_members_share_a_root_switch_body() {
	mkusers
	bg sw "$VDE_SWITCH" --nostdin -s "$base/sw" -mod 660 -group "$grp" -M "$base/mgmt"
	wait_for 10 test -S "$base/mgmt"

	# Directory and ctl as -mod 660 -group G derive them (spec 1.7).
	atf_check -o inline:"3770 root $grp\n" $STAT_C '%a %U %G' "$base/sw"
	atf_check -o inline:"660 root $grp\n" $STAT_C '%a %U %G' "$base/sw/ctl"

	# A member's plug, our own, exchanging frames with root's plug.
	atf_check -o inline:"ok\n" -e ignore python3 "$HELPERS/plugpair.py" --sizes 60,1514 \
	    --a "setpriv --reuid $member --regid nogroup --init-groups $VDE_PLUG $base/sw" \
	    --b "$VDE_PLUG $base/sw"

	# While a member's plug is connected: its port's user is the member,
	# and its switch-side data socket belongs to the member and the group
	# with mode 660 & 0700.
	mkfifo hold
	bg memberplug sh -c "exec setpriv --reuid $member --regid nogroup --init-groups $VDE_PLUG $base/sw[7] <hold >/dev/null"
	exec 3>hold
	wait_for 10 sh -c "'$VDECMD' -s '$base/mgmt' port/print 7 | grep -q 'Current User: $member'"
	sock=$(ls "$base/sw" | grep '^007\.')
	[ -n "$sock" ] || atf_fail "no data socket for port 7"
	atf_check -o inline:"600 $member $grp\n" $STAT_C '%a %U %G' "$base/sw/$sock"

	# Debian's vde_plug (vdeplug4) as a member works the same way.
	atf_check -o inline:"ok\n" -e ignore python3 "$HELPERS/plugpair.py" --sizes 60 \
	    --a "setpriv --reuid $member --regid nogroup --init-groups $ORIG_PLUG $base/sw" \
	    --b "$VDE_PLUG $base/sw"
	exec 3>&-
}
group_members_share_a_root_switch_cleanup() {
	rmusers
}

atf_test_case outsiders_cannot_connect cleanup
outsiders_cannot_connect_head() {
	atf_set descr "a user outside the switch's group should not get a port, and the switch should go on serving the members"
	atf_set require.user root
	atf_set timeout 60
}
outsiders_cannot_connect_body() {
	mkusers
	bg sw "$VDE_SWITCH" --nostdin -s "$base/sw" -mod 660 -group "$grp" -M "$base/mgmt"
	wait_for 10 test -S "$base/mgmt"
	# The ctl socket (mode 660) refuses the outsider.  (atf_check runs a
	# program, not a shell function: setpriv, not as.)
	as_out="setpriv --reuid $outsider --regid nogroup --init-groups"
	atf_check -s not-exit:0 -o ignore \
	    -e match:"cannot connect to the switch $base/sw: Permission denied" \
	    $as_out "$VDE_PLUG" "$base/sw" </dev/null
	atf_check -s not-exit:0 -o ignore \
	    -e match:"vde_open $base/sw: Permission denied" \
	    $as_out "$ORIG_PLUG" "$base/sw" </dev/null
	n=$(count_eps 2>/dev/null)
	[ "$n" = 0 ] || atf_fail "an outsider got a port: $n endpoints"
	atf_check -o inline:"ok\n" -e ignore python3 "$HELPERS/plugpair.py" --sizes 60 \
	    --a "setpriv --reuid $member --regid nogroup --init-groups $VDE_PLUG $base/sw" \
	    --b "$VDE_PLUG $base/sw"
}
outsiders_cannot_connect_cleanup() {
	rmusers
}

atf_test_case port_acl cleanup
port_acl_head() {
	atf_set descr "port/setuser should keep other users off a port, and an active port should refuse a second user's cable"
	atf_set require.user root
	atf_set timeout 60
}
port_acl_body() {
	mkusers
	useradd -M -N -g nogroup -G "$grp" -s /bin/sh "${member}b" || atf_fail "useradd"
	echo "${member}b" >>created_users.lst
	bg sw "$VDE_SWITCH" --nostdin -s "$base/sw" -mod 660 -group "$grp" -M "$base/mgmt"
	wait_for 10 test -S "$base/mgmt"
	atf_check -o ignore "$VDECMD" -s "$base/mgmt" -c "port/create 5" -c "port/setuser 5 $member"
	# The other member may not take port 5 ...
	# (atf_check runs a program, not a shell function: setpriv, not as.)
	as_b="setpriv --reuid ${member}b --regid nogroup --init-groups"
	refused="cannot connect to the switch .*sw\\[5\\]: Connection refused"
	atf_check -s not-exit:0 -o ignore -e match:"$refused" \
	    $as_b "$VDE_PLUG" "$base/sw[5]" </dev/null
	uidb=$(id -u "${member}b")
	atf_check -o match:"request for port 5 from uid $uidb refused" cat sw.err
	# ... the named user may, and then nobody else may join it.
	mkfifo hold
	bg memberplug sh -c "exec setpriv --reuid $member --regid nogroup --init-groups $VDE_PLUG $base/sw[5] <hold >/dev/null"
	exec 3>hold
	wait_for 10 sh -c "'$VDECMD' -s '$base/mgmt' port/print 5 | grep -q 'Current User: $member'"
	atf_check -s not-exit:0 -o ignore -e match:"$refused" \
	    $as_b "$VDE_PLUG" "$base/sw[5]" </dev/null
	atf_check -o inline:"2\n" \
	    grep -c "request for port 5 from uid $uidb refused" sw.err
	n=$(count_eps 2>/dev/null)
	[ "$n" = 1 ] || atf_fail "port 5 has $n endpoints, expected only the named user's"
	exec 3>&-
}
port_acl_cleanup() {
	rmusers
}

atf_init_test_cases() {
	atf_add_test_case group_members_share_a_root_switch
	atf_add_test_case outsiders_cannot_connect
	atf_add_test_case port_acl
}
