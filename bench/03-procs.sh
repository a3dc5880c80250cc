#!/bin/bash
# Chapter 3, processes: crunch-procs -w 2 against crunch-seq and
# crunch-threads -w 2 on the large file, and the price of fork, fork+exec,
# posix_spawn, a thread, and a pipe round trip (proc-cost).
# Prints medians of alternating runs; writes $RESULTS/03-procs.json.
# Figures only: nothing here passes or fails on a time.
#   BENCH_RUNS   runs of each crunch program (default 5)
#   BENCH_ROWS   rows of the data file (default 100000000, about 1.4 GB,
#                generated once if the disk has room, else 10000000,
#                the file that bench/02b-crunch.sh makes)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${BENCH_RUNS:-5}
data=$(dirname "$(data_path 1)")
mkdir -p "$data"
free_kb() { df -Pk "$data" | awk 'NR == 2 {print $4}'; }
need_kb() { echo $(($1 * 16 / 1024 + 1048576)); }   # with 1 GiB to spare
rows=${BENCH_ROWS:-100000000}
if [[ -z ${BENCH_ROWS:-} ]] && data_missing "$(data_path $rows)" &&
   (( $(free_kb) < $(need_kb $rows) )); then
    echo "not enough disk for 100 million rows: using 10 million"
    rows=10000000
fi
if data_missing "$(data_path "$rows")" && (( $(free_kb) < $(need_kb "$rows") )); then
    echo "not enough disk for $rows rows ($(free_kb) KiB free)"; exit 1
fi
file=$(data_file "$rows")
reread "$file"                          # into the page cache, as from disk

seq_t=() thr_t=() prc_t=()
for ((i = 0; i < runs; i++)); do         # A, B, C, A, B, C, ...
    seq_t+=("$(run_ms "$BIN/crunch-seq" "$file")")
    thr_t+=("$(run_ms "$BIN/crunch-threads" -w 2 "$file")")
    prc_t+=("$(run_ms "$BIN/crunch-procs" -w 2 "$file")")
done
seq_ms=$(median_of "${seq_t[@]}")
thr_ms=$(median_of "${thr_t[@]}")
prc_ms=$(median_of "${prc_t[@]}")
machine
echo "file: $file ($rows rows)"
echo "crunch-seq            ${seq_t[*]} ms; median $seq_ms ms"
echo "crunch-threads -w 2   ${thr_t[*]} ms; median $thr_ms ms"
echo "crunch-procs -w 2     ${prc_t[*]} ms; median $prc_ms ms"
awk -v s="$seq_ms" -v t="$thr_ms" -v p="$prc_ms" 'BEGIN {
    printf "crunch-procs -w 2: %.2fx crunch-seq (target >= 1.8), %.2fx the time of crunch-threads -w 2\n", s / p, p / t
}'

# The price of the operations themselves: medians of 3 runs of proc-cost.
n=${BENCH_COST_N:-200}
for ((i = 0; i < 3; i++)); do "$BIN/proc-cost" -n "$n"; done > "$RESULTS/03-proc-cost.txt"
echo "proc-cost -n $n, median of 3 runs (mean per operation):"
for what in "fork + _exit + waitpid" "fork + exec true + waitpid" \
            "posix_spawn true + waitpid" "pthread_create + join" \
            "pipe round trip (1 byte)"; do
    m=$(grep -F "$what:" "$RESULTS/03-proc-cost.txt" | awk '{print $(NF-1)}' | median)
    printf '  %-28s %9s us\n' "$what" "$m"
    echo "$what=$m" >> "$RESULTS/03-proc-cost.kv"
done
cat > "$RESULTS/03-procs.json" <<JSON
{"rows": $rows, "runs": $runs, "crunch_seq_ms": $seq_ms,
 "crunch_threads_w2_ms": $thr_ms, "crunch_procs_w2_ms": $prc_ms,
 "load": "$(load)"}
JSON
rm -f "$RESULTS/03-proc-cost.kv"
