#!/bin/bash
# ThreadSanitizer sees the bug of race-broken: its tangled source, built
# by hand with the build's compiler and ThreadSanitizer flags (BOOK_CC,
# BOOK_TSAN_FLAGS from book/build.mk), reports a data race on the counter.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
cc=${BOOK_CC:?run by tests/run from make}
src=$ROOT/tangle/02a-threads/race-broken.c
[[ -r $src ]] || fail "$src not tangled"
grounds=("$ROOT"/tangle/*/ground.c)
ground=${grounds[0]}
[[ -r $ground ]] || fail "no tangled ground.c"
incs=()
for d in "$ROOT"/tangle/*/; do incs+=(-I"$d"); done
read -ra tsan <<<"$BOOK_TSAN_FLAGS"
read -ra cflags <<<"$BOOK_CFLAGS"

# Can this compiler build and run a TSan program at all?
printf 'int main(void) { return 0; }\n' > "$TMP/probe.c"
if ! "$cc" "${tsan[@]}" "$TMP/probe.c" -o "$TMP/probe" 2>/dev/null ||
   ! "$TMP/probe" 2>/dev/null; then
    echo "$cc cannot build or run ThreadSanitizer programs here"
    exit 77
fi

# ground.c starts the trace module (chapter 1, "Seeing a run").
trace=$ROOT/tangle/01b-trace/trace.c
"$cc" "${cflags[@]}" -g -O1 "${tsan[@]}" \
      "${incs[@]}" "$src" "$ground" "$trace" -o "$TMP/race-broken-tsan" \
      -pthread
rc=0
TSAN_OPTIONS="halt_on_error=0 exitcode=66" \
    "$TMP/race-broken-tsan" -w 2 -m 1000 > "$TMP/out" 2> "$TMP/err" || rc=$?
grep -q 'WARNING: ThreadSanitizer: data race' "$TMP/err" ||
    fail "no data race reported; stderr was: $(cat "$TMP/err")"
grep -q "Location is global 'counter'" "$TMP/err" ||
    fail "the report does not name 'counter': $(cat "$TMP/err")"
[[ $rc == 66 ]] || fail "exit $rc, expected TSan's 66"
# (The report the book shows, lines of the chapter and all, is replayed
# with every other shown run by tests/book/transcripts.sh.)
echo "TSan reports the race in race-broken: ok"
