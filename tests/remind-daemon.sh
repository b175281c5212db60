#!/bin/sh
# SPDX-License-Identifier: ISC
# The reminder daemon end to end, with the real clock. Reminders fire on
# whole local minutes; to have one fire 3 seconds from now without waiting
# for the next minute, the test runs in a made-up zone whose UTC offset has
# just the right number of seconds (TZ="LUL-0:00:SS"). Delivery is seen
# through a fake notify-send first on PATH, which appends to a file, and
# through the marker file. Every wait polls its condition; none sleeps blind.
lull=${LULL_BIN:-./lull}
tmp=$(mktemp -d) || exit 99
dpid=
cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null
	# A detached daemon whose pid was not parsed: its pid file is in our
	# private runtime directory, so the pid there is ours.
	p=$(cat "$tmp/run/lull/remind.pid" 2>/dev/null)
	[ -n "$p" ] && kill "$p" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/remind-lib.sh"
mkdir -p "$XDG_CONFIG_HOME/lull"
rfile="$XDG_CONFIG_HOME/lull/reminders"
ms() { date +%s%N | cut -c1-13; }

# A zone in which the next whole minute is 4 s away.
now=$(date +%s)
off=$(( (60 - (now + 4) % 60) % 60 ))
export TZ="LUL-0:00:$off"
target=$((now + 4))
hm=$(date -u -d "@$((target + off))" +%H:%M)

# 1. The daemon starts with no reminders and sleeps with no time-out.
"$lull" remind daemon >"$tmp/daemon.out" 2>&1 &
dpid=$!
check "daemon starts and sleeps" wait_for 5 grep -q 'sleeping: no reminders' "$log"

# 2. A second daemon is refused, naming the first.
"$lull" remind daemon >"$tmp/second.out" 2>&1; rc=$?
check "second daemon exits 3 (already runs; the unit does not restart it)" [ $rc -eq 3 ]
check "second daemon names the pid" grep -q "already runs (pid $dpid)" "$tmp/second.out"

# 3. A hand edit of the reminder file is picked up (inotify; without it,
#    the SIGHUP of edited): one good reminder 3 s ahead and one mistake,
#    which is logged as FILE:LINE:COL.
n0=$(sleeps)
printf '# by hand\n1 %s daily ping one\n2 24:61 daily\n' "$hm" >"$rfile.new"
mv "$rfile.new" "$rfile"
edited "$dpid"
check "edit picked up" wait_for 5 grep -q "sleeping until .*T$hm:00" "$log"
check "mistake logged with line and column" grep -q "reminders:3:3: bad time '24:61'" "$log"
# Without inotify, a hand edit with no SIGHUP is seen by the stat at the
# next wake-up: here the firing's (3 s away; the minutely one is the same
# path). With inotify it is seen at once. Either way, read before it fires.
if ! watches_files; then
	printf '# by hand\n1 %s daily ping one\n2 24:61 daily\n3 23:59 daily\n' "$hm" >"$rfile.new"
	mv "$rfile.new" "$rfile"
	check "no inotify: a hand edit is read at the next wake-up" \
		wait_for 10 grep -q "reminders changed: reading it again" "$log"
	check "no inotify: ... all of it" wait_for 5 grep -q "read 2 reminders" "$log"
fi

# 4. It fires once, on time, through notify-send and the marker.
check "fires" wait_for 10 count_ge "$tmp/notified" 1
wait_for 5 grep -q "reminder 1 fires" "$log"
fired=$(cut -d' ' -f1 "$tmp/notified" | head -n1)
e2e_ms=$(echo "$fired $target" | awk '{ printf "%d", ($1 - $2) * 1000 }')
late_ms=$(sed -n 's/.*reminder 1 fires for .*, \([0-9.]*\) s after its time/\1/p' "$log" |
	awk '{ printf "%d", $1 * 1000 }')
echo "# fire-time error: daemon awake $late_ms ms after the minute; notify-send ran after $e2e_ms ms"
# Woken for its time, within its minute, never before it; how close to it
# is a figure, make bench-remind's fire-time error (a bound of 1 s here was
# a timing a loaded machine could miss).
check "wakes for its time, not before" eval '[ -n "$late_ms" ] && [ "$late_ms" -ge 0 ] && [ "$late_ms" -lt 60000 ]'
check "not before its time" [ "$e2e_ms" -ge 0 ]
check "the message is delivered" grep -q "lull $hm ping one" "$tmp/notified"
check "the marker is written" grep -q "ping one" "$XDG_RUNTIME_DIR/lull/remind-banner"
check "marker is 0600" [ "$(stat -c %a "$XDG_RUNTIME_DIR/lull/remind-banner")" = 600 ]

# 5. ... and only once: after it sleeps again, a SIGHUP (re-read and
#    recompute) and a restart do not fire it a second time.
check "sleeps until tomorrow" wait_for 5 grep -q "reminder 1 fires" "$log"
n=$(sleeps)
kill -HUP "$dpid"
check "SIGHUP re-reads" wait_for 5 sleeps_gt "$n"
check "not fired twice after SIGHUP" count_is "$tmp/notified" 1

# 6. SIGTERM ends it promptly.
t0=$(ms)
kill -TERM "$dpid"
wait "$dpid"; rc=$?
t1=$(ms)
dpid=
echo "# SIGTERM to exit: $((t1 - t0)) ms"
check "SIGTERM exits 0" [ $rc -eq 0 ]
# (the bound is loose for loaded machines; the figure above is the measure)
check "SIGTERM exits within 2 s" [ $((t1 - t0)) -lt 2000 ]

