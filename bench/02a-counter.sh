#!/bin/bash
# bench/02a-counter.sh: the cost of one increment of a shared counter,
# with a mutex (race-mutex) and with an atomic addition (race-atomic),
# with 1 and 2 threads.  Median of 5 runs of 10 million additions per
# thread; prints nanoseconds per addition: wall time / additions, and CPU
# time (user + system, all threads) / additions, which a busy machine
# disturbs less than the wall time.
# Env: BIN (programs), RESULTS (folder for the JSON that bench/collect
# writes from the runs; without it, a scratch folder).
set -euo pipefail
BIN=${BIN:-build/bin}
[[ -n ${RESULTS:-} ]] || { RESULTS=$(mktemp -d); scratch=$RESULTS; }
export BIN RESULTS
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"      # median, record
m=${M:-10000000}
runs=5
ns_per_add() {   # ns_per_add PROG THREADS: "WALL CPU" in ns per addition
    local TIMEFORMAT='%R %U %S' t
    t=$( { time "$BIN/$1" -w "$2" -m "$m" > /dev/null; } 2>&1 )
    awk -v n=$(($2 * m)) '{printf "%.2f %.2f\n", $1 * 1e9 / n,
                                    ($2 + $3) * 1e9 / n}' <<<"$t"
}
tmp=$(mktemp)
trap 'rm -rf "$tmp" ${scratch:-}' EXIT
samples_start 02a-counter
echo "shared counter, $m additions per thread, median of $runs runs"
for prog in race-mutex race-atomic; do
    for w in 1 2; do
        for ((i = 0; i < runs; i++)); do ns_per_add $prog $w; done > "$tmp"
        while read -r wall cpu; do
            record 02a-counter name=$prog threads=$w additions="$m" -- \
                wall_ns="$wall" cpu_ns="$cpu"
        done <"$tmp"
        wall=$(cut -d' ' -f1 "$tmp" | median)
        cpu=$(cut -d' ' -f2 "$tmp" | median)
        printf '%-12s %d thread%s %7.2f ns wall, %7.2f ns CPU per addition\n' \
               "$prog" $w "$([[ $w == 1 ]] && echo ' ' || echo s)" "$wall" "$cpu"
    done
done
collect 02a-counter
