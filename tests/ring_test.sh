#! /usr/bin/env atf-sh
#
# ring_test: shared-memory rings between our libvdeplug and our switch
# (issue 18).  Our clients get rings by themselves (port/print says
# "module ring"), fall back to datagrams against Debian's switch and when
# turned off, mix with datagram clients both ways, and neither a client
# killed in the middle of a frame nor one that rewrites its rings at
# random stops the switch forwarding for the others.

. "$(atf_get_srcdir)/common.subr"
. "$(atf_get_srcdir)/cable.subr"

BLASTER=$TOP/bench/blaster
RINGPEER=$HELPERS/ringpeer.py
# ring_size(256) in src/common/ring.h: one client's rings.
RINGBYTES=4755456

# cmd CMD: one console command on sw's management socket (vdecmd: cheap
# enough to poll on a loaded machine).
cmd() {
	"$VDECMD" -s "$PWD/sw.mgmt" "$@"
}

# rings N / dgrams N: port/print shows N ring / datagram endpoints.
rings() {
	[ "$(cmd port/print | grep -c 'module ring ')" -eq "$1" ]
}
dgrams() {
	[ "$(cmd port/print | grep -c 'module unix prog')" -eq "$1" ]
}

# ring_used BYTES: port/showinfo's ring memory in use is BYTES.
ring_used() {
	cmd port/showinfo | grep -q "^ringmemory=[0-9]* used=$1 "
}

# plug NAME SOCK [ENV...]: our vde_plug (or $PLUG) on SOCK with its stdin on a FIFO
# that it holds open itself (no EOF), its stream output in NAME.out.
plug() {
	_n=$1 _s=$2; shift 2
	mkfifo "$_n.in"
	env "$@" "${PLUG:-$VDE_PLUG}" "$_s" <>"$_n.in" >"$_n.out" 2>"$_n.err" &
	echo $! >"$_n.pid"
	echo $! >>created_pids.lst
}

# size_at_least FILE BYTES
size_at_least() {
	[ "$(wc -c <"$1")" -ge "$2" ]
}

# blast LEN [MIN]: a paced run of our blaster through sw that delivers
# at least MIN of 300 frames (default all).  1000 frames/s: a receiver may
# be off the processor for 250 ms on a loaded machine before its ring of
# 256 slots fills.
blast() {
	atf_check -s exit:0 -o save:blast$1 -e empty \
	    "$BLASTER" -n 300 -l "$1" -r 1000 -w 30 "$PWD/sw.sw"
	_got=$(sed -n "s/^len=$1 sent=300 received=\([0-9]*\) .*complete=1$/\1/p" blast$1)
	[ -n "$_got" ] && [ "$_got" -ge "${2:-300}" ] ||
	    atf_fail "blaster lost $1-byte frames: $(cat blast$1); $("$VDECMD" -s "$PWD/sw.mgmt" port/allprint 2>&1 | grep DROP | tr '\n' ' ')"
}

atf_test_case blaster_uses_rings cleanup
blaster_uses_rings_head() {
	atf_set descr "the blaster (our library) should get rings from our switch by itself, datagrams with VDE_RINGS=0, and deliver every frame either way"
	atf_set timeout 300
}
blaster_uses_rings_body() {
	test -x "$BLASTER" || atf_fail "bench/blaster is not built"
	start_switch sw -M "$PWD/sw.mgmt"
	wait_for 10 test -S "$PWD/sw.mgmt"
	bg hold "$BLASTER" -H -i 2 -w 30 "$PWD/sw.sw"
	wait_for 20 grep -q '^ready 2$' hold.out
	wait_for 10 rings 2
	dgrams 0 || atf_fail "a datagram endpoint among the ring clients"
	wait_for 10 ring_used $((2 * RINGBYTES))
	kill "$(pid_of hold)"
	wait_for 10 ring_used 0
	VDE_RINGS=0 bg hold0 "$BLASTER" -H -i 2 -w 30 "$PWD/sw.sw"
	wait_for 20 grep -q '^ready 2$' hold0.out
	wait_for 10 dgrams 2
	rings 0 || atf_fail "VDE_RINGS=0 still got rings"
	kill "$(pid_of hold0)"
	blast 64
	blast 1500
	VDE_RINGS=0 blast 64
	alive sw || atf_fail "switch died"
}
blaster_uses_rings_cleanup() {
	kill_all
}

atf_test_case fallback_orig_switch cleanup
fallback_orig_switch_head() {
	atf_set descr "our library should fall back to datagrams at once against Debian's vde_switch, which ignores the offer"
	atf_set timeout 300
}
fallback_orig_switch_body() {
	need_prog "$ORIG_SWITCH"
	start_orig_switch sw -M "$PWD/sw.mgmt"
	wait_for 10 test -S "$PWD/sw.mgmt"
	# The whole handshake, offer declined, in well under a second.
	plug a "$PWD/sw.sw"
	wait_for 2 has_data_sockets "$PWD/sw.sw" 1
	# Debian's switch itself loses a few frames on a loaded machine.
	blast 64 270
	blast 1500 270
	alive sw || atf_fail "Debian's switch died: $(cat sw.err)"
	alive a || atf_fail "our vde_plug quit: $(cat a.err)"
	test -s a.err && atf_fail "our vde_plug complained: $(cat a.err)"
	true
}
fallback_orig_switch_cleanup() {
	kill_all
}

