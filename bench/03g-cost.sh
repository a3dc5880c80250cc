#!/bin/bash
# Chapter 3, "What a process costs": the price of fork, fork + exec,
# posix_spawn, a thread, and a pipe round trip, each the mean of -n runs
# of proc-cost, measured BENCH_RUNS times (default 5). Records the runs;
# bench/collect writes $RESULTS/03g-cost.json (medians, and the ratios
# the chapter quotes). Figures only: nothing here passes or fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${BENCH_RUNS:-5}
n=${BENCH_COST_N:-200}
bench_tmp

# proc-cost's labels, and the names the figures use.
ops=("fork + _exit + waitpid=fork" "fork + exec true + waitpid=fork-exec"
     "posix_spawn true + waitpid=spawn" "pthread_create + join=thread"
     "pipe round trip (1 byte)=pipe-round-trip")
samples_start 03g-cost
for ((r = 0; r < runs; r++)); do
    "$BIN/proc-cost" -n "$n" >"$tmp/out"
    for op in "${ops[@]}"; do
        us=$(grep -F "${op%=*}:" "$tmp/out" | awk '{print $(NF-1)}')
        [[ -n $us ]] || { echo "proc-cost printed no '${op%=*}'"; exit 1; }
        record 03g-cost name="${op#*=}" n="$n" -- us="$us"
    done
done
collect 03g-cost
machine
echo "proc-cost -n $n, $runs runs (mean per operation, microseconds):"
for op in "${ops[@]}"; do
    printf '  %-28s %s\n' "${op%=*}" \
        "$(awk -F'\t' -v k="name=${op#*=}" '$1 == k {
             sub(/^us=/, "", $4); printf "%s ", $4 }' \
             "$RESULTS/03g-cost.samples")"
done
