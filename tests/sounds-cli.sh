#!/bin/sh
# SPDX-License-Identifier: ISC
# lull sounds and the --sound option from the outside: loops and cues listed
# apart, a cue refused as a layer (start, render, the config), a render that
# would leave a sound out refused.
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" \
	XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR= PULSE_SERVER=
mkdir -p "$HOME"

"$lull" sounds >"$tmp/out" 2>&1
loops=$(sed -n '/^Loops:/,/^$/p' "$tmp/out")
cues=$(sed -n '/^Cues:/,/^$/p' "$tmp/out")
check "sounds: a list of loops" sh -c "echo \"\$0\" | grep -q '^rain '" "$loops"
check "sounds: a list of cues" sh -c "echo \"\$0\" | grep -q '^chime '" "$cues"
check "sounds: no cue among the loops" sh -c "! echo \"\$0\" | grep -Eq '^(chime|bowl|inhale|exhale|hold|step) '" "$loops"
check "sounds: no loop among the cues" sh -c "! echo \"\$0\" | grep -Eq '^(rain|brown|ocean) '" "$cues"
"$lull" sounds --names >"$tmp/out" 2>&1
check "sounds --names: the loops" grep -qx rain "$tmp/out"
check "sounds --names: not the cues (--sound does not take them)" sh -c "! grep -Eqx 'chime|inhale' '$tmp/out'"

for cmd in "start box --plain" "render box -o $tmp/x.wav"; do
	"$lull" $cmd --sound chime </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
	check "${cmd%% *} --sound chime: refused, exit 2" [ $rc -eq 2 ]
	check "${cmd%% *} --sound chime: says it is a cue" grep -q "chime is a cue" "$tmp/err"
done
check "render --sound chime: no file left" [ ! -e "$tmp/x.wav" ]
"$lull" render box -o "$tmp/x.wav" --sound nope --cycles 1 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "render --sound nope: exit 1" [ $rc -eq 1 ]
check "render --sound nope: named" grep -q -- "--sound nope: no such sound" "$tmp/err"
check "render --sound nope: no file left" [ ! -e "$tmp/x.wav" ]

# A sounds folder of one's own with no sound in it: nothing to sort (the
# sort was handed a null list, which UBSan reports: the sanitizer build of
# this script caught it), and the built-ins still listed.
mkdir -p "$XDG_DATA_HOME/lull/sounds"
"$lull" sounds >"$tmp/out" 2>"$tmp/err"; rc=$?
check "sounds, an empty sounds folder: exit 0" [ $rc -eq 0 ]
check "sounds, an empty sounds folder: nothing on standard error" [ ! -s "$tmp/err" ]
check "sounds, an empty sounds folder: the built-in loops listed" grep -q '^rain ' "$tmp/out"
"$lull" sounds --names >"$tmp/out" 2>"$tmp/err"; rc=$?
check "sounds --names, an empty sounds folder: exit 0, rain" sh -c "[ $rc -eq 0 ] && grep -qx rain '$tmp/out'"

# A sound's name misspelt: refused by check and start as by render, warned
# of in the config, each with the closest loop.
printf 'breathe 4-0-6-0 for 1m\nsound rian 50%%\nguide 10s "Rest"\n' >"$tmp/rian.session"
"$lull" check "$tmp/rian.session" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "check, sound rian 50%: exit 1" [ $rc -eq 1 ]
check "check, sound rian 50%: not ok" sh -c "! grep -q ': ok' '$tmp/out'"
check "check, sound rian 50%: did you mean rain, at its line" \
	grep -q "rian.session:2:1: sound rian: no such sound; did you mean 'rain'?" "$tmp/err"
"$lull" start box --plain --sound rian </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
check "start --sound rian: refused, exit 1" [ $rc -eq 1 ]
check "start --sound rian: did you mean rain" grep -q -- "--sound rian: no such sound; did you mean 'rain'?" "$tmp/err"
check "start --sound rian: no session" sh -c "! grep -qi 'breathe' '$tmp/out'"
"$lull" render box -o "$tmp/x.wav" --sound rian >"$tmp/out" 2>"$tmp/err"; rc=$?
check "render --sound rian: refused, did you mean rain" \
	sh -c "[ $rc -eq 1 ] && grep -q -- \"--sound rian: no such sound; did you mean 'rain'?\" '$tmp/err'"

mkdir -p "$XDG_CONFIG_HOME/lull"
printf 'sounds = rain:0.5, rian\n' >"$XDG_CONFIG_HOME/lull/config"
"$lull" sounds >/dev/null 2>"$tmp/err"
check "config sounds = rain:0.5, rian: warned, did you mean rain" \
	grep -q "config:1: sounds: rian: no such sound; did you mean 'rain'?" "$tmp/err"
check "config sounds = rain:0.5, rian: rain itself not warned of" sh -c "! grep -q 'sounds: rain:' '$tmp/err'"

printf 'sounds = rain,chime\n' >"$XDG_CONFIG_HOME/lull/config"
"$lull" sounds >/dev/null 2>"$tmp/err"
check "config sounds = rain,chime: warned at its line" grep -q "config:1: sounds: expected loops" "$tmp/err"

[ $fails -eq 0 ]
