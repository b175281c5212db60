#!/bin/sh
# SPDX-License-Identifier: ISC
# lull status from the outside: tonight's next reminder as remind list has
# it, tonight's session, the week's practice, the format option, and nothing
# written.
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" \
	XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR= TZ=UTC
mkdir -p "$HOME"

out=$("$lull" status); rc=$?
check "nothing yet: exit 0" [ $rc -eq 0 ]
check "nothing yet: no reminder, not done, 0 days" [ "$out" = "next none · tonight not yet · 0/4 days" ]
check "nothing written by a status" [ ! -e "$XDG_STATE_HOME" ] && [ ! -e "$XDG_CONFIG_HOME" ]
# Where the locale is not UTF-8 the dots were UTF-8 bytes all the same.
out=$(LC_ALL=C LANG=C "$lull" status)
check "LANG=C: ASCII, dashes for the dots" [ "$out" = "next none - tonight not yet - 0/4 days" ]

# A reminder two hours on (before midnight, so that it is tonight's).
hour=$(date -u +%H)
if [ "$hour" -lt 21 ] && [ "$hour" -ge 2 ]; then
	at=$(date -u -d '+2 hours' +%H:%M)
	"$lull" remind add "$at" >/dev/null 2>&1
	out=$("$lull" status --format '%n')
	check "tonight's reminder: its time, as remind list gives it" [ "$out" = "$at" ]
fi

# A practice session just now: tonight done, one day this week.
printf 'session\t%s\tbox\t300.0\t300.0\tfinished\t1\t-\t-\t-\t-\n' "$(date -u +%Y-%m-%dT%H:%M:%S+00:00)" >"$tmp/h"
mkdir -p "$XDG_STATE_HOME/lull" && chmod 700 "$XDG_STATE_HOME/lull"
{ printf '#lull-history 1\n'; cat "$tmp/h"; } >"$XDG_STATE_HOME/lull/history.tsv"
chmod 600 "$XDG_STATE_HOME/lull/history.tsv"
out=$("$lull" status --format '%t %T %w/%g')
check "a session now: done, one day" [ "$out" = "done done 1/4" ]
# Only the end of a long history is read: 100,000 old lines first.
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "session\t2020-01-01T21:00:00+00:00\tbox\t300.0\t300.0\tfinished\t1\t-\t-\t-\t-\n" }' \
	>"$tmp/old"
{ printf '#lull-history 1\n'; cat "$tmp/old" "$tmp/h"; } >"$XDG_STATE_HOME/lull/history.tsv"
out=$("$lull" status --format '%t %w')
check "a long history: the same from its end" [ "$out" = "done 1" ]

"$lull" status --format 'x %q' >/dev/null 2>"$tmp/err"; rc=$?
check "an unknown conversion: usage error 2" [ $rc -eq 2 ]
check "an unknown conversion: named" grep -q "'%q' is not one of" "$tmp/err"
"$lull" status --format "$(printf 'a\033]0;x\007b')" >"$tmp/out"
check "the format reaches the terminal sanitised" sh -c "! LC_ALL=C grep -q \"\$(printf '\\033')\" '$tmp/out'"
"$lull" status --help | grep -q '^Usage: lull status'
check "status --help" [ $? -eq 0 ]

[ $fails -eq 0 ]
