#!/bin/sh
# SPDX-License-Identifier: ISC
# The fault matrix: each of lull's files (the config, the reminders, their
# state, the daemon's pid file, the history, a sound, the runtime
# directory) made a directory, unreadable (EACCES), its folder read-only,
# full (a file size limit: writes fail part-way with EFBIG, as on a full
# disk with ENOSPC), a link, corrupt or huge; its folder another user's or
# open to others. Each cell checks that lull answers at once, says what is
# wrong naming the file, and keeps what it had. The cells other scripts hold
# are named there (history-faults.sh, remind-faults.sh, start-faults.sh,
# remind-cli.sh).
lull=${LULL_BIN:-./lull}
tmp=$(mktemp -d) || exit 99
dpid=
cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null
	chmod -R u+rwx "$tmp" 2>/dev/null
	[ "$(id -u)" -eq 0 ] && chown -R 0:0 "$tmp" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/remind-lib.sh"
export TZ=UTC LULL_TIME_SCALE=50
cfg="$XDG_CONFIG_HOME/lull" state="$XDG_STATE_HOME/lull" run="$XDG_RUNTIME_DIR/lull"
sounds="$XDG_DATA_HOME/lull/sounds"
out="$tmp/out" err="$tmp/err"
# Permission faults mean nothing to root: as root, lull runs as nobody on a
# tree nobody owns.
# own hands the tree over until the next fresh.
as=
nobody_setup
if [ -n "$nobody" ]; then
	own() { chown -R 65534:65534 "$tmp"; as=$nobody; }
	unown() { chown -R 0:0 "$tmp"; as=; }
else
	own() { :; }
	unown() { :; }
fi
# A fresh home: a config, one reminder with its state, one session recorded.
fresh() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	dpid=
	chmod -R u+rwx "$tmp/config" "$tmp/state" "$tmp/run" "$tmp/data" 2>/dev/null
	unown
	rm -rf "$tmp/config" "$tmp/state" "$tmp/run" "$tmp/data"
	mkdir -p "$cfg" "$state" "$run" "$sounds"
	chmod 700 "$tmp/config" "$tmp/state" "$tmp/run" "$tmp/data" "$cfg" "$state" "$run"
	printf 'volume = 50\n' >"$cfg/config"
	printf '1 21:00 daily Tea\n' >"$cfg/reminders"
	printf '1 2026-11-30 - - 0 0\n' >"$state/remind-state"
	"$lull" start box --cycles 1 --plain --no-audio </dev/null >/dev/null 2>&1
}
# lull ARGS: as the test user, at most 20 s, output in $out and $err.
l() { timeout -k 5 20 $as "$lull" "$@" </dev/null >"$out" 2>"$err"; rc=$?; }
said() { grep -qs "$1" "$err"; }
same() { cmp -s "$1" "$2"; }
# daemon: starts it in the background as the test user.
daemon() { $as "$lull" remind daemon >"$tmp/d.out" 2>&1 & dpid=$!; }
daemon_ends() { wait_for 5 dead; r=$?; wait "$dpid" 2>/dev/null; drc=$?; dpid=; return $r; }
dead() { ! kill -0 "$dpid" 2>/dev/null; }
stop() { kill -TERM "$dpid" 2>/dev/null; wait_for 2 dead; r=$?; wait "$dpid" 2>/dev/null; dpid=; return $r; }

# ---------------------------------------------------------------- config
# Only read: each fault leaves the defaults, said on stderr; the session
# runs (exit 0).
fresh
rm "$cfg/config" && mkdir "$cfg/config"
l start box --cycles 1 --plain --no-audio
check "config a directory: said, the session runs" eval '[ $rc -eq 0 ] && said "config: is a directory"'
fresh
chmod 000 "$cfg/config" && own
check "the test user runs lull (else the cells pass on exec's error)" eval '$as timeout -k 5 10 "$lull" --version >/dev/null'
l start box --cycles 1 --plain --no-audio
check "config EACCES: said, the session runs" eval '[ $rc -eq 0 ] && said "config: Permission denied"'
fresh
printf 'bogus = 1\n' >"$cfg/config" && chmod 500 "$cfg" && own
l start box --cycles 1 --plain --no-audio
check "config in a read-only folder: read as ever" eval '[ $rc -eq 0 ] && said "config:1: unknown key"'
fresh
printf 'bogus = 1\n' >"$tmp/dotfiles-config" && rm "$cfg/config" && ln -s "$tmp/dotfiles-config" "$cfg/config"
l start box --cycles 1 --plain --no-audio
check "config a link (dotfiles): read through it" eval '[ $rc -eq 0 ] && said "config:1: unknown key"'
fresh
awk 'BEGIN { for (i = 0; i < 120000; i++) print "# padding" }' >"$cfg/config"
l start box --cycles 1 --plain --no-audio
check "config over 1 MiB: not read, said" eval '[ $rc -eq 0 ] && said "config: larger than lull reads (1 MiB); not read"'

