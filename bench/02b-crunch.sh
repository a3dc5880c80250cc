#!/bin/bash
# Chapter 2, "No GIL here": how fast crunch-seq reads a 10-million-row
# file from the page cache, how much faster crunch-threads -w 2 is, and
# (for contrast) what two Python threads do for the same job.
# Prints medians of alternating runs; writes $RESULTS/02b-crunch.json.
# Figures only: nothing here passes or fails on a time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${BENCH_RUNS:-7}
data=${BENCH_DATA:-$ROOT/build/data}
file=$data/1brc-10M-s1.txt
rows=10000000
mkdir -p "$data"
# Reused if present, unless gen-data was rebuilt since (its output may
# have changed with it).
if [[ ! -s $file || $BIN/gen-data -nt $file ]]; then
    echo "generating $file ($rows rows, once)"
    "$BIN/gen-data" -n $rows -s 1 -o "$file.tmp"
    mv "$file.tmp" "$file"
fi
cat "$file" > /dev/null                 # into the page cache

# run_ms CMD...: wall-clock milliseconds of one run, output discarded;
# the CPU time (user + system) of the run is appended to $TMPCPU.
TMPCPU=$(mktemp)
trap 'rm -f "$TMPCPU"' EXIT
run_ms() {
    local out
    out=$( { /usr/bin/time -f '%e %U %S' "$@" > /dev/null; } 2>&1 )
    awk '{printf "%d\n", $2 * 1000 + $3 * 1000}' <<< "$out" >> "$TMPCPU"
    awk '{printf "%d\n", $1 * 1000}' <<< "$out"
}

seq_t=() thr_t=()
: > "$TMPCPU"
for ((i = 0; i < runs; i++)); do         # A, B, A, B, ...
    seq_t+=("$(run_ms "$BIN/crunch-seq" "$file")")
    thr_t+=("$(run_ms "$BIN/crunch-threads" -w 2 "$file")")
done
seq_cpu=$(awk 'NR % 2 == 1' "$TMPCPU" | median)
seq_ms=$(median_of "${seq_t[@]}")
thr_ms=$(median_of "${thr_t[@]}")
machine
echo "crunch-seq           ${seq_t[*]} ms; median $seq_ms ms"
echo "crunch-threads -w 2  ${thr_t[*]} ms; median $thr_ms ms"
awk -v r=$rows -v s="$seq_ms" -v t="$thr_ms" 'BEGIN {
    printf "crunch-seq: %.1f million rows/s (target >= 10)\n", r / s / 1000
    printf "crunch-threads -w 2: %.2fx crunch-seq (target >= 1.8)\n", s / t
}'
awk -v r=$rows -v c="$seq_cpu" 'BEGIN {
    printf "crunch-seq CPU time: median %d ms, %.1f million rows", c, r / c / 1000
    printf " per CPU-second\n" }'

# The same job in Python, one thread and two: the GIL at work.
py_rows=${BENCH_PY_ROWS:-300000}
pyfile=$data/1brc-${py_rows}-s1.txt
[[ -s $pyfile && ! $BIN/gen-data -nt $pyfile ]] || "$BIN/gen-data" -n "$py_rows" -s 1 -o "$pyfile"
py1=() py2=()
for ((i = 0; i < 3; i++)); do
    py1+=("$(run_ms python3 "$ROOT/tests/support/agg.py" -w 1 "$pyfile")")
    py2+=("$(run_ms python3 "$ROOT/tests/support/agg.py" -w 2 "$pyfile")")
done
py1_ms=$(median_of "${py1[@]}")
py2_ms=$(median_of "${py2[@]}")
echo "agg.py -w 1 ($py_rows rows)  ${py1[*]} ms; median $py1_ms ms"
echo "agg.py -w 2 ($py_rows rows)  ${py2[*]} ms; median $py2_ms ms"
awk -v a="$py1_ms" -v b="$py2_ms" 'BEGIN {
    printf "python threads -w 2: %.2fx one thread\n", a / b }'

cat > "$RESULTS/02b-crunch.json" <<JSON
{"rows": $rows, "runs": $runs, "crunch_seq_ms": $seq_ms,
 "crunch_threads_w2_ms": $thr_ms, "crunch_seq_cpu_ms": $seq_cpu, "python_rows": $py_rows,
 "python_w1_ms": $py1_ms, "python_w2_ms": $py2_ms,
 "cores": $(nproc), "load": "$(load)"}
JSON