# mixed FROM TO: 50 frames from plug FROM reach plug TO (62 bytes each
# in its stream output: the 2-byte length and 60).
mixed() {
	_b=$(wc -c <"$2.out")
	python3 "$HELPERS/sendframes.py" 50 60 0 >"$1.in"
	wait_for 30 size_at_least "$2.out" $((_b + 3100))
	grep -q flood49 "$2.out" || atf_fail "the last frame did not reach $2"
}

atf_test_case ring_and_datagram_clients cleanup
ring_and_datagram_clients_head() {
	atf_set descr "a ring client (our vde_plug) and datagram clients (Debian's vde_plug, ours with VDE_RINGS=0) should exchange frames both ways"
	atf_set timeout 300
}
ring_and_datagram_clients_body() {
	need_prog "$ORIG_PLUG"
	start_switch sw -M "$PWD/sw.mgmt"
	wait_for 10 test -S "$PWD/sw.mgmt"
	plug r "$PWD/sw.sw"
	PLUG=$ORIG_PLUG plug d "$PWD/sw.sw"
	wait_for 10 rings 1
	wait_for 10 dgrams 1
	mixed r d
	mixed d r
	# And two of our own, one of them without rings.
	plug n "$PWD/sw.sw" VDE_RINGS=0
	wait_for 10 dgrams 2
	mixed n r
	mixed r n
	rings 1 || atf_fail "the ring client is gone"
	alive sw || atf_fail "switch died"
}
ring_and_datagram_clients_cleanup() {
	kill_all
}

atf_test_case killed_midframe cleanup
killed_midframe_head() {
	atf_set descr "clients killed while writing a frame into their ring should free their endpoint and rings, and the switch should go on forwarding"
	atf_set timeout 300
}
killed_midframe_body() {
	start_switch sw -M "$PWD/sw.mgmt"
	wait_for 10 test -S "$PWD/sw.mgmt"
	# A slot half written and never published, then SIGKILL.
	atf_check -s signal:kill -o inline:"rings\n" -e ignore \
	    python3 "$RINGPEER" midframe "$PWD/sw.sw"
	# Our vde_plug killed -9 while it sends 1500-byte frames flat out.
	mkfifo gen.fifo
	python3 "$HELPERS/sendframes.py" 1000000 1500 >gen.fifo 2>/dev/null &
	echo $! >>created_pids.lst
	"$VDE_PLUG" "$PWD/sw.sw" <gen.fifo >/dev/null 2>&1 &
	_p=$!
	echo $_p >>created_pids.lst
	wait_for 10 rings 1
	wait_for 20 sh -c "$VDECMD -s '$PWD/sw.mgmt' port/print | grep -q 'IN:  pkts *[1-9][0-9][0-9]'"
	kill -9 $_p
	wait_for 10 rings 0
	wait_for 10 ring_used 0
	blast 64
	alive sw || atf_fail "switch died"
}
killed_midframe_cleanup() {
	kill_all
}

atf_test_case hostile_client cleanup
hostile_client_head() {
	atf_set descr "a client that rewrites its ring indices, flags and lengths at random should be closed (and reconnect) while the switch forwards every frame of the others"
	atf_set timeout 300
}
hostile_client_body() {
	start_switch sw -M "$PWD/sw.mgmt"
	wait_for 10 test -S "$PWD/sw.mgmt"
	# The hostile client's port 20 is on VLAN 10 of its own: what it
	# forwards is not flooded into the others' rings.
	atf_check -o ignore "$VDECMD" -s "$PWD/sw.mgmt" vlan/create 10
	atf_check -o ignore "$VDECMD" -s "$PWD/sw.mgmt" port/create 20
	atf_check -o ignore "$VDECMD" -s "$PWD/sw.mgmt" port/setvlan 20 10
	bg hostile python3 "$RINGPEER" hostile "$PWD/sw.sw" 8 20
	wait_for 20 grep -q 'corrupt .* ring, closing' sw.err
	blast 64
	blast 1500
	wait_for 60 grep -q '^closed [1-9]' hostile.out
	alive sw || atf_fail "switch died"
	wait_for 10 ring_used 0
	cmd port/showinfo | grep -q '^ringmemory=[0-9]* used=0 refused=0 corrupt=[1-9]' ||
	    atf_fail "corrupt rings not counted: $(cmd port/showinfo | grep ring)"
}
hostile_client_cleanup() {
	kill_all
}

atf_test_case ring_memory_bound cleanup
ring_memory_bound_head() {
	atf_set descr "--ring-memory should bound the rings of all clients: beyond it clients get datagrams, and 0 turns rings off"
	atf_set timeout 120
}
ring_memory_bound_body() {
	start_switch sw -M "$PWD/sw.mgmt" --ring-memory 5M
	wait_for 10 test -S "$PWD/sw.mgmt"
	bg one python3 "$RINGPEER" accepted "$PWD/sw.sw" 60
	wait_for 30 grep -q '^rings$' one.out
	atf_check -o inline:"datagrams\n" python3 "$RINGPEER" accepted "$PWD/sw.sw"
	cmd port/showinfo |
	    grep -q "^ringmemory=5242880 used=[0-9]* refused=1 corrupt=0" ||
	    atf_fail "the refusal is not counted"
	start_switch sw0 -M "$PWD/sw0.mgmt" --ring-memory 0
	atf_check -o inline:"datagrams\n" python3 "$RINGPEER" accepted "$PWD/sw0.sw"
}
ring_memory_bound_cleanup() {
	kill_all
}

atf_init_test_cases() {
	atf_add_test_case blaster_uses_rings
	atf_add_test_case fallback_orig_switch
	atf_add_test_case ring_and_datagram_clients
	atf_add_test_case killed_midframe
	atf_add_test_case hostile_client
	atf_add_test_case ring_memory_bound
}
