#!/bin/bash
# spsc-pass passes every item in order through the ring and through bq,
# for ring sizes from 1 slot up; spsc-relaxed (the broken ring) is run
# only for its command line here: its bug is in the memory orders, which
# 02e-spsc-tsan.sh shows.  Both answer --help and refuse bad arguments.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs spsc-pass spsc-relaxed
for q in 1 2 64 1024; do
    n=200000
    ((q > 2)) || n=20000        # a hand-over through the scheduler per item
    [[ -z ${SANITIZER:-} ]] || n=$((n / 10))
    for b in "" -b; do
        # shellcheck disable=SC2086  # $b is an option or nothing
        expect 0 "$BIN/spsc-pass" $b -q $q -n $n
        want="$n items passed in order through $([[ -n $b ]] && echo bq || echo spsc)"
        expect_eq "spsc-pass $b -q $q -n $n" "$want" "$(cat "$TMP/out")"
    done
done
check_cli spsc-pass "-q 3" "-q 0" "-n 0" "-x" "extra"
check_cli spsc-relaxed "-q 6"
echo "02e-spsc: ok"