n=$(sleeps)
"$lull" remind daemon >"$tmp/daemon2.out" 2>&1 &
dpid=$!
check "restarted daemon sleeps" wait_for 5 sleeps_gt "$n"
check "not fired again after a restart" count_is "$tmp/notified" 1
kill -TERM "$dpid"; wait "$dpid"; dpid=

# 7. lull remind check: one line while due and no session since, then quiet.
"$lull" remind check >"$tmp/check.out" 2>&1; rc=$?
check "check exits 0" [ $rc -eq 0 ]
check "check prints one line when due" [ "$(wc -l <"$tmp/check.out")" -eq 1 ]
check "check names the time" grep -q "past $hm" "$tmp/check.out"
touch "$XDG_STATE_HOME/lull/history.tsv"
"$lull" remind check >"$tmp/check.out" 2>&1; rc=$?
check "check quiet after a session" eval '[ $rc -eq 0 ] && [ ! -s "$tmp/check.out" ]'
rm "$XDG_STATE_HOME/lull/history.tsv"
"$lull" remind skip >/dev/null
"$lull" remind check >"$tmp/check.out" 2>&1
check "check quiet when skipped" [ ! -s "$tmp/check.out" ]
HOME= XDG_CONFIG_HOME= XDG_STATE_HOME= "$lull" remind check >"$tmp/check.out" 2>&1; rc=$?
check "check without a home: silent, exit 0" eval '[ $rc -eq 0 ] && [ ! -s "$tmp/check.out" ]'

# 8. Detached: the parent returns, the child holds the lock.
"$lull" remind daemon --detach >"$tmp/detach.out" 2>&1; rc=$?
check "--detach returns 0" [ $rc -eq 0 ]
dpid=$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' "$tmp/detach.out")
check "--detach prints the pid" [ -n "$dpid" ]
# At once: the parent writes it (the child did, after the parent had
# returned, and a second start right away named no pid).
check "--detach: the pid file names the child when it returns" \
	[ "$(cat "$XDG_RUNTIME_DIR/lull/remind.pid" 2>/dev/null)" = "$dpid" ]
"$lull" remind daemon >"$tmp/second.out" 2>&1; rc=$?
check "detached daemon holds the lock" grep -q "already runs (pid $dpid)" "$tmp/second.out"
kill -TERM "$dpid" 2>/dev/null
dead() { ! kill -0 "$dpid" 2>/dev/null; }
check "detached daemon ends on SIGTERM" wait_for 5 dead
dpid=

# 9. A failing and a hanging notify-send: logged, not fatal. A reminder
#    missed 30 s ago fires as the daemon starts (a zone where it is 12:00:30).
now=$(date +%s)
off=$(( (12 * 3600 + 30 - now % 86400 + 86400) % 86400 ))
[ $off -gt 43200 ] && off=$((off - 86400))
if [ $off -ge 0 ]; then sign=-; a=$off; else sign=+; a=$((-off)); fi
export TZ="LUL$sign$((a / 3600)):$(printf %02d $((a / 60 % 60))):$(printf %02d $((a % 60)))"
missed() { # fake notify-send body
	printf '#!/bin/sh\n%s\n' "$1" >"$tmp/bin/notify-send"
	printf '1 12:00 daily missed\n' >"$rfile"
	printf '1 2000-01-01 - - 0 0\n' >"$XDG_STATE_HOME/lull/remind-state"
	rm -f "$XDG_RUNTIME_DIR/lull/remind-banner"
	n=$(sleeps)
	"$lull" remind daemon >"$tmp/daemon3.out" 2>&1 &
	dpid=$!
}
missed 'exit 1'
check "missed reminder fires at start" wait_for 5 grep -q "missed" "$XDG_RUNTIME_DIR/lull/remind-banner"
check "a failing notify-send is logged" wait_for 5 grep -q "desktop notification: notify-send failed" "$log"
check "the daemon goes on after it" wait_for 5 sleeps_gt "$n"
kill -TERM "$dpid"; wait "$dpid"; dpid=
missed 'exec sleep 30'
t0=$(ms)
check "a hanging notify-send is killed and logged" wait_for 5 grep -q "notify-send failed (killed" "$log"
t1=$(ms)
echo "# hanging notify-send given up after about $((t1 - t0)) ms"
check "given up after 2 s, and run only once" [ $((t1 - t0)) -lt 3500 ]
check "the daemon goes on after it" wait_for 5 sleeps_gt "$n"
check "the marker was written anyway" grep -q "missed" "$XDG_RUNTIME_DIR/lull/remind-banner"
kill -TERM "$dpid"; wait "$dpid"; dpid=
# SIGTERM in the middle of a hanging delivery still ends it at once. The
# marker is written just before notify-send starts.
missed 'exec sleep 30'
wait_for 5 grep -q "missed" "$XDG_RUNTIME_DIR/lull/remind-banner"
t0=$(ms)
kill -TERM "$dpid"; wait "$dpid"; rc=$?
t1=$(ms)
dpid=
echo "# SIGTERM during a hanging delivery: $((t1 - t0)) ms"
check "SIGTERM during a delivery exits 0" [ $rc -eq 0 ]
check "SIGTERM during a delivery is prompt (< 1 s, not the 2 s time-out)" [ $((t1 - t0)) -lt 1000 ]
check "the interrupted delivery is logged" grep -q "delivery interrupted" "$log"

[ $fails -eq 0 ]
