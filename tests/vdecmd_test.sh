#! /usr/bin/env atf-sh
#
# vdecmd_test: vdecmd's calling conventions.  VDE 2's vdecmd joins all its
# words into one console line (scripts write "vdecmd -s SOCK port/setvlan
# 3 10" unquoted); several commands per run come from repeated -c options
# and from standard input ("-"); the exit status is the first failing
# command's error number.

. "$(atf_get_srcdir)/common.subr"

# start_mgmt NAME [ARGS...]: our switch with its console on NAME.mgmt.
start_mgmt() {
	_n=$1; shift
	start_switch "$_n" -M "$PWD/$_n.mgmt" "$@"
	wait_for 10 test -S "$PWD/$_n.mgmt"
}

atf_test_case words_are_one_command cleanup
words_are_one_command_head() {
	atf_set descr "the words after the options should be joined into one command line, as VDE 2's vdecmd does"
	atf_set timeout 30
}
words_are_one_command_body() {
	start_mgmt w
	S=$PWD/w.mgmt
	atf_check -s exit:0 -o empty $VDECMD -s "$S" port/create 3
	atf_check -s exit:0 -o empty $VDECMD -s "$S" vlan/create 10
	atf_check -s exit:0 -o empty $VDECMD -s "$S" port/setvlan 3 10
	atf_check -s exit:0 -o match:'^Port 0003 untagged_vlan=0010 ' \
	    $VDECMD -s "$S" port/allprint 3
	# Quoted words still make the same line.
	atf_check -s exit:0 -o match:'^Port 0003 ' $VDECMD -s "$S" 'port/allprint 3'
	# A failing command gives its error number.
	atf_check -s exit:22 -o empty -e match:'port/create x: 1022 Invalid argument' \
	    $VDECMD -s "$S" port/create x
	atf_check -s exit:6 -e match:'1006 No such device or address' \
	    $VDECMD -s "$S" port/remove 9
	atf_check -s exit:38 -e match:'1038 Function not implemented' \
	    $VDECMD -s "$S" no/such command
	atf_check -s exit:255 -e match:'empty command' $VDECMD -s "$S" ''
}
words_are_one_command_cleanup() { kill_all; }

atf_test_case repeated_c cleanup
repeated_c_head() {
	atf_set descr "each -c should run as one command, in order, stopping at the first failure (its status) unless -k"
	atf_set timeout 30
}
repeated_c_body() {
	start_mgmt c
	S=$PWD/c.mgmt
	# In order: createauto prints the new port, allprint then finds it.
	atf_check -s exit:0 -o save:out $VDECMD -s "$S" -c port/createauto \
	    -c 'port/allprint 1'
	atf_check -o inline:'Port 0001\n' head -n 1 out
	atf_check -o match:'^Port 0001 untagged' sed -n 2p out
	atf_check -s exit:0 -o match:'^Port 0005 ' -o match:'^Port 0006 ' \
	    $VDECMD -s "$S" -c 'port/create 5' -c 'port/create 6' \
	    -c 'port/allprint 5' -c 'port/allprint 6'
	# The first failure ends the run and gives the status.
	atf_check -s exit:22 -o empty -e match:'port/create x: 1022' \
	    $VDECMD -s "$S" -c 'port/create x' -c 'port/create 7'
	atf_check -s exit:6 -e match:'1006' $VDECMD -s "$S" port/allprint 7
	# -k goes on; the status is still the first failure's.
	atf_check -s exit:22 -e match:'port/create x: 1022' \
	    $VDECMD -k -s "$S" -c 'port/create x' -c 'port/create 7' \
	    -c 'port/remove 99'
	atf_check -s exit:0 -o match:'^Port 0007 ' $VDECMD -s "$S" port/allprint 7
	# -c commands first, then the words as one more.
	atf_check -s exit:0 -o match:'^Port 0008 ' \
	    $VDECMD -s "$S" -c 'port/create 8' port/allprint 8
}
repeated_c_cleanup() { kill_all; }

atf_test_case stdin_commands cleanup
stdin_commands_head() {
	atf_set descr "with the operand -, each line of standard input should run as one command (blank and # lines skipped), with the same exit status rules"
	atf_set timeout 30
}
stdin_commands_body() {
	start_mgmt i
	S=$PWD/i.mgmt
	printf 'port/create 11\n\n# a comment\nport/create 12\r\nport/allprint 11\nport/allprint 12\n' >ok.in
	atf_check -s exit:0 -o match:'^Port 0011 ' -o match:'^Port 0012 ' \
	    -e empty $VDECMD -s "$S" - <ok.in
	printf 'port/create 13\nport/create 13\nport/create 14\n' >bad.in
	atf_check -s exit:17 -e match:'port/create 13: 1017 File exists' \
	    $VDECMD -s "$S" - <bad.in
	atf_check -s exit:6 -e match:'1006' $VDECMD -s "$S" port/allprint 14
	atf_check -s exit:17 -e match:'1017' $VDECMD -k -s "$S" - <bad.in
	atf_check -s exit:0 -o match:'^Port 0014 ' $VDECMD -s "$S" port/allprint 14
	# logout ends the list with success.
	printf 'port/create 15\nlogout\nport/create 16\n' >out.in
	atf_check -s exit:0 $VDECMD -s "$S" - <out.in
	atf_check -s exit:6 -e match:'1006' $VDECMD -s "$S" port/allprint 16
}
stdin_commands_cleanup() { kill_all; }

atf_test_case vde2_switch cleanup
vde2_switch_head() {
	atf_set descr "the unquoted form and -c should drive Debian's VDE 2 switch the same way"
	atf_set timeout 30
}
vde2_switch_body() {
	need_prog "$ORIG_SWITCH"
	start_orig_switch o -M "$PWD/o.mgmt"
	wait_for 10 test -S "$PWD/o.mgmt"
	atf_check -s exit:0 $VDECMD -s "$PWD/o.mgmt" port/create 5
	atf_check -s exit:0 -o match:'^Port 0005 ' -o match:'^Numports=32$' \
	    $VDECMD -s "$PWD/o.mgmt" -c port/showinfo -c 'port/allprint 5'
	atf_check -s exit:17 -e match:'1017 File exists' \
	    $VDECMD -s "$PWD/o.mgmt" port/create 5
}
vde2_switch_cleanup() { kill_all; }

atf_init_test_cases() {
	atf_add_test_case words_are_one_command
	atf_add_test_case repeated_c
	atf_add_test_case stdin_commands
	atf_add_test_case vde2_switch
}
