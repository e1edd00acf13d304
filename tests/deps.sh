#!/bin/sh
#
# deps.sh: install what building and testing vde needs on Debian 12 (or a
# derivative), idempotently: packages already present are not touched and
# the package lists are only refreshed when something is missing.  Needs
# root.  On other systems it prints the list and leaves it to you.
#
#	sh tests/deps.sh		everything the tests and CI need
#	sh tests/deps.sh build		only what building and the demo need

BUILD_PKGS="make gcc pkg-config libbsd-dev libpcap-dev iproute2 iputils-ping"
PKGS="$BUILD_PKGS bmake clang libclang-rt-14-dev \
    kyua atf-sh libatf-dev mandoc \
    vde2 vdeplug libvdeplug-dev vde-wirefilter qemu-system-x86 \
    iproute2 iputils-ping iperf3 openssh-server openssh-client tcpdump tshark \
    python3 python3-scapy socat procps psmisc util-linux kmod \
    user-mode-linux busybox-static ethtool \
    git dpkg-dev debhelper lintian fakeroot devscripts autopkgtest \
    debootstrap systemd"

[ "${1:-}" = build ] && PKGS=$BUILD_PKGS

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: not a Debian system; install the equivalents of:" >&2
	echo "  $PKGS" >&2
	exit 0
fi

missing=
for p in $PKGS; do
	st=$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || exit 1
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
