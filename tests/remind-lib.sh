# SPDX-License-Identifier: ISC
# Shared by the reminder daemon's shell tests (sourced, after $tmp is made):
# a private home and XDG folders under $tmp, no session bus, a fake
# notify-send first on PATH that appends "TIME ARGS" to $tmp/notified, and
# helpers that poll a condition instead of sleeping blind.
. "$(dirname "$0")/check-lib.sh"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" \
	XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" TMUX_TMPDIR="$tmp"
export DBUS_SESSION_BUS_ADDRESS="unix:path=$tmp/no-bus"
mkdir -p "$HOME" "$tmp/bin" && chmod 700 "$tmp"
# (Under faketime the fake notify-send records the fake time.)
cat >"$tmp/bin/notify-send" <<EOS
#!/bin/sh
printf '%s %s\n' "\$(date +%s.%N)" "\$*" >>"$tmp/notified"
EOS
chmod +x "$tmp/bin/notify-send"
PATH="$tmp/bin:$PATH"
log="$XDG_STATE_HOME/lull/remind.log"

# wait_for SECONDS COMMAND...: polls COMMAND every 20 ms.
wait_for() {
	limit=$(($1 * 50)); shift
	i=0
	while [ $i -lt $limit ]; do
		"$@" && return 0
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
count_is() { [ "$(lines "$1")" -eq "$2" ]; }
count_ge() { [ "$(lines "$1")" -ge "$2" ]; }
sleeps() { n=$(grep -c 'sleeping' "$log" 2>/dev/null); echo "${n:-0}"; }
sleeps_gt() { [ "$(sleeps)" -gt "$1" ]; }
# Built without inotify (./configure --disable-linux-apis, or a system
# without it), the daemon notices a hand edit of its files only at its next
# wake-up (a stat of them each time, at least once a minute) or on the
# SIGHUP that lull's own commands send. edited PID: after a hand edit, that
# SIGHUP, so that the tests need not wait a minute; with inotify, nothing.
# (remind-daemon.sh tests the stat at a wake-up on its own.)
watches_files() { grep -qs '^#define HAVE_INOTIFY_INIT1 1' "${LULL_BUILDDIR:-.}/config.h"; }
edited() { watches_files || kill -HUP "$1"; }
