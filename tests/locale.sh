#!/bin/sh
# SPDX-License-Identifier: ISC
# A locale whose decimal point is a comma (de_DE): lull wrote its history
# with it ("16,0", read back as a bad length, the record lost to any lull
# in another locale), its JSON export was not JSON ("minutes": 0,3), its
# CSV had "0,27", and settings such as voice_rate = 0.85 were refused.
# Numbers are C's now; the locale still names the days. Needs localedef
# and the de_DE source (Debian: locales); without them, skipped.
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
command -v localedef >/dev/null 2>&1 || { echo "no localedef"; exit 77; }
mkdir -p "$tmp/loc"
localedef -i de_DE -f UTF-8 "$tmp/loc/de_DE.UTF-8" >/dev/null 2>&1 || { echo "no de_DE source"; exit 77; }
export LOCPATH="$tmp/loc" LC_ALL=de_DE.UTF-8
export HOME="$tmp/home" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME= XDG_RUNTIME_DIR= TZ=UTC
export LULL_TIME_SCALE=50
mkdir -p "$HOME/.config/lull"
hist="$HOME/.local/state/lull/history.tsv"

printf 'voice_rate = 0.85\nsounds = rain:0.5\n' >"$HOME/.config/lull/config"
timeout -k 5 20 "$lull" start box --cycles 1 --plain --no-audio </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a session runs" [ $rc -eq 0 ]
check "settings with a decimal point are taken" eval '! grep -q "config:" "$tmp/err"'
check "the history says 16.0, not 16,0" grep -q "	box	16.0	16.0	finished" "$hist"
LC_ALL=C.UTF-8 "$lull" stats --csv >"$tmp/out" 2>"$tmp/err"
check "read in another locale, the record is there" eval '[ ! -s "$tmp/err" ] && grep -q ",box," "$tmp/out"'
"$lull" stats --json >"$tmp/out" 2>"$tmp/err"
check "stats --json is JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out"
"$lull" stats --csv >"$tmp/out" 2>"$tmp/err"
check "stats --csv: minutes with a point" grep -q ',box,0.27,0.27,' "$tmp/out"
"$lull" stats >"$tmp/out" 2>"$tmp/err"
check "the days are still named in the locale" grep -q "^lull stats, $(date +%a) " "$tmp/out"

[ $fails -eq 0 ]
