#!/bin/bash
# Chapter 3, shared memory: shm-count's mutex and atomic counters are
# exact; robust-mutex's repair keeps the sum (the holder killed with
# SIGKILL, the next locker gets EOWNERDEAD, repairs, continues).
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
rc=$BIN/reap-check
for args in "-w 1 -n 1000" "-w 2 -n 200000" "-w 4 -n 50000"; do
    # shellcheck disable=SC2086  # the arguments are split on purpose
    out=$("$rc" "$BIN/shm-count" $args)
    exp=$(sed -n 's/^expected: *//p' <<<"$out")
    mtx=$(sed -n 's/^with a mutex: *//p' <<<"$out")
    atm=$(sed -n 's/^atomic: *//p' <<<"$out")
    pln=$(sed -n 's/^unprotected: *//p' <<<"$out")
    [[ -n $exp && $mtx == "$exp" && $atm == "$exp" ]] || fail "shm-count $args: $out"
    [[ -n $pln && $pln -le $exp ]] || fail "shm-count $args: unprotected $pln"
done
# robust-mutex: the repair keeps the money (its whole story, the run the
# book shows: tests/book/transcripts.sh), and every child is reaped.
got=$("$rc" "$BIN/robust-mutex") || fail "robust-mutex under reap-check: exit $?"
grep -qx 'parent: a=[0-9]* b=[0-9]* (sum 100)' <<<"$got" ||
    fail "robust-mutex: the sum is not 100 at the end:
$got"
check_cli shm-count "-w 0"
check_cli robust-mutex
echo "03d-shm: ok"
