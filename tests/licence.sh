#!/bin/sh
# SPDX-License-Identifier: ISC
# The licence travels with the code: LICENSE holds the ISC text, every source
# file (src/, sounds/, tests/, tools/ and the build files) names it in an SPDX
# line near its top, and `lull --version` says it. Walks the source tree
# (a git checkout or an unpacked tarball alike), so a file added without the
# line fails here.
lull=${LULL_BIN:-./lull}
src=${LULL_SRCDIR:-.}
. "$(dirname "$0")/check-lib.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

check "LICENSE is there" [ -f "$src/LICENSE" ]
check "LICENSE holds the ISC grant" grep -q 'Permission to use, copy, modify, and distribute this software' "$src/LICENSE"
check "LICENSE names the copyright holders" grep -q '^Copyright (c) [0-9]* the lull authors' "$src/LICENSE"

# Test inputs (corpora, broken programs, baselines) are data, not source.
find "$src/src" "$src/sounds" "$src/tests" "$src/tools" "$src/man" "$src/.ci" \
	-path "$src/tests/data" -prune -o -path "$src/tests/fuzz/corpus" -prune -o \
	-path "$src/tests/fuzz/history" -prune -o -path "$src/tests/fuzz/settings" -prune -o \
	-path "$src/tests/fuzz/reminders" -prune -o -path "$src/tests/fuzz/remind-state" -prune -o \
	-type f \( -name '*.[ch]' -o -name '*.sh' -o -name '*.am' -o -name '*.in' -o \
	-name '*.session' -o -name '*.dict' -o -name '*.supp' -o -name '*.fish' -o \
	-name '_lull' -o -name lull -o -name dev.sh -o -name run \) -print 2>/dev/null > "$tmp/files"
for f in "$src/configure.ac" "$src/Makefile.am" "$src/bootstrap"; do
	[ -f "$f" ] && echo "$f" >> "$tmp/files"
done
check "the walk found the sources" [ "$(wc -l < "$tmp/files")" -gt 100 ]
: > "$tmp/missing"
while read -r f; do
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier: ISC' || echo "$f" >> "$tmp/missing"
done < "$tmp/files"
check "every source file has an SPDX line in its first three" [ ! -s "$tmp/missing" ]
sed 's/^/# no SPDX line: /' "$tmp/missing" | head -n 20

"$lull" --version > "$tmp/out" 2>&1
check "--version names the licence" grep -q 'ISC licence' "$tmp/out"
check "--version names the copyright holders" grep -q 'the lull authors' "$tmp/out"
[ $fails -eq 0 ]
