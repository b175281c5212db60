#!/bin/sh
# SPDX-License-Identifier: ISC
# lull list / show / check from the outside: every broken example is reported
# at the right FILE:LINE:COL with the right message and exit status 1; every
# built-in survives `lull show X | lull check -`; user programs shadow
# built-ins.
lull=${LULL_BIN:-./lull}
src=${LULL_SRCDIR:-.}
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" \
	XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR=
mkdir -p "$HOME"

# --- broken files: the first line of each says "# expect LINE:COL: message"
for f in "$src"/tests/data/broken/*.session; do
	want=$(sed -n '1s/^# expect //p' "$f")
	[ -n "$want" ] || { echo "not ok - $f has no '# expect' line"; fails=$((fails + 1)); continue; }
	"$lull" check "$f" >"$tmp/out" 2>"$tmp/err"; rc=$?
	check "$(basename "$f"): exit 1" [ $rc -eq 1 ]
	check "$(basename "$f"): $want" grep -qF "$f:$want" "$tmp/err"
	check "$(basename "$f"): nothing on stdout" [ ! -s "$tmp/out" ]
	# Nothing from the file reaches the terminal raw: no control bytes but LF.
	check "$(basename "$f"): no control characters in the message" \
		sh -c "! LC_ALL=C grep -q '[[:cntrl:]]' '$tmp/err'"
done

# --- stdin, several files, exit status
printf 'guide 5s "Rest."\n' | "$lull" check - >"$tmp/out" 2>&1
check "check - reads standard input" grep -q '^<stdin>: ok' "$tmp/out"
"$lull" check "$src/src/builtin/box.session" "$src/tests/data/broken/no-unit.session" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "one bad file among good ones: exit 1" [ $rc -eq 1 ]
check "the good one is still reported ok" grep -q 'box.session: ok' "$tmp/out"
# Warnings: what runs but is not right, with FILE:LINE:COL, and exit 0.
printf 'guide 15s "Let them drop" breathe 4-0-6-0 from exhale\nsay exhale "a"\nsay exhale "b"\nbreathe 4-0-6-0 for 1 cycle\n' \
	>"$tmp/warn.session"
"$lull" check "$tmp/warn.session" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "warnings: exit 0" [ $rc -eq 0 ]
check "warnings: counted on the ok line" grep -q 'warn.session: ok, 4 steps, 25s, 2 warnings' "$tmp/out"
check "warnings: a cue cut mid-breath, with the lengths that fit" \
	grep -qF "$tmp/warn.session:1:1: warning: the step ends 5s into a 6s exhale of its breathing cue: make it 16s or 10s" "$tmp/err"
check "warnings: a line that never shows" grep -qF "$tmp/warn.session:3:1: warning: this line never shows" "$tmp/err"
# A spoken word that needs eyes, in the person's own program: a warning at
# the word itself, whole words only (not "Barely"), and exit 0.
printf 'say "Just follow the bar."\nbreathe 4-0-6-0 for 1 cycle\nguide 10s "Barely move; now look at the Screen."\n' \
	>"$tmp/eyes.session"
"$lull" check "$tmp/eyes.session" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "eye-words: exit 0" [ $rc -eq 0 ]
check "eye-words: 'bar' at its line and column" \
	grep -qF "$tmp/eyes.session:1:22: warning: 'bar' asks for eyes" "$tmp/err"
check "eye-words: 'look' in the guide line" grep -qF "$tmp/eyes.session:3:29: warning: 'look' asks for eyes" "$tmp/err"
check "eye-words: 'Screen' in any case" grep -qF "$tmp/eyes.session:3:41: warning: 'screen' asks for eyes" "$tmp/err"
check "eye-words: 'Barely' is not 'bar'" [ "$(grep -c 'asks for eyes' "$tmp/err")" -eq 3 ]
check "eye-words: counted on the ok line" grep -q 'eyes.session: ok, 3 steps, .*, 3 warnings' "$tmp/out"
# One step is "1 step", not "1 steps".
printf 'guide 5s "Rest."\n' | "$lull" check - >"$tmp/out" 2>&1
check "check: one step is 1 step" grep -q '^<stdin>: ok, 1 step, 5s$' "$tmp/out"

# A built-in by its name, as start and show take it (it said "box: No such
# file or directory"), and a misspelt one with the closest name.
(cd "$tmp" && "$lull" check box) >"$tmp/out" 2>"$tmp/err"; rc=$?
check "check box: a built-in by name, exit 0" [ $rc -eq 0 ]
check "check box: ok" grep -q '^box: ok, ' "$tmp/out"
check "check box: nothing on standard error" [ ! -s "$tmp/err" ]
(cd "$tmp" && "$lull" check bxo) >"$tmp/out" 2>"$tmp/err"; rc=$?
check "check bxo: exit 1, did you mean box" \
	eval "[ $rc -eq 1 ] && grep -q \"no program named 'bxo'; did you mean 'box'?\" '$tmp/err'"
"$lull" check -q "$src/src/builtin/box.session" >"$tmp/out" 2>&1; rc=$?
check "check -q: exit 0 and silent" eval '[ $rc -eq 0 ] && [ ! -s "$tmp/out" ]'
"$lull" check "$tmp/missing.session" 2>"$tmp/err"; rc=$?
check "missing file: exit 1" [ $rc -eq 1 ]
check "missing file: named" grep -q 'missing.session' "$tmp/err"
"$lull" check >/dev/null 2>&1; rc=$?
check "check without files: usage error 2" [ $rc -eq 2 ]
for cmd in list show check; do
	"$lull" $cmd --help >"$tmp/out" 2>&1; rc=$?
	check "$cmd --help exits 0" [ $rc -eq 0 ]
	check "$cmd --help prints usage" grep -q "^Usage: lull $cmd" "$tmp/out"
done

# --- every built-in: show | check -, and the same length
names=$("$lull" list --json | sed -n 's/^  {"name": "\([^"]*\)".*/\1/p')
check "list names the built-ins" [ "$(echo "$names" | wc -l)" -ge 12 ]
for n in $names; do
	"$lull" show "$n" >"$tmp/$n.session" 2>"$tmp/err"; rc=$?
	check "show $n exits 0" [ $rc -eq 0 ]
	# (with the voice, show measures each spoken line against its step too)
	check "show $n: no warning" [ ! -s "$tmp/err" ]
	[ -s "$tmp/err" ] && sed 's/^/	show: /' "$tmp/err" >&2 # what it said, for the log
	"$lull" check - <"$tmp/$n.session" >"$tmp/out" 2>"$tmp/err"; rc=$?
	check "show $n | check - passes" [ $rc -eq 0 ]
	check "show $n | check -: no warning" [ ! -s "$tmp/err" ]
	# (show's spoken-fit warnings would go to stderr: not part of the text)
	"$lull" show "$tmp/$n.session" >"$tmp/again" 2>/dev/null
	check "show of the shown $n gives the same text" cmp -s "$tmp/$n.session" "$tmp/again"
