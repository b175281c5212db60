#!/bin/sh
# SPDX-License-Identifier: ISC
# A staged install (make install DESTDIR=) works on its own and trusts only
# what was installed.
#
# The installed lull looks in the configured prefix (compiled in), not under
# DESTDIR, so running the staged binary as it lies would only prove it cannot
# find its files, and pointing it at them with LULL_SOUNDS_DIR and
# LULL_VOICE_HELPER would prove nothing about what is compiled in. Instead,
# in a private mount namespace (unshare -rm: no root needed, nothing seen
# outside), the staged tree is laid over the real prefix with a read-only
# overlay: there the staged lull finds its sounds, its voice and its
# completions at the very paths an installed one would, with a clean
# environment, run from outside the build tree, and strace shows it opens
# nothing in the build tree. Without user namespaces or overlayfs the checks
# of the staged files still run, and the test then exits 77.
. "$(dirname "$0")/check-lib.sh"
build=$(cd "${LULL_BUILDDIR:-.}" && pwd) || exit 99
src=$(cd "${LULL_SRCDIR:-.}" && pwd -P) || exit 99
tmp=$(mktemp -d) || exit 99
stage=$tmp/stage
dpid=
cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# make, on its own: not the jobserver nor the variables of the make check
# that runs this test.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s "$@"; }
# The Makefile's directories, fully expanded, as NAME=VALUE lines.
vars="prefix bindir mandir pkgdatadir pkglibexecdir systemduserunitdir \
	bashcompletiondir zshcompletiondir fishcompletiondir"
printf 'lull-print-dirs:\n\t@:%s\n' "$(for v in $vars; do printf ' ; echo "%s=$(%s)"' "$v" "$v"; done)" |
	mk -C "$build" -f Makefile -f - lull-print-dirs >"$tmp/dirs" || exit 99
while IFS='=' read -r name value; do eval "$name=\$value"; done <"$tmp/dirs"
[ -n "$prefix" ] && [ -n "$bindir" ] || { cat "$tmp/dirs"; exit 99; }

mk -C "$build" install DESTDIR="$stage" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; exit 99; }
voice=false
[ -x "$stage$pkglibexecdir/lull-voice" ] && voice=true
sound=false
[ -d "$stage$pkgdatadir/sounds" ] && sound=true

# What was staged, where.
check "lull staged in bindir" [ -x "$stage$bindir/lull" ]
check "the built-in sounds staged (or lull built --without-audio)" \
	eval '$sound || ! grep -q "^#define HAVE_AUDIO 1" "$build/config.h"'
