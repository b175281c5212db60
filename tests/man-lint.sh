#!/bin/sh
# SPDX-License-Identifier: ISC
# The man pages render without a single groff warning.
groff=${GROFF:-groff}
command -v "$groff" >/dev/null 2>&1 || { echo "SKIP: groff missing (apt-get install groff-base)"; exit 77; }
dir=${LULL_BUILDDIR:-.}/man
fails=0
for page in "$dir/lull.1" "$dir/lull-session.5"; do
	[ -f "$page" ] || { echo "not ok - $page missing"; fails=$((fails + 1)); continue; }
	warnings=$(LC_ALL=C.UTF-8 "$groff" -ww -z -man -Tutf8 "$page" 2>&1)
	if [ -n "$warnings" ]; then
		echo "not ok - $page:"; echo "$warnings"; fails=$((fails + 1))
	else
		echo "ok - $page renders without warnings"
	fi
	grep -q '@PACKAGE_VERSION@' "$page" && { echo "not ok - $page: version not filled in"; fails=$((fails + 1)); }
done
[ $fails -eq 0 ]
