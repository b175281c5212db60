#!/bin/sh
# SPDX-License-Identifier: ISC
# The Linux console (TERM=linux): Debian's console fonts have the whole block
# but not the eighths (U+2589..U+258F), which showed as lozenges along the
# bar. There the bar moves in whole cells; elsewhere in eighths.
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/check-lib.sh"
command -v script >/dev/null || { echo "SKIP: script (util-linux) is needed for a terminal"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME= LC_ALL=C.UTF-8 LULL_TIME_SCALE=8
mkdir -p "$HOME"
# count FILE PATTERN: how many times the bytes occur.
count() { LC_ALL=C grep -a -o -P "$2" "$1" | wc -l; }
for term in linux xterm-256color; do
	TERM=$term timeout -k 5 60 script -qec "'$lull' start relax --cycles 2 --no-audio" /dev/null \
		>"$tmp/$term" 2>&1 </dev/null
done
check "xterm: the bar moves in eighths" [ "$(count "$tmp/xterm-256color" '\xe2\x96[\x89-\x8f]')" -gt 0 ]
check "linux console: the bar is drawn" [ "$(count "$tmp/linux" '\xe2\x96\x88')" -gt 0 ]
check "linux console: no eighth block" [ "$(count "$tmp/linux" '\xe2\x96[\x89-\x8f]')" -eq 0 ]
[ $fails -eq 0 ]
