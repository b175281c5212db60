#!/bin/sh
# SPDX-License-Identifier: ISC
# The quick start, in one place so README and CI can never disagree.
#   tools/dev.sh run [ARGS]   set up, build, and start a wind-down session (lull start ARGS)
#   tools/dev.sh test         set up, build with -Werror, run the whole test suite
#   tools/dev.sh asan         the same suite built with ASan and UBSan (build-asan/)
#   tools/dev.sh distcheck    make distcheck
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
 faketime tzdata locales python3 bash-completion zsh fish
 pipewire pipewire-pulse wireplumber dbus-daemon flite pocketsphinx pocketsphinx-en-us"

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
	install_deps $BUILD_DEPS $TEST_DEPS
	configure_in build
	make -C build -j"$(nproc)" distcheck
	;;
*)
	echo "usage: tools/dev.sh run|test|asan|distcheck" >&2
	exit 2
	;;
esac
