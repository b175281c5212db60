#!/bin/sh
# SPDX-License-Identifier: ISC
# README's table of the built-in programs says what `lull list` says: each
# program under the same heading, with the same length in minutes (a row
# that names several gives the range of theirs). The lengths were written
# by hand once and drifted (winddown 15 against 16 min, shuffle, sigh,
# stretch; sleep under Breathing).
lull=${LULL_BIN:-./lull}
src=${LULL_SRCDIR:-.}
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME=
mkdir -p "$HOME"

# "HEADING NAME MINUTES" for each built-in, from lull list.
"$lull" list | awk '
	/^[A-Z]/ { head = $1; next }
	NF >= 3 && $3 == "min" { print head, $1, $2 }' > "$tmp/list"
check "lull list gave the programs" [ "$(wc -l < "$tmp/list")" -ge 10 ]

# "HEADING NAMES... LENGTH" for each row of README's table.
awk '
	/^## Programs/ { on = 1; next }
	on && /^## / { exit }
	on && index($0, "| **") == 1 { split($0, f, "[*][*]"); head = f[2]; next }
	on && /^\| `/ {
		split($0, col, "|")
		names = col[2]; gsub(/[` ]+/, " ", names)
		len = col[3]; gsub(/ |min/, "", len)
		print head, len, names
	}' "$src/README.md" > "$tmp/readme"
check "README's table was read" [ "$(wc -l < "$tmp/readme")" -ge 10 ]

: > "$tmp/wrong"
while read -r head len names; do
	lo= hi=
	for n in $names; do
		got=$(awk -v n="$n" '$2 == n { print $1, $3 }' "$tmp/list")
		if [ -z "$got" ]; then echo "README names $n, which lull list does not" >> "$tmp/wrong"; continue; fi
		set -- $got
		[ "$1" = "$head" ] || echo "$n: README puts it under $head, lull list under $1" >> "$tmp/wrong"
		[ -z "$lo" ] || [ "$2" -lt "$lo" ] && lo=$2
		[ -z "$hi" ] || [ "$2" -gt "$hi" ] && hi=$2
	done
	if [ "$lo" = "$hi" ]; then want=$lo; else want="$lo–$hi"; fi
	[ "$len" = "$want" ] || echo "$names: README says $len min, lull list $want" >> "$tmp/wrong"
done < "$tmp/readme"
while read -r head n m; do
	grep -q " $n\( \|\$\)" "$tmp/readme" || echo "$n: in lull list, not in README" >> "$tmp/wrong"
done < "$tmp/list"
sed 's/^/# /' "$tmp/wrong"
check "README's lengths and headings are lull list's" [ ! -s "$tmp/wrong" ]
[ $fails -eq 0 ]
