#!/bin/bash
# Chapter 4, "Ten thousand connections", backpressure: a client that
# sends 100 MB and never reads (tests/support/echo-noread.py), against a
# fresh echo-uv with backpressure and one without (-B), BENCH_RUNS times
# each (default 3): how much the client could push before it blocked,
# and how much the server grew (VmHWM at the end less VmRSS at the
# start). Records samples; bench/collect writes $RESULTS/04b-noread.json
# (medians). Figures only.
set -euo pipefail
: "${ROOT:?}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${BENCH_RUNS:-3}
bench_tmp

kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$srv/status"; }

samples_start 04b-noread
for ((r = 0; r < runs; r++)); do
    for mode in backpressure no-backpressure; do
        args=()
        [[ $mode == no-backpressure ]] && args=(-B)
        bench_server echo-uv "${args[@]}"
        before=$(kb VmRSS)
        pushed=$(python3 "$ROOT/tests/support/echo-noread.py" "$port" \
                 100000000) || { echo "echo-noread.py failed"; exit 1; }
        after=$(kb VmHWM)
        bench_server_stop
        record 04b-noread name="$mode" -- grew_kb=$((after - before)) \
            pushed_bytes="$pushed"
        echo "no reader, $mode: the server grew by $((after - before))" \
             "KiB (pushed $pushed bytes)"
    done
done
collect 04b-noread
machine
