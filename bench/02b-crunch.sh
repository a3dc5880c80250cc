#!/bin/bash
# Chapter 2, "No GIL here": how fast crunch-seq reads a 10-million-row
# file from the page cache; how much faster crunch-threads -w 2 is, with
# one piece per thread (-p 2) and with its default, a piece per MiB;
# and (for contrast) what two Python threads do for the same job.
# Two rounds: the file cached as gen-data wrote it (the file is made
# anew for that), then as read back from disk (reread, bench/lib.sh);
# chapter 2 says why they differ. Prints every time and the medians of
# alternating runs; writes $RESULTS/02b-crunch.json.
# Figures only: nothing here passes or fails on a time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${BENCH_RUNS:-9}
rows=10000000
file=$(data_path $rows)
mkdir -p "$(dirname "$file")"
tmpd=$(mktemp -d)
trap 'rm -rf "$tmpd"' EXIT
echo "generating $file ($rows rows)"
"$BIN/gen-data" -n $rows -s 1 -o "$file.tmp"
mv "$file.tmp" "$file"
sync "$file"                            # no writeback during the runs
pieces=$(( $(stat -c %s "$file") / 1048576 ))

cpu_log=$tmpd/cpu                       # for run_ms

# round LABEL KEY: crunch-seq, crunch-threads -w 2 -p 2 and
# crunch-threads -w 2 in turn, $runs times; prints and records them.
round() {
    local seq_t=() one_t=() many_t=() seq_ms one_ms many_ms i
    local seq_cpu one_cpu many_cpu
    : > "$cpu_log"
    for ((i = 0; i < runs; i++)); do     # A, B, C, A, B, C, ...
        seq_t+=("$(run_ms "$BIN/crunch-seq" "$file")")
        one_t+=("$(run_ms "$BIN/crunch-threads" -w 2 -p 2 "$file")")
        many_t+=("$(run_ms "$BIN/crunch-threads" -w 2 "$file")")
    done
    seq_ms=$(median_of "${seq_t[@]}")
    one_ms=$(median_of "${one_t[@]}")
    many_ms=$(median_of "${many_t[@]}")
    seq_cpu=$(awk 'NR % 3 == 1' "$cpu_log" | median)
    one_cpu=$(awk 'NR % 3 == 2' "$cpu_log" | median)
    many_cpu=$(awk 'NR % 3 == 0' "$cpu_log" | median)
    echo "$1:"
    echo "  crunch-seq                ${seq_t[*]} ms; median $seq_ms ms"
    echo "  crunch-threads -w 2 -p 2  ${one_t[*]} ms; median $one_ms ms"
    echo "  crunch-threads -w 2       ${many_t[*]} ms; median $many_ms ms"
    awk -v r=$rows -v s="$seq_ms" -v o="$one_ms" \
        -v m="$many_ms" -v p="$pieces" 'BEGIN {
        printf "  crunch-seq: %.1f million rows/s (target >= 10)\n", r / s / 1000
        printf "  crunch-threads -w 2: %.2fx crunch-seq with 2 pieces, %.2fx with %d (target >= 1.8)\n", s / o, s / m, p
    }'
    echo "  CPU time (user + system), medians: crunch-seq $seq_cpu ms," \
         "-p 2 $one_cpu ms, default $many_cpu ms"
    # The speed of a core drifts over minutes on a shared VM; the ratio
    # within each round (runs a second apart) drifts less.
    local pair
    pair=$(for ((i = 0; i < runs; i++)); do
               awk -v s="${seq_t[i]}" -v m="${many_t[i]}" 'BEGIN {printf "%.3f\n", s / m}'
           done | median)
    echo "  crunch-threads -w 2: median of the $runs rounds' own ratios: ${pair}x"
    local cpus
    mapfile -t cpus <"$cpu_log"
    for ((i = 0; i < runs; i++)); do
        record 02b-crunch cache="$2" name=crunch-seq pieces=1 rows="$rows" \
            -- wall_ms="${seq_t[i]}" cpu_ms="${cpus[3 * i]}"
        record 02b-crunch cache="$2" name=crunch-threads-w2 pieces=2 \
            rows="$rows" -- wall_ms="${one_t[i]}" cpu_ms="${cpus[3 * i + 1]}"
        record 02b-crunch cache="$2" name=crunch-threads-w2 pieces="$pieces" \
            rows="$rows" -- wall_ms="${many_t[i]}" cpu_ms="${cpus[3 * i + 2]}"
    done
}

samples_start 02b-crunch
machine
echo "file: $file ($rows rows, $pieces pieces of a MiB)"
round "cached as gen-data wrote it" written
h0=$(huge_kb)
reread "$file"
h1=$(huge_kb)
echo "read back: FileHugePages grew by $(( (h1 - h0) / 1024 )) MiB"
round "cached as read back from disk" reread

# The same job in Python, one thread and two: the GIL at work.
py_rows=${BENCH_PY_ROWS:-300000}
pyfile=$(data_file "$py_rows")
py1=() py2=()
for ((i = 0; i < 3; i++)); do
    py1+=("$(run_ms python3 "$ROOT/tests/support/agg.py" -w 1 "$pyfile")")
    py2+=("$(run_ms python3 "$ROOT/tests/support/agg.py" -w 2 "$pyfile")")
    record 02b-crunch cache=reread name=agg.py workers=1 rows="$py_rows" \
        -- wall_ms="${py1[i]}"
    record 02b-crunch cache=reread name=agg.py workers=2 rows="$py_rows" \
        -- wall_ms="${py2[i]}"
done
py1_ms=$(median_of "${py1[@]}")
py2_ms=$(median_of "${py2[@]}")
echo "agg.py -w 1 ($py_rows rows)  ${py1[*]} ms; median $py1_ms ms"
echo "agg.py -w 2 ($py_rows rows)  ${py2[*]} ms; median $py2_ms ms"
awk -v a="$py1_ms" -v b="$py2_ms" 'BEGIN {
    printf "python threads -w 2: %.2fx one thread\n", a / b }'

collect 02b-crunch
