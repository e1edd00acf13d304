#! /usr/bin/env atf-sh
#
# gsowire_test: the frames src/switch/gso.c makes from offloaded tap
# frames, checked by an independent implementation: Scapy
# (tests/helpers/gsocheck.py) builds the frames, tests/helpers/gso_dump
# runs gso on them, and Scapy recomputes every IP and TCP/UDP length and
# checksum of the result, the sequence numbers, IDs, flags and payload.

. "$(atf_get_srcdir)/common.subr"

PY=$PYTHON_ANYUSER
GSO_DUMP=$HELPERS/gso_dump

need_scapy() {
	need_prog "$PY"
	"$PY" -c 'import scapy' 2>/dev/null ||
	    vde_skip "python3-scapy is not installed"
	[ -x "$GSO_DUMP" ] || atf_fail "$GSO_DUMP is not built (make tests)"
}

# gsocheck SCENARIO: run one scenario of gsocheck.py, which prints "ok".
gsocheck() {
	need_scapy
	atf_check -s exit:0 -o inline:"ok\n" -e empty \
	    "$PY" "$HELPERS/gsocheck.py" "$GSO_DUMP" "$1"
}

atf_test_case tcp4
tcp4_head() {
	atf_set descr "TCPv4 segments should carry the checksums, lengths," \
	    "IDs, sequence numbers and flags Scapy computes"
	atf_set timeout 120
}
tcp4_body() {
	gsocheck tcp4
}

atf_test_case tcp6
tcp6_head() {
	atf_set descr "TCPv6 segments, with and without an extension" \
	    "header, should match Scapy's lengths and checksums"
	atf_set timeout 120
}
tcp6_body() {
	gsocheck tcp6
}

atf_test_case vlan
vlan_head() {
	atf_set descr "segments of 802.1Q and 802.1ad tagged frames should" \
	    "match Scapy's lengths and checksums"
	atf_set timeout 120
}
vlan_body() {
	gsocheck vlan
}

atf_test_case csum
csum_head() {
	atf_set descr "completed UDP and TCP checksums (IPv4, IPv6) should" \
	    "be the ones Scapy computes"
	atf_set timeout 120
}
csum_body() {
	gsocheck csum
}

atf_test_case refused
refused_head() {
	atf_set descr "gso should refuse a GSO frame of an unsupported kind" \
	    "with a reason"
}
refused_body() {
	[ -x "$GSO_DUMP" ] || atf_fail "$GSO_DUMP is not built (make tests)"
	# Description: CSUM, OS_GSO_OTHER, mss 1000, then 60 zero bytes.
	printf '\001\003\003\350\000\066\000\042\000\020' >in
	dd if=/dev/zero bs=60 count=1 2>/dev/null >>in
	atf_check -s exit:1 -o empty -e match:"unsupported kind" \
	    "$GSO_DUMP" <in
}

atf_init_test_cases() {
	atf_add_test_case tcp4
	atf_add_test_case tcp6
	atf_add_test_case vlan
	atf_add_test_case csum
	atf_add_test_case refused
}
