#!/bin/sh
# SPDX-License-Identifier: ISC
# The history when its file is not what it should be, and what a session,
# `lull stats` and `lull checkin` then say: a record that cannot be written,
# plain output that goes nowhere, FIFOs, a huge file of garbage, and fields
# that hold control bytes. Each case failed before the fix it names.
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
nobody_setup
export HOME="$tmp/home" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME= XDG_RUNTIME_DIR= TZ=UTC
export LULL_TIME_SCALE=20
mkdir -p "$HOME"
state="$HOME/.local/state/lull" hist="$HOME/.local/state/lull/history.tsv"
out="$tmp/out" err="$tmp/err"
session() { timeout -k 5 20 "$lull" start box --cycles 1 --plain --no-audio </dev/null "$@"; }
records() { grep -c '^session' "$hist" 2>/dev/null || echo 0; }
esc=$(printf '\033') c1=$(printf '\302\233') rlo=$(printf '\342\200\256')
clean() { ! grep -q -e "$esc" -e "$c1" -e "$rlo" -e "$(printf '\a')" "$1"; }

# 1. A record that cannot be written: "Done", exit 0, and only a log on the
#    same disk knew. Now: said on stderr, exit 1, kept for the next session.
mkdir -p "$hist"
session >"$out" 2>"$err"; rc=$?
check "history.tsv a directory: the session still runs" grep -q "Done" "$out"
check "history.tsv a directory: exit 1" [ $rc -eq 1 ]
check "history.tsv a directory: said" grep -q "this session was not recorded: cannot open .*Is a directory" "$err"
check "history.tsv a directory: kept" eval 'grep -q "kept in .*history.pending" "$err" &&
	[ "$(grep -c '\''^session'\'' "$state/history.pending")" -eq 1 ]'
rmdir "$hist"
session >"$out" 2>"$err"; rc=$?
check "the next session: exit 0, both recorded" eval '[ $rc -eq 0 ] && [ "$(records)" -eq 2 ] &&
	[ ! -e "$state/history.pending" ]'
# A full disk takes part of the record, then says ENOSPC. A file size limit
# does the same with EFBIG (and SIGXFSZ, which killed lull, the record lost
# unsaid): room here for 20 bytes of the record. The torn part is cut off,
# the record kept; the next session adds it, and no line is unreadable.
size=$(stat -c %s "$hist")
timeout -k 5 20 prlimit --fsize=$((size + 20)) "$lull" start box --cycles 1 --plain --no-audio \
	</dev/null >"$out" 2>"$err"; rc=$?
check "file size limit: exit 1, not killed" [ $rc -eq 1 ]
check "file size limit: said" grep -q "not recorded: cannot write .*File too large" "$err"
check "file size limit: kept" grep -q "kept in .*history.pending" "$err"
check "file size limit: no torn line left" [ "$(stat -c %s "$hist")" -eq "$size" ]
session >"$out" 2>"$err"; rc=$?
check "and the next session adds it" eval '[ $rc -eq 0 ] && [ "$(records)" -eq 4 ]'
"$lull" stats >"$out" 2>"$err"
check "no line unreadable after it" [ ! -s "$err" ]
# A state directory that cannot be made: said, with the line to keep.
rm -rf "$HOME/.local/state" && touch "$HOME/.local/state"
session >"$out" 2>"$err"; rc=$?
check "no state directory: exit 1" [ $rc -eq 1 ]
check "no state directory: said, with its path" \
	grep -q "cannot create the state directory $HOME/.local/state/lull: Not a directory" "$err"
check "no state directory: the record printed to keep" grep -q "^session	.*	box	" "$err"
rm -f "$HOME/.local/state"
# Not ours to write (a read-only home). Root writes anywhere, so as root the
# session runs as nobody.
mkdir -p "$state"
session >/dev/null 2>&1
chmod 400 "$hist" && chmod 500 "$state"
[ -n "$nobody" ] && chown -R 65534:65534 "$tmp"
check "the test user runs lull (else the checks below pass on exec's error)" eval '$nobody timeout -k 5 10 "$lull" --version >/dev/null'
$nobody timeout -k 5 20 "$lull" start box --cycles 1 --plain --no-audio </dev/null >"$out" 2>"$err"; rc=$?
check "read-only state directory: exit 1" [ $rc -eq 1 ]
check "read-only state directory: said" grep -q "not recorded: cannot open .*Permission denied" "$err"
check "read-only state directory: the record printed to keep" grep -q "^session	" "$err"
chmod 700 "$state" && chmod 600 "$hist"
if [ "$(id -u)" -eq 0 ]; then chown -R 0:0 "$tmp"; fi

