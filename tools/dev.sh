#!/bin/sh
# SPDX-License-Identifier: ISC
# The quick start, in one place so README and CI can never disagree.
#   tools/dev.sh run [ARGS]   set up, build, and start a wind-down session (lull start ARGS)
#   tools/dev.sh test         set up, build with -Werror, run the whole test suite
#   tools/dev.sh asan         the same suite built with ASan and UBSan (build-asan/)
#   tools/dev.sh distcheck    make distcheck, the tarball built as the POSIX-only variant
#   tools/dev.sh noaudio      the suite of a --without-audio build (build-noaudio/)
#   tools/dev.sh novoice      the suite of a --without-voice build (build-novoice/)
#   tools/dev.sh fuzz         the libFuzzer targets with clang (build-fuzz/), each run briefly
#   tools/dev.sh m32          every source compiled as i386, the core's unit tests run as 32-bit
# "Set up" installs the Debian packages the build and the tests need (with
# apt-get as root, or through sudo), then bootstraps and configures in build/.
# Safe to run again: installed packages and an existing build are reused.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# Build and test dependencies, by Debian 12 package name.
BUILD_DEPS="build-essential autoconf automake autoconf-archive pkg-config
 libncurses-dev libao-dev libsndfile1-dev libsamplerate0-dev libpulse-dev flite1-dev"
TEST_DEPS="libcmocka-dev libvterm-dev groff-base tmux pulseaudio pulseaudio-utils
 faketime tzdata locales python3 bash-completion zsh fish strace
 pipewire pipewire-pulse wireplumber dbus-daemon flite pocketsphinx pocketsphinx-en-us openssh-server
 ffmpeg xvfb xterm x11-apps fonts-dejavu-core valgrind"
FUZZ_DEPS="clang libclang-rt-14-dev"

install_deps() {
	missing=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "lull: installing:$missing"
	if [ "$(id -u)" -eq 0 ]; then sudo=; elif command -v sudo >/dev/null; then sudo=sudo; else
		echo "lull: please install as root:$missing" >&2; exit 1
	fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

# configure_in DIR [configure options]: bootstrap once, configure once per DIR.
configure_in() {
	dir=$1; shift
	# README's build by hand configures in the source folder, after which
	# configure refuses a build folder ("source directory already
	# configured"): clean the source folder first, saying so.
	if [ -f config.status ]; then
		echo "lull: the source folder was configured in place (./configure here);" \
			"running make distclean so that $dir/ can be configured" >&2
		if [ -f Makefile ]; then make distclean >/dev/null; else rm -f config.status; fi
	fi
	[ -x configure ] && [ configure -nt configure.ac ] || ./bootstrap
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ configure -nt "$dir/Makefile" ] ||
	   [ "$(cat "$dir/.lull-configured" 2>/dev/null)" != "$*" ]; then
		(cd "$dir" && ../configure "$@")
		echo "$*" > "$dir/.lull-configured"
	fi
	make -C "$dir" -j"$(nproc)"
}

mode=${1:-run}
[ $# -gt 0 ] && shift
case $mode in
run)
	install_deps $BUILD_DEPS
	configure_in build
	# Nothing of the build tree is compiled into lull (an installed one
	# must read only what was installed): the uninstalled one is told
	# where its sounds and voice are.
	LULL_SOUNDS_DIR=${LULL_SOUNDS_DIR:-$top/build/sounds}
	export LULL_SOUNDS_DIR
	if [ -z "${LULL_VOICE_HELPER:-}" ] && [ -x build/lull-voice ]; then
		LULL_VOICE_HELPER=$top/build/lull-voice
		export LULL_VOICE_HELPER
	fi
	exec build/lull start "$@"
	;;
test)
	install_deps $BUILD_DEPS $TEST_DEPS
	configure_in build --enable-werror
	make -C build -j"$(nproc)" check
	;;
asan)
	install_deps $BUILD_DEPS $TEST_DEPS
	configure_in build-asan --enable-werror --enable-sanitizers
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 make -C build-asan -j"$(nproc)" check
	;;
distcheck)
	# The POSIX-only build is how lull builds on macOS and the BSDs: its
	# whole suite runs here, from the tarball.
	install_deps $BUILD_DEPS $TEST_DEPS
	configure_in build
	make -C build -j"$(nproc)" distcheck \
		DISTCHECK_CONFIGURE_FLAGS="--enable-werror --disable-linux-apis"
	;;
noaudio)
	install_deps $BUILD_DEPS $TEST_DEPS
	configure_in build-noaudio --enable-werror --without-audio
	make -C build-noaudio -j"$(nproc)" check
	;;
novoice)
	install_deps $BUILD_DEPS $TEST_DEPS
	configure_in build-novoice --enable-werror --without-voice
	make -C build-novoice -j"$(nproc)" check
	;;
fuzz)
	install_deps $BUILD_DEPS $TEST_DEPS $FUZZ_DEPS
	configure_in build-fuzz CC=clang --enable-werror --enable-fuzzing
	# Each target on its own corpus for a few seconds: it links, it runs,
	# and nothing it finds in that time is left unsaid.
	out=$(mktemp -d)
	for f in build-fuzz/tests/fuzz/fuzz_*; do
		[ -x "$f" ] || continue
		name=${f##*/fuzz_}
		corpus=tests/fuzz/$(echo "$name" | tr _ -) dict=tests/fuzz/$name.dict
		[ "$name" = parse ] && corpus=tests/fuzz/corpus dict=tests/fuzz/session.dict
		[ -f "$dict" ] && dictopt=-dict=$dict || dictopt=
		mkdir -p "$out/$name"
		echo "lull: fuzzing $name for 10 s"
		# New inputs go to a scratch folder, never into the source tree.
		if ! "$f" -max_total_time=10 $dictopt -artifact_prefix="$out/$name/" \
			"$out/$name" "$corpus" >"$out/$name.log" 2>&1; then
			tail -n 40 "$out/$name.log"; echo "lull: fuzz_$name found a fault" >&2; exit 1
		fi
		tail -n 2 "$out/$name.log"
	done
	rm -rf "$out"
	;;
m32)
	install_deps $BUILD_DEPS $TEST_DEPS gcc-multilib
	# cmocka for i386, for the 32-bit runs: Debian's multiarch.
	if ! dpkg-query -W -f='${Status}' libcmocka-dev:i386 2>/dev/null | grep -q 'install ok installed'; then
		if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
		$sudo dpkg --add-architecture i386
		install_deps libcmocka-dev:i386
	fi
	exec tools/m32-check.sh
	;;
*)
	echo "usage: tools/dev.sh run|test|asan|distcheck|noaudio|novoice|fuzz|m32" >&2
	exit 2
	;;
esac
