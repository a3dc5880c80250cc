#!/bin/bash
# Chapter 3, shared memory: shm-count's mutex and atomic counters are
# exact; robust-mutex prints the story the book shows (the holder killed
# with SIGKILL, the next locker gets EOWNERDEAD, repairs, continues).
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
want='holder: took 10 from a, dies before giving it to b
holder: killed by signal 9
next: lock returned EOWNERDEAD: a=90 b=0 (sum 90)
next: repaired: a=90 b=10
next: transfer done: a=80 b=20
next: exited with status 0
parent: a=80 b=20 (sum 100)'
got=$("$rc" "$BIN/robust-mutex")
[[ $got == "$want" ]] || fail "robust-mutex: expected
$want
got
$got"
check_cli shm-count "-w 0"
check_cli robust-mutex
echo "03d-shm: ok"
