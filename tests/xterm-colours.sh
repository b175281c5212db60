#!/bin/sh
# SPDX-License-Identifier: ISC
# The night palette as a person sees it: lull in a real xterm under Xvfb,
# with a light profile (xterm -bg white -fg black, xterm's own default) and
# a dark one, at 256 colours and at 8 (TERM=xterm, xterm's default), the
# window grabbed (xwd) and its pixels read (xterm-pixels.py), not the cell
# attributes. On a white terminal the guidance and safety text were light
# grey on white (1.9:1), the menu's title hard to see, the dark screen
# ended white; the bar kept the terminal's full foreground until the third
# dark step; on 8 colours the near-black bar was a saturated blue (#00009f).
# Now lull paints its own black: every text reads at 4.5:1 or more (WCAG)
# in both profiles, the dark screen is black in both, the bar is dimmer from
# the first step, and its near-black is grey on 8 colours too.
#
# Each screen is waited for by grabbing the window until its pixels show it
# (a deadline only guards against a hang).
lull=${LULL_BIN:-./lull}
here=$(dirname "$0")
. "$here/check-lib.sh"
for t in Xvfb xterm xwd python3; do
	command -v $t >/dev/null 2>&1 || {
		echo "SKIP: $t is needed (Debian: xvfb xterm x11-apps python3 fonts-dejavu-core)"
		exit 77
	}
done
tmp=$(mktemp -d) || exit 99
xvfb= pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	[ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' HUP INT TERM
unset XDG_CONFIG_HOME XDG_STATE_HOME XDG_DATA_HOME NO_COLOR SSH_CONNECTION SSH_TTY
export LC_ALL=C.UTF-8

# Xvfb on a display it picks itself (-displayfd): no guess, no clash.
# -noreset: when its last client leaves (one xterm closed before the next
# opens) it would reset, and refuse the next for a moment.
Xvfb -displayfd 3 -screen 0 1400x800x24 -nolisten tcp -noreset 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
# poll SECONDS COMMAND...: runs COMMAND until it succeeds, or fails at the
# deadline (a guard against a hang, not a timing).
poll() {
	tries=$(($1 * 10)); shift
	while ! "$@"; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || return 1
		sleep 0.1
	done
}
if ! poll 30 test -s "$tmp/display"; then
	echo "SKIP: Xvfb did not start:"; cat "$tmp/xvfb.log"; exit 77
fi
DISPLAY=:$(cat "$tmp/display")
export DISPLAY

# A monospace font, not anti-aliased, so that each pixel is the letter's
# colour or the cell's: DejaVu Sans Mono's cells are 8x15 at 9 points.
font='DejaVu Sans Mono:antialias=false'

# start NAME PROFILE TERM X Y ARGS...: lull ARGS in an xterm at X,Y, with
# its own home (NAME.home: a fresh one, unless it is there already).
start() {
	name=$1 sprofile=$2 sterm=$3 sx=$4 sy=$5; shift 5
	case $sprofile in
	light) colours="-bg white -fg black" ;;
	dark) colours="-bg black -fg white" ;;
	esac
	mkdir -p "$tmp/$name.home"
	# shellcheck disable=SC2086
	HOME="$tmp/$name.home" xterm -geometry 80x24+$sx+$sy -fa "$font" -fs 9 -u8 $colours -tn "$sterm" \
		-xrm 'XTerm*cursorBlink: false' -e sh -c 'echo "$WINDOWID" >"$0"; exec "$@"' \
		"$tmp/$name.wid" "$lull" "$@" >"$tmp/$name.xterm.log" 2>&1 &
	eval "pid_$name=$!"
	pids="$pids $!"
	poll 30 test -s "$tmp/$name.wid" || { echo "# xterm $name did not start"; cat "$tmp/$name.xterm.log"; }
}

stop() {
	eval "kill \$pid_$1" 2>/dev/null
}

# grab NAME [--skip-row N]...: the window now, read into NAME.facts.
grab() {
	shot=$tmp/$1; shift
	[ -s "$shot.wid" ] && xwd -id "$(cat "$shot.wid")" -nobdrs -silent >"$shot.xwd" 2>/dev/null &&
		python3 "$here/xterm-pixels.py" "$shot.xwd" 80 24 "$@" >"$shot.facts"
}

# fact NAME KEY: one fact of the last grab.
fact() {
	awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$tmp/$1.facts"
}

# is NAME STATE: what the last grab shows.
is() {
	f=$tmp/$1.facts
	text=$(fact "$1" text_cells) bars=$(fact "$1" bar_cells) top=$(fact "$1" top_row_text)
	case $2 in
	text) [ "${text:-0}" -ge 20 ] ;;
	# The session, lit: its title and its bar.
	lit) [ "${top:-0}" -gt 0 ] && [ "${bars:-0}" -ge 2 ] ;;
	# The first dark step: the frame gone; the word, the bar and the
	# guidance left (three rows or more).
	dim) [ "${top:-0}" -eq 0 ] && [ "${bars:-0}" -ge 2 ] && [ "$(fact "$1" rows | tr -cd , | wc -c)" -ge 2 ] ;;
	# The near-black bar alone, on one row, grown enough to read.
	bar) [ "${text:-0}" -le 1 ] && [ "${bars:-0}" -ge 8 ] && [ "$(fact "$1" rows | tr -cd , | wc -c)" -eq 0 ] ;;
	black) [ "$(fact "$1" lit_pixels)" = 0 ] ;;
	esac
}