# ---------------------------------------------------------------- reminders
# add rewrites it atomically: a fault leaves the file as it was, exit 1
# with the file named; list says it (exit 1), check stays silent (exit 0),
# the daemon logs it and sleeps with no reminders.
reminders_cell() { # NAME EXPECTED-MESSAGE
	why=$2 # (eval in check sees check's own $2)
	l remind list
	check "reminders $1: list says so, exit 1" eval '[ $rc -eq 1 ] && said "reminders: $why"'
	l remind check
	check "reminders $1: check silent, exit 0" eval '[ $rc -eq 0 ] && [ ! -s "$out" ] && [ ! -s "$err" ]'
	l remind add 22:00
	check "reminders $1: add refuses, exit 1" eval '[ $rc -eq 1 ] && said "reminders: $why"'
	n=$(sleeps)
	daemon
	check "reminders $1: the daemon logs it and sleeps" eval 'wait_for 5 sleeps_gt $n && grep -qs "reminders: $why" "$log"'
	check "reminders $1: and SIGTERM ends it" stop
}
fresh
rm "$cfg/reminders" && mkdir "$cfg/reminders"
reminders_cell "a directory" "Is a directory"
fresh
chmod 000 "$cfg/reminders" && own
reminders_cell "EACCES" "Permission denied"
fresh
cp "$cfg/reminders" "$tmp/before" && chmod 500 "$cfg" && own
l remind add 22:00
check "reminders in a read-only folder: add refuses, named" eval '[ $rc -eq 1 ] && said "reminders: Permission denied"'
check "reminders in a read-only folder: the file as it was" same "$cfg/reminders" "$tmp/before"
fresh
cp "$cfg/reminders" "$tmp/before"
# (Its words through a pipe: a file of its own would be as full.)
{ timeout -k 5 20 prlimit --fsize=8 "$lull" remind add 22:00 </dev/null 2>&1; echo "rc=$?"; } | cat >"$err"
check "reminders on a full disk: add refuses, named" eval 'said "^rc=1$" && said "reminders: File too large"'
check "reminders on a full disk: the file as it was, no temporary left" \
	eval 'same "$cfg/reminders" "$tmp/before" && [ "$(ls -A "$cfg" | wc -l)" -eq 2 ]'
for how in "owned by another user" "writable by others"; do
	fresh
	cp "$cfg/reminders" "$tmp/before"
	if [ "$how" = "writable by others" ]; then chmod 777 "$cfg"; else
		[ "$(id -u)" -eq 0 ] || continue
		chown 65534:65534 "$cfg"
	fi
	l remind add 22:00
	check "reminders' folder $how: add refuses" eval '[ $rc -eq 1 ] && said "config directory .*owned by another user or writable by others"'
	check "reminders' folder $how: nothing written" same "$cfg/reminders" "$tmp/before"
	timeout -k 5 10 "$lull" remind daemon >"$tmp/d.out" 2>&1; rc=$?
	check "reminders' folder $how: the daemon refuses, in words" \
		eval '[ $rc -eq 1 ] && grep -qs "config directory .*owned by another user or writable by others" "$tmp/d.out"'
done

# ---------------------------------------------------------------- remind-state
# list goes on without it (said), check is silent, add refuses to rewrite
# what it could not read, the daemon logs it, fires nothing twice and says
# once when it cannot save (remind-faults.sh: unsaved state).
state_cell() { # NAME EXPECTED-MESSAGE IN-THE-LOG
	why=$2 logged=$3
	l remind list
	check "state $1: list says so and lists" eval '[ $rc -eq 0 ] && said "remind-state: $why" && grep -q "^1 " "$out"'
	l remind check
	check "state $1: check silent" eval '[ $rc -eq 0 ] && [ ! -s "$err" ]'
	cp "$cfg/reminders" "$tmp/before"
	l remind add 22:00
	check "state $1: add refuses, nothing changed" \
		eval '[ $rc -eq 1 ] && said "remind-state: $why; not changing" && same "$cfg/reminders" "$tmp/before"'
	n=$(sleeps)
	daemon
	check "state $1: the daemon logs it and sleeps" eval 'wait_for 5 sleeps_gt $n && grep -qs "remind-state: $logged" "$log"'
	check "state $1: and SIGTERM ends it" stop
}
fresh
rm "$state/remind-state" && mkdir "$state/remind-state"
state_cell "a directory" "Is a directory" "Is a directory"
fresh
chmod 000 "$state/remind-state" && own
state_cell "EACCES" "Permission denied" "Permission denied"
fresh
awk 'BEGIN { for (i = 0; i < 900000; i++) print "# padding" }' >"$state/remind-state"
state_cell "over 8 MiB" "larger than lull reads (8 MiB)" "File too large"
for how in "owned by another user" "writable by others"; do
	fresh
	if [ "$how" = "writable by others" ]; then chmod 777 "$state"; else
		[ "$(id -u)" -eq 0 ] || continue
		chown 65534:65534 "$state"
	fi
	l remind add 22:00
	check "state's folder $how: add refuses, in words" \
		eval '[ $rc -eq 1 ] && said "reminder state (in .*): owned by another user or writable by others"'
	timeout -k 5 10 "$lull" remind daemon >"$tmp/d.out" 2>&1; rc=$?
	check "state's folder $how: the daemon refuses, in words" \
		eval '[ $rc -eq 1 ] && grep -qs "state directory .*owned by another user or writable by others" "$tmp/d.out"'
