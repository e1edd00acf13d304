#! /usr/bin/env atf-sh
#
# wirefilter_test: our wirefilter measured statistically, side by side with
# Debian's /usr/bin/wirefilter in the same test case, both joining two of
# our switches with -v (the original links Debian's libvdeplug, which
# speaks our switch's protocol).  Frames are numbered and timed by
# helpers/wfprobe.py; ours runs with a fixed seed (-S), Debian's has none.
#
# Each interval is a 99% confidence interval: z = 2.576 standard errors
# of the statistic around the value the setting asks for.  A sound
# implementation falls outside it in 1% of runs; ours, with its fixed
# seed, gives the same draws every time.  Frames are paced (2000/s) so
# that neither the switches nor the plugs drop any on a loaded machine.

. "$(atf_get_srcdir)/common.subr"
. "$(atf_get_srcdir)/uml.subr"

WIREFILTER=$TOP/src/tools/wirefilter
ORIG_WIREFILTER=/usr/bin/wirefilter
WFPROBE="$PYTHON_ANYUSER $HELPERS/wfprobe.py"

# two_switches: our switches s1 and s2 in the work directory.
two_switches() {
	start_switch s1
	start_switch s2
}

# start_wf NAME PROGRAM ARGS...: PROGRAM (ours or Debian's) between s1
# and s2 as a daemon with a pid file, recorded in the ledger.
start_wf() {
	_n=$1; _p=$2; shift 2
	rm -f "$PWD/$_n.wfpid"
	"$_p" -v "$PWD/s1.sw:$PWD/s2.sw" --daemon --pidfile "$PWD/$_n.wfpid" \
	    "$@" >"$_n.out" 2>"$_n.err" || atf_fail "$_p $*: $(cat $_n.err)"
	wait_for 10 test -s "$PWD/$_n.wfpid"
	cat "$PWD/$_n.wfpid" >>created_pids.lst
}

stop_wf() {
	kill "$(cat "$PWD/$1.wfpid")"
}

# probe OUT ARGS...: wfprobe.py from s1 (A) to s2 (B), its JSON lines
# into OUT.lr and OUT.rl.  The probe's plugs use no shared-memory rings:
# on a loaded machine a full ring drops frames (0.5 to 3% of 20000 at
# 2000/s with a load of 5 on 2 CPUs), which the socket path does not,
# and the test measures the cable, not the plugs.
probe() {
	_o=$1; shift
	VDE_RINGS=0 $WFPROBE --a "$VDE_PLUG $PWD/s1.sw" --b "$VDE_PLUG $PWD/s2.sw" "$@" \
	    >"$_o.json" 2>"$_o.err" || atf_fail "wfprobe: $(cat "$_o.err")"
	cat "$_o.json"
	grep '"lr"' "$_o.json" >"$_o.lr" || true
	grep '"rl"' "$_o.json" >"$_o.rl" || true
}

# field FILE KEY: a number from a JSON line.
field() {
	$PYTHON_ANYUSER -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# within WHAT VALUE LOW HIGH: fail unless LOW <= VALUE <= HIGH; the
# figure goes to the test's log either way.
within() {
	echo "$1: $2 (interval $3 .. $4)"
	awk -v v="$2" -v l="$3" -v h="$4" 'BEGIN { exit !(v >= l && v <= h) }' ||
	    atf_fail "$1 = $2, outside the interval $3 .. $4"
}

# ratio FILE NUM DEN: NUM/DEN of FILE's fields.
ratio() {
	awk -v a="$(field "$1" "$2")" -v b="$(field "$1" "$3")" \
	    'BEGIN { printf "%.5f", a / b }'
}

# ci P N: the 99% interval of a proportion P measured on N frames.
ci() {
	awk -v p="$1" -v n="$2" 'BEGIN { e = 2.576 * sqrt(p * (1 - p) / n);
	    printf "%.5f %.5f", p - e, p + e }'
}

# loss_check NAME: -l 10 both ways on NAME's probe.
loss_check() {
	set -- $(ci 0.10 20000)
	within "$WHO loss LR" "$(ratio loss.lr lost sent)" "$1" "$2"
	within "$WHO loss RL" "$(ratio loss.rl lost sent)" "$1" "$2"
}

atf_test_case loss cleanup
loss_head() {
	atf_set descr "-l 10 loses 10% of the frames each way (99% CI on 20000 frames: 9.45..10.55%), ours and Debian's"
	atf_set require.user root
	atf_set timeout 120
}
loss_body() {
	two_switches
	for WHO in ours debian; do
		if [ $WHO = ours ]; then
			start_wf wf "$WIREFILTER" -S 11 -l 10
		else
			start_wf wf "$ORIG_WIREFILTER" -l 10
		fi
		probe loss --count 20000 --rate 2000
		stop_wf wf
		loss_check
	done
}
loss_cleanup() {
	kill_all
}

atf_test_case asymmetric cleanup
asymmetric_head() {
	atf_set descr "-l LR20 -l RL5 loses 20% left to right and 5% right to left (99% CIs on 20000 frames each), ours and Debian's"
	atf_set require.user root
	atf_set timeout 120
}
asymmetric_body() {
	two_switches
	for WHO in ours debian; do
		if [ $WHO = ours ]; then
			start_wf wf "$WIREFILTER" -S 12 -l LR20 -l RL5
		else
			start_wf wf "$ORIG_WIREFILTER" -l LR20 -l RL5
		fi
		probe asym --count 20000 --rate 2000
		stop_wf wf
		set -- $(ci 0.20 20000)
		within "$WHO loss LR" "$(ratio asym.lr lost sent)" "$1" "$2"
		set -- $(ci 0.05 20000)
		within "$WHO loss RL" "$(ratio asym.rl lost sent)" "$1" "$2"
	done
}
asymmetric_cleanup() {
	kill_all
}

