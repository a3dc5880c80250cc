#!/bin/bash
# bench/02a-counter.sh: the cost of one increment of a shared counter,
# with a mutex (race-mutex) and with an atomic addition (race-atomic),
# with 1 and 2 threads.  Median of 5 runs of 10 million additions per
# thread; prints nanoseconds per addition: wall time / additions, and CPU
# time (user + system, all threads) / additions, which a busy machine
# disturbs less than the wall time.
# Env: BIN (programs), RESULTS (folder for JSON, optional).
set -euo pipefail
BIN=${BIN:-build/bin}
m=${M:-10000000}
runs=5
median() {       # median of column $1 of stdin
    sort -n -k"$1" | awk -v k="$1" '{a[NR] = $k} END {print a[int((NR + 1) / 2)]}'
}
ns_per_add() {   # ns_per_add PROG THREADS: "WALL CPU" in ns per addition
    local TIMEFORMAT='%R %U %S' t
    t=$( { time "$BIN/$1" -w "$2" -m "$m" > /dev/null; } 2>&1 )
    awk -v n=$(($2 * m)) '{printf "%.2f %.2f\n", $1 * 1e9 / n,
                                    ($2 + $3) * 1e9 / n}' <<<"$t"
}
json=()
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
echo "shared counter, $m additions per thread, median of $runs runs"
for prog in race-mutex race-atomic; do
    for w in 1 2; do
        for ((i = 0; i < runs; i++)); do ns_per_add $prog $w; done > "$tmp"
        wall=$(median 1 < "$tmp") cpu=$(median 2 < "$tmp")
        printf '%-12s %d thread%s %7s ns wall, %7s ns CPU per addition\n' \
               "$prog" $w "$([[ $w == 1 ]] && echo ' ' || echo s)" "$wall" "$cpu"
        json+=("\"$prog-$w\": {\"wall_ns\": $wall, \"cpu_ns\": $cpu}")
    done
done
if [[ -n ${RESULTS:-} ]]; then
    mkdir -p "$RESULTS"
    (IFS=,; echo "{${json[*]}}") > "$RESULTS/02a-counter.json"
fi