# without_prefix DIR: standard input's lines less those that name DIR only as
# part of the prefix (make distcheck installs under its srcdir).
without_prefix() {
	case $prefix/ in
	"$1"/*) grep -v -F -- "$prefix/" ;;
	*) cat ;;
	esac
}
for prog in "$bindir/lull" "$pkglibexecdir/lull-voice"; do
	[ -f "$stage$prog" ] || continue
	for d in "$build" "$src"; do
		check "staged $(basename "$prog") holds no build path $d" eval \
			'! tr -c "[:print:]" "\n" <"$stage$prog" | grep -F -- "$d" | without_prefix "$d" | grep -q .'
	done
done
man=$stage$mandir/man1/lull.1
check "lull(1) staged" [ -f "$man" ]
check "lull(1) FILES: no make variable or placeholder left" sh -c '! grep -n "\$(\|\${\|@[A-Za-z_]*@" "$1"' sh "$man"
esc() { printf '%s' "$1" | sed 's/-/\\-/g; s|/|/\\:|g'; }
check "lull(1) FILES: the sounds' real path" grep -q -F -- "$(esc "$pkgdatadir/sounds/")" "$man"
$voice && check "lull(1) FILES: the voice's real path" grep -q -F -- "$(esc "$pkglibexecdir/lull-voice")" "$man"
unit=$stage$systemduserunitdir/lull-remind.service
status=
if [ -n "$systemduserunitdir" ]; then
	check "unit staged in systemduserunitdir" [ -f "$unit" ]
	check "unit: ExecStart is the installed lull" grep -qx "ExecStart=$bindir/lull remind daemon" "$unit"
	status=$(sed -n 's/^RestartPreventExitStatus=\([0-9]*\)$/\1/p' "$unit")
	check "unit: RestartPreventExitStatus= a status (a second daemon is not restarted)" [ -n "$status" ]
fi
if [ -n "$zshcompletiondir" ] && command -v zsh >/dev/null &&
   { [ "$prefix" = /usr ] || [ "$prefix" = /usr/local ]; }; then
	# A system prefix: the completion goes where this system's zsh looks.
	check "zsh reads $zshcompletiondir" sh -c 'zsh -fc "print -l \$fpath" | grep -qx -- "$1"' sh "$zshcompletiondir"
fi

# In the namespace, with the staged tree over the prefix: CMD... runs with a
# clean environment in a home of its own, outside the build tree.
mkdir -p "$tmp/home" "$tmp/run" "$tmp/cache" && chmod 700 "$tmp/run"
installed() {
	unshare -rm sh -c '
		s=$1 p=$2 home=$3; shift 3
		mount -t overlay lull-stage -o "lowerdir=$s$p:$p" "$p" || exit 125
		cd "$home" && exec "$@"' sh "$stage" "$prefix" "$tmp/home" env -i HOME="$tmp/home" PATH="$bindir:/usr/bin:/bin" \
		LC_ALL=C.UTF-8 TERM=dumb XDG_RUNTIME_DIR="$tmp/run" XDG_CACHE_HOME="$tmp/cache" "$@"
}
if ! command -v unshare >/dev/null || [ ! -d "$prefix" ] || ! installed true 2>"$tmp/ns.err"; then
	echo "# no private mount namespace with an overlay over $prefix: $(cat "$tmp/ns.err" 2>/dev/null)"
	[ $fails -eq 0 ] || exit 1
	echo "SKIP: the staged lull cannot be run at its prefix here"
	exit 77
fi

installed lull sounds >"$tmp/sounds.out" 2>"$tmp/sounds.err"; rc=$?
if $sound; then
	check "installed: lull sounds exits 0" [ $rc -eq 0 ]
	check "installed: lull sounds lists the built-in rain" grep -q "^rain .*built-in" "$tmp/sounds.out"
fi
# A short render with a loop, the cues and (when built) the voice; under
# strace, when there is one, to see every file it names.
trace=
# LeakSanitizer stops the world with ptrace, which a traced process cannot:
# in a sanitizer build the traced run goes without the leak check (the rest
# of the suite has it).
command -v strace >/dev/null &&
	trace="env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=%file,%process -o $tmp/trace"
if grep -q '^#define HAVE_AUDIO 1' "$build/config.h"; then
	render="lull render box -o $tmp/box.wav --cycles 1"
	$sound && render="$render --sound rain"
	installed $trace $render >"$tmp/render.out" 2>"$tmp/render.err"; rc=$?
	check "installed: lull render exits 0" [ $rc -eq 0 ]
	check "installed: lull render wrote the file" [ -s "$tmp/box.wav" ]
	check "installed: lull render says nothing is missing" [ ! -s "$tmp/render.err" ]
	[ -s "$tmp/render.err" ] && sed 's/^/# render: /' "$tmp/render.err" | head -n 20
	$voice && check "installed: lull render spoke (the installed lull-voice ran)" \
		sh -c '! grep -q " 0 spoken lines" "$1" && grep -q "spoken lines" "$1"' sh "$tmp/render.out"
else
	# A silent build renders nothing: a plain session is what it reads.
	installed $trace lull start box --cycles 1 --plain --no-audio </dev/null \
		>"$tmp/render.out" 2>"$tmp/render.err"; rc=$?
	check "installed (silent build): a plain session runs" eval '[ $rc -eq 0 ] && grep -q Done "$tmp/render.out"'
fi
if [ -n "$trace" ]; then
	for d in "$build" "$src"; do
		check "installed: lull render names nothing in $d" eval \
			'! grep -v -F -- "$tmp" "$tmp/trace" | grep -F -- "$d" | without_prefix "$d" | grep -q .'
	done
	check "installed: the trace is of lull (strace worked)" grep -q "execve(\"$bindir/lull\"" "$tmp/trace"
else
	echo "# no strace: the build tree's absence from what lull opens is not traced"
fi

# The completions, from the staged prefix, driving the staged lull.
if [ -n "$bashcompletiondir" ] && command -v bash >/dev/null; then
	bash_complete() {
		installed bash --norc --noprofile -c '
			. "$1"; shift
			COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
			_lull lull "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
			printf "%s\n" "${COMPREPLY[@]}"' bash "$bashcompletiondir/lull" "$@" | sort | tr '\n' ' '
	}
	check "installed bash completion: lull st -> start stats status" [ "$(bash_complete lull st)" = "start stats status " ]
	$sound && check "installed bash completion: lull start --sound ra -> rain" \
		[ "$(bash_complete lull start --sound ra)" = "rain " ]
fi
if [ -n "$fishcompletiondir" ] && command -v fish >/dev/null; then
	check "installed fish completion: lull st -> start stats status" \
		[ "$(installed fish --no-config -c "source '$fishcompletiondir/lull.fish'; complete -C'lull st'" |
			cut -f1 | sort | tr '\n' ' ')" = "start stats status " ]
fi

# A second daemon exits with the status the unit does not restart on.
if [ -n "$status" ]; then
	installed lull remind daemon --detach >"$tmp/detach.out" 2>&1
	dpid=$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' "$tmp/detach.out")
	check "installed: a daemon starts (--detach)" [ -n "$dpid" ]
	installed lull remind daemon >"$tmp/second.out" 2>&1; rc=$?
	check "installed: a second daemon exits $status, the unit's RestartPreventExitStatus (got $rc)" [ "$rc" = "$status" ]
	check "installed: a second daemon says one runs" grep -q "already runs" "$tmp/second.out"
fi

# The build tree's lull, with neither variable, where nothing is installed
# (lull's own directories hidden by empty ones when they exist here): it
# says the sounds and the voice are not installed yet, not just "missing".
# A cache of its own: the lines the installed lull spoke are in the other.
in_ns_bare() {
	unshare -rm sh -c '
		for d in "$1" "$2"; do [ ! -d "$d" ] || mount -t tmpfs lull-none "$d" || exit 125; done
		cd "$3" && shift 3 && exec "$@"' sh "$pkgdatadir" "$pkglibexecdir" "$tmp/home" env -i HOME="$tmp/home" \
		PATH=/usr/bin:/bin LC_ALL=C.UTF-8 TERM=dumb XDG_RUNTIME_DIR="$tmp/run" XDG_CACHE_HOME="$tmp/cold" "$@"
}
if $sound; then
	in_ns_bare "$build/lull" sounds >/dev/null 2>"$tmp/bare.err"
	check "uninstalled: lull sounds says the sounds are not installed yet" \
		grep -q "built-in sounds are not installed yet (make install, or set LULL_SOUNDS_DIR)" "$tmp/bare.err"
	in_ns_bare "$build/lull" render box -o "$tmp/bare.wav" --cycles 1 >/dev/null 2>"$tmp/bare.err"
	check "uninstalled: lull render says the cues are not installed yet" \
		grep -q "no such sound (the built-in sounds are not installed yet" "$tmp/bare.err"
	$voice && check "uninstalled: lull render says the voice is not installed" \
		grep -q "lull-voice is missing (not installed? make install, or set LULL_VOICE_HELPER)" "$tmp/bare.err"
fi
[ $fails -eq 0 ]
