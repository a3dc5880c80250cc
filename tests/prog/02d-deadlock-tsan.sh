#!/bin/bash
# ThreadSanitizer sees the bug of deadlock-broken even in a run that does
# not hang (-s: one thread after the other): its tangled source, built by
# hand with the build's compiler and TSan flags, reports a lock-order
# inversion in take_both.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
tsan_build deadlock-broken-tsan deadlock-broken.c
rc=0
TSAN_OPTIONS="halt_on_error=0 exitcode=66" timeout 60 \
    "$TMP/deadlock-broken-tsan" -s -n 1 > "$TMP/out" 2> "$TMP/err" || rc=$?
grep -q 'WARNING: ThreadSanitizer: lock-order-inversion' "$TMP/err" ||
    fail "no lock-order inversion reported; stderr was: $(cat "$TMP/err")"
grep -q 'take_both' "$TMP/err" ||
    fail "the report does not name take_both: $(cat "$TMP/err")"
expect_eq "stdout" "counter 2 after 1 rounds each, 0 back-offs" \
    "$(cat "$TMP/out")"
[[ $rc == 66 ]] || fail "exit $rc, expected TSan's 66"
echo "TSan reports the lock-order inversion in deadlock-broken: ok"