atf_test_case burst cleanup
burst_head() {
	atf_set descr "-l 10 -L 5: lost frames come in runs of mean length 5 (99% CI from the geometric law's sd over the runs seen), ours and Debian's"
	atf_set require.user root
	atf_set timeout 180
}
burst_body() {
	two_switches
	for WHO in ours debian; do
		if [ $WHO = ours ]; then
			start_wf wf "$WIREFILTER" -S 13 -l 10 -L 5
		else
			start_wf wf "$ORIG_WIREFILTER" -l 10 -L 5
		fi
		probe burst --count 40000 --rate 2000 --dir lr
		stop_wf wf
		# Run lengths are geometric with mean 5: sd sqrt(5 * 4);
		# the mean of B runs is within 2.576 sd / sqrt(B).
		b=$(field burst.lr bursts)
		set -- $(awk -v b="$b" 'BEGIN { e = 2.576 * sqrt(20) / sqrt(b);
		    printf "%.3f %.3f", 5 - e, 5 + e }')
		within "$WHO mean burst ($b bursts)" \
		    "$(field burst.lr burst_mean)" "$1" "$2"
		# The loss rate itself, with correlated losses: the
		# variance of a two-state chain's occupation grows by
		# (1 + r) / (1 - r), r = 1 - 1/5 - 0.1/(5 * 0.9) = 0.778.
		set -- $(awk 'BEGIN { e = 2.576 * sqrt(0.09 / 40000 * 1.778 / 0.222);
		    printf "%.5f %.5f", 0.1 - e, 0.1 + e }')
		within "$WHO loss rate" "$(ratio burst.lr lost sent)" "$1" "$2"
	done
}
burst_cleanup() {
	kill_all
}

atf_test_case dup cleanup
dup_head() {
	atf_set descr "-D 20: each copy is copied again with probability 0.2, 0.25 extra copies a frame (99% CI on 20000 frames each way), ours and Debian's"
	atf_set require.user root
	atf_set timeout 120
}
dup_body() {
	two_switches
	# Copies - 1 is geometric: mean p/(1-p) = 0.25, variance
	# p/(1-p)^2 = 0.3125.
	set -- $(awk 'BEGIN { e = 2.576 * sqrt(0.3125 / 20000);
	    printf "%.5f %.5f", 0.25 - e, 0.25 + e }')
	for WHO in ours debian; do
		if [ $WHO = ours ]; then
			start_wf wf "$WIREFILTER" -S 14 -D 20
		else
			start_wf wf "$ORIG_WIREFILTER" -D 20
		fi
		probe dup --count 20000 --rate 2000
		stop_wf wf
		for d in lr rl; do
			[ "$(field dup.$d lost)" -eq 0 ] ||
			    atf_fail "$WHO: frames lost with -D alone"
			within "$WHO extra copies $d" \
			    "$(ratio dup.$d dup sent)" "$1" "$2"
		done
	done
}
dup_cleanup() {
	kill_all
}

atf_test_case delay cleanup
delay_head() {
	atf_set descr "-d 20+5U and -d 20+5N add 20 ms (median, over the path's own) with the spread of the distribution (interquartile range 5 ms uniform, 2.9 ms normal), ours and Debian's"
	atf_set require.user root
	atf_set timeout 180
}
delay_body() {
	two_switches
	# 400 frames 12.5 ms apart (more than the 10 ms of jitter: FIFO
	# order does not bend the distribution).  The median of 400
	# draws of U(15, 25) has sd 1 / (2 * 0.1 * 20) = 0.25 ms, 99%:
	# +-0.65 ms; the IQR's sd is about 0.35 ms, 99%: +-0.9 ms.  To
	# these the intervals add 1 ms for the spread and 3 ms for the
	# median: the timers' resolution (1 ms) and the scheduling of a
	# loaded machine (the baseline's median is subtracted, but not
	# the wake-up latency of a program that waits on a timer: with a
	# load of 10 on 2 CPUs a fixed -d 20 measured 20.9 to 21.5 ms for
	# ours and Debian's alike, and once 22.8 ms).
	for WHO in ours debian; do
		if [ $WHO = ours ]; then
			P=$WIREFILTER; S="-S 15"
		else
			P=$ORIG_WIREFILTER; S=
		fi
		start_wf wf "$P" $S
		probe base --count 200 --rate 80 --dir lr
		stop_wf wf
		base=$(field base.lr delay_median)
		biqr=$(field base.lr delay_iqr)
		echo "$WHO: the path's own median delay $base ms, IQR $biqr ms"
		for dist in U N; do
			start_wf wf "$P" $S -d 20+5$dist
			probe d$dist --count 400 --rate 80 --dir lr
			stop_wf wf
			m=$(awk -v a="$(field d$dist.lr delay_median)" \
			    -v b="$base" 'BEGIN { print a - b }')
			within "$WHO 20+5$dist: median extra delay" "$m" \
			    16.35 23.65
			if [ $dist = U ]; then
				iqr="3.1 6.9"
			else
				iqr="1.45 4.35"
			fi
			set -- $iqr
			# The path's own spread adds to the cable's: take it
			# out as independent noise (variances add; an IQR
			# scales like a standard deviation).
			q=$(awk -v a="$(field d$dist.lr delay_iqr)" \
			    -v b="$biqr" 'BEGIN { d = a * a - b * b;
			    printf "%.3f", (d > 0 ? sqrt(d) : 0) }')
			within "$WHO 20+5$dist: interquartile range less the path's" \
			    "$q" "$1" "$2"
			[ "$(field d$dist.lr reordered)" -eq 0 ] ||
			    atf_fail "$WHO: reordered without -N"
		done
	done
}
delay_cleanup() {
	kill_all
}

atf_test_case reorder cleanup
reorder_head() {
	atf_set descr "with a jitter wider than the frames' spacing, no frame overtakes another without -N, and some do with -N (ours and Debian's)"
	atf_set require.user root
	atf_set timeout 120
}
reorder_body() {
	two_switches
	for WHO in ours debian; do
		if [ $WHO = ours ]; then
			P=$WIREFILTER; S="-S 16"
		else
			P=$ORIG_WIREFILTER; S=
		fi
		start_wf wf "$P" $S -d 10+10U
		probe fifo --count 2000 --rate 1000 --dir lr
		stop_wf wf
		echo "$WHO FIFO: $(cat fifo.lr)"
		[ "$(field fifo.lr reordered)" -eq 0 ] ||
		    atf_fail "$WHO: $(field fifo.lr reordered) frames overtook without -N"
		[ "$(field fifo.lr unique)" -eq 2000 ] ||
		    atf_fail "$WHO: frames lost"
		start_wf wf "$P" $S -d 10+10U -N
		probe nofifo --count 2000 --rate 1000 --dir lr
		stop_wf wf
		echo "$WHO -N: $(cat nofifo.lr)"
		[ "$(field nofifo.lr reordered)" -gt 100 ] ||
		    atf_fail "$WHO: -N reordered only $(field nofifo.lr reordered) of 2000"
	done
}
reorder_cleanup() {
	kill_all
}

