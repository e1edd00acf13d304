#!/bin/sh
#
# chroot-test.sh DEBDIR [ROOT]: install the .debs of DEBDIR (packaging/
# deb.sh) into a throwaway Debian 12 chroot and run their autopkgtest
# there, never on the host (whose Debian vde2 other tests use as a peer).
#
# ROOT (default /var/tmp/vde-bookworm) is made with debootstrap when it
# does not exist.  In it, Debian's vde2, vdeplug and QEMU are installed
# first; then apt installs ours over them, which must leave no broken
# package (apt-get check) and keep qemu-system-x86 installed; then
# autopkgtest runs debian/tests/smoke with its chroot runner.  The chroot
# gets /proc, /sys and /dev bound (taps and namespaces are the host
# kernel's) and is bound onto itself so that "ip netns" can mount there;
# all are unmounted at the end.  Needs root and the Debian mirror.
set -eu

[ $# -ge 1 ] || { echo "usage: chroot-test.sh DEBDIR [ROOT]" >&2; exit 2; }
debs=$(cd "$1" && pwd)
root=${2:-/var/tmp/vde-bookworm}
cd "$(dirname "$0")/.."
top=$PWD

if [ ! -x "$root/usr/bin/apt-get" ]; then
	debootstrap --variant=minbase bookworm "$root" \
	    http://deb.debian.org/debian >"$root.debootstrap.log" 2>&1 || {
		tail -n 20 "$root.debootstrap.log"
		exit 1
	}
fi
# Unmounted at the end, newest first; "ip netns" inside leaves
# /run/netns mounts, which go with their parent (umount -R).
mounts=
umount_all() {
	for m in $mounts; do umount -R "$m" 2>/dev/null || true; done
	# A copy of /run/netns may have propagated to the host's side.
	while mountpoint -q "$root/run/netns"; do
		umount "$root/run/netns" || break
	done
}
trap umount_all EXIT
mountpoint -q "$root" || { mount --bind "$root" "$root"; mounts="$root"; }
for d in proc sys dev dev/pts; do
	if ! mountpoint -q "$root/$d"; then
		mount --bind "/$d" "$root/$d"
		mounts="$root/$d $mounts"
	fi
done
cp /etc/resolv.conf "$root/etc/resolv.conf"

in_root() {
	chroot "$root" env DEBIAN_FRONTEND=noninteractive "$@"
}
in_root apt-get update -qq
# Debian's VDE and QEMU first, as on a machine that had them (taken back
# from the archive if an earlier run left ours installed).
in_root apt-get install -y -qq --no-install-recommends --allow-downgrades \
    vde2/bookworm vde-switch/bookworm vdeplug/bookworm \
    libvdeplug2/bookworm libvdeplug-dev/bookworm qemu-system-x86 \
    iproute2 iputils-ping >/dev/null
rm -rf "$root/tmp/vde-debs"
mkdir "$root/tmp/vde-debs"
cp "$debs"/*.deb "$root/tmp/vde-debs/"
rm -f "$root"/tmp/vde-debs/*-dbgsym_*.deb
in_root sh -c 'apt-get install -y -qq --no-install-recommends /tmp/vde-debs/*.deb'
in_root apt-get check
in_root dpkg-query -W -f '${Package} ${Version} ${Status}\n' \
    vde-switch vde2 libvdeplug2 libvdeplug-dev qemu-system-x86 vdeplug 2>&1 |
    tee "$debs/chroot-packages.txt"
grep -q '^qemu-system-x86 .* installed$' "$debs/chroot-packages.txt" ||
    { echo "chroot-test.sh: QEMU was removed" >&2; exit 1; }
grep -q '^libvdeplug2 1:' "$debs/chroot-packages.txt" ||
    { echo "chroot-test.sh: our libvdeplug2 is not installed" >&2; exit 1; }

# The source tree autopkgtest reads debian/tests from: the release's.
version=$(cat VERSION)
sh packaging/dist.sh "$version" >/dev/null
src=$(mktemp -d "${TMPDIR:-/tmp}/vde-apt.XXXXXX")
tar -xzf "vde-$version.tar.gz" -C "$src"
rc=0
autopkgtest "$debs"/vde-switch_*.deb "$debs"/vde2_*.deb \
    "$debs"/libvdeplug2_*.deb "$src/vde-$version/" -- chroot "$root" || rc=$?
rm -rf "$src"
exit "$rc"
