#!/bin/sh
# SPDX-License-Identifier: ISC
# The reminder daemon frees what it took on every way out, under valgrind:
# another daemon already running, a lock it cannot take, a config or state
# directory it cannot use, a set-up that fails (too few descriptors), the
# parent of --detach, and a SIGTERM. Two of those returned without freeing
# (the set-up: 24 bytes definitely lost, and more; the fork that failed).
# (A fork that fails cannot be made here: root is not held to ulimit -u.)
lull=${LULL_BIN:-./lull}
# A sanitized build (make check says) has LeakSanitizer in it, and valgrind
# cannot run it: the leak check is then LSan's, with the same exit status.
if [ "${LULL_SANITIZERS:-no}" = yes ]; then
	leakcheck="env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 LSAN_OPTIONS=exitcode=99"
else
	command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind missing (apt-get install valgrind)"; exit 77; }
	leakcheck="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
		--show-leak-kinds=definite,indirect --error-exitcode=99"
fi
command -v prlimit >/dev/null 2>&1 || { echo "SKIP: prlimit missing (util-linux)"; exit 77; }
tmp=$(mktemp -d) || exit 99
dpid=
cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null
	[ -n "$dpid" ] && wait "$dpid" 2>/dev/null
	[ -n "$KEEP" ] || rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/remind-lib.sh"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# Exit status 99: the leak check found a leak (definite or indirect) or an error.
vg() {
	$leakcheck "$@"
}
out=$tmp/out

# 1. Another daemon runs.
"$lull" remind daemon >"$tmp/d.out" 2>&1 &
dpid=$!
check "a first daemon sleeps" wait_for 10 grep -qs 'sleeping' "$log"
vg "$lull" remind daemon >"$out" 2>&1
rc=$?
check "another runs: exit 3, nothing lost (rc $rc)" [ $rc -eq 3 ]
kill -TERM "$dpid"; wait "$dpid"; dpid=

# 2. The config directory, then the state directory, cannot be used.
for which in CONFIG STATE; do
	touch "$tmp/file"
	env "XDG_${which}_HOME=$tmp/file/below" $leakcheck "$lull" remind daemon >"$out" 2>&1
	rc=$?
	check "$which directory unusable: exit 1, nothing lost (rc $rc)" \
		eval '[ $rc -eq 1 ] && grep -q "cannot use the" "$out"'
done

# 3. Too few descriptors: the lock, or the set-up, fails (valgrind keeps
#    some of the limit for itself, so the limit is raised until the
#    daemon's own set-up is what fails).
setup=no
n=12 # valgrind holds some descriptors of its own; LeakSanitizer none
[ "${LULL_SANITIZERS:-no}" = yes ] && n=3
while [ $n -le 40 ] && [ $setup = no ]; do
	prlimit --nofile=$n -- $leakcheck "$lull" remind daemon >"$out" 2>&1 &
	dpid=$!
	wait_for 60 grep -qs -e 'cannot' -e 'running' -e 'error while loading' "$out"
	if grep -qs 'running' "$out"; then
		kill -TERM "$(sed -n 's/.*daemon running (pid \([0-9]*\)).*/\1/p' "$out")"
		wait "$dpid"; dpid=
		break
	fi
	wait "$dpid"
	rc=$?
	dpid=
	if grep -qs 'cannot take the daemon' "$out"; then
		check "ulimit -n $n: the lock not taken, nothing lost (rc $rc)" [ $rc -eq 1 ]
	elif grep -qs 'cannot set up the daemon' "$out"; then
		setup=yes
		check "ulimit -n $n: the set-up fails, nothing lost (rc $rc)" [ $rc -eq 1 ]
		[ $rc -eq 1 ] || cat "$out"
	fi
	n=$((n + 1))
done
check "a set-up that fails was reached" [ $setup = yes ]

# 4. The parent of --detach returns; its child stops on SIGTERM.
vg "$lull" remind daemon --detach >"$out" 2>&1
rc=$?
check "--detach: the parent exits 0, nothing lost (rc $rc)" [ $rc -eq 0 ]
child=$(sed -n 's/.*daemon started (pid \([0-9]*\)).*/\1/p' "$out")
check "--detach: the child's pid said" [ -n "$child" ]
[ -n "$child" ] && kill -TERM "$child"

# 5. A daemon that runs, then stops on SIGTERM.
wait_for 30 sh -c "! kill -0 ${child:-0} 2>/dev/null"
vg "$lull" remind daemon >"$out" 2>&1 &
dpid=$!
check "under valgrind the daemon sleeps" wait_for 60 grep -qs 'running' "$out"
# (The daemon's own pid: valgrind may be a script that waits for it.)
pid=$(sed -n 's/.*daemon running (pid \([0-9]*\)).*/\1/p' "$out")
check "its pid said" [ -n "$pid" ]
kill -TERM "${pid:-$dpid}"
wait "$dpid"
rc=$?
dpid=
check "SIGTERM: exit 0, nothing lost (rc $rc)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat "$out"
[ $fails -eq 0 ]