atf_test_case mtu cleanup
mtu_head() {
	atf_set descr "-m 200: frames longer than 200 bytes are dropped, of 200 bytes pass; Debian's counts the stream's 2-byte header too (it passes 198 bytes, drops 199)"
	atf_set require.user root
	atf_set timeout 120
}
mtu_body() {
	two_switches
	for WHO in ours debian; do
		if [ $WHO = ours ]; then
			P=$WIREFILTER; S="-S 17"; small=200
		else
			# Debian's wirefilter compares the frame plus the
			# 2-byte length of the stream framing with the MTU,
			# even between switches (-v): 198 is its largest.
			P=$ORIG_WIREFILTER; S=; small=198
		fi
		start_wf wf "$P" $S -m 200
		probe small --count 500 --rate 2000 --size $small
		probe big --count 500 --rate 2000 --size $((small + 1))
		stop_wf wf
		for d in lr rl; do
			[ "$(field small.$d unique)" -eq 500 ] ||
			    atf_fail "$WHO $d: $small-byte frames lost: $(cat small.$d)"
			[ "$(field big.$d received)" -eq 0 ] ||
			    atf_fail "$WHO $d: $((small + 1))-byte frames passed: $(cat big.$d)"
		done
	done
}
mtu_cleanup() {
	kill_all
}

atf_test_case bandwidth cleanup
bandwidth_head() {
	atf_set descr "-b 1M: iperf3 (TCP, namespaces on taps of two switches) gets within 10% of 1 MiB/s, ours and Debian's"
	atf_set require.user root
	atf_set timeout 180
}
bandwidth_body() {
	need_linux "network namespaces and taps"
	need_prog iperf3
	NS1=$(uniq_name vwn1) NS2=$(uniq_name vwn2)
	T1=$(uniq_name vwt1) T2=$(uniq_name vwt2)
	netns "$NS1"
	netns "$NS2"
	echo "$T1" >>created_links.lst
	echo "$T2" >>created_links.lst
	start_switch s1 -t "$T1"
	start_switch s2 -t "$T2"
	wait_for 10 ip link show "$T1"
	wait_for 10 ip link show "$T2"
	ip link set "$T1" netns "$NS1" || atf_fail "move $T1"
	ip link set "$T2" netns "$NS2" || atf_fail "move $T2"
	ip -n "$NS1" addr add 10.77.61.1/24 dev "$T1"
	ip -n "$NS2" addr add 10.77.61.2/24 dev "$T2"
	ip -n "$NS1" link set "$T1" up
	ip -n "$NS2" link set "$T2" up
	bg iperfd ip netns exec "$NS2" iperf3 -s -B 10.77.61.2
	# 1 MiB/s of frames; TCP's payload is 1448 of a 1514-byte frame,
	# so iperf3 should see 8.02 Mbit/s: the interval is 10% around
	# the setting itself, 8.39 Mbit/s.
	for WHO in ours debian; do
		if [ $WHO = ours ]; then
			start_wf wf "$WIREFILTER" -S 20 -b 1M
		else
			start_wf wf "$ORIG_WIREFILTER" -b 1M
		fi
		wait_for 20 ip netns exec "$NS1" ping -c 1 -W 1 10.77.61.2
		ip netns exec "$NS1" iperf3 -c 10.77.61.2 -t 6 -O 1 -J \
		    >iperf.$WHO.json 2>iperf.$WHO.err ||
		    atf_fail "$WHO: iperf3: $(cat iperf.$WHO.err)"
		stop_wf wf
		bps=$($PYTHON_ANYUSER -c 'import json, sys; print(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"])' iperf.$WHO.json)
		within "$WHO TCP goodput, bit/s" "$bps" 7549747 9227469
	done
}
bandwidth_cleanup() {
	kill_all
}

atf_test_case speed cleanup
speed_head() {
	atf_set descr "-s 100K: frames of 1000 bytes offered at 300/s arrive at 102.4/s (the interface speed), within 10%, ours and Debian's"
	atf_set require.user root
	atf_set timeout 120
}
speed_body() {
	two_switches
	for WHO in ours debian; do
		if [ $WHO = ours ]; then
			start_wf wf "$WIREFILTER" -S 21 -s 100K
		else
			start_wf wf "$ORIG_WIREFILTER" -s 100K
		fi
		probe speed --count 1500 --rate 300 --size 1000 --dir lr
		stop_wf wf
		# 102400 bytes/s of 1000-byte frames: 102.4 frames/s.
		within "$WHO arrival rate, frames/s" \
		    "$(field speed.lr rx_fps)" 92.16 112.64
	done
}
speed_cleanup() {
	kill_all
}

atf_test_case stream cleanup
stream_head() {
	atf_set descr "in dpipe (vde_plug S1 = wirefilter -l 10 = vde_plug S2) the cable loses 10% each way (99% CI on 20000 frames)"
	atf_set require.user root
	atf_set timeout 120
}
stream_body() {
	two_switches
	bg dp "$DPIPE" "$VDE_PLUG" "$PWD/s1.sw" = "$WIREFILTER" -S 18 -l 10 \
	    = "$VDE_PLUG" "$PWD/s2.sw"
	WHO=ours
	probe loss --count 20000 --rate 2000
	loss_check
}
stream_cleanup() {
	kill_all
}

