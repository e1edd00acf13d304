#!/bin/sh
#
# deb.sh [OUTDIR]: build the Debian packages from the release tarball and
# check them with lintian (.ci/run runs it).
#
# Unpacks vde-VERSION.tar.gz (make dist) in a temporary directory, so the
# packages come from exactly what a release holds and the tree stays
# clean; runs dpkg-buildpackage -us -uc -b there; then lintian on the
# result, which must report no error and no warning (overrides are in
# debian/*.lintian-overrides, each with its reason).  The .deb files and
# the .changes end up in OUTDIR (default build-deb).
set -eu

cd "$(dirname "$0")/.."
top=$PWD
out=${1:-build-deb}
case $out in /*) ;; *) out=$top/$out ;; esac
version=$(cat VERSION)
name=vde-$version

sh packaging/dist.sh "$version" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vde-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$name.tar.gz" -C "$tmp"
(cd "$tmp/$name" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1 || {
	tail -n 60 "$tmp/build.log"
	echo "deb.sh: dpkg-buildpackage failed" >&2
	exit 1
}
rm -rf "$out"
mkdir -p "$out"
cp "$tmp"/*.deb "$tmp"/*.changes "$tmp"/*.buildinfo "$out"/
cp "$tmp/build.log" "$out/"
ls "$out"/*.deb

# lintian: E: and W: lines fail; I: and N: are information.
changes=$(ls "$out"/*.changes)
rc=0
lintian --fail-on error,warning --display-info "$changes" \
    >"$out/lintian.log" 2>&1 || rc=$?
cat "$out/lintian.log"
if [ "$rc" -ne 0 ] || grep -q '^[EW]: ' "$out/lintian.log"; then
	echo "deb.sh: lintian reported errors or warnings" >&2
	exit 1
fi
echo "deb.sh: lintian: no errors, no warnings"
