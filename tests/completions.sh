#!/bin/sh
# SPDX-License-Identifier: ISC
# The shell completions, in the real shells: bash (compgen through the
# completion function, as `complete -p` registers it) and fish (complete -C);
# zsh is driven in a terminal by tests/e2e/test_completion_zsh. Names come
# from lull itself, so a private home with a program, a sound and a reminder
# of its own shows that they are offered. And every option each command's
# --help names is offered by every script (so the scripts keep up).
lull=${LULL_BIN:-./lull}
src=${LULL_SRCDIR:-.}
. "$(dirname "$0")/check-lib.sh"
for sh in bash fish; do
	command -v $sh >/dev/null || { echo "SKIP: $sh missing (apt-get install bash fish)"; exit 77; }
done
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" \
	XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR=
mkdir -p "$HOME" "$XDG_CONFIG_HOME/lull/sessions" "$XDG_DATA_HOME/lull/sounds" "$tmp/bin"
ln -s "$(cd "$(dirname "$lull")" && pwd)/$(basename "$lull")" "$tmp/bin/lull"
PATH="$tmp/bin:$PATH"
printf 'title "Mine"\nguide 5s "Rest."\n' >"$XDG_CONFIG_HOME/lull/sessions/evening-mine.session"
: >"$XDG_DATA_HOME/lull/sounds/creek.wav"
lull remind add 22:30 --days weekdays >/dev/null
lull remind add 23:15 --days fri,sat >/dev/null

# The listings the scripts call.
check "list --names: the user's program and the built-ins" sh -c \
	'lull list --names | grep -qx evening-mine && lull list --names | grep -qx winddown'
check "list --names: names only" sh -c '! lull list --names | grep -q " "'
# Built without sound (./configure --without-audio) there are no sounds to
# offer; everything else is the same.
if lull sounds --names >/dev/null 2>&1; then have_sound=true; else have_sound=false; fi
$have_sound && check "sounds --names: the user's sound and the built-ins" sh -c \
	'lull sounds --names | grep -qx creek && lull sounds --names | grep -qx rain'
check "remind list --ids: one id a line" [ "$(lull remind list --ids | tr '\n' ' ')" = "1 2 " ]

# bash: the function complete -p names, run as bash runs it.
bash_complete() { # the words of the line; the last is the one being completed
	bash --norc --noprofile -c '
		. "$1"; shift
		complete -p lull | grep -q -- "-F _lull" || { echo "NOT REGISTERED"; exit; }
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
		_lull lull "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' bash "$src/src/completions/bash/lull" "$@" | sort | tr '\n' ' '
}
check "bash: registered for lull" [ "$(bash --norc -c ". '$src/src/completions/bash/lull'; complete -p lull")" = "complete -F _lull lull" ]
check "bash: lull st -> start stats status" [ "$(bash_complete lull st)" = "start stats status " ]
check "bash: lull start ev -> the user's program" [ "$(bash_complete lull start ev)" = "evening-mine " ]
check "bash: lull start --so -> --sound" [ "$(bash_complete lull start --so)" = "--sound " ]
$have_sound && check "bash: lull start --sound c -> creek (a loop; chime is a cue)" [ "$(bash_complete lull start --sound c)" = "creek " ]
check "bash: lull remind remove '' -> the ids" [ "$(bash_complete lull remind remove '')" = "1 2 " ]
check "bash: --days mon,t -> mon,thu mon,tue" [ "$(bash_complete lull remind add 22:00 --days mon,t)" = "mon,thu mon,tue " ]
check "bash: --days we -> wed weekdays weekends" [ "$(bash_complete lull remind add 22:00 --days we)" = "wed weekdays weekends " ]
check "bash: lull help ch -> check checkin" [ "$(bash_complete lull help ch)" = "check checkin " ]
check "bash: lull remind sn -> snooze" [ "$(bash_complete lull remind sn)" = "snooze " ]
check "bash: lull ss -> ssh" [ "$(bash_complete lull ss)" = "ssh " ]
check "bash: lull help ss -> ssh" [ "$(bash_complete lull help ss)" = "ssh " ]
check "bash: lull ssh - -> -o --help" [ "$(bash_complete lull ssh -)" = "--help -o " ]
check "bash: lull ssh -o '' -> nothing (ssh's option, not a file)" [ "$(bash_complete lull ssh -o '')" = " " ]
check "bash: lull ssh -o Port=2 box st -> lull's commands there" \
	[ "$(bash_complete lull ssh -o Port=2 box st)" = "start stats status " ]
check "bash: lull ssh box start '' -> nothing more" [ "$(bash_complete lull ssh box start '')" = " " ]

# fish: complete -C, the way fish completes a command line.
fish_complete() {
	fish --no-config -c "source '$src/src/completions/fish/lull.fish'; complete -C'$1'" | cut -f1 | sort | tr '\n' ' '
}
check "fish: lull st -> start stats status" [ "$(fish_complete 'lull st')" = "start stats status " ]
check "fish: lull start ev -> the user's program" sh -c "fish --no-config -c \"source '$src/src/completions/fish/lull.fish'; complete -C'lull start ev'\" | cut -f1 | grep -qx evening-mine"
check "fish: lull start --so -> --sound" [ "$(fish_complete 'lull start --so')" = "--sound " ]
$have_sound && check "fish: lull start --sound c -> creek (a loop; chime is a cue)" [ "$(fish_complete 'lull start --sound c')" = "creek " ]
check "fish: lull remind remove '' -> the ids" [ "$(fish_complete 'lull remind remove ')" = "1 2 " ]
check "fish: lull ss -> ssh" [ "$(fish_complete 'lull ss')" = "ssh " ]
check "fish: lull ssh --h -> --help" [ "$(fish_complete 'lull ssh --h')" = "--help " ]
check "fish: lull ssh box st -> start stats status" [ "$(fish_complete 'lull ssh box st')" = "start stats status " ]
check "fish: lull ssh -o Port=2 box st -> start stats status" [ "$(fish_complete 'lull ssh -o Port=2 box st')" = "start stats status " ]
check "fish: --days mon,t -> mon,thu mon,tue" [ "$(fish_complete 'lull remind add 22:00 --days mon,t')" = "mon,thu mon,tue " ]

# Every option of every command, as its --help names it, is in every script.
for cmd in start list show check sounds render stats checkin status ssh "remind add" "remind list" "remind daemon"; do
	opts=$(lull $cmd --help | grep -E '^ +-' | grep -oE -- '--[a-z][a-z-]*' | sort -u)
	for o in $opts; do
		for f in bash/lull zsh/_lull fish/lull.fish; do
			case $f in fish/*) want="-l ${o#--}" ;; *) want=$o ;; esac
			grep -qe "$want" "$src/src/completions/$f" ||
				{ echo "not ok - $f does not offer lull $cmd $o"; fails=$((fails + 1)); }
		done
	done
done
echo "ok - every option in --help is offered (above: those that are not)"
[ $fails -eq 0 ]