atf_test_case noise cleanup
noise_head() {
	atf_set descr "-n 409.6 on 512-byte frames (lambda = 0.2 bit a frame): 20% of the frames damaged (99% CI on 20000 frames: 19.27..20.73%), ours and Debian's; bits damaged per MiB 409.6 for ours (99% CI +-3.8%), 512 for Debian's, which damages a geometric number of bits"
	atf_set require.user root
	atf_set timeout 180
}
noise_body() {
	two_switches
	# A frame is damaged when its CRC-32 (wfprobe) does not hold, or
	# it never arrives (a bit of its header was hit).  Both programs
	# damage a frame with probability lambda = 409.6 * 512 / 2^20.
	set -- $(ci 0.2 20000)
	lo=$1 hi=$2
	for WHO in ours debian; do
		if [ $WHO = ours ]; then
			start_wf wf "$WIREFILTER" -S 22 -n 409.6
		else
			start_wf wf "$ORIG_WIREFILTER" -n 409.6
		fi
		probe noise --count 20000 --rate 2000 --size 512 --dir lr
		stop_wf wf
		within "$WHO damaged frames" "$(awk -v i="$(field noise.lr intact)" \
		    'BEGIN { printf "%.5f", 1 - i / 20000 }')" $lo $hi
		# Bits per MiB, from the bits set in the frames' zero
		# padding (476 of their 512 bytes).  Ours flips one bit in a
		# damaged frame (lambda < 1): the padding's bits are
		# binomial, q = 0.2 * 476 / 512 a frame, relative sd
		# sqrt((1 - q) / (20000 q)) = 1.48%, 99%: +-3.8%.  Debian's
		# flips another bit with probability lambda after each one
		# (geometric, mean lambda / (1 - lambda) = 0.25 bit a frame:
		# 512 bits/MiB); the padding's count then has variance
		# 0.25 q'(1 - q') + 0.3125 q'^2 a frame, q' = 476 / 512,
		# relative sd 1.63%, 99%: +-4.2%.
		if [ $WHO = ours ]; then
			bits="393.9 425.3"
		else
			bits="490.5 533.5"
		fi
		set -- $bits
		within "$WHO damaged bits per MiB" "$(awk \
		    -v b="$(field noise.lr noise_bits)" \
		    -v n="$(field noise.lr noise_bytes)" \
		    'BEGIN { printf "%.1f", b * 1048576 / n }')" $1 $2
	done
}
noise_cleanup() {
	kill_all
}

atf_test_case chanbuf cleanup
chanbuf_head() {
	atf_set descr "-c 10000 -b 20K with 1000-byte frames offered at 250/s: the channel holds 10 frames (Debian's 9: it counts the 2-byte framing header), so the median delay is 10 (9) frames' time at 20480 bytes/s, 488 (439) ms +-25 ms; the frames beyond it are dropped and counted (ours: showinfo's buffer full equals the frames lost)"
	atf_set require.user root
	atf_set timeout 120
}
chanbuf_body() {
	two_switches
	for WHO in ours debian; do
		rm -f "$PWD/wf.mgmt"
		if [ $WHO = ours ]; then
			start_wf wf "$WIREFILTER" -S 23 -b 20K -c 10000 \
			    -M "$PWD/wf.mgmt"
			k=10
		else
			start_wf wf "$ORIG_WIREFILTER" -b 20K -c 10000
			k=9
		fi
		probe chan --count 500 --rate 250 --size 1000 --dir lr
		# 250 frames/s in, 20.48 out: the channel stays full, and
		# each frame waits for the k ahead of it and itself to leave
		# (48.83 ms each).  Without the bound they would wait up to
		# 22 s (the 460 frames the bandwidth had not let through).
		set -- $(awk -v k=$k 'BEGIN { t = k * 1000 / 20.48;
		    printf "%.1f %.1f", t - 25, t + 25 }')
		within "$WHO median delay, ms" "$(field chan.lr delay_median)" \
		    $1 $2
		lost=$(field chan.lr lost)
		[ "$lost" -gt 400 ] ||
		    atf_fail "$WHO: only $lost of 500 frames dropped"
		if [ $WHO = ours ]; then
			"$VDECMD" -s "$PWD/wf.mgmt" showinfo >info.out ||
			    atf_fail "showinfo failed"
			cat info.out
			grep -q "^buffer full  *$lost  *0\$" info.out ||
			    atf_fail "buffer full is not the $lost frames lost"
		fi
		stop_wf wf
	done
}
chanbuf_cleanup() {
	kill_all
}

atf_test_case netem cleanup
netem_head() {
	atf_set descr "loss 10% and delay 20 ms, measured the same way on the kernel's netem (a bridge in a user-mode-linux guest between the switches, netem on its way to s2), ours (-l 10 -d 20) and Debian's: loss within the 99% CI on 10000 frames (9.23..10.77%), median delay 19.5..24.5 ms"
	atf_set require.user root
	atf_set timeout 300
}
netem_body() {
	need_uml net/sched/sch_netem.ko net/bridge/bridge.ko
	need_prog tc
	two_switches
	set -- $(ci 0.10 10000)
	llo=$1 lhi=$2
	# The guest's eth0 is a cable to s1, eth1 one to s2, bridged; netem
	# on eth1 acts on the frames going left to right (s1 to s2).
	cat >guest.sh <<'GUEST'
modprobe bridge && modprobe sch_netem; echo "$?" >/out/modprobe
ip link set eth0 up
ip link set eth1 up
brctl addbr br0
brctl addif br0 eth0
brctl addif br0 eth1
ip link set br0 up
$UML_HOSTRUN /usr/sbin/tc qdisc add dev eth1 root netem loss 10% delay 20ms
echo "$?" >/out/tc
$UML_HOSTRUN /usr/sbin/tc qdisc show dev eth1
echo up >/out/up
i=0
while [ ! -f /out/go ] && [ $i -lt 1800 ]; do sleep 0.1; i=$((i + 1)); done
GUEST
	for WHO in netem ours debian; do
		case $WHO in
		netem)
			UML_HOSTUSR=1 uml_root guest.sh
			uml_boot "$PWD/s1.sw" "" "$PWD/s2.sw"
			wait_for 90 test -f uml.root/out/up
			cat uml.root/out/log
			atf_check -o inline:"0\n" cat uml.root/out/modprobe
			atf_check -o inline:"0\n" cat uml.root/out/tc
			;;
		ours)
			start_wf wf "$WIREFILTER" -S 24 -l 10 -d 20
			;;
		debian)
			start_wf wf "$ORIG_WIREFILTER" -l 10 -d 20
			;;
		esac
		# 500 frames/s: the guest keeps up on a loaded machine.
		probe nm --count 10000 --rate 500 --dir lr
		if [ $WHO = netem ]; then
			touch uml.root/out/go
			wait_for 30 test -f uml.root/out/end
			wait_for 30 sh -c '! kill -0 "$(cat uml.pid)"'
		else
			stop_wf wf
		fi
		within "$WHO loss LR" "$(ratio nm.lr lost sent)" $llo $lhi
		# The median delay, the path's own (about 1 ms) included:
		# the delay case's tolerance for a loaded machine (3.65 ms)
		# above 20 ms plus the path's, and at least 20 ms less the
		# half millisecond by which ours sends early.
		within "$WHO median delay, ms" "$(field nm.lr delay_median)" \
		    19.5 24.5
	done
}
netem_cleanup() {
	uml_cleanup
	kill_all
}

