#!/bin/sh
# SPDX-License-Identifier: ISC
# The built-in programs rendered as a person would play them next to a
# podcast: measured with ffmpeg's EBU R128 meter (ebur128, an implementation
# that is not lull's), each file at -18 LUFS integrated (within 1 LU), its
# true peak at or under -1.5 dBTP, and the programs within 2 LU of one
# another. Prints the table: length, LUFS, LRA, true peak.
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/../check-lib.sh"
case ${LULL_HAVE_AUDIO:?run by make check, which says whether this lull has sound} in
no) echo "SKIP: built without sound (./configure --without-audio): nothing to render"; exit 77 ;;
esac
if ! command -v ffmpeg >/dev/null 2>&1; then
	echo "SKIP: no ffmpeg, whose ebur128 filter measures the renders (tools/dev.sh installs it)"
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME= XDG_RUNTIME_DIR=
unset PULSE_SERVER
mkdir -p "$HOME"

# meter FILE: "I LRA TP" from ebur128's summary.
meter() {
	ffmpeg -nostats -hide_banner -nostdin -i "$1" -af ebur128=peak=true -f null - 2>&1 |
		awk '/Summary:/ { s = 1 } s && $1 == "I:" { i = $2 } s && $1 == "LRA:" { l = $2 }
		     s && $1 == "Peak:" { p = $2 } END { print i, l, p }'
}

# Rendering all 17 takes about 2.5 minutes of one core (and the voice's
# synthesis on a first run): make check renders the ones at the edges, each
# the most of something (LULL_LOUDNESS_ALL=1: every one). Before: 478 -22.7,
# bed -24.4, relax -29.9, shuffle -28.3, sleep -22.7, winddown -28.0 LUFS.
#   478       the shortest; fades out from its first minute
#   bed       the widest range (24 LU): a bed that fades for three minutes
#   relax     tones and five lines: the most brought up (+7.5 dB)
#   shuffle   the longest (21 min), 156 lines over a quiet bed: the limiter's most work
#   sleep     the voice alone, nothing else
#   winddown  the default: bed, tones, 38 lines
programs="478 bed relax shuffle sleep winddown"
if [ -n "${LULL_LOUDNESS_ALL:-}" ]; then
	programs=
	for f in "${LULL_SRCDIR:-..}"/src/builtin/*.session; do programs="$programs $(basename "$f" .session)"; done
fi
printf '%-16s %6s %7s %6s %7s\n' program length LUFS LRA dBTP
lo= hi=
for p in $programs; do
	"$lull" render "$p" -o "$tmp/$p.wav" >"$tmp/out" 2>&1
	check "$p renders" [ $? -eq 0 ]
	len=$(sed -n 's/^wrote [^:]*: \([0-9]*:[0-9]*\),.*/\1/p' "$tmp/out")
	set -- $(meter "$tmp/$p.wav")
	i=${1:-nan} lra=${2:-nan} tp=${3:-nan}
	printf '%-16s %6s %7s %6s %7s\n' "$p" "$len" "$i" "$lra" "$tp"
	check "$p: $i LUFS is -18 +- 1" awk -v i="$i" 'BEGIN { exit !(i >= -19 && i <= -17) }'
	check "$p: true peak $tp dBTP <= -1.5" awk -v t="$tp" 'BEGIN { exit !(t <= -1.5) }'
	lo=$(awk -v a="$i" -v b="${lo:-$i}" 'BEGIN { print (a < b ? a : b) }')
	hi=$(awk -v a="$i" -v b="${hi:-$i}" 'BEGIN { print (a > b ? a : b) }')
	rm -f "$tmp/$p.wav"
done
check "from program to program within 2 LU ($lo to $hi LUFS)" \
	awk -v a="$lo" -v b="$hi" 'BEGIN { exit !(b - a <= 2) }'
[ $fails -eq 0 ]
