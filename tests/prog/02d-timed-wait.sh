#!/bin/bash
# timed-wait: an event posted in time arrives, on either clock, with a
# condition variable or a semaphore; a wait with no event times out
# (never before its deadline: the program checks that on the monotonic
# clock and fails otherwise); a faked jump of the wall clock moves the
# deadline (later when set back, at once when set forward); the poster
# thread is told to quit, so no run outlives its wait.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs timed-wait
p=$BIN/timed-wait
for s in "" -s; do
    for c in monotonic realtime; do
        # shellcheck disable=SC2086 # $s is an option or nothing
        expect 0 timeout 60 "$p" $s -c $c -t 60000 -d 0
        expect_eq "$s -c $c, event" "event arrived" "$(cat "$TMP/out")"
        # shellcheck disable=SC2086
        expect 0 timeout 60 "$p" $s -c $c -t 20 -d 3600000
        expect_eq "$s -c $c, timeout" "timed out after at least 20 ms" \
            "$(cat "$TMP/out")"
    done
    # shellcheck disable=SC2086
    expect 0 timeout 60 "$p" $s -c realtime -t 20 -j 200 -d 3600000
    expect_eq "$s jump back" \
        "timed out after at least 220 ms, not 20: the clock jumped" \
        "$(cat "$TMP/out")"
    # shellcheck disable=SC2086
    expect 0 timeout 60 "$p" $s -c realtime -t 60000 -j -120000 -d 3600000
    expect_eq "$s jump forward" \
        "timed out after at least 0 ms, not 60000: the clock jumped" \
        "$(cat "$TMP/out")"
done
check_cli timed-wait "-t -1" "-c utc" "-j 5" "-c monotonic -j 5" "-d" "x"
echo "timed-wait: ok"