done
"$lull" show nosuch >"$tmp/out" 2>"$tmp/err"; rc=$?
check "show unknown: exit 1" [ $rc -eq 1 ]
"$lull" show winddwon >/dev/null 2>"$tmp/err"
check "show misspelt: did you mean" grep -q "did you mean 'winddown'" "$tmp/err"

# --- user programs: found first, shadow built-ins, listed first
mkdir -p "$XDG_CONFIG_HOME/lull/sessions"
printf 'title "My box"\ndescription "Mine."\ntags tension\nguide 10s "Shoulders down."\n' \
	>"$XDG_CONFIG_HOME/lull/sessions/box.session"
printf 'title "Evening"\nguide 1m "Lie down."\n' >"$XDG_CONFIG_HOME/lull/sessions/evening.session"
printf 'guide 5 "broken"\n' >"$XDG_CONFIG_HOME/lull/sessions/broken.session"
"$lull" show box >"$tmp/out" 2>&1
check "a user program shadows the built-in of the same name" grep -q '"My box"' "$tmp/out"
"$lull" list >"$tmp/out" 2>&1
# Under the groups a person looks for, each program once, yours first in
# its group, a file with no tags (or errors) under Other.
check "list: groups by what a program is for" \
	sh -c "grep -qx Sleep '$tmp/out' && grep -qx Tension '$tmp/out' && grep -qx Breathing '$tmp/out' && grep -qx Stretch '$tmp/out'"
check "list: user programs first in their group" sh -c "sed -n '/^Tension\$/{n;p;}' '$tmp/out' | grep -q '^  box\\*'"
check "list: the shadowed built-in is not listed" [ "$(grep -c '^  box' "$tmp/out")" -eq 1 ]
check "list: a broken user file is listed as such" sh -c "sed -n '/^Other\$/,\$p' '$tmp/out' | grep -q '^  broken\\*.*lull check'"
check "list: built-ins follow" grep -q '^  winddown ' "$tmp/out"
check "list: the default says so" grep -q '^  winddown .*(the default)$' "$tmp/out"
check "list: each program once" [ "$(grep -c '^  pmr ' "$tmp/out")" -eq 1 ]
check "list: a program under what it is mainly for (its first tag)" \
	sh -c "sed -n '/^Tension\$/,/^\$/p' '$tmp/out' | grep -q '^  pmr '"
"$lull" show "$XDG_CONFIG_HOME/lull/sessions/evening.session" >"$tmp/out" 2>&1
check "a name with '/' is a path" grep -q '"Evening"' "$tmp/out"

