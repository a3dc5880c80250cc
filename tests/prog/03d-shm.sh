#!/bin/bash
# Chapter 3, shared memory: shm-count's mutex and atomic counters are
# exact; robust-mutex's repair keeps the sum (the holder killed with
# SIGKILL, the next locker gets EOWNERDEAD, repairs, continues).
set -euo pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }
rc=$BIN/reap-check
for args in "-w 1 -n 1000" "-w 2 -n 200000" "-w 4 -n 50000"; do
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
for p in shm-count robust-mutex; do
    "$BIN/$p" --help | grep -q "^Usage: $p" || fail "$p --help"
done
set +e; "$BIN/shm-count" -w 0 2> /dev/null; s=$?; set -e
[[ $s == 2 ]] || fail "shm-count -w 0: exit $s"
echo "03d-shm: ok"
