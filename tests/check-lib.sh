# SPDX-License-Identifier: ISC
# Sourced by the shell tests: `check DESCRIPTION COMMAND...` prints a TAP
# line and counts the failures in $fails; end a script with
# `[ $fails -eq 0 ]`. A condition of several parts goes to eval in single
# quotes: `check d a && b` would check a alone.
fails=0
check() {
	desc=$1; shift
	if "$@"; then echo "ok - $desc"; else echo "not ok - $desc"; fails=$((fails + 1)); fi
}

# nobody_setup: for a test of permission faults, which mean nothing to root
# (root reads and writes through any mode): as root, lull then runs as
# nobody (uid 65534) on a tree the test hands to nobody. nobody must reach
# the binary and all it reads, but the build tree may sit below a folder
# only root may pass (/root is 0700 on Debian, as is any mktemp -d), so
# lull is copied into $tmp and the voice cache pointed there; $tmp's own
# parents must be open (the default /tmp is), else the test is skipped
# with the reason. Call after $tmp and $lull are set; sets $nobody to the
# command prefix that runs as nobody (empty when not root).
nobody=
nobody_setup() {
	[ "$(id -u)" -eq 0 ] || return 0
	if ! command -v setpriv >/dev/null 2>&1; then
		echo "SKIP: as root this test runs lull as nobody, which needs setpriv (util-linux)"
		exit 77
	fi
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	if ! $nobody test -x "$(dirname "$tmp")"; then
		echo "SKIP: nobody cannot pass through $(dirname "$tmp") to the test's files; point TMPDIR at a folder with open parents"
		exit 77
	fi
	mkdir -p "$tmp/nobody-bin" && cp "$lull" "$tmp/nobody-bin/lull" || exit 99
	chmod 755 "$tmp/nobody-bin" "$tmp/nobody-bin/lull"
	lull=$tmp/nobody-bin/lull
	XDG_CACHE_HOME=$tmp/nobody-cache
	export XDG_CACHE_HOME
}
