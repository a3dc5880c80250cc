#!/bin/bash
# ThreadSanitizer sees the bug of spsc-relaxed, the ring whose atomic
# operations are all relaxed: its tangled source, built by hand with the
# build's compiler and TSan flags (BOOK_CC, BOOK_TSAN_FLAGS), reports a
# data race between spsc_push's write of a slot and spsc_pop's read of
# it.  The same program over the real ring (spsc-pass, release and
# acquire) reports nothing.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
tsan_build spsc-relaxed spsc-relaxed.c bq.c
tsan_build spsc-pass spsc-pass.c spsc.c bq.c

rc=0
TSAN_OPTIONS="halt_on_error=0 exitcode=66" \
    "$TMP/spsc-relaxed" -n 20000 -q 4 > "$TMP/out" 2> "$TMP/err" || rc=$?
grep -q 'WARNING: ThreadSanitizer: data race' "$TMP/err" ||
    fail "no data race reported for spsc-relaxed; stderr: $(head -c 2000 "$TMP/err")"
for f in spsc_push spsc_pop; do
    grep -q "#0 $f " "$TMP/err" ||
        fail "the report does not name $f: $(head -c 2000 "$TMP/err")"
done
[[ $rc == 66 ]] || fail "spsc-relaxed: exit $rc, expected TSan's 66"

rc=0
TSAN_OPTIONS="exitcode=66" \
    "$TMP/spsc-pass" -n 20000 -q 4 > "$TMP/out" 2> "$TMP/err" || rc=$?
[[ $rc == 0 && ! -s $TMP/err ]] ||
    fail "spsc-pass under TSan: exit $rc, stderr: $(head -c 2000 "$TMP/err")"
echo "TSan reports the relaxed ring and not the acquire/release one: ok"
