#!/bin/sh
# SPDX-License-Identifier: ISC
# No path of the build is compiled into the programs that get installed:
# an installed lull that preferred its builder's checkout ran whatever was
# later planted there, and a build path makes two builds of one tree differ.
# The build's own folders, as given and as the kernel names them, must not
# appear anywhere in lull or lull-voice (strings, assert()'s __FILE__, the
# debug information's folder). tools/repro-check.sh compares two whole builds.
. "$(dirname "$0")/check-lib.sh"
build=${LULL_BUILDDIR:-.}
src=${LULL_SRCDIR:-.}
dirs=$(for d in "$build" "$src"; do
	(cd "$d" && pwd -L && pwd -P)
done | sort -u)
for prog in lull lull-voice; do
	bin=$build/$prog
	[ -f "$bin" ] || { [ $prog = lull-voice ] && continue; echo "no $bin" >&2; exit 99; }
	echo "$dirs" | while IFS= read -r d; do
		# A folder of one character ("/") would match anything.
		[ ${#d} -gt 1 ] || continue
		check "$prog holds no build path $d" sh -c '! grep -q -a -F -- "$1" "$2"' sh "$d" "$bin"
		[ $fails -eq 0 ] || exit 1
	done || fails=$((fails + 1))
done
[ $fails -eq 0 ]
