#!/bin/bash
# tls-count: each thread sees its own _Thread_local counter, and the
# key's destructor runs once per thread that stored a tally, none for
# threads that stored nothing.  cancel-wait: a worker cancelled in
# pthread_cond_wait runs both cleanup handlers and leaves the mutex
# free; stopped by a flag, the same; 20 runs each.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs tls-count cancel-wait
for w in 1 3 8; do
    expect 0 timeout 60 "$BIN/tls-count" -w $w -n 5000
    expect_eq "tls-count -w $w: thread lines" "$w" \
        "$(grep -c '^thread [0-9]*: 5000 calls$' "$TMP/out")"
    expect_eq "tls-count -w $w: last line" \
        "main: 0 calls; $w destructors added $((w * 5000)) calls" \
        "$(tail -n 1 "$TMP/out")"
done
expect 0 timeout 60 "$BIN/tls-count" -w 4 -n 0
expect_eq "tls-count -n 0" "main: 0 calls; 0 destructors added 0 calls" \
    "$(tail -n 1 "$TMP/out")"
for ((r = 1; r <= 20; r++)); do
    expect 0 timeout 60 "$BIN/cancel-wait"
    expect_eq "cancel-wait run $r" \
        "worker cancelled; 2 cleanup handlers ran; the mutex is free" \
        "$(cat "$TMP/out")"
    expect 0 timeout 60 "$BIN/cancel-wait" -f
    expect_eq "cancel-wait -f run $r" \
        "worker stopped by the flag; 2 cleanup handlers ran; the mutex is free" \
        "$(cat "$TMP/out")"
done
check_cli tls-count "-w 0" "-w 65" "-n -1" "x"
check_cli cancel-wait "-x" "x"
echo "tls-count and cancel-wait: ok"