done

# ---------------------------------------------------------------- remind.pid
# The daemon refuses at once, naming the runtime directory and why (exit
# 1); add still works and signals no one.
pid_cell() { # NAME EXPECTED-MESSAGE
	why=$2
	l remind add 22:00
	check "pid file $1: add works" [ $rc -eq 0 ]
	daemon
	check "pid file $1: the daemon refuses at once" daemon_ends
	check "pid file $1: exit 1, said in words" eval '[ $drc -eq 1 ] && grep -qs "daemon.s lock in .*: $why" "$tmp/d.out"'
}
fresh
mkdir "$run/remind.pid"
pid_cell "a directory" "Is a directory"
fresh
: >"$run/remind.pid" && chmod 000 "$run/remind.pid" && own
pid_cell "EACCES" "Permission denied"
fresh
chmod 500 "$run" && own
pid_cell "in a read-only folder" "Permission denied"
# Garbage or a huge file in our own pid file (no daemon holds it): add
# signals no one, the daemon takes it over.
for what in garbage huge; do
	fresh
	if [ $what = garbage ]; then printf 'not a pid\n' >"$run/remind.pid"
	else head -c 3000000 /dev/zero | tr '\0' '7' >"$run/remind.pid"; fi
	l remind add 22:00
	check "pid file $what: add works" [ $rc -eq 0 ]
	daemon
	check "pid file $what: the daemon takes it over" eval 'wait_for 5 grep -qs "^$dpid$" "$run/remind.pid"'
	check "pid file $what: and SIGTERM ends it" stop
done

# ---------------------------------------------------------------- runtime dir
fresh
rm -rf "$run" && printf 'x' >"$run"
daemon
check "runtime dir a file: the daemon refuses at once" daemon_ends
check "runtime dir a file: said" eval '[ $drc -eq 1 ] && grep -qs "Not a directory" "$tmp/d.out"'
l remind add 22:00
check "runtime dir a file: add works" [ $rc -eq 0 ]
fresh
chmod 000 "$run" && own
daemon
check "runtime dir EACCES: the daemon refuses at once" daemon_ends
check "runtime dir EACCES: said" eval '[ $drc -eq 1 ] && grep -qs "Permission denied" "$tmp/d.out"'

# ---------------------------------------------------------------- history
# (history-faults.sh: a directory, EACCES, a FIFO, a full disk, garbage,
# 100 MB.) A link the person made (to a synced folder) is followed; a state
# folder another user owns or others may write is refused, the record
# printed to keep.
fresh
mv "$state/history.tsv" "$tmp/synced.tsv" && ln -s "$tmp/synced.tsv" "$state/history.tsv"
l start box --cycles 1 --plain --no-audio
check "history a link of the person's: appended through it" \
	eval '[ $rc -eq 0 ] && [ -L "$state/history.tsv" ] && [ "$(grep -c ^session "$tmp/synced.tsv")" -eq 2 ]'
fresh
chmod 777 "$state"
l start box --cycles 1 --plain --no-audio
check "history's folder writable by others: not recorded, said, exit 1" \
	eval '[ $rc -eq 1 ] && said "not recorded: .*owned by another user or writable by others"'
check "history's folder writable by others: the record printed to keep" grep -q "^session	" "$err"
check "history's folder writable by others: nothing written there" [ "$(grep -c ^session "$state/history.tsv")" -eq 1 ]

# ---------------------------------------------------------------- a sound
# (start-faults.sh: missing, unreadable, a FIFO, a directory.) EACCES: the
# session runs and says which file and why.
fresh
cp "$LULL_SOUNDS_DIR/rain.flac" "$sounds/mine.flac" 2>/dev/null || printf 'x' >"$sounds/mine.flac"
chmod 000 "$sounds/mine.flac" && own
if "$lull" sounds --names >/dev/null 2>&1; then
	l start box --cycles 1 --plain --audio --audio-driver null --sound mine
	check "sound EACCES: the session runs and says it" eval '[ $rc -eq 0 ] && grep -q "mine.flac: Permission denied" "$out"'
	l sounds
	check "sound EACCES: lull sounds says it" grep -q "^mine .*unreadable: Permission denied" "$out"
fi

[ $fails -eq 0 ]
