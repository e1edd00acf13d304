#!/bin/sh
#
# mkdistinfo.sh [TARBALL]: print the port's distinfo for a release tarball
# (default: vde-VERSION.tar.gz at the top of the tree, made by "make
# dist"), what "make makesum" would write on FreeBSD.  Because make dist
# is reproducible, anyone can check a published distinfo against the tag:
#
#	make dist && sh packaging/freebsd/mkdistinfo.sh > packaging/freebsd/distinfo
set -eu

cd "$(dirname "$0")/../.."
tarball=${1:-vde-$(cat VERSION).tar.gz}
[ -f "$tarball" ] || { echo "mkdistinfo.sh: no $tarball (make dist)" >&2; exit 1; }
if command -v sha256 >/dev/null 2>&1; then
	sum=$(sha256 -q "$tarball")
else
	sum=$(sha256sum "$tarball" | cut -d' ' -f1)
fi
size=$(wc -c <"$tarball" | tr -d ' ')
base=$(basename "$tarball")
echo "TIMESTAMP = ${SOURCE_DATE_EPOCH:-$(date +%s)}"
echo "SHA256 ($base) = $sum"
echo "SIZE ($base) = $size"
