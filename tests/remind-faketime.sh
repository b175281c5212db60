#!/bin/sh
# SPDX-License-Identifier: ISC
# The reminder daemon on a daylight-saving night and across a clock jump,
# under libfaketime (Debian's faketime package).
#
# How it works under faketime: libfaketime is preloaded and shifts what
# clock_gettime(CLOCK_REALTIME) returns by an offset (FAKETIME="+N"/"-N"
# seconds, or read from FAKETIME_TIMESTAMP_FILE). It also wraps
# timerfd_settime, turning the daemon's absolute fake deadline into the
# matching real one, so the daemon's design (an absolute CLOCK_REALTIME
# timerfd) runs unchanged and wakes at the right fake moment. What faketime
# cannot do is make the kernel announce a clock change: a jump of the fake
# offset does not cancel the timerfd the way a real settimeofday() does
# (TFD_TIMER_CANCEL_ON_SET). The jump test therefore sends SIGHUP after
# moving the clock, standing in for that kernel notice; the daemon's
# response (recompute from the new "now") is the same path.
lull=${LULL_BIN:-./lull}
lib=
for f in /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 /usr/lib/*/faketime/libfaketime.so.1 \
	/usr/lib/faketime/libfaketime.so.1 /usr/local/lib/faketime/libfaketime.so.1; do
	[ -f "$f" ] && { lib=$f; break; }
done
if [ -z "$lib" ] || [ ! -f /usr/share/zoneinfo/America/New_York ]; then
	echo "libfaketime or tzdata missing: skipped"
	exit 77
fi
# Under AddressSanitizer, a preloaded library comes before the ASan runtime;
# that is fine for libfaketime, but ASan refuses it unless told.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
tmp=$(mktemp -d) || exit 99
dpid=
cleanup() { [ -n "$dpid" ] && kill "$dpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
. "$(dirname "$0")/remind-lib.sh"
export TZ=America/New_York
stamp="$tmp/faketime"
utc() { date -u -d "$1" +%s; }

# set_clock EPOCH: the fake clock reads EPOCH now (an offset in the stamp
# file, re-read by libfaketime at every call).
set_clock() { echo "$(( $1 - $(date +%s) ))" >"$stamp"; }
fake() {
	LD_PRELOAD=$lib FAKETIME_TIMESTAMP_FILE=$stamp FAKETIME_NO_CACHE=1 \
		FAKETIME_DONT_FAKE_MONOTONIC=1 "$@"
}
start_daemon() {
	n=$(sleeps)
	# Not through fake(): a backgrounded function is a subshell, and $!
	# would be the subshell's pid rather than the daemon's.
	LD_PRELOAD=$lib FAKETIME_TIMESTAMP_FILE=$stamp FAKETIME_NO_CACHE=1 \
		FAKETIME_DONT_FAKE_MONOTONIC=1 "$lull" remind daemon >>"$tmp/daemon.out" 2>&1 &
	dpid=$!
	wait_for 5 sleeps_gt "$n"
}
stop_daemon() { kill -TERM "$dpid"; wait "$dpid"; dpid=; }
reset() {
	[ -n "$dpid" ] && stop_daemon
	rm -rf "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$tmp/notified"
}
fired_at() { cut -d' ' -f1 "$tmp/notified" | sed -n "${1}p" | cut -d. -f1; }

# faketime must take effect on lull itself, or every case below would wait
# for its time-outs.
set_clock "$(utc '2024-03-10 07:00:00')"
if ! fake "$lull" remind list >/dev/null 2>&1 || [ "$(fake date +%Y)" != 2024 ]; then
	echo "libfaketime has no effect here: skipped"
	exit 77
fi

# 1. Spring forward, 2024-03-10: 02:00 EST becomes 03:00 EDT (07:00 UTC).
#    A 02:30 reminder fires at 03:00 EDT, once.
t=$(utc '2024-03-10 07:00:00')
set_clock $((t - 3))
fake "$lull" remind add 02:30 --message "spring" >/dev/null
check "spring: list shows 03:00" sh -c "LD_PRELOAD=$lib FAKETIME_TIMESTAMP_FILE=$stamp FAKETIME_NO_CACHE=1 '$lull' remind list | grep -q '2024-03-10 03:00'"
check "spring: daemon sleeps until 03:00 EDT" start_daemon
check "spring: the deadline is 07:00 UTC" grep -q 'sleeping until 2024-03-10T03:00:00-0400' "$log"
check "spring: fires" wait_for 8 count_ge "$tmp/notified" 1
check "spring: fires at 03:00 EDT (within 1 s)" eval '[ "$(fired_at 1)" -ge "$t" ] && [ "$(fired_at 1)" -le $((t + 1)) ]'
n=$(sleeps); kill -HUP "$dpid"; wait_for 5 sleeps_gt "$n"
check "spring: next is tomorrow 02:30 EDT" grep -q 'sleeping until 2024-03-11T02:30:00-0400' "$log"
check "spring: fired once" count_is "$tmp/notified" 1

# 2. Fall back, 2024-11-03: 01:30 happens at 05:30 UTC (EDT) and 06:30 UTC
#    (EST). It fires at the first; restarted just before the second, the
#    daemon sleeps until the next day.
reset
t=$(utc '2024-11-03 05:30:00')
set_clock $((t - 3))
fake "$lull" remind add 01:30 --message "autumn" >/dev/null
start_daemon
check "autumn: fires" wait_for 8 count_ge "$tmp/notified" 1
check "autumn: at the first 01:30 (EDT)" eval '[ "$(fired_at 1)" -ge "$t" ] && [ "$(fired_at 1)" -le $((t + 1)) ]'
stop_daemon
set_clock $((t + 3600 - 3))
start_daemon
check "autumn: not at the second 01:30" grep -q 'sleeping until 2024-11-04T01:30:00-0500' "$log"
check "autumn: fired once" count_is "$tmp/notified" 1

# 3. A jump forward past the reminder, inside its evening: fires once.
reset
t=$(utc '2024-06-11 02:30:00') # 22:30 EDT on the 10th
set_clock $((t - 1800))
fake "$lull" remind add 22:30 --message "jump" >/dev/null
start_daemon
check "jump: sleeps until 22:30" grep -q 'sleeping until 2024-06-10T22:30:00-0400' "$log"
set_clock $((t + 900)) # 22:45
n=$(sleeps); kill -HUP "$dpid"
check "jump: fires after the jump" wait_for 5 count_ge "$tmp/notified" 1
check "jump: logged as late" grep -q 'reminder 1 fires for 2024-06-10, 9[0-9][0-9][.0-9]* s after its time' "$log"
wait_for 5 sleeps_gt "$n"
n=$(sleeps); kill -HUP "$dpid"; wait_for 5 sleeps_gt "$n"
check "jump: fired once" count_is "$tmp/notified" 1

# 4. A jump past the evening's end (02:00): the missed reminder is dropped.
reset
set_clock $((t - 1800))
fake "$lull" remind add 22:30 --message "late" >/dev/null
start_daemon
set_clock $((t + 4 * 3600)) # 02:30 on the 11th
n=$(sleeps); kill -HUP "$dpid"; wait_for 5 sleeps_gt "$n"
check "late: sleeps until the next evening" grep -q 'sleeping until 2024-06-11T22:30:00-0400' "$log"
check "late: not fired" count_is "$tmp/notified" 0
stop_daemon

# 5. Built without timerfd (./configure --disable-linux-apis): nothing
#    announces a clock change, and none is needed: the daemon reads the
#    wall clock again at least once a minute (core/wake.h). A jump forward
#    past the reminder, with no SIGHUP, fires it within a minute. (This
#    case alone waits up to that minute; the default build skips it.)
if ! grep -qs '^#define HAVE_TIMERFD_CREATE 1' "${LULL_BUILDDIR:-.}/config.h"; then
	reset
	set_clock $((t - 1800))
	fake "$lull" remind add 22:30 --message "minute" >/dev/null
	start_daemon
	check "no timerfd: sleeps until 22:30" grep -q 'sleeping until 2024-06-10T22:30:00-0400' "$log"
	set_clock $((t + 900)) # 22:45, and no SIGHUP
	check "no timerfd: a jump is noticed within a minute" wait_for 70 count_ge "$tmp/notified" 1
	check "no timerfd: ... as a clock change" grep -q 'the wall clock changed: recomputing' "$log"
	stop_daemon
fi

[ $fails -eq 0 ]
