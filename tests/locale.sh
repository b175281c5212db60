#!/bin/sh
# SPDX-License-Identifier: ISC
# LANG=C (a locale that is not UTF-8): lull's own marks went out as '?'
# on the check-in ("How tense or sore do you feel, 0?10?", "arrows and
# Enter ? Enter alone skips", "0 very poorly ? 10"): every text lull writes
# now takes them in ASCII under one rule (tty_text), and no byte >= 0x80
# reaches the terminal on the check-in (before a session, and the
# morning's) or the stats screen. Needs script (util-linux).
#
# A locale whose decimal point is a comma (de_DE): lull wrote its history
# with it ("16,0", read back as a bad length, the record lost to any lull
# in another locale), its JSON export was not JSON ("minutes": 0,3), its
# CSV had "0,27", and settings such as voice_rate = 0.85 were refused.
# Numbers are C's now; the locale still names the days. Needs localedef
# and the de_DE source (Debian: locales); without them, skipped.
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
ran=

# on_pty KEYS OUT ARGS...: lull ARGS in a pseudo-terminal under LANG=C, the
# keys typed ahead (each view reads what is left), what it wrote in OUT.
on_pty() {
	keys=$1 out=$2; shift 2
	printf '%s' "$keys" | timeout -k 5 60 script -qec "'$lull' $*" /dev/null >"$out" 2>&1
}
# high OUT: how many bytes >= 0x80 it holds.
high() { LC_ALL=C tr -d '\000-\177' <"$1" | wc -c; }
# has OUT TEXT: the text went out in one run.
has() { LC_ALL=C grep -a -q -F -- "$2" "$1"; }
if command -v script >/dev/null 2>&1; then
	ran=yes
	(
	export HOME="$tmp/c" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME= XDG_RUNTIME_DIR= TZ=UTC
	export LC_ALL=C TERM=vt100 LULL_TIME_SCALE=50
	mkdir -p "$HOME/.config/lull"
	printf 'safety_wait = no\nsafety_seconds = 0\n' >"$HOME/.config/lull/config"
	# Tension 3, in the neck; q ends the session.
	on_pty 3nq "$tmp/c-session" start box --checkin --cycles 1 --no-audio
	check "LANG=C check-in: no byte >= 0x80 (found $(high "$tmp/c-session"))" [ "$(high "$tmp/c-session")" -eq 0 ]
	check "LANG=C check-in: 0-10 with a hyphen" has "$tmp/c-session" "How tense or sore do you feel, 0-10?"
	check "LANG=C check-in: the hint's parts apart" has "$tmp/c-session" "or arrows and Enter - Enter alone skips"
	check "LANG=C check-in: where" has "$tmp/c-session" "the underlined letter, or arrows and Enter - Enter alone"
	# Morning: 1 (then 5 wins), pain 3, in the neck.
	on_pty 153n "$tmp/c-morning" checkin
	check "LANG=C morning: no byte >= 0x80 (found $(high "$tmp/c-morning"))" [ "$(high "$tmp/c-morning")" -eq 0 ]
	check "LANG=C morning: the sleep question" has "$tmp/c-morning" "How did you sleep, 0-10?"
	check "LANG=C morning: its hint" has "$tmp/c-morning" "0 very poorly ... 10 very well - 1 then 0 for 10 - Enter skips"
	check "LANG=C morning: a 1 waiting for its 0" has "$tmp/c-morning" "1 ... (0 makes it 10)"
	check "LANG=C morning: the pain hint" has "$tmp/c-morning" "0 none ... 10 the worst - 1 then 0 for 10"
	on_pty q "$tmp/c-stats" stats
	check "LANG=C stats: no byte >= 0x80 (found $(high "$tmp/c-stats"))" [ "$(high "$tmp/c-stats")" -eq 0 ]
	check "LANG=C stats: the title" has "$tmp/c-stats" "lull - your practice"
	check "LANG=C stats: the morning's check-in counted" eval '"$lull" stats --json | grep -q "\"sleep\""'
	[ $fails -eq 0 ]
	) || fails=$((fails + 1))
else
	echo "# no script (util-linux): the LANG=C screens are not checked"
fi

if ! command -v localedef >/dev/null 2>&1; then
	echo "no localedef"
	[ -n "$ran" ] || exit 77
	[ $fails -eq 0 ]; exit
fi
mkdir -p "$tmp/loc"
if ! localedef -i de_DE -f UTF-8 "$tmp/loc/de_DE.UTF-8" >/dev/null 2>&1; then
	echo "no de_DE source"
	[ -n "$ran" ] || exit 77
	[ $fails -eq 0 ]; exit
fi
export LOCPATH="$tmp/loc" LC_ALL=de_DE.UTF-8
export HOME="$tmp/home" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME= XDG_RUNTIME_DIR= TZ=UTC
export LULL_TIME_SCALE=50
mkdir -p "$HOME/.config/lull"
hist="$HOME/.local/state/lull/history.tsv"

printf 'voice_rate = 0.85\nsounds = rain:0.5\n' >"$HOME/.config/lull/config"
timeout -k 5 20 "$lull" start box --cycles 1 --plain --no-audio </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a session runs" [ $rc -eq 0 ]
check "settings with a decimal point are taken" eval '! grep -q "config:" "$tmp/err"'
check "the history says 16.0, not 16,0" grep -q "	box	16.0	16.0	finished" "$hist"
LC_ALL=C.UTF-8 "$lull" stats --csv >"$tmp/out" 2>"$tmp/err"
check "read in another locale, the record is there" eval '[ ! -s "$tmp/err" ] && grep -q ",box," "$tmp/out"'
"$lull" stats --json >"$tmp/out" 2>"$tmp/err"
check "stats --json is JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out"
"$lull" stats --csv >"$tmp/out" 2>"$tmp/err"
check "stats --csv: minutes with a point" grep -q ',box,0.27,0.27,' "$tmp/out"
"$lull" stats >"$tmp/out" 2>"$tmp/err"
check "the days are still named in the locale" grep -q "^lull stats, $(date +%a) " "$tmp/out"

[ $fails -eq 0 ]
