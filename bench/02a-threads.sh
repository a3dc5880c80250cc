#!/bin/bash
# bench/02a-threads.sh: the cost of creating and joining one thread
# (spawn-threads, median of 5 runs of 10000 threads).  The cost of a
# shared counter is bench/02a-counter.sh; make bench runs both.
# Env: BIN (programs), RESULTS (folder for the JSON that bench/collect
# writes from the runs; without it, a scratch folder).
set -euo pipefail
BIN=${BIN:-build/bin}
[[ -n ${RESULTS:-} ]] || { RESULTS=$(mktemp -d); scratch=$RESULTS; }
export BIN RESULTS
trap 'rm -rf ${scratch:-}' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"      # median, record
n=${N:-10000}
runs=5
samples_start 02a-threads
each=()
for ((i = 0; i < runs; i++)); do
    each+=("$("$BIN/spawn-threads" -n "$n" | sed 's/.*: \([0-9.]*\) us each$/\1/')")
    record 02a-threads name=thread-create-join n="$n" -- us="${each[i]}"
done
collect 02a-threads
med=$(median_of "${each[@]}")
echo "thread create+join: $med us per thread (median of $runs runs of $n)"