# 2. Plain mode whose standard output goes away: it ended at 0 s, recorded
#    a hang-up and said nothing (with /dev/full it ran on forever, deaf to
#    SIGTERM). Now: said on stderr, exit 1, at once.
n=$(records)
session >/dev/full 2>"$err"; rc=$?
check "stdout /dev/full: ends, exit 1" [ $rc -eq 1 ]
check "stdout /dev/full: said on stderr" grep -q "cannot write to standard output (No space left on device)" "$err"
check "stdout /dev/full: recorded as a hang-up" eval '[ "$(records)" -eq $((n + 1)) ] && tail -n 1 "$hist" | grep -q "	hangup	"'
session >&- 2>"$err"; rc=$?
check "stdout closed: exit 1, said" eval '[ $rc -eq 1 ] && grep -q "cannot write to standard output" "$err"'
check "stdout closed: nothing written into another file" [ "$(grep -vc '^#\|^session' "$hist")" -eq 0 ]

# 3. FIFOs: stats and checkin waited for a writer forever (checkin wrote its
#    record into the FIFO, then said "not a regular file" by chance).
mv "$hist" "$hist.keep"
mkfifo "$hist"
timeout -k 5 10 "$lull" stats >"$out" 2>"$err"; rc=$?
check "FIFO history: stats answers, exit 1" eval '[ $rc -eq 1 ] && grep -q "not a regular file" "$err"'
timeout -k 5 10 "$lull" checkin --sleep 5 --pain 1 >"$out" 2>"$err"; rc=$?
check "FIFO history: checkin answers, exit 1" eval '[ $rc -eq 1 ] && grep -q "not a regular file" "$err"'
timeout -k 5 10 "$lull" remind check >"$out" 2>"$err"; rc=$?
check "FIFO history: remind check answers" [ $rc -eq 0 ]
session >"$out" 2>"$err"; rc=$?
check "FIFO history: a session is told, kept" eval '[ $rc -eq 1 ] && grep -q "not a regular file; kept" "$err"'
rm -f "$hist" "$state/history.pending"
mv "$hist.keep" "$hist"

# 4. Fields with control bytes (a program run from a path stores what the
#    path holds; a hand edit anything): stats as text, --csv and --json
#    carried them raw. Warnings quoted the file's bytes raw.
printf 'session\t2026-11-25T22:30:05+01:00\tev%s[2Jil%sx%sy\t600.0\t598.4\tfinished\t1\train%s]0;t\a\t7\t3\tneck\n' \
	"$esc" "$c1" "$rlo" "$esc" >>"$hist"
printf 'bad %s[31m line %s\n' "$esc" "$c1" >>"$hist"
"$lull" stats >"$out" 2>"$err"
check "stats text: no raw control on stdout" clean "$out"
check "stats text: warnings name the line, escaped" eval 'grep -q "history.tsv:.*unknown record kind" "$err" && clean "$err"'
"$lull" stats --csv >"$out" 2>/dev/null
check "stats --csv: the record is there" grep -q "^2026-11-25,.*,ev" "$out"
check "stats --csv: no raw control" clean "$out"
"$lull" stats --json >"$out" 2>/dev/null
check "stats --json: no raw control" clean "$out"
check "stats --json: parses" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out"

# 5. A huge file of garbage (2 GiB took 49 s and 4.3 GB and printed 8.3
#    million warnings; since issue 11 anything over 64 MiB was refused whole).
#    Now it streams: a count for the rest of the warnings, memory bounded.
cp "$hist" "$tmp/good"
{
	cat "$tmp/good"
	yes 'this is not a record at all, just noise' | head -c 100000000
	printf 'session\t2026-11-26T22:30:05+01:00\tlast\t600.0\t598.4\tfinished\t1\t-\t-\t-\t-\n'
} >"$hist"
/usr/bin/time -f '%M' -o "$tmp/rss" "$lull" stats --json >"$out" 2>"$err"; rc=$?
check "100 MB of garbage: stats exit 0" [ $rc -eq 0 ]
check "100 MB of garbage: warnings capped" eval '[ "$(wc -l <"$err")" -le 25 ] &&
	grep -q "more unreadable lines not shown" "$err"'
check "100 MB of garbage: records around it counted" grep -q '"program": "last"' "$out"
rss=$(cat "$tmp/rss")
echo "# stats on 100 MB of garbage: peak RSS $rss KiB"
check "100 MB of garbage: memory bounded (< 64 MiB)" [ "$rss" -lt 65536 ]

[ $fails -eq 0 ]
