#!/bin/bash
# race-mutex and race-atomic always count every addition; race-broken
# prints the same line format (its count may be anything up to expected).
# (The runs the book shows: tests/book/transcripts.sh.)
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
m=200000
[[ -n ${SANITIZER:-} ]] && m=20000        # TSan is about ten times slower
for prog in race-mutex race-atomic; do
    for w in 1 2 4 8; do
        for _ in 1 2; do
            out=$("$BIN/$prog" -w $w -m $m)
            [[ $out == "expected $((w * m)) got $((w * m))" ]] ||
                fail "$prog -w $w -m $m: printed '$out'"
        done
    done
    out=$("$BIN/$prog" -w 3 -m 0)
    [[ $out == "expected 0 got 0" ]] || fail "$prog -m 0: printed '$out'"
done

out=$("$BIN/race-broken" -w 2 -m 100000)
[[ $out =~ ^expected\ 200000\ got\ ([0-9]+)$ ]] || fail "race-broken printed '$out'"
(( BASH_REMATCH[1] <= 200000 )) || fail "race-broken counted more than it added: $out"

for prog in race-broken race-mutex race-atomic; do
    check_cli "$prog" "-w 0" "-w 65" "-m -1" "-m x" "-q" "extra"
done
echo "race programs: ok"
