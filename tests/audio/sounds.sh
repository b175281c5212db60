#!/bin/sh
# SPDX-License-Identifier: ISC
# The built-in sounds and the sound commands: the synthesiser writes the same
# bytes every time and its files pass their own loudness/peak/seam check;
# `lull sounds` lists built-ins and the user's own (a broken one named as
# such); `lull render` refuses bad arguments with one line and exit 2.
lull=${LULL_BIN:-./lull}
synth=${LULL_BUILDDIR:-.}/sounds/synth
. "$(dirname "$0")/../check-lib.sh"
# What the build has comes from make check (AM_TESTS_ENVIRONMENT), not a
# guess from a missing file: a silent build has no sounds to check (what it
# says instead is start-faults.sh's), and a sound build without the
# synthesiser is broken.
case ${LULL_HAVE_AUDIO:?run by make check, which says whether this lull has sound} in
no) echo "SKIP: built without sound (./configure --without-audio): no built-in sounds"; exit 77 ;;
esac
[ -x "$synth" ] || { echo "no $synth in a build with sound"; exit 99; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME= XDG_RUNTIME_DIR=
unset PULSE_SERVER
mkdir -p "$HOME/.local/share/lull/sounds" "$tmp/a" "$tmp/b"

"$synth" "$tmp/a" && "$synth" "$tmp/b"
check "synth runs" [ $? -eq 0 ]
for f in rain ocean stream wind brown pink chime bowl inhale exhale hold step; do
	check "synth: $f.flac is the same both times" cmp -s "$tmp/a/$f.flac" "$tmp/b/$f.flac"
done
"$synth" --check "$tmp/a" >"$tmp/out"; rc=$?
check "synth --check: -27 LUFS (the hold tick -40), peaks below -6 dBFS, seamless loops" [ $rc -eq 0 ]
cat "$tmp/out"

cp "$tmp/a/chime.flac" "$HOME/.local/share/lull/sounds/mine.flac"
printf 'not audio' >"$HOME/.local/share/lull/sounds/broken.wav"
"$lull" sounds >"$tmp/out" 2>&1; rc=$?
check "lull sounds exits 0" [ $rc -eq 0 ]
for f in rain ocean stream wind brown pink chime bowl inhale exhale hold step; do
	check "lull sounds lists $f (48 kHz stereo FLAC, built-in)" \
		grep -Eq "^$f +0:[0-9]{2} +48000 Hz +stereo +FLAC 16-bit +built-in$" "$tmp/out"
done
check "lull sounds lists the user's own" grep -Eq "^mine .* yours$" "$tmp/out"
check "lull sounds names a broken file" grep -Eq "^broken +unreadable.* yours$" "$tmp/out"

"$lull" render box >"$tmp/out" 2>"$tmp/err"; rc=$?
check "render without -o exits 2" [ $rc -eq 2 ]
check "render without -o says so" grep -q "give the output file" "$tmp/err"
"$lull" render box -o "$tmp/x.mp4" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "render to .mp4 fails" [ $rc -eq 1 ]
check "render to .mp4 names the file and what it can write" \
	grep -Eq "x.mp4: give a file name ending in .wav, .flac, .ogg(, .opus)?(,| or) .*$" "$tmp/err"
"$lull" render box -o "$tmp/missing/x.wav" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "render into a folder that is not there fails" [ $rc -eq 1 ]
check "... and says so in lull's words" \
	[ "$(cat "$tmp/err")" = "lull: cannot write $tmp/missing/x.wav: No such file or directory" ]
check "... and creates nothing" [ ! -e "$tmp/missing" ]
"$lull" render box -o "$tmp/x.wav" --sound 'rain:7' >"$tmp/out" 2>"$tmp/err"; rc=$?
check "render --sound rain:7 exits 2" [ $rc -eq 2 ]
"$lull" render nosuchprogram -o "$tmp/x.wav" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "render of an unknown program fails" [ $rc -eq 1 ]
"$lull" render box -o "$tmp/x.flac" --cycles 1 --sound mine:0.2 --no-voice >"$tmp/out" 2>"$tmp/err"; rc=$?
check "render of a breathing program exits 0" [ $rc -eq 0 ]
check "render reports what it wrote" grep -q "wrote $tmp/x.flac: 0:16, 48000 Hz stereo flac, 4 cues, " "$tmp/out"
# A sound asked for that is not there would be left out of the file: the
# render is refused, and says which, once.
"$lull" render box -o "$tmp/y.flac" --cycles 1 --sound mine:0.2 --sound nosuch --no-voice >"$tmp/out" 2>"$tmp/err"; rc=$?
check "render --sound nosuch: exit 1" [ $rc -eq 1 ]
check "render names a missing sound once" [ "$(grep -c 'nosuch: no such sound' "$tmp/err")" -eq 1 ]

# Cues obey their settings (the program's `chime off` used to be OR-ed away
# by the cues setting, yes by default: sleep rendered 110 chimes).
cues_of() { sed -n 's/.* \([0-9][0-9]*\) cues*, .*/\1/p' "$tmp/out"; }
# (bodyscan, which paces no breath, says `chime off`; sleep said it too, and
# its breathing had no sound to follow with the eyes closed: 0 cues.)
"$lull" render bodyscan -o "$tmp/s.wav" --no-voice >"$tmp/out" 2>"$tmp/err"
check "render bodyscan: chime off, no cue" [ "$(cues_of)" = 0 ]
"$lull" render bodyscan -o "$tmp/s.wav" --no-voice --cues >"$tmp/out" 2>"$tmp/err"
check "render bodyscan --cues: its steps" [ "$(cues_of)" -gt 5 ]
"$lull" render sleep -o "$tmp/s.wav" --minutes 1 --no-voice >"$tmp/out" 2>"$tmp/err"
check "render sleep: its phases have their tones" [ "$(cues_of)" -gt 5 ]
mkdir -p "$HOME/.config/lull"
echo "cues = yes" >"$HOME/.config/lull/config"
"$lull" render bodyscan -o "$tmp/s.wav" --no-voice >"$tmp/out" 2>"$tmp/err"
check "cues = yes beats chime off" [ "$(cues_of)" -gt 5 ]
"$lull" render box -o "$tmp/s.wav" --cycles 1 --no-cues >"$tmp/out" 2>"$tmp/err"
check "--no-cues beats cues = yes" [ "$(cues_of)" = 0 ]
echo "cues = no" >"$HOME/.config/lull/config"
"$lull" render box -o "$tmp/s.wav" --cycles 1 >"$tmp/out" 2>"$tmp/err"
check "cues = no: no cue" [ "$(cues_of)" = 0 ]
"$lull" render box -o "$tmp/s.wav" --cycles 1 --cues >"$tmp/out" 2>"$tmp/err"
check "--cues beats cues = no" [ "$(cues_of)" = 4 ]
rm -f "$HOME/.config/lull/config"

# start and render take --cycles by one rule and say so in one wording (render
# used to stop at 100000 and to leave the bound out of its message).
for n in 0 200001 -3; do
	"$lull" render box -o "$tmp/x.wav" --cycles "$n" >/dev/null 2>"$tmp/err.render"; rr=$?
	"$lull" start box --no-audio --plain --cycles "$n" </dev/null >/dev/null 2>"$tmp/err.start"; rs=$?
	check "--cycles $n: a usage error in both" [ "$rr,$rs" = 2,2 ]
	check "--cycles $n: the same message in both" [ "$(head -n 1 "$tmp/err.render")" = "$(head -n 1 "$tmp/err.start")" ]
done
check "--cycles names its bound" grep -q "from 1 to 200000, not '-3'" "$tmp/err.render"
"$lull" render box -o "$tmp/x.wav" --cycles 150000 >/dev/null 2>"$tmp/err.render"; rr=$?
"$lull" start box --no-audio --plain --cycles 150000 </dev/null >/dev/null 2>"$tmp/err.start"; rs=$?
check "--cycles 150000: too long for box in both, not a usage error" [ "$rr,$rs" = 1,1 ]
check "--cycles 150000: the same reason in both" cmp -s "$tmp/err.render" "$tmp/err.start"

# Which way sound goes is said: here no server answers (none runs).
"$lull" sounds >"$tmp/out" 2>&1
check "sounds: says what sound plays through (not pulse: no server here)" sh -c "grep '^Sound plays through: ' '$tmp/out' | grep -vq ': pulse'"

# A sound's file name may hold anything; lull sounds never prints it raw.
odd=$(printf 'x\033[31m\302\233\342\200\256y')
raw=$(printf '\033\\|\302\233\\|\342\200\256')
no_raw() { ! LC_ALL=C grep -q "$raw" "$1"; }
cp "$tmp/a/chime.flac" "$HOME/.local/share/lull/sounds/$odd.flac"
"$lull" sounds >"$tmp/out" 2>&1
check "sounds: an odd file name is listed" grep -q '^x' "$tmp/out"
check "sounds: no ESC, C1 or bidi control from a file name" \
	no_raw "$tmp/out"
rm -f "$HOME/.local/share/lull/sounds/$odd.flac"
[ $fails -eq 0 ]
