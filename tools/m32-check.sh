#!/bin/sh
# SPDX-License-Identifier: ISC
# The 32-bit build, on a 64-bit Debian: configures in build-m32/ with
# CC="gcc -m32" and compiles every source file of src/ (all of them, also
# those configure leaves out here, such as the flite helper) and of
# tests/unit/ as i386 code, warning-free with -Werror; then links each unit
# test that needs nothing but libc, libm, pthreads and cmocka (the pure
# core's) as a 32-bit program and runs it. The rest is compiled, not linked:
# that would take the i386 -dev packages of ncurses, libao, libsndfile,
# libsamplerate and libpulse.
#
# Needs (Debian 12): gcc-multilib; for the 32-bit test runs, the i386
# architecture and libcmocka-dev:i386:
#   apt-get install gcc-multilib
#   dpkg --add-architecture i386 && apt-get update && apt-get install libcmocka-dev:i386
# Without libcmocka for i386 the runs are skipped (said so) and only the
# compile counts. Exit 0 when everything compiled and every test run passed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
b=build-m32
jobs=${JOBS:-2}

echo "m32: gcc -m32: $(gcc -m32 -dumpversion 2>/dev/null || echo missing)"
printf 'int main(void){return sizeof(void *) == 4 ? 0 : 1;}\n' >"/tmp/m32-probe.$$.c"
if ! gcc -m32 -o "/tmp/m32-probe.$$" "/tmp/m32-probe.$$.c" 2>/dev/null || ! "/tmp/m32-probe.$$"; then
	rm -f "/tmp/m32-probe.$$" "/tmp/m32-probe.$$.c"
	echo "m32: gcc -m32 cannot build and run a program: apt-get install gcc-multilib" >&2
	exit 1
fi
rm -f "/tmp/m32-probe.$$" "/tmp/m32-probe.$$.c"

[ -x configure ] && [ configure -nt configure.ac ] || ./bootstrap
mkdir -p "$b"
if [ ! -f "$b/config.status" ] || [ "$b/config.status" -ot configure ]; then
	echo "m32: configuring $b (CC=\"gcc -m32\")"
	(cd "$b" && ../configure -q CC="gcc -m32" --enable-werror)
fi

# The library (every source in it) and main, through the build's own rules.
echo "m32: compiling src/liblull.a and main"
make -s -C "$b" -j"$jobs" src/liblull.a src/lull-main.o

# What configure left out here (flite is looked for by linking, which fails
# without its i386 libraries), and the unit tests: compiled as the build
# compiles, with the same flags.
flags="-std=gnu11 $(sed -n 's/^WARN_CFLAGS = //p' "$b/Makefile") $(sed -n 's/^PTHREAD_CFLAGS = //p' "$b/Makefile")"
flags="$flags -I$b -I$b/src -Isrc -Isrc/core -Isrc/audio -Itests -Itests/unit"
flags="$flags -DLULL_PKGDATADIR=\"/usr/share/lull\""
flags="$flags -DLULL_LIBEXECDIR=\"/usr/libexec/lull\""
flags="$flags $(pkg-config --cflags ncursesw ao sndfile samplerate libpulse cmocka 2>/dev/null || true)"
out=$b/m32
mkdir -p "$out"
n=0
for f in src/audio/voice.c src/audio/voice_flite.c tests/unit/test_*.c; do
	# shellcheck disable=SC2086 # flags are words
	gcc -m32 $flags -c -o "$out/$(basename "$f" .c).o" "$f"
	n=$((n + 1))
done
lib=$(find "$b/src" -name '*.o' | wc -l)
echo "m32: compiled $((lib + n)) files as i386, warning-free ($lib through make, $n more)"

# The 32-bit runs: each unit test that links against the library with libc,
# libm, pthreads and cmocka alone.
cmocka32=
for d in /usr/lib/i386-linux-gnu /usr/lib32; do
	[ -e "$d/libcmocka.so" ] && cmocka32=$d
done
if [ -z "$cmocka32" ]; then
	echo "m32: no libcmocka for i386: the unit tests were compiled, not run"
	echo "m32: ok (compile only)"
	exit 0
fi
ran=0 passed=0 unlinked=
for o in "$out"/test_*.o; do
	t=${o%.o}
	if ! gcc -m32 -o "$t" "$o" "$b/src/liblull.a" -L"$cmocka32" -lcmocka -lm -lpthread 2>/dev/null; then
		unlinked="$unlinked $(basename "$t")"
		continue
	fi
	ran=$((ran + 1))
	if (cd "$b" && CMOCKA_MESSAGE_OUTPUT=stdout "$top/$t" >"$top/$t.log" 2>&1); then
		passed=$((passed + 1))
	else
		echo "m32: FAIL $(basename "$t") (see $t.log):"
		tail -n 15 "$t.log"
	fi
done
echo "m32: ran $ran unit tests as 32-bit programs: $passed passed"
echo "m32: not linked (they need ncurses, libao, libsndfile ... for i386):${unlinked:- none}"
[ $ran -gt 0 ] && [ $passed -eq $ran ] && echo "m32: ok"
