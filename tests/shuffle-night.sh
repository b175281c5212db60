#!/bin/sh
# SPDX-License-Identifier: ISC
# The cognitive shuffle's order of words comes from the night it is used:
# the same at 22:00 and at 03:00 after it (one night), another the next
# evening; the pure core takes the seed, the shell picks it from the local
# date (catalog.c), here under libfaketime (Debian's faketime package).
lull=${LULL_BIN:-./lull}
lib=
for f in /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 /usr/lib/*/faketime/libfaketime.so.1 \
	/usr/lib/faketime/libfaketime.so.1 /usr/local/lib/faketime/libfaketime.so.1; do
	[ -f "$f" ] && { lib=$f; break; }
done
if [ -z "$lib" ]; then
	echo "libfaketime missing: skipped"
	exit 77
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" \
	XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR= TZ=UTC
mkdir -p "$HOME"

# The words said, one a line, of a whole shuffle run at 1000 times speed.
words_at() { # "YYYY-MM-DD hh:mm:ss" file
	LD_PRELOAD="$lib" FAKETIME="@$1" FAKETIME_DONT_FAKE_MONOTONIC=1 LULL_TIME_SCALE=1000 \
		"$lull" start shuffle --plain --no-audio 2>/dev/null | sed -n 's/^[0-9:]* Say //p' >"$2"
}
words_at "2026-11-25 22:00:00" "$tmp/evening"
words_at "2026-11-26 03:00:00" "$tmp/small-hours"
words_at "2026-11-26 22:00:00" "$tmp/next"
check "a whole run says over a hundred words" [ "$(wc -l <"$tmp/evening")" -gt 100 ]
check "no word twice in a run" [ "$(sort "$tmp/evening" | uniq -d | wc -l)" -eq 0 ]
check "the evening and the small hours after it: one night, one order" cmp -s "$tmp/evening" "$tmp/small-hours"
check "the next evening: another order" sh -c "! cmp -s '$tmp/evening' '$tmp/next'"
# Every word comes from the list in the source tree.
src=${LULL_SRCDIR:-.}
grep -v '^#' "$src/src/builtin/words.txt" | sort >"$tmp/list"
sort -u "$tmp/evening" "$tmp/next" >"$tmp/said"
check "every word said is on the list" [ -z "$(comm -23 "$tmp/said" "$tmp/list")" ]
[ $fails -eq 0 ]
