#!/bin/sh
# SPDX-License-Identifier: ISC
# Starting a session when its surroundings are short or hostile: too few
# files may be open, sounds are missing or unreadable, a sound's or an
# output file's name holds control bytes. Each case failed before the fix
# it names.
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME= XDG_RUNTIME_DIR= TZ=UTC
export LULL_TIME_SCALE=50 TERM=xterm
mkdir -p "$HOME/.local/share/lull/sounds"
out="$tmp/out" err="$tmp/err"
esc=$(printf '\033') c1=$(printf '\302\233') rlo=$(printf '\342\200\256')
clean() { ! grep -q -e "$esc" -e "$c1" -e "$rlo" "$1"; }

# 1. `ulimit -n` too low: the full screen failed with "cannot start the
#    full screen; use --plain", the sound with "no audio device", neither
#    naming the cause. (A pseudo-terminal from script(1): the full screen
#    needs one.) Where the hard limit allows, lull raises its own.
timeout -k 5 30 script -qec "ulimit -n 5; '$lull' start box --cycles 1 --no-audio; echo rc=\$?" /dev/null \
	>"$out" 2>&1 </dev/null
check "ulimit -n 5: the cause is named" grep -q "only 5 files may be open at once here (ulimit -n)" "$out"
check "ulimit -n 5: exit 1, told to use --plain" eval 'grep -q "use --plain" "$out" && grep -q "rc=1" "$out"'
timeout -k 5 30 script -qec "ulimit -Sn 8; '$lull' start box --cycles 1 --no-audio; echo rc=\$?" /dev/null \
	>"$out" 2>&1 </dev/null
check "soft limit 8, hard higher: raised, quietly" eval 'grep -q "rc=0" "$out" && ! grep -q "files may be open" "$out"'

# What the build has, from its automake conditional (AM_TESTS_ENVIRONMENT):
# a silent build has no sounds to find, so it is checked for what it must
# do instead: say there is no sound, and run the session all the same.
case ${LULL_HAVE_AUDIO:?run by make check, which says whether this lull has sound} in
no)
	timeout -k 5 30 "$lull" start box --cycles 1 --plain --audio --audio-driver null \
		--sound nosuch --sound "broken${esc}[31m" </dev/null >"$out" 2>"$err"; rc=$?
	check "silent build: the session runs" eval '[ $rc -eq 0 ] && grep -q "Done" "$out"'
	check "silent build: it says there is no sound" grep -q "built without sound" "$out"
	check "silent build: names made safe" eval 'clean "$out" && clean "$err"'
	timeout -k 5 30 script -qec "'$lull' start box --cycles 1 --audio --sound nosuch" /dev/null \
		>"$out" 2>&1 </dev/null
	check "silent build, full screen: says so, and runs" \
		eval 'grep -q "built without sound" "$out" && grep -q "box finished" "$out"'
	for cmd in sounds "render box --cycles 1 -o $tmp/p.wav"; do
		timeout -k 5 10 "$lull" $cmd >"$out" 2>"$err"; rc=$?
		check "silent build: ${cmd%% *} says sound was not built in, exit 1" \
			eval '[ $rc -eq 1 ] && grep -q "sound was not built into this lull" "$err"'
	done
	;;
