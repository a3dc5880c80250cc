#!/bin/bash
# tests/prog/04-loop-programs.sh: the programs on the hand-made loop of
# chapter 4 (04-loop-by-hand.nw) other than echo-loop. count-timers-loop
# prints exactly what count-timers prints, for several shapes, blocking
# worker included; level-edge shows the second wait differ; loop-blockers
# finds a regular file readable to poll and refused by epoll, and runs a
# lookup from a callback; --help and usage errors for each. No timings.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
. "$ROOT/tests/support/lib.sh"
need_programs count-timers-loop count-timers level-edge loop-blockers

# 1. The same lines as the libuv version, line for line.
for args in "-w 3 -n 3" "-w 1 -n 1" "-w 50 -n 40 -d 0" "-w 7 -n 6 -d 2" \
            "-w 3 -n 4 -d 1 -b 5"; do
    # shellcheck disable=SC2086  # the arguments are split on purpose
    "$BIN/count-timers" $args >"$TMP/uv.out"
    # shellcheck disable=SC2086
    "$BIN/count-timers-loop" $args >"$TMP/loop.out"
    cmp -s "$TMP/uv.out" "$TMP/loop.out" ||
        bad "count-timers-loop $args: differs from count-timers: $(diff "$TMP/uv.out" "$TMP/loop.out" | head -5)"
done
check_cli count-timers-loop "-w 0" "-n 0" "-d -1" "-w x" "-x" "-w" "extra"

# 2. level-edge: the second wait is "readable" level-triggered and
# "nothing" edge-triggered; the third is "readable" in both.
"$BIN/level-edge" >"$TMP/le.out"
got=$(grep -o 'wait [0-9]: [a-z]*' "$TMP/le.out" | tr '\n' ',')
want="wait 1: readable,wait 2: readable,wait 3: readable,wait 1: readable,wait 2: nothing,wait 3: readable,"
[[ $got == "$want" ]] || bad "level-edge: expected '$want', got '$got'"
check_cli level-edge "-x" "extra"

# 3. loop-blockers: a regular file is readable to poll, refused by epoll.
"$BIN/loop-blockers" /etc/passwd localhost >"$TMP/lb.out"
grep -qx 'poll: /etc/passwd is readable' "$TMP/lb.out" || bad "loop-blockers: poll: $(cat "$TMP/lb.out")"
grep -qx 'epoll_ctl: Operation not permitted' "$TMP/lb.out" || bad "loop-blockers: epoll: $(cat "$TMP/lb.out")"
grep -q '^getaddrinfo(localhost): found after [0-9]* ms$' "$TMP/lb.out" || bad "loop-blockers: lookup: $(cat "$TMP/lb.out")"
grep -q "^the 10 ms timer's longest gap: [0-9]* ms$" "$TMP/lb.out" || bad "loop-blockers: gap: $(cat "$TMP/lb.out")"
expect 1 "$BIN/loop-blockers" "$TMP/no-such-file" localhost
grep -q 'no-such-file' "$TMP/err" || bad "loop-blockers: a missing file is not named: $(cat "$TMP/err")"
check_cli loop-blockers "" "/etc/passwd" "-x a b" "a b c"

checks_done "programs on the hand-made loop"
