#!/bin/sh
# SPDX-License-Identifier: ISC
# `lull list --json` is valid JSON with the fields the menu and scripts use.
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 missing"; exit 77; }
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" \
	XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR=
mkdir -p "$HOME" "$XDG_CONFIG_HOME/lull/sessions"
printf 'guide 5 "broken"\n' >"$XDG_CONFIG_HOME/lull/sessions/broken.session"
# A title with quotes and a backslash must come out escaped.
printf 'title "Say \\"hi\\" \\\\ there"\nguide 5s "Rest."\n' >"$XDG_CONFIG_HOME/lull/sessions/quoted.session"

# --- JSON
"$lull" list --json >"$tmp/json" 2>&1; rc=$?
check "list --json exits 0" [ $rc -eq 0 ]
check "list --json is valid JSON" python3 -m json.tool "$tmp/json" >/dev/null
check "list --json has lengths and tags" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
w = [e for e in d if e["name"] == "winddown"][0]
assert 600 < w["length_s"] < 1200 and "sleep" in w["tags"] and not w["user"], w
assert [e for e in d if e["name"] == "broken"][0]["invalid"]
assert [e for e in d if e["name"] == "quoted"][0]["title"] == "Say \"hi\" \\ there"
' "$tmp/json"

[ $fails -eq 0 ]