*)
	# 2. Sounds that are missing or unreadable: plain mode said nothing of them,
	#    and the full screen showed only the last of several. (--sound nosuch is
	#    refused before the session now, so the missing one is the program's
	#    own sound step, which only lull check refuses.)
	printf 'not a sound' >"$HOME/.local/share/lull/sounds/broken${esc}[31m.wav"
	"$lull" show box | awk '{ print } /^$/ && !done { print "sound nosuch 50%"; done = 1 }' >"$tmp/box.session"
	timeout -k 5 30 "$lull" start "$tmp/box.session" --cycles 1 --plain --audio --audio-driver null \
		--sound "broken${esc}[31m" </dev/null >"$out" 2>"$err"; rc=$?
	check "plain: the session runs" eval '[ $rc -eq 0 ] && grep -q "Done" "$out"'
	check "plain: a missing sound is said" grep -q "nosuch: no such sound" "$out"
	check "plain: an unreadable one too" grep -q "broken.*\.wav" "$out"
	check "plain: by its file name, not its folder" eval '! grep -q "sounds/broken" "$out"'
	check "plain: its name made safe" clean "$out"
	timeout -k 5 30 script -qec "'$lull' start '$tmp/box.session' --cycles 1 --audio --audio-driver null --sound 'broken${esc}[31m'" \
		/dev/null >"$out" 2>&1 </dev/null
	# (by their file names: with the folder, the second did not fit the line;
	# --sound's layer is loaded first, then the program's step)
	check "full screen: both failures shown" grep -q "broken.*Format not recognised.*; nosuch: no such sound" "$out"

	# 3. A FIFO named like a sound: `lull sounds`, and render and a session given
	#    its path, waited for a writer forever; by its name it was "no such
	#    sound" while lull sounds listed it. A directory so named the same.
	pipe="$HOME/.local/share/lull/sounds/pipe.wav"
	mkfifo "$pipe"
	timeout -k 5 10 "$lull" sounds >"$out" 2>"$err"; rc=$?
	check "FIFO sound: sounds answers, and names it" eval '[ $rc -eq 0 ] && grep -q "^pipe .*not a regular file" "$out"'
	timeout -k 5 10 "$lull" render box --cycles 1 --sound "$pipe" -o "$tmp/p.wav" >"$out" 2>"$err"; rc=$?
	check "FIFO sound: render answers, and names it" eval '[ $rc -eq 0 ] && grep -q "pipe.wav: not a regular file" "$err"'
	timeout -k 5 20 "$lull" start box --cycles 1 --plain --audio --audio-driver null --sound "$pipe" </dev/null >"$out" 2>"$err"; rc=$?
	check "FIFO sound: a session runs, and says it" eval '[ $rc -eq 0 ] && grep -q "pipe.wav: not a regular file" "$out"'
	timeout -k 5 20 "$lull" start box --cycles 1 --plain --audio --audio-driver null --sound pipe </dev/null >"$out" 2>"$err"; rc=$?
	check "FIFO sound by name: the session says what it is" eval '[ $rc -eq 0 ] && grep -q "pipe.wav: not a regular file" "$out"'
	rm -f "$pipe"
	mkdir "$HOME/.local/share/lull/sounds/folder.flac"
	timeout -k 5 20 "$lull" start box --cycles 1 --plain --audio --audio-driver null --sound folder </dev/null >"$out" 2>"$err"; rc=$?
	check "a directory named as a sound: said so" eval '[ $rc -eq 0 ] && grep -q "folder.flac: Is a directory" "$out"'
	rmdir "$HOME/.local/share/lull/sounds/folder.flac"

	# 4. Names that reach the terminal: render -o's file in its errors was raw.
	"$lull" render box --cycles 1 -o "$tmp/no/such/dir/x${esc}[2J${c1}.wav" >"$out" 2>"$err"; rc=$?
	check "render -o to nowhere: exit 1" [ $rc -eq 1 ]
	check "render -o: the name shown escaped" eval 'grep -q '\''x\\u{001B}\[2J'\'' "$err" && clean "$err"'
	"$lull" render box --cycles 1 -o "$tmp/x${rlo}.xyz" >"$out" 2>"$err"; rc=$?
	check "render -o of an unknown kind: named safely" eval '[ $rc -ne 0 ] && clean "$err"'
	"$lull" render box --cycles 1 --sound "nosuch${esc}[5m" -o "$tmp/ok.wav" >"$out" 2>"$err"
	check "render --sound: a missing sound named safely" eval 'grep -q "no such sound" "$err" && clean "$err"'
	;;
esac

"$lull" start box --sound "${esc}[31mx:2" --plain </dev/null >"$out" 2>"$err"; rc=$?
check "start --sound: a bad value named safely" eval '[ $rc -eq 2 ] && clean "$err"'

[ $fails -eq 0 ]
