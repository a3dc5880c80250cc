#!/bin/bash
# bench/02e-ordering.sh: chapter 2's memory-ordering figures.
# spsc-pass passes ITEMS items from one thread to another through the
# lock-free ring (spsc) and through the mutex queue (bq); false-sharing
# has two threads each add to a counter of its own ADDS times, with the
# counters 8 bytes apart (near) and a cache line apart (apart).  The
# pairs alternate, RUNS times, so that a busy moment of the machine
# hurts both sides alike.  Records, per item or per addition, the wall
# time and the CPU time (user + system, all threads) in nanoseconds.
# Env: BIN (programs), RESULTS (folder for the JSON that bench/collect
# writes; without it, a scratch folder), QUICK (fewer, smaller runs).
set -euo pipefail
BIN=${BIN:-build/bin}
[[ -n ${RESULTS:-} ]] || { RESULTS=$(mktemp -d); scratch=$RESULTS; }
export BIN RESULTS
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # record, collect, median
items=10000000 adds=500000000 runs=7
[[ -z ${QUICK:-} ]] || { items=1000000 adds=50000000 runs=3; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" ${scratch:-}' EXIT

per() {     # per N CMD...: "WALL CPU", nanoseconds per unit of N
    local TIMEFORMAT='%R %U %S' t n=$1
    shift
    t=$( { time "$@" > /dev/null; } 2>&1 )
    awk -v n="$n" '{printf "%.3f %.3f\n", $1 * 1e9 / n,
                                        ($2 + $3) * 1e9 / n}' <<<"$t"
}

one() {     # one NAME N FIELDS CMD...: run, record, keep for the medians
    local name=$1 n=$2 fields=$3 wall cpu
    shift 3
    read -r wall cpu < <(per "$n" "$@")
    # shellcheck disable=SC2086  # FIELDS holds several fields
    record 02e-ordering name="$name" $fields -- wall_ns="$wall" cpu_ns="$cpu"
    echo "$wall $cpu" >> "$tmp/$name"
}

samples_start 02e-ordering
machine
echo "spsc-pass: $items items; false-sharing: $adds additions per" \
     "thread; $runs runs of each, alternating"
for ((i = 0; i < runs; i++)); do
    one spsc "$items" "items=$items" "$BIN/spsc-pass" -n "$items"
    one bq "$items" "items=$items" "$BIN/spsc-pass" -b -n "$items"
    one near "$adds" "adds=$adds" "$BIN/false-sharing" -n "$adds"
    one apart "$adds" "adds=$adds" "$BIN/false-sharing" -p -n "$adds"
done
for name in spsc bq near apart; do
    printf '%-6s %8.2f ns wall, %8.2f ns CPU per %s (median)\n' "$name" \
        "$(cut -d' ' -f1 "$tmp/$name" | median)" \
        "$(cut -d' ' -f2 "$tmp/$name" | median)" \
        "$([[ $name == spsc || $name == bq ]] && echo item || echo addition)"
done
collect 02e-ordering
