#!/bin/sh
# SPDX-License-Identifier: ISC
# The reminders when their files are not what they should be: a state that
# cannot be saved, a corrupt or future-dated state, a config directory moved
# or replaced under the daemon, a runtime directory shared with others, links
# and FIFOs where lull keeps its files, a file far too large, and messages
# the file could not read back. Each case failed before the fix it names.
lull=${LULL_BIN:-./lull}
tmp=$(mktemp -d) || exit 99
dpid=
cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null
	[ -n "$dpid" ] && wait "$dpid" 2>/dev/null
	chmod -R u+w "$tmp" 2>/dev/null
	[ -n "$KEEP" ] || rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/remind-lib.sh"
nobody_setup
cfg="$XDG_CONFIG_HOME/lull" state="$XDG_STATE_HOME/lull" run="$XDG_RUNTIME_DIR/lull"
mkdir -p "$cfg" "$state" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
rfile="$cfg/reminders" sfile="$state/remind-state"
out="$tmp/out" err="$tmp/err"
ms() { date +%s%N | cut -c1-13; }
alive() { kill -0 "$dpid" 2>/dev/null; }
dead() { ! kill -0 "$dpid" 2>/dev/null; }
stop() { kill -TERM "$dpid" 2>/dev/null; wait "$dpid" 2>/dev/null; dpid=; }

# A zone in which it is 12:00:30 now: a reminder at 12:00 was missed 30 s
# ago and fires as soon as the daemon looks (see remind-daemon.sh).
now=$(date +%s)
off=$(( (12 * 3600 + 30 - now % 86400 + 86400) % 86400 ))
[ $off -gt 43200 ] && off=$((off - 86400))
if [ $off -ge 0 ]; then sign=-; a=$off; else sign=+; a=$((-off)); fi
export TZ="LUL$sign$((a / 3600)):$(printf %02d $((a / 60 % 60))):$(printf %02d $((a % 60)))"
today=$(date +%Y-%m-%d)

# 1. A corrupt state (a date of 9999-12-31, a snooze-until near INT64_MAX):
#    the daemon died of SIGSEGV in strftime. Now the line is refused with
#    FILE:LINE, and the reminder starts afresh.
printf '1 21:00 daily\n' >"$rfile"
printf '1 9999-12-31 - %s 1 9223372036854775000\n' "$today" >"$sfile"
"$lull" remind daemon >"$tmp/d1.out" 2>&1 &
dpid=$!
check "corrupt state: the daemon sleeps" wait_for 5 grep -qs 'sleeping until' "$log"
check "corrupt state: the daemon is alive" alive
check "corrupt state: named with FILE:LINE" \
	grep -qs "remind-state:1: bad snooze time '9223372036854775000'" "$log"
stop
"$lull" remind list >"$out" 2>"$err"
check "corrupt state: list shows a time" grep -qs "^1 .* 21:00 *$" "$out"
check "the bad line was not saved back" [ "$(grep -c 9223372036854775000 "$sfile")" -eq 0 ]

# 2. A clock that went far ahead, fired, and came back: the stored date
#    after now made list say "never" until the clock reached it again.
printf '1 2099-01-01 - - 0 0\n' >"$sfile"
"$lull" remind list >"$out" 2>"$err"
check "future-dated state: list says when, not never" grep -qs "$today 21:00" "$out"
printf '1 12:00 daily missed\n' >"$rfile"
printf '1 2099-01-01 - - 0 0\n' >"$sfile"
"$lull" remind check >"$out" 2>&1
rm -f "$tmp/notified"
"$lull" remind daemon >"$tmp/d2.out" 2>&1 &
dpid=$!
check "future-dated state: tonight fires" wait_for 5 count_ge "$tmp/notified" 1
check "and the clock is named in the log" grep -qs "dated after now" "$log"
stop

# 3. A state that cannot be saved: every reload fired the same night again
#    (8 deliveries of one were seen), and nothing said why. The state
#    directory is made unwritable to the daemon's user (root can write
#    anywhere, so as root the daemon runs as nobody).
printf '1 12:00 daily missed\n' >"$rfile"
printf '1 2000-01-01 - - 0 0\n' >"$sfile"
touch "$state/remind.lock" "$log"
[ -n "$nobody" ] && chown -R 65534:65534 "$tmp"
check "the test user runs lull (else the checks below pass on exec's error)" eval '$nobody timeout -k 5 10 "$lull" --version >/dev/null'
chmod 500 "$state"
rm -f "$tmp/notified"
$nobody "$lull" remind daemon >"$tmp/d3.out" 2>&1 &
dpid=$!
check "unsaved state: fires" wait_for 5 count_ge "$tmp/notified" 1
for i in 1 2 3 4; do
	n=$(sleeps)
	kill -HUP "$dpid"
	wait_for 5 sleeps_gt "$n"