atf_test_case bad_input cleanup
bad_input_head() {
	atf_set descr "impossible values, malformed options, rc lines and console commands get clear errors and change nothing"
	atf_set require.user root
	atf_set timeout 60
}
bad_input_body() {
	two_switches
	V="-v $PWD/s1.sw:$PWD/s2.sw"
	atf_check -s exit:1 -e match:"loss 200: 200 is out of range \(0 to 100 %\)" \
	    timeout 10 "$WIREFILTER" $V -l 200
	atf_check -s exit:1 -e match:"delay -5: negative values are impossible" \
	    timeout 10 "$WIREFILTER" $V -d -5
	atf_check -s exit:1 -e match:"dup 100: 100 is out of range .*the maximum excluded" \
	    timeout 10 "$WIREFILTER" $V -D 100
	atf_check -s exit:1 -e match:"loss 1x: expected \[LR\|RL\]value" \
	    timeout 10 "$WIREFILTER" $V -l 1x
	atf_check -s exit:1 -e match:"mtu 1500\+3: no random variation" \
	    timeout 10 "$WIREFILTER" $V -m 1500+3
	atf_check -s exit:1 -e match:"lostburst 0.5: a mean burst length is 0 \(off\) or at least 1" \
	    timeout 10 "$WIREFILTER" $V -L 0.5
	atf_check -s exit:1 -e match:"--daemon needs -v" \
	    timeout 10 "$WIREFILTER" -l 10 --daemon
	atf_check -s exit:1 -e match:"ALTERNATE_STDIN is not set" \
	    timeout 10 "$WIREFILTER" -l 10
	printf 'loss 5\n\n# a comment\nloss 300\n' >bad.rc
	atf_check -s exit:1 -e match:"bad.rc:4: loss 300: 300 is out of range" \
	    timeout 10 "$WIREFILTER" $V -f bad.rc

	printf 'loss 7\ndelay LR3 RL4\n' >good.rc
	start_wf wf "$WIREFILTER" -S 19 -f good.rc -M "$PWD/wf.mgmt"
	wait_for 10 test -S "$PWD/wf.mgmt"
	"$VDECMD" -s "$PWD/wf.mgmt" showinfo >before.out ||
	    atf_fail "showinfo failed"
	grep -q '^loss  *7+0U  *7+0U$' before.out ||
	    atf_fail "the rc file was not applied: $(cat before.out)"
	grep -q '^delay  *3+0U  *4+0U$' before.out ||
	    atf_fail "the rc file was not applied: $(cat before.out)"
	atf_check -s exit:22 -e match:"1022 loss 200: 200 is out of range" \
	    "$VDECMD" -s "$PWD/wf.mgmt" loss 200
	atf_check -s exit:22 -e match:"1022 delay -5: negative values are impossible" \
	    "$VDECMD" -s "$PWD/wf.mgmt" -c "delay -5"
	atf_check -s exit:22 -e match:"1022 delay LR10 RLx: expected" \
	    "$VDECMD" -s "$PWD/wf.mgmt" delay LR10 RLx
	atf_check -s exit:38 -e match:"1038 lose: unknown command \(try help\)" \
	    "$VDECMD" -s "$PWD/wf.mgmt" lose 10
	atf_check -s exit:22 -e match:"1022 fifo 2: 0 or 1 expected" \
	    "$VDECMD" -s "$PWD/wf.mgmt" fifo 2
	atf_check -s exit:22 -e match:"bad.rc:4: loss 300: 300 is out of range" \
	    "$VDECMD" -s "$PWD/wf.mgmt" load "$PWD/bad.rc"
	"$VDECMD" -s "$PWD/wf.mgmt" showinfo >after.out
	# Nothing changed: not even loss 5, the good first line of bad.rc.
	diff before.out after.out || atf_fail "a refused command changed a setting"
	# And a good command does.
	atf_check -s exit:0 "$VDECMD" -s "$PWD/wf.mgmt" loss LR1.5
	"$VDECMD" -s "$PWD/wf.mgmt" showinfo | grep -q '^loss  *1.5+0U  *7+0U$' ||
	    atf_fail "loss LR1.5 was not applied"
	grep -q '^seed  *19$' after.out || atf_fail "showinfo lacks the seed"
}
bad_input_cleanup() {
	kill_all
}

# markov_rc FILE: two nodes, node 1 loses everything; a step every 5 ms
# goes to node 1 with probability 0.25 from either node (the edges 0->1
# 25 and 1->0 75 leave loops of 75 and 25), so each step's node is drawn
# independently of the last and the chain is in node 1 a quarter of the
# time.
markov_rc() {
	cat >"$1" <<-EOF
	markov-numnodes 2
	markov-time 5
	markov-name 0,good
	markov-name 1,dead
	loss 100[1]
	setedge 0,1,25
	setedge 1,0,75
	EOF
}

atf_test_case markov_loss cleanup
markov_loss_head() {
	atf_set descr "Markov mode from an rc file: a node with loss 0 and one with loss 100, the chain in the second a quarter of the time: loss 25% (99% CI over the ~2000 independent 5 ms steps of 20000 frames: 22.5..27.5%), ours and Debian's"
	atf_set require.user root
	atf_set timeout 180
}
markov_loss_body() {
	two_switches
	markov_rc markov.rc
	# 20000 frames at 2000/s last 10 s, 2000 steps of 5 ms, ~10 frames
	# each, all lost or all kept: the loss rate is the mean of 2000
	# Bernoulli(0.25) draws, sd sqrt(0.25 * 0.75 / 2000).
	set -- $(awk 'BEGIN { e = 2.576 * sqrt(0.25 * 0.75 / 2000);
	    printf "%.5f %.5f", 0.25 - e, 0.25 + e }')
	for WHO in ours debian; do
		if [ $WHO = ours ]; then
			start_wf wf "$WIREFILTER" -S 31 -f markov.rc
		else
			start_wf wf "$ORIG_WIREFILTER" -f markov.rc
		fi
		probe markov --count 20000 --rate 2000 --dir lr
		stop_wf wf
		within "$WHO loss in Markov mode" "$(ratio markov.lr lost sent)" \
		    "$1" "$2"
	done
}
markov_loss_cleanup() {
	kill_all
}

