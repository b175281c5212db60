#!/bin/sh
# SPDX-License-Identifier: ISC
# Reproducible builds: the tree, copied into two folders of different names
# and depths, configured with the same options and built in build folders of
# different names, must install byte-identical files (lull, lull-voice, the
# sounds, the man pages, the unit, the completions). No build path and no
# build time may reach a binary. Slow (two whole builds), so CI runs it, not
# make check (tests/no-build-paths.sh is the quick check there).
#   tools/repro-check.sh [CONFIGURE OPTIONS]
# Copies the files git tracks, as they are in the work tree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jobs=${JOBS:-2}

one=$tmp/a/lull
two=$tmp/bb/somewhere/else/lull-copy
mkdir -p "$one" "$two"
git -C "$top" ls-files -z | (cd "$top" && tar --null -T - -cf -) | tar -xf - -C "$one"
(cd "$one" && ./bootstrap >"$tmp/bootstrap.log" 2>&1) || { cat "$tmp/bootstrap.log"; exit 1; }
cp -a "$one/." "$two"

build() { # SRCDIR BUILDDIR STAGE [configure options]
	s=$1 b=$2 d=$3; shift 3
	mkdir -p "$b"
	(cd "$b" && "$s/configure" "$@" >configure.log 2>&1 && make -j"$jobs" >make.log 2>&1 &&
		make install DESTDIR="$d" >install.log 2>&1) ||
		{ echo "repro-check: the build in $b failed:"; tail -20 "$b"/*.log; exit 1; }
}
build "$one" "$one/build" "$tmp/stage-1" "$@"
build "$two" "$two/_out/x" "$tmp/stage-2" "$@"

status=0
for f in $(cd "$tmp/stage-1" && find . -type f | sort); do
	if ! cmp -s "$tmp/stage-1/$f" "$tmp/stage-2/$f"; then
		echo "repro-check: differs: ${f#.}"
		status=1
	fi
done
(cd "$tmp/stage-2" && find . -type f | sort) >"$tmp/list-2"
(cd "$tmp/stage-1" && find . -type f | sort) | diff - "$tmp/list-2" || status=1
n=$(wc -l <"$tmp/list-2")
[ $status -eq 0 ] && echo "repro-check: $n installed files byte-identical across two folders"
exit $status
