#!/bin/sh
#
# dist.sh VERSION: write vde-VERSION.tar.gz at the top of the tree ("make
# dist").
#
# The files are those git tracks (git ls-files), with their contents in
# the working tree: a new source is in the tarball as soon as it is added
# to git, with no second list to keep (files.mk lists what is built, not
# the READMEs, tests' data, debian/ or packaging/), and nothing a build
# or a test left in the tree gets in.  So "make dist" needs a git
# checkout.
#
# The tarball is reproducible: entries sorted by name, owner and group
# 0, modes 0644 or 0755, every mtime that of the last commit (or
# SOURCE_DATE_EPOCH), ustar headers (no access or change times) and gzip
# without a name or time stamp.  The same tree gives the same bytes with
# the same GNU tar and gzip.
set -eu

[ $# -eq 1 ] || { echo "usage: dist.sh VERSION" >&2; exit 2; }
version=$1
name=vde-$version
cd "$(dirname "$0")/.."
if ! git rev-parse --show-toplevel >/dev/null 2>&1; then
	echo "dist.sh: not a git checkout: the file list is git ls-files" >&2
	exit 1
fi
tar=tar
command -v gtar >/dev/null 2>&1 && tar=gtar
if ! $tar --version 2>/dev/null | grep -q 'GNU tar'; then
	echo "dist.sh: needs GNU tar (gtar) for --sort and --mtime" >&2
	exit 1
fi
mtime=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}

list=$(mktemp "${TMPDIR:-/tmp}/vde-dist.XXXXXX")
trap 'rm -f "$list" "$name.tar.gz.tmp"' EXIT
git ls-files -z >"$list"
# A file git still tracks but the tree lost cannot be packed.
missing=$(git ls-files --deleted)
if [ -n "$missing" ]; then
	echo "dist.sh: tracked but missing from the tree: $missing" >&2
	exit 1
fi

LC_ALL=C $tar --null --verbatim-files-from -T "$list" \
    --sort=name --format=ustar --owner=0 --group=0 --numeric-owner \
    --mode='u=rwX,go=rX' --mtime="@$mtime" \
    --transform="flags=r;s,^,$name/," -cf - |
    gzip -9 -n >"$name.tar.gz.tmp"
mv "$name.tar.gz.tmp" "$name.tar.gz"
echo "$name.tar.gz"
