#!/bin/bash
# ThreadSanitizer sees the bug of race-broken: its tangled source, built
# by hand with -fsanitize=thread, reports a data race on the counter.
set -euo pipefail
cc=${CC:-cc}
src=$ROOT/tangle/02a-threads/race-broken.c
[[ -r $src ]] || { echo "FAIL: $src not tangled" >&2; exit 1; }
ground=$(ls "$ROOT"/tangle/*/ground.c 2>/dev/null | head -n 1)
[[ -n $ground ]] || { echo "FAIL: no tangled ground.c" >&2; exit 1; }
incs=()
for d in "$ROOT"/tangle/*/; do incs+=(-I"$d"); done

# Can this compiler build and run a TSan program at all?
printf 'int main(void) { return 0; }\n' > "$TMP/probe.c"
if ! "$cc" -fsanitize=thread "$TMP/probe.c" -o "$TMP/probe" 2>/dev/null ||
   ! "$TMP/probe" 2>/dev/null; then
    echo "$cc cannot build or run ThreadSanitizer programs here"
    exit 77
fi

"$cc" -std=c17 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=thread \
      "${incs[@]}" "$src" "$ground" -o "$TMP/race-broken-tsan" -pthread
rc=0
TSAN_OPTIONS="halt_on_error=0 exitcode=66" \
    "$TMP/race-broken-tsan" -w 2 -m 1000 > "$TMP/out" 2> "$TMP/err" || rc=$?
grep -q 'WARNING: ThreadSanitizer: data race' "$TMP/err" ||
    { echo "FAIL: no data race reported; stderr was:" >&2; cat "$TMP/err" >&2; exit 1; }
grep -q "Location is global 'counter'" "$TMP/err" ||
    { echo "FAIL: the report does not name 'counter':" >&2; cat "$TMP/err" >&2; exit 1; }
[[ $rc == 66 ]] || { echo "FAIL: exit $rc, expected TSan's 66" >&2; exit 1; }
# (The report the book shows, lines of the chapter and all, is replayed
# with every other shown run by tests/book/transcripts.sh.)
echo "TSan reports the race in race-broken: ok"