atf_test_case markov_seed cleanup
markov_seed_head() {
	atf_set descr "-S makes the Markov chain's walk repeatable: the same seed gives the same 200 node changes (markov-debug trace), another seed others"
	atf_set require.user root
	atf_set timeout 120
}
markov_seed_body() {
	two_switches
	cat >walk.rc <<-EOF
	markov-numnodes 3
	markov-time 3600000
	setedge 0,1,30
	setedge 0,2,30
	setedge 1,0,50
	setedge 1,2,20
	setedge 2,0,40
	EOF
	for run in a b c; do
		seed=41
		[ $run = c ] && seed=42
		start_wf wf "$WIREFILTER" -S $seed -f walk.rc -M "$PWD/wf.mgmt"
		wait_for 10 test -S "$PWD/wf.mgmt"
		# The walk starts (a step every 2 ms) once the trace is on.
		$PYTHON_ANYUSER "$HELPERS/wftrace.py" "$PWD/wf.mgmt" 200 30 \
		    "markov-time 2" >walk.$run 2>walk.$run.err ||
		    atf_fail "no trace: $(cat walk.$run.err)"
		stop_wf wf
		wait_for 10 test ! -S "$PWD/wf.mgmt"
	done
	head -3 walk.a
	[ "$(wc -l <walk.a)" -eq 200 ] || atf_fail "200 changes expected"
	cmp walk.a walk.b ||
	    atf_fail "the same seed gave two walks, from change $(cmp walk.a walk.b | awk '{ print $NF }') on"
	if cmp -s walk.a walk.c; then
		atf_fail "seeds 41 and 42 gave the same walk"
	fi
}
markov_seed_cleanup() {
	kill_all
}

# wfc CMD...: a command to our wirefilter's console at wf.mgmt.
wfc() {
	"$VDECMD" -s "$PWD/wf.mgmt" "$@"
}

atf_test_case markov_resize cleanup
markov_resize_head() {
	atf_set descr "markov-numnodes resizes the chain as VDE 2 does: edges to removed nodes go back to the loop, a removed current node makes node 0 current, new nodes are plain (every value 0, no name) and unreachable, with a loop of 100%"
	atf_set require.user root
	atf_set timeout 60
}
markov_resize_body() {
	two_switches
	start_wf wf "$WIREFILTER" -S 24 -M "$PWD/wf.mgmt"
	wait_for 10 test -S "$PWD/wf.mgmt"
	# No step for an hour: the current node is the one set.
	for c in "markov-time 3600000" "markov-numnodes 3" "setedge 0,1,20" \
	    "setedge 0,2,30" "setedge 2,1,40" "loss 7[2]" "markov-name 2,two" \
	    "markov-setnode 2"; do
		wfc $c || atf_fail "$c refused"
	done
	wfc showedges 0 >e0.out
	cat e0.out
	grep -q '^edge 0 -> 0  "" -> ""  weight 50$' e0.out ||
	    atf_fail "the loop of node 0 is not 100 - 20 - 30"
	grep -q '^edge 0 -> 2  "" -> "two"  weight 30$' e0.out ||
	    atf_fail "edge 0 -> 2 missing"
	wfc showcurrent | grep -q '^current node 2 "two" of 3 (0 to 2)$' ||
	    atf_fail "markov-setnode 2 not shown by showcurrent"

	atf_check -s exit:0 "$VDECMD" -s "$PWD/wf.mgmt" markov-numnodes 2
	wfc showedges 0 >e1.out
	cat e1.out
	printf '%s\n' 'edge 0 -> 0  "" -> ""  weight 80' \
	    'edge 0 -> 1  "" -> ""  weight 20' >e1.want
	diff e1.want e1.out ||
	    atf_fail "the weight of the edge to a removed node did not go to the loop"
	wfc showcurrent | grep -q '^current node 0 "" of 2 (0 to 1)$' ||
	    atf_fail "removing the current node did not make node 0 current"

	atf_check -s exit:0 "$VDECMD" -s "$PWD/wf.mgmt" markov-numnodes 3
	wfc showedges 2 >e2.out
	echo 'edge 2 -> 2  "" -> ""  weight 100' >e2.want
	diff e2.want e2.out || atf_fail "a new node is not a plain loop"
	wfc showedges 0 >e3.out
	diff e1.want e3.out || atf_fail "a new node is reachable"
	wfc showinfo 2 >i2.out
	grep -q '^node  *2 "" of 3 (0 to 2), current 0' i2.out ||
	    atf_fail "showinfo 2: $(head -1 i2.out)"
	grep -q '^loss  *0+0U  *0+0U$' i2.out ||
	    atf_fail "a new node kept the values of a removed one"
}
markov_resize_cleanup() {
	kill_all
}

