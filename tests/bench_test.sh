#! /usr/bin/env atf-sh
#
# bench_test: the benchmark tools still work (they are not benchmarks:
# nothing here is timed).  The blaster carries a few frames through our
# switch and reports them; the report generator renders a table.

. "$(atf_get_srcdir)/common.subr"

BLASTER=$TOP/bench/blaster

atf_test_case blaster_delivers cleanup
blaster_delivers_head() {
	atf_set descr "the frame blaster should carry 64- and 1500-byte frames through our switch and report what it delivered"
	atf_set timeout 60
}
blaster_delivers_body() {
	test -x "$BLASTER" || atf_fail "bench/blaster is not built"
	start_switch sw
	for len in 64 1500; do
		# Paced well below any switch's speed, so nothing may be lost.
		atf_check -s exit:0 -o save:out$len -e empty \
		    "$BLASTER" -n 200 -l $len -r 2000 -w 20 "$PWD/sw.sw"
		grep -q "^len=$len sent=200 received=200 " out$len ||
		    atf_fail "blaster did not deliver 200 frames of $len bytes: $(cat out$len)"
		grep -q ' fps=[1-9]' out$len ||
		    atf_fail "no delivered rate reported: $(cat out$len)"
	done
	alive sw || atf_fail "switch died"
}
blaster_delivers_cleanup() {
	kill_all
}

atf_test_case blaster_holds_ports cleanup
blaster_holds_ports_head() {
	atf_set descr "blaster -H should hold idle connections open until its time bound"
	atf_set timeout 60
}
blaster_holds_ports_body() {
	test -x "$BLASTER" || atf_fail "bench/blaster is not built"
	start_switch sw
	bg hold "$BLASTER" -H -i 4 -w 2 "$PWD/sw.sw"
	wait_for 10 grep -q '^ready 4$' hold.out
	wait_for 10 sh -c "! kill -0 $(pid_of hold)"
	wait "$(pid_of hold)" 2>/dev/null
	test -s hold.err && atf_fail "blaster -H complained: $(cat hold.err)"
	alive sw || atf_fail "switch died"
}
blaster_holds_ports_cleanup() {
	kill_all
}

atf_test_case report_renders
report_renders_head() {
	atf_set descr "bench/report.py should turn raw figures into medians and ratios against Debian's switch"
}
report_renders_body() {
	printf 'blast64\tours\t1\tfps\t300\nblast64\tours\t2\tfps\t100\nblast64\tours\t3\tfps\t200\nblast64\torig\t1\tfps\t100\n' >raw.tsv
	BENCH_SUITES=blast atf_check -s exit:0 -o save:report -e empty \
	    python3 "$TOP/bench/report.py" raw.tsv
	grep -q '^| 64 B delivered frames/s | 200 | 100 | 2.00x | >= 1.5x | met |$' report ||
	    atf_fail "wrong median or ratio: $(grep 'frames/s' report)"
}

atf_init_test_cases() {
	atf_add_test_case blaster_delivers
	atf_add_test_case blaster_holds_ports
	atf_add_test_case report_renders
}