# A program's name is its file's name, which may hold anything: ESC, a C1
# CSI (U+009B), a right-to-left override (U+202E). Never raw on the terminal.
odd=$(printf 'x\033[31m\302\233\342\200\256y')
raw=$(printf '\033\\|\302\233\\|\342\200\256')
no_raw() { ! LC_ALL=C grep -q "$raw" "$1"; }
# (list leaves out a name that is not a plain word; show takes it as a path)
no_raw_first_line() { ! head -n 1 "$1" | LC_ALL=C grep -q "$raw"; }
printf 'title "Odd"\nguide 5s "Rest."\n' >"$XDG_CONFIG_HOME/lull/sessions/$odd.session"
"$lull" list >"$tmp/out" 2>&1
check "list: no ESC, C1 or bidi control from a file name" no_raw "$tmp/out"
"$lull" show "$XDG_CONFIG_HOME/lull/sessions/$odd.session" >"$tmp/out" 2>&1
check "show: the header names it" grep -q '^# .*a lull program' "$tmp/out"
check "show: no ESC, C1 or bidi control in the header" \
	no_raw_first_line "$tmp/out"
rm -f "$XDG_CONFIG_HOME/lull/sessions/$odd.session"

# --- the README's first program of your own, on a new account: its
# commands, as written there, make the file and check it by name.
fresh="$tmp/fresh"
mkdir -p "$fresh"
first=$(awk '/^The easiest start is a copy of a built-in/ { want = 1 }
	want && /^```/ { if (inblock) exit; inblock = 1; next }
	want && inblock { sub(/ +#.*/, ""); print }' "$src/README.md")
check "README: the first-program commands are there" [ -n "$first" ]
lull_abs=$(cd "$(dirname "$lull")" && pwd)/$(basename "$lull")
(export HOME="$fresh" XDG_CONFIG_HOME= && cd "$fresh" &&
	printf '%s\n' "$first" | sed "s|^lull |'$lull_abs' |" | sh -e >"$tmp/out" 2>&1); rc=$?
check "README: the first-program commands work on a new account" [ $rc -eq 0 ]
check "README: check by name finds the new file" grep -q 'mine.session: ok' "$tmp/out"

# --- check NAME: your own file of that name; a broken one named by line
printf 'title "Mine\nguide 5s "Rest."\n' >"$XDG_CONFIG_HOME/lull/sessions/broken1.session"
"$lull" check broken1 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "check NAME: a broken file of yours, exit 1" [ $rc -eq 1 ]
check "check NAME: FILE:LINE:COL of your file" grep -q "sessions/broken1.session:1:7: " "$tmp/err"
rm -f "$XDG_CONFIG_HOME/lull/sessions/broken1.session"

# --- the config names the program: a wrong name is told with the line
mkdir -p "$XDG_CONFIG_HOME/lull"
printf 'safety_wait = no\n\ndefault_program = windown\nvolum = 3\n' >"$XDG_CONFIG_HOME/lull/config"
"$lull" start --plain </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
check "default_program unknown: exit 1" [ $rc -eq 1 ]
check "default_program unknown: the config line and a suggestion" \
	grep -qF "$XDG_CONFIG_HOME/lull/config:3: default_program: no program named 'windown'; did you mean 'winddown'?" "$tmp/err"
printf 'safety_wait = no\nkeyless = 3\n' >"$XDG_CONFIG_HOME/lull/config"
# (a session reads the config in every build; `lull sounds` does not read
# it in a build without sound)
LULL_TIME_SCALE=200 "$lull" start box --cycles 1 --plain --no-audio </dev/null >/dev/null 2>"$tmp/err"
check "unknown key: named with its line" grep -qF "config:2: unknown key 'keyless' (the keys: lull(1), PROGRAMS, Settings)" "$tmp/err"
check "unknown key: that section is where the keys are" \
	sh -c "sed -n '/^\.SH PROGRAMS/,/^\.SH /p' '$src/man/lull.1.in' | grep -q '^\.SS Settings'"
rm -f "$XDG_CONFIG_HOME/lull/config"

# --- what the README says about the programs: no medical claims; the
# frequency the evidence supports, and where lull is no substitute.
# 478 --cycles 6: nothing counts the breaths done or calls one the last
# (it said "The last one" in cycle 4 and "That is four breaths" after six).
LULL_TIME_SCALE=200 "$lull" start 478 --cycles 6 --plain --no-audio </dev/null >"$tmp/out" 2>&1
check "478 --cycles 6: all six cycles" grep -q 'cycle 6 of 6' "$tmp/out"
check "478 --cycles 6: no breath count or last breath said falsely" \
	sh -c "! grep -Eqi 'that is [a-z]+ breaths|the last one' '$tmp/out'"
check "README: no medical claims" sh -c "! grep -Eqiw 'relief|relieve|cures?|heal|heals|healing|slows the body' '$src/README.md'"
check "README: practise daily, two to four weeks" sh -c "grep -q 'Practise daily' '$src/README.md' && grep -q 'two to four' '$src/README.md'"
check "README: CBT-I for long-standing insomnia (AASM 2021)" sh -c "grep -q 'CBT-I' '$src/README.md' && grep -q '2021' '$src/README.md'"
check "README: every built-in in the table" sh -c 'for n in $0; do grep -q "| \`$n\`\\|\`$n\`" "$1" || exit 1; done' "$names" "$src/README.md"

[ $fails -eq 0 ]
