#!/bin/bash
# ThreadSanitizer sees the bug of race-broken: its tangled source, built
# by hand with the build's compiler and ThreadSanitizer flags (BOOK_CC,
# BOOK_TSAN_FLAGS from book/build.mk), reports a data race on the counter.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
tsan_build race-broken-tsan race-broken.c
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