# wait_for NAME STATE [--skip-row N]...: grabs until the window shows STATE.
wait_for() {
	wname=$1 state=$2; shift 2
	wargs=$* # --skip-row N: words without spaces
	# shellcheck disable=SC2086
	poll 60 eval 'grab "$wname" $wargs && is "$wname" "$state"' || {
		echo "# $wname: no $state screen in 60 s; last seen:"
		sed 's/^/#   /' "$tmp/$wname.facts" 2>/dev/null
		return 1
	}
}

# A colour's darkness, as a number the shell compares: 10000 x luminance.
lum() { awk -v l="$1" 'BEGIN { printf "%d", l * 10000 + 0.5 }'; }
near_black() { [ "$(lum "$(fact "$1" background_lum)")" -le 30 ]; } # #101010 or darker
reads() { awk -v c="$(fact "$1" min_contrast)" 'BEGIN { exit !(c != "-" && c + 0 >= 4.5) }'; }

# depth TERM: 256 or 8, for names.
depth() { case $1 in *256*) echo 256 ;; *) echo 8 ;; esac; }

# A session with the safety page already read (a home where its key was
# pressed is what a second run finds): safety_wait off, no seconds.
quiet_home() {
	mkdir -p "$tmp/$1.home/.config/lull"
	printf 'safety_wait = no\nsafety_seconds = 0\naudio = no\n' >"$tmp/$1.home/.config/lull/config"
}

# --- the light profile: every text readable --------------------------------
for term in xterm-256color xterm; do
	n=light$(depth $term)
	# The menu: its title, the list, the chosen program's words.
	start "${n}menu" light $term 0 0
	if wait_for "${n}menu" text; then
		check "$term light: the menu is drawn on black ($(fact "${n}menu" background))" near_black "${n}menu"
		check "$term light: every text of the menu reads, title too ($(fact "${n}menu" min_contrast):1 at $(fact "${n}menu" min_at))" reads "${n}menu"
	else
		check "$term light: the menu is drawn" false
	fi
	stop "${n}menu"
	# The safety page, the first time a program runs.
	start "${n}safety" light $term 0 0 start box --no-audio
	if wait_for "${n}safety" text; then
		check "$term light: the safety page is drawn on black ($(fact "${n}safety" background))" near_black "${n}safety"
		check "$term light: the safety text reads ($(fact "${n}safety" min_contrast):1 at $(fact "${n}safety" min_at))" reads "${n}safety"
	else
		check "$term light: the safety page is drawn" false
	fi
	stop "${n}safety"
	# The session, lit: the guidance under the bar, the safety note, the
	# title, the key line. The progress line's unfilled track (row 22) is
	# a track, not text: left out.
	quiet_home "${n}lit"
	start "${n}lit" light $term 0 0 start box --no-audio --no-dark
	if wait_for "${n}lit" lit --skip-row 22; then
		check "$term light: the session is drawn on black ($(fact "${n}lit" background))" near_black "${n}lit"
		check "$term light: guidance, safety note and title read ($(fact "${n}lit" min_contrast):1 at $(fact "${n}lit" min_at))" reads "${n}lit"
	else
		check "$term light: the session is drawn" false
	fi
	stop "${n}lit"
done

# --- the dark screen, in both profiles ---------------------------------------
# box for a minute at 2x: lit for 6 s, then the steps 6 s apart, black 24 s
# in; each state is looked for while it lasts, one run at a time.
export LULL_TIME_SCALE=2
for profile in light dark; do
	for term in xterm-256color xterm; do
		n=$profile$(depth $term)dark
		what="$term $profile"
		quiet_home "$n"
		start "$n" $profile $term 0 0 start box --minutes 1 --no-audio --dark
		if wait_for "$n" lit; then
			lit=$(lum "$(fact "$n" bar_lum)")
			check "$what, lit: drawn on black ($(fact "$n" background))" near_black "$n"
		else
			lit=0
			check "$what: the lit screen" false
		fi
		if wait_for "$n" dim; then
			dim=$(lum "$(fact "$n" bar_lum)")
			check "$what, the first step: drawn on black ($(fact "$n" background))" near_black "$n"
			check "$what, the first step: the bar is dimmer than lit ($(fact "$n" bar_colour): luminance $dim against $lit)" \
				[ "$dim" -lt "$lit" ]
		else
			check "$what: the first dark step" false
		fi
		if wait_for "$n" bar; then
			check "$what, the bar alone: on black ($(fact "$n" background))" near_black "$n"
			check "$what, the bar alone: grey, not a colour ($(fact "$n" bar_colour))" [ "$(fact "$n" bar_grey)" = 1 ]
			check "$what, the bar alone: near black, and seen ($(fact "$n" bar_contrast):1)" \
				awk -v c="$(fact "$n" bar_contrast)" 'BEGIN { exit !(c > 1.1 && c < 3.5) }'
		else
			check "$what: the bar alone" false
		fi
		if wait_for "$n" black; then
			check "$what: the dark screen ends black ($(fact "$n" background))" near_black "$n"
		else
			check "$what: the dark screen ends" false
		fi
		stop "$n"
	done
done
[ $fails -eq 0 ]
