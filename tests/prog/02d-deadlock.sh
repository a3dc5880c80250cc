#!/bin/bash
# deadlock-broken hangs every time, deadlock-ordered and deadlock-trylock
# never: 100 runs each.  The hang is proved by a watchdog, not a sleep:
# once both threads have said which lock they want, the test polls (with
# a deadline) until every thread of the process is asleep; nothing is
# left that could wake one, so the program is deadlocked; it is killed.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs deadlock-broken deadlock-ordered deadlock-trylock
runs=${RUNS:-100}

all_asleep() {   # all_asleep PID: every thread of PID sleeping (state S)
    local f line n=0
    for f in /proc/"$1"/task/*/stat; do
        line=$(cat "$f" 2>/dev/null) || return 1
        line=${line##*) }
        [[ ${line%% *} == S ]] || return 1
        n=$((n + 1))
    done
    # main (in pthread_join) and the two players; a sanitizer's runtime
    # may add a thread of its own (TSan's background thread)
    ((n >= 3))
}

hangs() {        # hangs RUN: deadlock-broken must hang; the test kills it
    local pid end=$((SECONDS + 30))         # 30 s at most
    "$BIN/deadlock-broken" >"$TMP/out" 2>"$TMP/err" & pid=$!
    while ((SECONDS < end)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" || true
            fail "run $1: deadlock-broken ended; stdout: $(cat "$TMP/out")"
        fi
        if [[ $(grep -c 'wants lock' "$TMP/out") == 2 ]] &&
           all_asleep "$pid"; then
            kill -KILL "$pid"
            wait "$pid" 2>/dev/null || true
            return 0
        fi
        sleep 0.01
    done
    kill -KILL "$pid"
    fail "run $1: no deadlock seen in 30 s; stdout: $(cat "$TMP/out")"
}

for ((r = 1; r <= runs; r++)); do hangs "$r"; done
for prog in deadlock-ordered deadlock-trylock; do
    for ((r = 1; r <= runs; r++)); do
        expect 0 timeout 60 "$BIN/$prog" -n 1000
        grep -q '^counter 2000 after 1000 rounds each, [0-9]* back-offs$' \
            "$TMP/out" || fail "$prog run $r printed: $(cat "$TMP/out")"
    done
done
# Apart, the broken program finishes; under TSan (whose runtime it is
# linked with even uninstrumented) it reports the inversion, exit 66.
want=0
[[ ${SANITIZER:-} == thread ]] && want=66
expect $want timeout 60 "$BIN/deadlock-broken" -s -n 1000
check_cli deadlock-broken "-n 0" "-x" "extra"
check_cli deadlock-ordered "-n" "-s 1"
check_cli deadlock-trylock "-n 100000001"
echo "deadlock: broken hung $runs times of $runs, the fixes never: ok"
