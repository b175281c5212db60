#!/bin/sh
# SPDX-License-Identifier: ISC
# No path of the build is compiled into the programs that get installed:
# an installed lull that preferred its builder's checkout ran whatever was
# later planted there, and a build path makes two builds of one tree differ.
# The build's own folders, as given and as the kernel names them, must not
# appear anywhere in lull or lull-voice (strings, assert()'s __FILE__, the
# debug information's folder). tools/repro-check.sh compares two whole builds.
# Only the installed paths may be there, and they hold a build folder only
# when the prefix is inside it (make distcheck installs under its srcdir).
. "$(dirname "$0")/check-lib.sh"
build=${LULL_BUILDDIR:-.}
src=${LULL_SRCDIR:-.}
prefix=$(sed -n 's/^prefix = //p' "$build/Makefile")
[ -n "$prefix" ] || exit 99
# holds DIR FILE: FILE's strings name DIR, other than as part of the prefix.
holds() {
	case $prefix/ in
	"$1"/*) tr -c '[:print:]' '\n' <"$2" | grep -F -- "$1" | grep -q -v -F -- "$prefix/" ;;
	*) grep -q -a -F -- "$1" "$2" ;;
	esac
}
dirs=$(for d in "$build" "$src"; do
	(cd "$d" && pwd -L && pwd -P)
done | sort -u)
for prog in lull lull-voice; do
	bin=$build/$prog
	[ -f "$bin" ] || { [ $prog = lull-voice ] && continue; echo "no $bin" >&2; exit 99; }
	echo "$dirs" | while IFS= read -r d; do
		# A folder of one character ("/") would match anything.
		[ ${#d} -gt 1 ] || continue
		check "$prog holds no build path $d" eval '! holds "$d" "$bin"'
		[ $fails -eq 0 ] || exit 1
	done || fails=$((fails + 1))
done
[ $fails -eq 0 ]