done
check "unsaved state: fired once in four reloads" count_is "$tmp/notified" 1
check "unsaved state: said once" [ "$(grep -c 'cannot save' "$tmp/d3.out")" -eq 1 ]
check "unsaved state: says why" grep -qs "remind-state: Permission denied" "$tmp/d3.out"
stop
chmod 700 "$state"
if [ "$(id -u)" -eq 0 ]; then chown -R 0:0 "$tmp"; fi

# 4. The config directory moved away and made anew (a dotfiles manager, or
#    by hand): the daemon's watch stayed on the old one and never saw the
#    new reminder file.
printf '# none yet\n' >"$rfile"
"$lull" remind daemon >"$tmp/d4.out" 2>&1 &
dpid=$!
check "watch: the daemon sleeps" wait_for 5 grep -qs "sleeping: no reminders" "$log"
mv "$cfg" "$cfg.old"
mkdir "$cfg"
n=$(grep -c "read 1 reminder" "$log")
printf '7 23:45 daily\n' >"$rfile.new" && mv "$rfile.new" "$rfile"
edited "$dpid"
check "watch: the new directory's file is read" wait_for 5 grep -qs "read 1 reminder" "$log"
check "watch: and its reminder scheduled" wait_for 5 grep -qs "sleeping until .*T23:45:00" "$log"
# Gone altogether, then back.
rm -rf "$cfg"
mkdir "$cfg"
printf '8 23:40 daily\n' >"$rfile.new" && mv "$rfile.new" "$rfile"
edited "$dpid"
check "watch: removed and made again" wait_for 5 grep -qs "sleeping until .*T23:40:00" "$log"
stop
rm -rf "$cfg.old"

# 5. Signals during a reload of the largest file lull reads: the daemon
#    masks SIGTERM for its signalfd, and a reload took minutes (the
#    duplicate-id check and the state lookup were quadratic). SIGTERM comes
#    as the re-read file is being scheduled.
awk 'BEGIN { for (i = 1; i <= 58000; i++) printf "%d 21:00 daily\n", i }' >"$rfile"
"$lull" remind daemon >"$tmp/d5.out" 2>&1 &
dpid=$!
check "large file: the daemon sleeps" wait_for 60 grep -qs "sleeping until" "$log"
reads() { [ "$(grep -c "read 58000 reminders" "$log")" -ge "$1" ]; }
kill -HUP "$dpid"
wait_for 60 reads 2
t0=$(ms)
kill -TERM "$dpid"
wait_for 30 dead
t1=$(ms)
echo "# SIGTERM after a reload of 58000 reminders: $((t1 - t0)) ms"
check "large file: SIGTERM during a reload ends it within 2 s" eval 'dead && [ $((t1 - t0)) -lt 2000 ]'
dpid=
t0=$(ms)
"$lull" remind check >"$out" 2>"$err"
t1=$(ms)
echo "# remind check with 58000 reminders: $((t1 - t0)) ms"
head -c 1100000 /dev/zero | tr '\0' '#' >"$rfile"
"$lull" remind list >"$out" 2>"$err"; rc=$?
check "too large: list exits 1" [ $rc -eq 1 ]
check "too large: said in words" grep -qs "larger than lull reads (1 MiB" "$err"
"$lull" remind check >"$out" 2>"$err"; rc=$?
check "too large: check stays silent" eval '[ $rc -eq 0 ] && [ ! -s "$out" ] && [ ! -s "$err" ]'
rm -f "$rfile" "$sfile"

# 6. A runtime directory shared with others (XDG_RUNTIME_DIR=/tmp, say):
#    a lull/ made there by someone else was taken as lull's own.
shared="$tmp/shared"
mkdir -p "$shared/lull" && chmod 1777 "$shared" && chmod 777 "$shared/lull"
XDG_RUNTIME_DIR="$shared" "$lull" remind daemon >"$out" 2>&1 &
dpid=$!
check "shared runtime dir: refused" wait_for 5 dead
wait "$dpid"; rc=$?
dpid=
check "shared runtime dir: exit 1" [ $rc -eq 1 ]
check "shared runtime dir: says why" grep -qs "owned by another user or writable by others" "$out"
check "shared runtime dir: nothing written there" [ -z "$(ls -A "$shared/lull")" ]
if [ "$(id -u)" -eq 0 ]; then
	chmod 700 "$shared/lull" && chown 65534:65534 "$shared/lull"
	XDG_RUNTIME_DIR="$shared" "$lull" remind daemon >"$out" 2>&1; rc=$?
	check "another user's runtime dir: refused" eval '[ $rc -eq 1 ] && grep -qs "another user" "$out"'
fi
# Its pid file, planted and held by another: `remind add` sent SIGHUP to
# whatever pid it named.
printf '1\n' >"$shared/lull/remind.pid"
XDG_RUNTIME_DIR="$shared" "$lull" remind add 21:30 >"$out" 2>&1; rc=$?
check "add with a shared runtime dir: works, signals no one" [ $rc -eq 0 ]

