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