atf_test_case markov_bad_input cleanup
markov_bad_input_head() {
	atf_set descr "bad Markov commands (nodes out of range, weights over 100% in all, bad syntax, too many nodes) in options, rc files and on the console get clear errors and change nothing"
	atf_set require.user root
	atf_set timeout 60
}
markov_bad_input_body() {
	two_switches
	V="-v $PWD/s1.sw:$PWD/s2.sw"
	printf 'markov-numnodes 3\nloss 5[1]\nsetedge 0,1,120\n' >bad1.rc
	atf_check -s exit:1 -e match:"bad1.rc:3: setedge 0,1,120: 120 is out of range \(0 to 100 %\)" \
	    timeout 10 "$WIREFILTER" $V -f bad1.rc
	printf 'loss 10[1]\n' >bad2.rc
	atf_check -s exit:1 -e match:"bad2.rc:1: loss 10\[1\]: node 1 does not exist: the chain has 1 node \(0 to 0\)" \
	    timeout 10 "$WIREFILTER" $V -f bad2.rc
	atf_check -s exit:1 -e match:"loss 10\[1\]: node 1 does not exist" \
	    timeout 10 "$WIREFILTER" $V -l '10[1]'
	atf_check -s exit:1 -e match:"--blinkid x{65}: an id is 1 to 64 bytes without blanks" \
	    timeout 10 "$WIREFILTER" $V --blink "$PWD/b.sock" \
	    --blinkid "$(printf 'x%.0s' $(seq 65))"
	atf_check -s exit:1 -e match:"--blinkid needs --blink" \
	    timeout 10 "$WIREFILTER" $V --blinkid abc
	atf_check -s exit:1 -e match:"--blink /x*: path too long" \
	    timeout 10 "$WIREFILTER" $V --blink "/$(printf 'x%.0s' $(seq 200))"

	start_wf wf "$WIREFILTER" -S 25 -M "$PWD/wf.mgmt"
	wait_for 10 test -S "$PWD/wf.mgmt"
	for c in "markov-time 3600000" "markov-numnodes 3" "setedge 0,1,60" \
	    "markov-name 1,one" "delay 5[1]"; do
		wfc $c || atf_fail "$c refused"
	done
	snap() {
		for c in "showinfo 0" "showinfo 1" "showinfo 2" "showedges 0" \
		    "showedges 1" "showcurrent"; do
			wfc $c || atf_fail "$c failed"
		done
	}
	snap >before.out
	e() {
		atf_check -s exit:22 -e match:"1022 $2" "$VDECMD" -s "$PWD/wf.mgmt" -c "$1"
	}
	e "markov-numnodes 65" "markov-numnodes 65: a number of nodes from 1 to 64 is expected"
	e "markov-numnodes 0" "markov-numnodes 0: a number of nodes from 1 to 64"
	e "markov-numnodes two" "markov-numnodes two: a number of nodes"
	e "setedge 0,3,10" "setedge 0,3,10: node 3 does not exist: the chain has 3 nodes \(0 to 2\)"
	e "setedge 1,0,101" "setedge 1,0,101: 101 is out of range \(0 to 100 %\)"
	e "setedge 0,2,50" "setedge 0,2,50: the edges from node 0 would weigh 110%, over 100%"
	e "setedge 0,0,5" "setedge 0,0,5: the loop of a node is what its other edges leave of 100%"
	e "setedge 0,1,-1" "setedge 0,1,-1: the weight is a number from 0 to 100"
	e "setedge 0,1,nan" "setedge 0,1,nan: the weight is a number from 0 to 100"
	e "setedge 0 1 5" "setedge 0 1 5: expected from,to,weight"
	e "markov-setnode 3" "markov-setnode 3: node 3 does not exist"
	e "markov-setnode" "markov-setnode: a node number is needed"
	e 'markov-name 0,a"b' "markov-name 0,a\"b: a name is printable ASCII without"
	e "markov-name 0,$(printf 'x%.0s' $(seq 32))" "markov-name 0,x{32}: a name has at most 31 characters"
	e "markov-name 0" "markov-name 0: expected node,name"
	e "markov-time 0" "markov-time 0: milliseconds from 1 to 3600000 are expected"
	e "markov-time 3600001" "markov-time 3600001: milliseconds from 1 to 3600000"
	e "loss 5[3]" "loss 5\[3\]: node 3 does not exist"
	e "loss 5[x]" "loss 5\[x\]: a node number is expected"
	e "loss 5[1]x" "loss 5\[1\]x: expected \[LR\|RL\]value"
	e "loss 200[1]" "loss 200: 200 is out of range \(0 to 100 %\)"
	e "showinfo 3" "showinfo 3: node 3 does not exist"
	e "showedges 1 2" "showedges 1 2: one node number is expected"
	e "markov-debug x" "markov-debug x: a level from 0 to 999"
	printf 'markov-numnodes 5\nmarkov-setnode 4\nsetedge 0,2,41\n' >bad3.rc
	e "load $PWD/bad3.rc" ".*bad3.rc:3: setedge 0,2,41: the edges from node 0 would weigh 101%"
	snap >after.out
	diff before.out after.out || atf_fail "a refused command changed the chain"
	# And good ones do.
	wfc setedge 0,2,40 || atf_fail "setedge 0,2,40 refused"
	wfc showedges 0 | grep -q '^edge 0 -> 2  "" -> ""  weight 40$' ||
	    atf_fail "setedge 0,2,40 not applied"
}
markov_bad_input_cleanup() {
	kill_all
}

# blink_check WHO ID LEN: the messages blinkrx_WHO.out got: well formed,
# and as many "ID DIR LEN" as frames of LEN bytes arrived in DIR.
# Debian's wirefilter waits for a full reader, so none is lost.
blink_check() {
	grep -v -E "^$2 (LR|RL) [0-9]+\$" blinkrx_$1.out &&
	    atf_fail "$1: malformed --blink messages"
	for d in lr rl; do
		D=$(echo $d | tr a-z A-Z)
		want=$(field blink.$d received)
		wait_for 10 sh -c "[ \$(grep -c '^$2 $D $3\$' blinkrx_$1.out) -eq $want ]"
		within "$1 $D --blink messages of frames of $3 bytes" \
		    "$(grep -c "^$2 $D $3\$" blinkrx_$1.out)" "$want" "$want"
	done
}

