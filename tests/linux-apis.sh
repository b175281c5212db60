#!/bin/sh
# SPDX-License-Identifier: ISC
# The gates gate: each Linux-only call is in the binaries exactly when its
# configure macro says so, read from what was linked (nm), not from the
# source. In a build configured with --disable-linux-apis no macro is set
# and no call is there: that build runs on POSIX alone, and its `make
# check` (CI runs it) tests the POSIX paths. In the default build on Linux
# the better calls must be there. CLOCK_BOOTTIME is a constant, not a
# symbol: only its macro is checked.
. "$(dirname "$0")/check-lib.sh"
b=${LULL_BUILDDIR:-.}
command -v nm >/dev/null || { echo "nm (binutils) missing: skipped"; exit 77; }
[ -f "$b/config.h" ] && [ -x "$b/lull" ] || { echo "not ok - no $b/config.h or $b/lull"; exit 1; }

defined() { grep -q "^#define $1 1" "$b/config.h"; }
syms=$(for p in "$b/lull" "$b/lull-voice"; do [ -x "$p" ] && nm -D --undefined-only "$p"; done |
	sed 's/.* U //; s/@.*//')
uses() { printf '%s\n' "$syms" | grep -qx "$1"; }

posix_only=no
"$b/config.status" --config 2>/dev/null | grep -q -- "--disable-linux-apis" && posix_only=yes
echo "# --disable-linux-apis: $posix_only"

# MACRO SYMBOL...: the symbols are linked if and only if MACRO is defined.
# (pthread_setname_np is not Linux's alone, FreeBSD has it too: it is
# checked for with the Linux calls off as well.)
gate() {
	m=$1; shift
	if [ $posix_only = yes ] && [ $m != HAVE_PTHREAD_SETNAME_NP_2 ]; then
		check "$m not defined with --disable-linux-apis" eval '! defined $m'
	fi
	for s in "$@"; do
		if defined "$m"; then
			check "$m: $s linked" uses "$s"
		else
			check "no $m: $s not linked" eval '! uses $s'
		fi
	done
}
gate HAVE_SIGNALFD signalfd
gate HAVE_TIMERFD_CREATE timerfd_create timerfd_settime
gate HAVE_INOTIFY_INIT1 inotify_init1 inotify_add_watch
gate HAVE_PPOLL ppoll
gate HAVE_PIPE2 pipe2
gate HAVE_PRCTL prctl
gate HAVE_PIDFD_OPEN pidfd_open
gate HAVE_CLOSE_RANGE close_range
# Threads, and their names, come with the audio engine: a silent build
# (--without-audio) has none to name.
defined HAVE_AUDIO && gate HAVE_PTHREAD_SETNAME_NP_2 pthread_setname_np
if [ $posix_only = yes ]; then
	check "HAVE_DECL_CLOCK_BOOTTIME not set with --disable-linux-apis" eval '! defined HAVE_DECL_CLOCK_BOOTTIME'
fi
# On Linux with glibc (CI's Debian), the default build must take the Linux
# calls: a configure check that silently failed would leave it on the POSIX
# path, untested as the Linux one.
if [ $posix_only = no ] && [ "$(uname -s)" = Linux ] && ldd --version 2>&1 | grep -qi 'gnu\|glibc'; then
	for m in HAVE_SIGNALFD HAVE_TIMERFD_CREATE HAVE_INOTIFY_INIT1 HAVE_PPOLL HAVE_PIPE2 HAVE_PRCTL \
		HAVE_DECL_CLOCK_BOOTTIME; do
		check "Linux with glibc: $m found" defined $m
	done
fi
[ $fails -eq 0 ]
