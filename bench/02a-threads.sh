#!/bin/bash
# bench/02a-threads.sh: the cost of creating and joining one thread
# (spawn-threads, median of 5 runs of 10000 threads).  The cost of a
# shared counter is bench/02a-counter.sh; make bench runs both.
# Env: BIN (programs), RESULTS (folder for JSON, optional).
set -euo pipefail
BIN=${BIN:-build/bin}
n=${N:-10000}
runs=5
med=$(for ((i = 0; i < runs; i++)); do
          "$BIN/spawn-threads" -n "$n" | sed 's/.*: \([0-9.]*\) us each$/\1/'
      done | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
echo "thread create+join: $med us per thread (median of $runs runs of $n)"
if [[ -n ${RESULTS:-} ]]; then
    mkdir -p "$RESULTS"
    echo "{\"thread_create_join_us\": $med}" > "$RESULTS/02a-threads.json"
fi
