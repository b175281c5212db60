#!/bin/sh
# SPDX-License-Identifier: ISC
# The command line: --version, --help, and one clear line plus a hint, exit 2,
# for anything it does not know.
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME= XDG_RUNTIME_DIR=
mkdir -p "$HOME"

"$lull" --version >"$tmp/out" 2>&1; rc=$?
check "--version exits 0" [ $rc -eq 0 ]
check "--version names the version" grep -Eq '^lull [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out"

"$lull" --help >"$tmp/out" 2>&1; rc=$?
check "--help exits 0" [ $rc -eq 0 ]
for word in start list show check sounds render remind stats checkin ssh "not a medical device"; do
	check "--help mentions '$word'" grep -q "$word" "$tmp/out"
done

"$lull" --bogus >"$tmp/out" 2>"$tmp/err"; rc=$?
check "unknown option exits 2" [ $rc -eq 2 ]
check "unknown option: nothing on stdout" [ ! -s "$tmp/out" ]
check "unknown option: named on stderr" grep -q "unknown option '--bogus'" "$tmp/err"
check "unknown option: hint" grep -q "Try 'lull --help'" "$tmp/err"
check "unknown option: two lines" [ "$(wc -l <"$tmp/err")" -eq 2 ]

"$lull" frobnicate >"$tmp/out" 2>"$tmp/err"; rc=$?
check "unknown command exits 2" [ $rc -eq 2 ]
check "unknown command named" grep -q "unknown command 'frobnicate'" "$tmp/err"
check "unknown command: hint" grep -q "Try 'lull --help'" "$tmp/err"

"$lull" -x >"$tmp/out" 2>"$tmp/err"; rc=$?
check "unknown short option exits 2" [ $rc -eq 2 ]
check "unknown short option named" grep -q "unknown option '-x'" "$tmp/err"

"$lull" strat >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a typo of a command: exit 2" [ $rc -eq 2 ]
check "a typo of a command: did you mean" grep -q "unknown command 'strat'; did you mean 'start'?" "$tmp/err"
"$lull" xyzzy 2>"$tmp/err"
check "nothing near: no suggestion" sh -c "grep -q \"unknown command 'xyzzy'\$\" '$tmp/err'"
"$lull" help >"$tmp/out" 2>&1; rc=$?
check "lull help: exit 0" [ $rc -eq 0 ]
check "lull help: the help" grep -q '^Usage: lull \[COMMAND\]' "$tmp/out"
"$lull" help stats >"$tmp/out" 2>&1; rc=$?
check "lull help stats: exit 0" [ $rc -eq 0 ]
check "lull help stats: the command's help" grep -q '^Usage: lull stats' "$tmp/out"
"$lull" help remind >"$tmp/out" 2>&1; rc=$?
check "lull help remind: exit 0" [ $rc -eq 0 ]
check "lull help remind: the command's help" grep -q '^Usage: lull remind' "$tmp/out"

check "asking for help created no files" [ -z "$(ls -A "$HOME")" ]

# Typos get the closest word, from the one "did you mean" helper.
hint() { # hint WANT CMD...: exit 2 and "did you mean 'WANT'?" on stderr
	want=$1; shift
	"$lull" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ $rc -eq 2 ] && grep -q "did you mean '$want'?" "$tmp/err"
}
check "lull --hlep: did you mean --help" hint --help --hlep
check "lull list --jsno: did you mean --json" hint --json list --jsno
check "lull remind ad: did you mean add" hint add remind ad
check "lull remind add 22:30 --days weekday: did you mean weekdays" hint weekdays remind add 22:30 --days weekday
check "lull remind add 22:30 --days mon,tues: did you mean tue" hint tue remind add 22:30 --days mon,tues
check "lull checkin --area shoulder: did you mean shoulders" hint shoulders checkin --sleep 7 --pain 2 --area shoulder
check "no reminder was added by the typos" [ ! -e "$HOME/.config/lull/reminders" ]
# "upper-back" (and upper_back) is the area "upper back", kept by that name.
"$lull" checkin --sleep 7 --pain 2 --area upper-back >"$tmp/out" 2>"$tmp/err"; rc=$?
check "lull checkin --area upper-back: taken" [ $rc -eq 0 ]
check "lull checkin --area upper-back: kept as upper back" \
	grep -q "$(printf '\tupper back$')" "$HOME/.local/state/lull/history.tsv"
rm -rf "$HOME/.local"

# A count of one is singular: with streak_days = 1 the streak line said
# "1 days in a week start one".
mkdir -p "$tmp/cfg/lull"
printf 'streak_days = 1\n' >"$tmp/cfg/lull/config"
XDG_CONFIG_HOME="$tmp/cfg" XDG_STATE_HOME="$tmp/state" "$lull" stats >"$tmp/out" 2>&1
check "stats, streak_days = 1: 1 day starts one" grep -q 'none running; 1 day in a week starts one' "$tmp/out"
rm -rf "$tmp/cfg" "$tmp/state"

[ $fails -eq 0 ]