# 7. A link planted at remind.pid made the daemon truncate its target.
mkdir -p "$run" && chmod 700 "$run"
printf 'precious\n' >"$tmp/victim"
rm -f "$run/remind.pid"
ln -s "$tmp/victim" "$run/remind.pid"
"$lull" remind daemon >"$out" 2>&1; rc=$?
check "linked pid file: refused" eval '[ $rc -eq 1 ] && grep -qs "symbolic link" "$out"'
check "linked pid file: its target intact" grep -qs precious "$tmp/victim"
rm -f "$run/remind.pid"

# 8. FIFOs where files should be: lull waited for a writer forever (the
#    daemon with its signals masked). Each must answer, within 10 s.
mkfifo "$run/remind.pid"
timeout -k 5 10 "$lull" remind add 21:45 >"$out" 2>&1; rc=$?
check "FIFO pid file: add does not wait" [ $rc -eq 0 ]
timeout -k 5 10 "$lull" remind daemon >"$out" 2>&1; rc=$?
check "FIFO pid file: the daemon refuses at once" eval '[ $rc -eq 1 ] && grep -qs "not a regular file" "$out"'
rm -f "$run/remind.pid"
for f in "$rfile" "$sfile" "$cfg/config"; do
	mv "$f" "$f.keep" 2>/dev/null
	mkfifo "$f"
	timeout -k 5 10 "$lull" remind list >"$out" 2>"$err"; rc=$?
	check "FIFO $(basename "$f"): list answers" eval '[ $rc -ne 124 ] && grep -qs "not a regular file" "$err"'
	timeout -k 5 10 "$lull" remind check >"$out" 2>"$err"; rc=$?
	check "FIFO $(basename "$f"): check answers, quietly" [ $rc -eq 0 ]
	timeout -k 5 10 "$lull" remind add 22:15 >"$out" 2>"$err"; rc=$?
	check "FIFO $(basename "$f"): add answers" [ $rc -ne 124 ]
	# The daemon: says so in its log (of the settings it said nothing),
	# goes on, and SIGTERM ends it.
	n=$(sleeps)
	"$lull" remind daemon >"$tmp/d8.out" 2>&1 &
	dpid=$!
	check "FIFO $(basename "$f"): the daemon says so" \
		wait_for 5 grep -qs "$(basename "$f"): not a regular file" "$log"
	check "FIFO $(basename "$f"): and sleeps" wait_for 5 sleeps_gt "$n"
	kill -TERM "$dpid"
	check "FIFO $(basename "$f"): SIGTERM ends it" wait_for 2 dead
	wait "$dpid" 2>/dev/null
	dpid=
	rm -f "$f"
	mv "$f.keep" "$f" 2>/dev/null
done
rm -f "$rfile" "$sfile"

# 9. What add writes, the file reads back: an ESC (shown raw by list and
#    the daemon), a CR (stored raw), a message starting session= (read back
#    as a session), ids past the largest the file holds.
for m in "$(printf 'red \033[31m')" "$(printf 'a\rb')" "$(printf 'c1 \302\233')" "session=x y"; do
	"$lull" remind add 22:00 --message "$m" >"$out" 2>"$err"; rc=$?
	check "add refuses a message it cannot keep" eval '[ $rc -eq 2 ] && grep -qs "the message" "$err"'
done
check "nothing written for them" [ ! -e "$rfile" ]
"$lull" remind add 22:00 --message "  Tea, then bed  " >"$out" 2>"$err"
check "blanks around a message are trimmed" grep -qs "^1 22:00 daily Tea, then bed$" "$rfile"
"$lull" remind add 22:05 --session winddown --message "session=x y" >"$out" 2>"$err"; rc=$?
check "with a session, the message may say session=" [ $rc -eq 0 ]
printf '999999 - - - 0 0\n' >"$sfile"
"$lull" remind add 22:10 >"$out" 2>"$err"; rc=$?
check "past id 999999: add takes a free id" eval '[ $rc -eq 0 ] && grep -qs "^reminder 3:" "$out"'
"$lull" remind list >"$out" 2>"$err"; rc=$?
check "and list reads every line back" eval '[ $rc -eq 0 ] && [ ! -s "$err" ] && [ "$(grep -c '\''^[0-9]'\'' "$out")" -eq 3 ]'
check "the session=x y message as it was" grep -qs "session=x y (winddown)" "$out"
printf '2147483647 - - - 0 0\n' >"$sfile"
"$lull" remind add 22:20 >"$out" 2>"$err"; rc=$?
check "an id of 2147483647 in the state: refused, no overflow" eval '[ $rc -eq 0 ] &&
	grep -qs "remind-state:1: bad id '\''2147483647'\''" "$err" && grep -qs "^reminder 4:" "$out"'

[ $fails -eq 0 ]