# blink_ours ID: ours never waits for the reader, and a message the
# reader's socket does not take is counted as lost.  The queue of the
# reader is long, but the messages in it count against wirefilter's send
# buffer (about 270 of them): when the reader is more than that late on
# a loaded machine some are lost.  So: one message tried per frame
# delivered (sent + lost = frames out), every one sent arrived, and the
# frames of 100 bytes that arrived have a message each but for the lost
# ones (at most 10% of them).
blink_ours() {
	_id=$1
	for d in lr rl; do
		D=$(echo $d | tr a-z A-Z)
		col=3
		[ $d = rl ] && col=4
		set -- $(awk -v c=$col '/^frames out/ || /^blinks sent/ ||
		    /^blinks lost/ { print $c }' info.out)
		fo=$1 bs=$2 bl=$3
		echo "ours $D: $fo frames out, $bs messages sent, $bl lost"
		[ $((bs + bl)) -eq "$fo" ] ||
		    atf_fail "ours $D: $bs + $bl messages for $fo frames"
		wait_for 10 sh -c "[ \$(grep -c '^$_id $D ' blinkrx_ours.out) -eq $bs ]"
		want=$(field blink.$d received)
		within "ours $D --blink messages of frames of 100 bytes" \
		    "$(grep -c "^$_id $D 100\$" blinkrx_ours.out)" \
		    "$((want - bl))" "$want"
		[ $((bl * 10)) -le "$fo" ] ||
		    atf_fail "ours $D: $bl of $fo messages lost"
	done
}

atf_test_case blink cleanup
blink_head() {
	atf_set descr "--blink SOCKET --blinkid ID: one datagram \"ID LR|RL LEN\" per frame the cable delivers (duplicates included), ours (lost messages counted, at most 10%) and Debian's (Debian's LEN is the frame's length plus 2)"
	atf_set require.user root
	atf_set timeout 120
}
blink_body() {
	two_switches
	# The reader's queue: the default of 10 datagrams would drop
	# messages whenever the reader is a few ms late on a loaded
	# machine.  The limit is per network namespace, and a socket's is
	# its namespace's: the reader binds in one of its own.
	ns=wfblink$$
	netns $ns
	ip netns exec $ns sysctl -qw net.unix.max_dgram_qlen=65536 ||
	    atf_fail "sysctl in $ns"
	for WHO in ours debian; do
		rm -f "$PWD/blink.sock"
		bg blinkrx_$WHO ip netns exec $ns nice -n -5 $PYTHON_ANYUSER \
		    "$HELPERS/blinkrx.py" "$PWD/blink.sock"
		wait_for 10 test -S "$PWD/blink.sock"
		if [ $WHO = ours ]; then
			start_wf wf "$WIREFILTER" -S 26 -l 10 -D 10 \
			    --blink "$PWD/blink.sock" --blinkid wf-a \
			    -M "$PWD/wf.mgmt"
			len=100
		else
			start_wf wf "$ORIG_WIREFILTER" -l 10 -D 10 \
			    --blink "$PWD/blink.sock" --blinkid wf-a
			len=102
		fi
		probe blink --count 2000 --rate 2000 --size 100
		[ $WHO = ours ] && wfc showinfo >info.out
		stop_wf wf
		grep -v -E "^wf-a (LR|RL) [0-9]+\$" blinkrx_$WHO.out &&
		    atf_fail "$WHO: malformed --blink messages"
		if [ $WHO = ours ]; then
			blink_ours wf-a
		else
			blink_check $WHO wf-a $len
		fi
		kill "$(pid_of blinkrx_$WHO)"
	done
}
blink_cleanup() {
	kill_all
}

atf_test_case blink_noreader cleanup
blink_noreader_head() {
	atf_set descr "--blink to a socket nobody binds, or whose reader never reads: the cable passes every frame all the same (2000 each way at 2000/s, none lost) and counts the messages not taken"
	atf_set require.user root
	atf_set timeout 120
}
blink_noreader_body() {
	two_switches
	for how in none stuck; do
		rm -f "$PWD/blink.sock"
		if [ $how = stuck ]; then
			bg blinkrx $PYTHON_ANYUSER "$HELPERS/blinkrx.py" \
			    "$PWD/blink.sock" --noread
			wait_for 10 test -S "$PWD/blink.sock"
		fi
		start_wf wf "$WIREFILTER" -S 27 --blink "$PWD/blink.sock" \
		    -M "$PWD/wf.mgmt"
		probe stuck --count 2000 --rate 2000 --size 100
		wfc showinfo >info.out
		stop_wf wf
		wait_for 10 test ! -S "$PWD/wf.mgmt"
		for d in lr rl; do
			[ "$(field stuck.$d lost)" -eq 0 ] ||
			    atf_fail "$how: frames lost with a blink reader $how"
		done
		set -- $(awk '/^frames out/ { print $3 + $4 }
		    /^blinks sent/ { print $3 + $4 }
		    /^blinks lost/ { print $3 + $4 }' info.out)
		echo "$how: $1 frames out, $2 messages sent, $3 not taken"
		[ "$1" -ge 4000 ] || atf_fail "$how: $1 frames out"
		[ "$(($2 + $3))" -eq "$1" ] ||
		    atf_fail "$how: $2 + $3 messages for $1 frames"
		[ "$3" -gt 0 ] || atf_fail "$how: no message was refused"
		if [ $how = none ] && [ "$2" -ne 0 ]; then
			atf_fail "$how: messages sent to nobody"
		fi
	done
}
blink_noreader_cleanup() {
	kill_all
}

atf_test_case mgmt_stale cleanup
mgmt_stale_head() {
	atf_set descr "-M: a stale socket (nobody listening) is replaced, a live one or a file that is not a socket is refused and left alone"
	atf_set require.user root
	atf_set timeout 60
}
mgmt_stale_body() {
	two_switches
	V="-v $PWD/s1.sw:$PWD/s2.sw"
	echo keep >file.mgmt
	atf_check -s exit:1 -e match:"management socket $PWD/file.mgmt: a file that is not a socket is in the way" \
	    timeout 10 "$WIREFILTER" $V -M "$PWD/file.mgmt"
	[ "$(cat file.mgmt)" = keep ] || atf_fail "the file was touched"
	# A socket whose process is gone.
	$PYTHON_ANYUSER -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)' \
	    "$PWD/wf.mgmt"
	test -S "$PWD/wf.mgmt" || atf_fail "no stale socket made"
	start_wf wf "$WIREFILTER" -S 28 -M "$PWD/wf.mgmt"
	wait_for 10 sh -c "'$VDECMD' -s '$PWD/wf.mgmt' showcurrent"
	# Live: a second one must not take it.
	atf_check -s exit:1 -e match:"management socket $PWD/wf.mgmt is in use by another process" \
	    timeout 10 "$WIREFILTER" $V -M "$PWD/wf.mgmt"
	wfc showcurrent >/dev/null ||
	    atf_fail "the live socket was taken from the first wirefilter"
}
mgmt_stale_cleanup() {
	kill_all
}

atf_init_test_cases() {
	atf_add_test_case loss
	atf_add_test_case asymmetric
	atf_add_test_case burst
	atf_add_test_case dup
	atf_add_test_case delay
	atf_add_test_case reorder
	atf_add_test_case mtu
	atf_add_test_case bandwidth
	atf_add_test_case speed
	atf_add_test_case stream
	atf_add_test_case noise
	atf_add_test_case chanbuf
	atf_add_test_case netem
	atf_add_test_case bad_input
	atf_add_test_case markov_loss
	atf_add_test_case markov_seed
	atf_add_test_case markov_resize
	atf_add_test_case markov_bad_input
	atf_add_test_case blink
	atf_add_test_case blink_noreader
	atf_add_test_case mgmt_stale
}
