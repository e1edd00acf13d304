#! /usr/bin/env atf-sh
#
# capture_test: capture/start, capture/stop and capture/print: what the
# switch writes is read by tcpdump and tshark and matches the port's
# counters; filters, rotation, a stalled or vanished FIFO reader, bad
# filters, and the credentials rule for non-root console users.

. "$(atf_get_srcdir)/common.subr"
. "$(atf_get_srcdir)/capture.subr"

# pcap_count FILE [FILTER...]: the records of FILE (matching FILTER) as
# tcpdump counts them.
pcap_count() {
	_f=$1; shift
	tcpdump -nn -r "$_f" "$@" 2>/dev/null | grep -c '^[0-9]'
}

capture_cleanup() {
	kill_all
}

atf_test_case counts cleanup
counts_head() {
	atf_set descr "a capture of a ping and a TCP transfer should hold exactly the frames port/print counted on that port, for tcpdump and tshark"
	atf_set require.user root
	atf_set require.progs tcpdump tshark
	atf_set timeout 120
}
counts_body() {
	cap_switch 81 2
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" -c "port/resetcounter 1" \
	    -c "capture/start 1 both $PWD/c.pcap"
	atf_check -s exit:0 -o ignore ip netns exec "$CAP_NS1" \
	    ping -c 3 -i 0.2 -W 2 10.81.0.2
	cap_tcp "$CAP_NS1" "$CAP_NS2" 10.81.0.2 2000000
	# Counters and the end of the capture in one go: nothing in between.
	"$VDECMD" -s "$MGMT" -c "port/print 1" -c "capture/print" \
	    -c "capture/stop 1" >print.out || atf_fail "port/print, capture/stop"
	in=$(awk '$1 == "IN:" { print $3 }' print.out)
	out=$(awk '$1 == "OUT:" { print $3 }' print.out)
	grep -q "dropped 0 " print.out ||
	    atf_fail "frames dropped: $(cat print.out)"
	total=$((in + out))
	[ "$total" -gt 20 ] || atf_fail "only $total frames counted"
	cap_expect "$total" c.pcap
	# What entered port 1 came from ns 1's tap.
	mac=$(ip -n "$CAP_NS1" -br link show "$CAP_T1" | awk '{ print $3 }')
	cap_expect "$in" c.pcap ether src "$mac"
	n=$(tshark -r c.pcap 2>/dev/null | wc -l | tr -d ' ')
	[ "$n" = "$total" ] || atf_fail "tshark counts $n, the switch $total"
	cap_expect "3" c.pcap \
	    'icmp[icmptype] == icmp-echo'
}
counts_cleanup() { capture_cleanup; }

atf_test_case filter cleanup
filter_head() {
	atf_set descr "a capture with the filter icmp should keep only the ping of a ping and a TCP transfer; capture/print counts the rest as filtered"
	atf_set require.user root
	atf_set require.progs tcpdump
	atf_set timeout 120
}
filter_body() {
	cap_switch 82 2
	atf_check -s exit:0 -o empty "$VDECMD" -s "$MGMT" \
	    "capture/start 1 both $PWD/f.pcap filter icmp"
	atf_check -s exit:0 -o ignore ip netns exec "$CAP_NS1" \
	    ping -c 4 -i 0.2 -W 2 10.82.0.2
	cap_tcp "$CAP_NS1" "$CAP_NS2" 10.82.0.2 200000
	atf_check -s exit:0 -o match:'filter "icmp"' \
	    -o match:"frames 8 filtered [1-9][0-9]* dropped 0" \
	    "$VDECMD" -s "$MGMT" capture/print
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" capture/stop 1
	cap_expect "8" f.pcap
	cap_expect "8" f.pcap icmp
}
filter_cleanup() { capture_cleanup; }

atf_test_case rotation cleanup
rotation_head() {
	atf_set descr "with limit 4096 the capture should rotate into r.pcap, r.pcap.1, ... each at most 4096 bytes and readable, together every frame; with files 2 only r.pcap and r.pcap.1"
	atf_set require.user root
	atf_set require.progs tcpdump
	atf_set timeout 120
}
rotation_body() {
	cap_switch 83 2
	atf_check -s exit:0 -o empty "$VDECMD" -s "$MGMT" \
	    "capture/start 1 both $PWD/r.pcap limit 4096 filter icmp"
	atf_check -s exit:0 -o empty "$VDECMD" -s "$MGMT" \
	    "capture/start 2 both $PWD/w.pcap limit 4096 files 2 filter icmp"
	# 10 echoes and 10 replies of 1042 bytes: 3 records per file.
	atf_check -s exit:0 -o ignore ip netns exec "$CAP_NS1" \
	    ping -c 10 -i 0.1 -W 2 -s 1000 10.83.0.2
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" -c "capture/stop 1" \
	    -c "capture/stop 2"
	total=0
	for f in r.pcap r.pcap.1 r.pcap.2 r.pcap.3 r.pcap.4 r.pcap.5 r.pcap.6; do
		test -f "$f" || atf_fail "$f is missing"
		size=$(stat -c %s "$f")
		[ "$size" -le 4096 ] || atf_fail "$f has $size bytes"
		n=$(pcap_count "$f")
		[ "$n" -ge 1 ] || atf_fail "$f has no record"
		total=$((total + n))
	done
	test -f r.pcap.7 && atf_fail "r.pcap.7: more files than frames need"
	[ "$total" = 20 ] || atf_fail "$total records, not 20"
	test -f w.pcap || atf_fail "w.pcap is missing"
	test -f w.pcap.1 || atf_fail "w.pcap.1 is missing"
	test -f w.pcap.2 && atf_fail "w.pcap.2 made with files 2"
	[ "$(pcap_count w.pcap)" -ge 1 ] || atf_fail "w.pcap has no record"
	true
}
rotation_cleanup() { capture_cleanup; }

