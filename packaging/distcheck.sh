#!/bin/sh
#
# distcheck.sh VERSION: check the release tarball ("make distcheck").
#
# Makes vde-VERSION.tar.gz, then in a temporary directory: checks that
# every file of the tree that is not ignored by git is in it; builds one
# unpacked copy with GNU make and another with bmake; builds the tests
# and runs those that need no root (DISTCHECK_TESTS of files.mk, through
# Kyua) in the GNU make copy; installs into a DESTDIR, uninstalls, and fails if anything but
# directories is left.  Also checks that "make dist" twice gives the same
# bytes.  Exits 0 only when every step passed.
set -eu

[ $# -eq 1 ] || { echo "usage: distcheck.sh VERSION" >&2; exit 2; }
version=$1
name=vde-$version
cd "$(dirname "$0")/.."
top=$PWD
MAKE_GNU=${MAKE_GNU:-make}
MAKE_BSD=${MAKE_BSD:-bmake}

say() { echo "distcheck: $*"; }
die() { echo "distcheck: FAILED: $*" >&2; exit 1; }

sh packaging/dist.sh "$version" >/dev/null
sum1=$(cksum <"$name.tar.gz")
sh packaging/dist.sh "$version" >/dev/null
sum2=$(cksum <"$name.tar.gz")
[ "$sum1" = "$sum2" ] || die "make dist gave different bytes twice"
say "$name.tar.gz reproducible ($sum1)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vde-distcheck.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# Every file of the tree, tracked or new but not ignored, is in the tarball.
tar -tzf "$name.tar.gz" | sed "s,^$name/,," | LC_ALL=C sort >"$tmp/in-tar"
git ls-files -co --exclude-standard | LC_ALL=C sort -u >"$tmp/in-tree"
missing=$(LC_ALL=C comm -13 "$tmp/in-tar" "$tmp/in-tree")
[ -z "$missing" ] || die "in the tree but not in the tarball (git add them):
$missing"
say "the tarball holds all $(wc -l <"$tmp/in-tree") files of the tree"

mkdir "$tmp/gnu" "$tmp/bsd" "$tmp/stage"
tar -xzf "$name.tar.gz" -C "$tmp/gnu"
tar -xzf "$name.tar.gz" -C "$tmp/bsd"
src=$tmp/gnu/$name
(cd "$src" && ./configure >/dev/null) || die "configure (GNU make copy)"
$MAKE_GNU -C "$src" >"$tmp/gnu.log" 2>&1 || { tail -n 30 "$tmp/gnu.log"; die "GNU make"; }
say "built with $MAKE_GNU"
(cd "$tmp/bsd/$name" && $MAKE_BSD -f BSDmakefile) >"$tmp/bsd.log" 2>&1 ||
    { tail -n 30 "$tmp/bsd.log"; die "bmake"; }
say "built with $MAKE_BSD"

# The tests that need no root, by their Kyua names.
tests=$($MAKE_GNU -s --no-print-directory -C "$src" print-distcheck-tests)
# Kyua loads the whole Kyuafile: every test program must exist.
$MAKE_GNU -C "$src" tests >>"$tmp/gnu.log" 2>&1 ||
    { tail -n 30 "$tmp/gnu.log"; die "make tests"; }
names=
for t in $tests; do names="$names ${t#tests/}"; done
(cd "$src/tests" && kyua test --kyuafile Kyuafile \
    --results-file "$tmp/kyua.db" $names) >"$tmp/kyua.log" 2>&1 || {
	tail -n 20 "$tmp/kyua.log"
	kyua report --results-file "$tmp/kyua.db" --verbose \
	    --results-filter broken,failed 2>&1 | tail -n 60
	die "tests:$names"
}
say "tests passed:$names"

$MAKE_GNU -C "$src" install DESTDIR="$tmp/stage" >>"$tmp/gnu.log" 2>&1 ||
    die "make install"
n=$(find "$tmp/stage" ! -type d | wc -l)
[ "$n" -gt 0 ] || die "make install staged nothing"
$MAKE_GNU -C "$src" uninstall DESTDIR="$tmp/stage" >>"$tmp/gnu.log" 2>&1 ||
    die "make uninstall"
left=$(find "$tmp/stage" ! -type d)
[ -z "$left" ] || die "make uninstall left: $left"
say "install staged $n files, uninstall removed them all"
say "$name.tar.gz is ready"
