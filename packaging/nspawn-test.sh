#!/bin/sh
#
# nspawn-test.sh [ROOT]: start vde_switch@.service under systemd, in a
# container booted with systemd-nspawn from the chroot ROOT (default
# /var/tmp/vde-bookworm) in which packaging/chroot-test.sh installed our
# packages.  The container has its own network namespace: its taps never
# reach the host.  Needs root, systemd-nspawn (systemd-container) and
# systemd in ROOT (installed here when missing).
#
# Checks: an instance runs with the options of /etc/vde2/NAME.conf, its
# directory and management socket under /run/vde2/NAME, answering vdecmd;
# killed, it is restarted (Restart=on-failure); an instance with a tap
# runs with the drop-in the README documents and fails without it (no
# CAP_NET_ADMIN, no /dev/net/tun); a stopped instance leaves nothing in
# /run/vde2.
set -eu

root=${1:-/var/tmp/vde-bookworm}
log=$(mktemp "${TMPDIR:-/tmp}/vde-nspawn.XXXXXX")
fail() {
	echo "nspawn-test: FAIL: $*" >&2
	exit 1
}
ok() {
	echo "nspawn-test: ok: $*"
}
wait_for() {
	_n=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 1
		sleep 0.1
	done
}

[ -x "$root/usr/bin/vde_switch" ] || fail "no vde_switch in $root (chroot-test.sh first)"
if [ ! -x "$root/lib/systemd/systemd" ]; then
	chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    -qq --no-install-recommends systemd dbus >/dev/null
fi
mkdir -p "$root/etc/vde2" "$root/etc/systemd/system/vde_switch@sw1.service.d"
echo 'OPTIONS="-n 16"' >"$root/etc/vde2/sw0.conf"
echo 'OPTIONS="-t vdetap1"' >"$root/etc/vde2/sw1.conf"
echo 'OPTIONS="-t vdetap2"' >"$root/etc/vde2/sw2.conf"
cat >"$root/etc/systemd/system/vde_switch@sw1.service.d/taps.conf" <<'EOS'
[Service]
CapabilityBoundingSet=CAP_CHOWN CAP_FOWNER CAP_SETUID CAP_SETGID CAP_NET_ADMIN
PrivateDevices=no
DeviceAllow=/dev/net/tun rw
EOS
for i in sw0 sw1 sw2; do
	chroot "$root" systemctl enable "vde_switch@$i.service" >/dev/null 2>&1
done

systemd-nspawn -D "$root" --boot --register=no --keep-unit --private-network \
    --machine=vdetest >"$log" 2>&1 </dev/null &
nspawn=$!
cleanup() {
	kill "$nspawn" 2>/dev/null || true
	wait "$nspawn" 2>/dev/null || true
	for i in sw0 sw1 sw2; do
		chroot "$root" systemctl disable "vde_switch@$i.service" \
		    >/dev/null 2>&1 || true
	done
	rm -rf "$root/etc/vde2/sw0.conf" "$root/etc/vde2/sw1.conf" \
	    "$root/etc/vde2/sw2.conf" \
	    "$root/etc/systemd/system/vde_switch@sw1.service.d" "$log"
}
trap cleanup EXIT
wait_for 30 pgrep -P "$nspawn" -x systemd || fail "the container did not boot"
init=$(pgrep -P "$nspawn" -x systemd)
in_ct() {
	nsenter -t "$init" -a -r -w "$@"
}
wait_for 60 in_ct systemctl is-active vde_switch@sw0 ||
    fail "vde_switch@sw0 is not active: $(in_ct systemctl status vde_switch@sw0 2>&1)"

# The instance: its options, directory and console.
in_ct systemctl show -p ExecMainStatus -p MainPID vde_switch@sw0
pid=$(in_ct systemctl show -p MainPID --value vde_switch@sw0)
in_ct cat "/proc/$pid/cmdline" | tr '\0' ' ' | grep -q -- '--nostdin -s /run/vde2/sw0/ctl -M /run/vde2/sw0/mgmt -n 16 $' ||
    fail "vde_switch@sw0 runs: $(in_ct cat /proc/$pid/cmdline | tr '\0' ' ')"
in_ct test -S /run/vde2/sw0/ctl/ctl || fail "no control socket in /run/vde2/sw0/ctl"
in_ct /usr/bin/vdecmd -s /run/vde2/sw0/mgmt showinfo | grep -q '^VDE switch V\.' ||
    fail "the console of sw0 does not answer"
ok "vde_switch@sw0 runs with /etc/vde2/sw0.conf, console at /run/vde2/sw0/mgmt"

# Restart=on-failure.  The pid is the container's: kill it in there.
in_ct sh -c 'kill -9 "$1"' sh "$pid"
wait_for 20 sh -c "[ \"\$(nsenter -t $init -a -r -w systemctl show -p NRestarts --value vde_switch@sw0)\" = 1 ]" ||
    fail "vde_switch@sw0 was not restarted"
wait_for 20 in_ct systemctl is-active vde_switch@sw0 || fail "sw0 not active after the restart"
ok "killed, vde_switch@sw0 was restarted"

# Taps: with the drop-in the switch makes its tap; without, it fails.
wait_for 30 in_ct systemctl is-active vde_switch@sw1 ||
    fail "vde_switch@sw1 (tap, drop-in) is not active: $(in_ct journalctl -u vde_switch@sw1 --no-pager 2>&1 | tail -n 5)"
in_ct ip link show vdetap1 >/dev/null || fail "no tap vdetap1 in the container"
ok "vde_switch@sw1 with the CAP_NET_ADMIN drop-in made its tap"
wait_for 30 sh -c "! nsenter -t $init -a -r -w systemctl is-active vde_switch@sw2" ||
    fail "vde_switch@sw2 made a tap without CAP_NET_ADMIN"
in_ct journalctl -u vde_switch@sw2 --no-pager | grep -i 'vdetap2' | tail -n 1
ok "vde_switch@sw2 without the drop-in cannot make its tap"

# Stopped, the instance leaves nothing behind.
in_ct systemctl stop vde_switch@sw0
in_ct test ! -e /run/vde2/sw0 || fail "/run/vde2/sw0 is left after stop"
ok "stopped, vde_switch@sw0 removed /run/vde2/sw0"
in_ct systemctl poweroff >/dev/null 2>&1 || true
wait_for 30 sh -c "! kill -0 $nspawn" || true
echo "nspawn-test: all passed"