atf_test_case stalled_fifo cleanup
stalled_fifo_head() {
	atf_set descr "a FIFO reader that never reads should not slow forwarding: the capture counts drops, the switch answers; when the reader goes away the capture ends with a log line"
	atf_set require.user root
	atf_set timeout 120
}
stalled_fifo_body() {
	cap_switch 84 2
	mkfifo fifo
	# The reader opens the FIFO and never reads from it.
	bg reader python3 -c '
import os, time
fd = os.open("fifo", os.O_RDONLY | os.O_NONBLOCK)
open("reader.ready", "w").close()
time.sleep(600)
'
	wait_for 10 test -e reader.ready
	atf_check -s exit:0 -o empty "$VDECMD" -s "$MGMT" \
	    "capture/start 1 both $PWD/fifo"
	atf_check -s exit:0 -o match:"capture both fifo $PWD/fifo" \
	    "$VDECMD" -s "$MGMT" capture/print
	# A TCP transfer first: its frames come from the taps as segments of
	# up to 64 KiB, more than the empty pipe takes in one write.
	cap_tcp "$CAP_NS1" "$CAP_NS2" 10.84.0.2 2000000
	# 4000 frames of 1442 bytes: 5.8 MB, far more than the pipe and the
	# capture's buffer (1 MiB) hold.
	atf_check -s exit:0 -o match:" 0% packet loss" \
	    ip netns exec "$CAP_NS1" ping -f -c 2000 -s 1400 -W 2 10.84.0.2
	atf_check -s exit:0 -o match:"dropped [1-9][0-9]* " \
	    "$VDECMD" -s "$MGMT" capture/print
	kill "$(pid_of reader)"
	wait_for 10 grep -q \
	    "capture: port 1: the reader of $PWD/fifo went away, capture ended" \
	    sw.err
	atf_check -s exit:0 -o empty "$VDECMD" -s "$MGMT" capture/print
	alive sw || atf_fail "the switch died"
	atf_check -s exit:0 -o ignore ip netns exec "$CAP_NS1" \
	    ping -c 2 -i 0.2 -W 2 10.84.0.2
}
stalled_fifo_cleanup() { capture_cleanup; }

atf_test_case prompt cleanup
prompt_head() {
	atf_set descr "a few frames and then silence: they should reach the file within two seconds while the capture goes on (no stop, no flush by hand); capture/print shows the share of time (10 by default, or as given)"
	atf_set require.user root
	atf_set require.progs tcpdump
	atf_set timeout 60
}
prompt_body() {
	cap_switch 88 2
	atf_check -s exit:0 -o empty "$VDECMD" -s "$MGMT" \
	    "capture/start 1 both $PWD/p.pcap filter icmp"
	atf_check -s exit:0 -o empty "$VDECMD" -s "$MGMT" \
	    "capture/start 2 both $PWD/q.pcap share 100 filter icmp"
	atf_check -s exit:0 -o ignore ip netns exec "$CAP_NS1" \
	    ping -c 2 -i 0.2 -W 2 10.88.0.2
	# 2 echoes and 2 replies on each port, far less than a write's
	# worth: the capture's timer writes them.
	wait_for 2 cap_has p.pcap 4
	wait_for 2 cap_has q.pcap 4
	"$VDECMD" -s "$MGMT" capture/print >print.out ||
	    atf_fail "capture/print"
	grep -q "^Port 0001 capture both file $PWD/p.pcap" print.out ||
	    atf_fail "capture 1 ended: $(cat print.out)"
	grep -q ' share 10 filter "icmp"' print.out ||
	    atf_fail "share 10 missing: $(cat print.out)"
	grep -q ' share 100 filter "icmp"' print.out ||
	    atf_fail "share 100 missing: $(cat print.out)"
	[ "$(grep -c ' frames 4 filtered [0-9]* dropped 0 written [0-9]* pending 0$' print.out)" = 2 ] ||
	    atf_fail "not all written: $(cat print.out)"
}
prompt_cleanup() { capture_cleanup; }

