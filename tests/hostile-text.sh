#!/bin/sh
# SPDX-License-Identifier: ISC
# Hostile text on every output: a file name, a file's contents, the command
# line and the history may hold ESC (here an OSC that would retitle the
# terminal), a C1 CSI (U+009B), a right-to-left override (U+202E), DEL and
# bytes that are not UTF-8. Whatever the output (plain lines, the full
# screen, an error, the CSV and JSON exports, lull sounds, the reminder
# commands), none of them reaches it raw. Each part names what was raw
# before issue 14 where it was.
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME= XDG_RUNTIME_DIR="$tmp/run"
export TZ=UTC LULL_TIME_SCALE=50 TERM=xterm
export DBUS_SESSION_BUS_ADDRESS="unix:path=$tmp/no-bus" TMUX=
cfg="$HOME/.config/lull" state="$HOME/.local/state/lull" data="$HOME/.local/share/lull"
mkdir -p "$cfg" "$state" "$data/sounds" "$tmp/run" && chmod 700 "$tmp/run"
out="$tmp/out" err="$tmp/err"
esc=$(printf '\033') c1=$(printf '\302\233') rlo=$(printf '\342\200\256')
del=$(printf '\177') bad=$(printf '\377\376')
# The hostile text. Curses itself writes ESC, so on a terminal the mark of
# a leak is the OSC this text carries, not ESC alone.
H="X${esc}]0;PWN${c1}1m${rlo}R${del}D${bad}B"
raw() { LC_ALL=C grep -q -e "${esc}]0;PWN" -e "$c1" -e "$rlo" -e "$del" -e "$(printf '\377')" "$@"; }
clean() { ! raw "$1"; }
both_clean() { clean "$out" && clean "$err"; }
run() { timeout -k 5 20 "$lull" "$@" </dev/null >"$out" 2>"$err"; rc=$?; }
# on_pty CMD: CMD in a pseudo-terminal (script(1)); its output in $out.
on_pty() { timeout -k 5 30 script -qec "$1" /dev/null >"$out" 2>&1 </dev/null; }
if "$lull" sounds --names >/dev/null 2>&1; then have_sound=true; else have_sound=false; fi

# 1. A program run from a path takes its name from the file's name: the
#    header of show, the title line and the last line of plain mode, the
#    full screen's title and the line left after it.
dir="$tmp/dir$H"
mkdir -p "$dir"
prog="$dir/ev$H.session"
printf 'breathe 4-0-4-0 for 8s\n' >"$prog"
run show "$prog"
check "show: the header names it" grep -q "^# .*ev" "$out"
check "show: nothing raw" both_clean
run start "$prog" --plain --no-audio
check "plain: runs" eval '[ $rc -eq 0 ] && grep -q "^lull: ev" "$out" && grep -q "Done" "$out"'
check "plain: title and lines, nothing raw" both_clean
on_pty "'$lull' start '$prog' --no-audio"
check "full screen: ran and left its line" grep -q "lull: ev.* finished" "$out"
check "full screen: title and exit line, nothing raw" clean "$out"
run check "$prog"
check "check: a good file, named safely" eval 'grep -q "ok" "$out" && both_clean'
printf 'breathe 4-0-4-0 for 8s\nbogus%s here\n' "$H" >"$dir/bad$H.session"
run check "$dir/bad$H.session"
check "check: a mistake, its file and token named safely" eval 'grep -q "bad" "$err" && both_clean'
run check "$dir/missing$H.session"
check "check: a missing file named safely" eval 'grep -q "missing" "$err" && both_clean'
run start "nosuch$H" --plain --no-audio
check "start: an unknown program named safely" eval '[ $rc -ne 0 ] && grep -q "nosuch" "$err" && both_clean'

# 2. Option values and unknown options in errors.
run start box --cycles "1$H" --plain --no-audio
check "--cycles: a bad value named safely" eval 'grep -q "cycles" "$err" && both_clean'
run start box "--bogus$H" --plain --no-audio
check "an unknown option named safely" eval 'grep -q "bogus" "$err" && both_clean'
run start box --sound "$H:2" --plain --no-audio
check "--sound: a bad value named safely" eval 'grep -q "sound" "$err" && both_clean'
run stats --since "x$H"
check "stats --since: a bad date named safely" eval 'grep -q "since\|date" "$err" && both_clean'
run checkin --sleep 5 --pain 1 --area "a$H"
check "checkin --area: refused or kept, never raw" both_clean
run "bogus$H"
check "an unknown command named safely" eval 'grep -q "bogus" "$err" && both_clean'