# cap_has FILE N: FILE holds N records (tcpdump counts).
cap_has() {
	[ "$(pcap_count "$1")" = "$2" ]
}

atf_test_case bad_input cleanup
bad_input_head() {
	atf_set descr "a bad filter expression, direction or option should get a clear console error and start nothing"
	atf_set require.user root
	atf_set timeout 60
}
bad_input_body() {
	start_switch sw -M "$PWD/sw.mgmt"
	MGMT=$PWD/sw.mgmt
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" port/create 1
	atf_check -s exit:22 -o match:'bad filter "icmpp and": ' \
	    -e match:"1022 Invalid argument" \
	    "$VDECMD" -s "$MGMT" "capture/start 1 both $PWD/x.pcap filter icmpp and"
	atf_check -s exit:22 -o match:"direction: in, out or both" \
	    -e match:"1022 Invalid argument" \
	    "$VDECMD" -s "$MGMT" "capture/start 1 sideways $PWD/x.pcap"
	atf_check -s exit:22 -o match:"bad option or value: snaplen 10" \
	    -e match:"1022 Invalid argument" \
	    "$VDECMD" -s "$MGMT" "capture/start 1 in $PWD/x.pcap snaplen 10"
	atf_check -s exit:22 -o match:"bad option or value: share 0" \
	    -e match:"1022 Invalid argument" \
	    "$VDECMD" -s "$MGMT" "capture/start 1 in $PWD/x.pcap share 0"
	atf_check -s exit:22 -o match:"bad option or value: share 101" \
	    -e match:"1022 Invalid argument" \
	    "$VDECMD" -s "$MGMT" "capture/start 1 in $PWD/x.pcap share 101"
	atf_check -s exit:22 -o match:"files needs a limit" \
	    -e match:"1022 Invalid argument" \
	    "$VDECMD" -s "$MGMT" "capture/start 1 in $PWD/x.pcap files 3"
	atf_check -s exit:6 -e match:"1006 No such device or address" \
	    "$VDECMD" -s "$MGMT" "capture/start 9 in $PWD/x.pcap"
	atf_check -s exit:0 -o empty "$VDECMD" -s "$MGMT" capture/print
	test -e x.pcap && atf_fail "x.pcap was made"
	true
}
bad_input_cleanup() { capture_cleanup; }

atf_test_case nonroot cleanup
nonroot_head() {
	atf_set descr "a console user nobody (--mgmtmode 666) should capture into a directory nobody may write, not into a root-only one nor over a symbolic link"
	atf_set require.user root
	atf_set timeout 60
}
nonroot_body() {
	need_linux "setpriv"
	id nobody >/dev/null 2>&1 || vde_skip "no user nobody"
	NOBODY="setpriv --reuid nobody --regid nogroup --clear-groups"
	shared_dir D capture 0755
	start_switch sw -M "$D/sw.mgmt" --mgmtmode 666
	MGMT=$D/sw.mgmt
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" port/create 1
	mkdir "$D/root" "$D/nobody"
	chmod 0700 "$D/root"
	chown nobody "$D/nobody"
	: >"$D/root/victim"
	ln -s "$D/root/victim" "$D/nobody/link"
	atf_check -s exit:13 -e match:"1013 Permission denied" \
	    $NOBODY "$VDECMD" -s "$MGMT" \
	    "capture/start 1 in $D/root/c.pcap"
	test -e "$D/root/c.pcap" && atf_fail "nobody wrote into root's directory"
	atf_check -s exit:40 -e match:"1040 Too many levels of symbolic links" \
	    $NOBODY "$VDECMD" -s "$MGMT" \
	    "capture/start 1 in $D/nobody/link"
	atf_check -s exit:0 -o inline:"0\n" $STAT_C %s "$D/root/victim"
	atf_check -s exit:0 -o empty \
	    $NOBODY "$VDECMD" -s "$MGMT" \
	    "capture/start 1 in $D/nobody/c.pcap"
	atf_check -s exit:0 -o inline:"nobody 600\n" \
	    $STAT_C "%U %a" "$D/nobody/c.pcap"
	# root's own console (the switch's operator) may write there.
	atf_check -s exit:0 "$VDECMD" -s "$MGMT" capture/stop 1
	atf_check -s exit:0 -o empty "$VDECMD" -s "$MGMT" \
	    "capture/start 1 in $D/root/c.pcap"
}
nonroot_cleanup() { capture_cleanup; }

atf_init_test_cases() {
	atf_add_test_case counts
	atf_add_test_case filter
	atf_add_test_case rotation
	atf_add_test_case stalled_fifo
	atf_add_test_case prompt
	atf_add_test_case bad_input
	atf_add_test_case nonroot
}