# 3. Sounds: file names in lull sounds, render's lines and errors (render
#    -o's file and a missing --sound were raw before issue 14), and a
#    session's plain line about a sound that cannot be read.
if $have_sound; then
	printf 'not a sound' >"$data/sounds/s$H.wav"
	run sounds
	check "sounds: the odd file is listed" grep -q "^sX" "$out"
	check "sounds: nothing raw" both_clean
	run sounds --names
	check "sounds --names: nothing raw" both_clean
	run render "$prog" -o "$tmp/ok.wav"
	check "render from a path: wrote, named safely" eval 'grep -q "wrote" "$out" && both_clean'
	run render box --cycles 1 -o "$tmp/no/such/x$H.wav"
	check "render -o to nowhere: named safely" eval 'grep -q "x" "$err" && both_clean'
	run render box --cycles 1 --sound "n$H" -o "$tmp/ok.wav"
	check "render --sound missing: named safely" eval 'grep -q "no such sound" "$err" && both_clean'
	run start box --cycles 1 --plain --audio --audio-driver null --sound "s$H"
	check "plain: an unreadable sound said, safely" eval 'grep -q "sX.*\.wav" "$out" && both_clean'
	rm -f "$data/sounds/s$H.wav"
fi

# 4. Programs of the person's own: their names, titles and descriptions in
#    list, list --json, list --names and show.
mkdir -p "$cfg/sessions"
printf 'title "T%s"\ndescription "D%s"\nbreathe 4-0-4-0 for 8s\n' "$H" "$H" >"$cfg/sessions/hostile.session"
cp "$prog" "$cfg/sessions/"
for args in "list" "list --json" "list --names" "show hostile"; do
	run $args
	check "$args: nothing raw" both_clean
done
run list --json
check "list --json: parses" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out"
rm -rf "$cfg/sessions"

# 5. The settings file: a value, a key and a default program in warnings.
printf 'default_program = %s\nbogus%s = 1\nvolume = 1%s\n' "$H" "$H" "$H" >"$cfg/config"
run start box --cycles 1 --plain --no-audio
check "settings: warnings given" grep -q "config:" "$err"
check "settings: warnings, nothing raw" both_clean
rm -f "$cfg/config"

# 6. The history: fields and bad lines in stats as text (piped), --csv,
#    --json (all raw before issue 14; the warnings too).
hist="$state/history.tsv"
printf '#lull-history 1\n' >"$hist"
# (An area is short: made safe, a hostile one is too long and the line is
# refused, as bad lines are below.)
printf 'session\t2026-11-25T22:30:05+01:00\tev%s\t600.0\t598.4\tfinished\t1\train%s\t7\t3\tn%s\n' \
	"$H" "$H" "$rlo" >>"$hist"
printf 'morning\t2026-11-26T08:00:00+01:00\t2026-11-25T22:30:05+01:00\t5\t2\tneck%s\n' "$H" >>"$hist"
printf 'bad %s line\n' "$H" >>"$hist"
run stats
check "stats | cat: the session counted" grep -q "ev" "$out"
check "stats | cat: nothing raw, warnings neither" both_clean
run stats --csv
check "stats --csv: the record" grep -q "^2026-11-25,.*ev" "$out"
check "stats --csv: nothing raw" both_clean
run stats --json
check "stats --json: nothing raw" both_clean
check "stats --json: parses" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out"
# (The full screen, which waits for a key: test_stats's
# screen_never_draws_raw_bytes.)
rm -f "$hist"

# 7. Reminders: a message on the command line (add refuses what it cannot
#    keep), a hand-written line in list, check and the daemon, ids and times
#    in errors.
run remind add 21:00 --message "m$H"
check "remind add: a hostile message refused" eval '[ $rc -eq 2 ] && both_clean && [ ! -e "$cfg/reminders" ]'
run remind add "2$H"
check "remind add: a bad time named safely" eval 'grep -q "bad time" "$err" && both_clean'
run remind add 21:00 --session "s$H"
check "remind add: a bad session named safely" both_clean
run remind remove "1$H"
check "remind remove: a bad id named safely" eval 'grep -q "bad id" "$err" && both_clean'
due=$(date -u -d "@$(( $(date +%s) - 120 ))" +%H:%M)
printf 'evening_end = %s\nremind_bell = yes\nremind_notify = no\nremind_tmux = no\n' \
	"$(date -u -d "@$(( $(date +%s) + 6 * 3600 ))" +%H:%M)" >"$cfg/config"
printf '1 %s daily m%s\n2 %s daily\n%s3 22:00 daily\n' "$due" "$H" "$due" "$H" >"$cfg/reminders"
printf '2 %s - - 0 0\n9%s - - - 0 0\n' "$(date -u -d yesterday +%Y-%m-%d)" "$H" >"$state/remind-state"
run remind list
check "remind list: the lines named, safely" eval 'grep -q "reminders:1:" "$err" && both_clean'
run remind check
check "remind check: the good one due" grep -q "it is past $due" "$out"
check "remind check: nothing raw" both_clean
on_pty "timeout 3 '$lull' remind daemon"
check "daemon on a terminal: the good one delivered" grep -q "lull: $due" "$out"
check "daemon on a terminal: nothing raw" clean "$out"
check "daemon's log: nothing raw" clean "$state/remind.log"

[ $fails -eq 0 ]
