#!/bin/bash
# Chapter 3, processes: crunch-procs -w 2 against crunch-seq and
# crunch-threads -w 2 on the large file. (The price of fork and the rest,
# proc-cost, is bench/03g-cost.sh's.)
# Prints medians of alternating runs; records the runs, and
# bench/collect writes $RESULTS/03-procs.json.
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
if [[ -z ${BENCH_ROWS:-} ]] && data_missing "$(data_path "$rows")" &&
   (( $(free_kb) < $(need_kb "$rows") )); then
    echo "not enough disk for 100 million rows: using 10 million"
    rows=10000000
fi
if data_missing "$(data_path "$rows")" && (( $(free_kb) < $(need_kb "$rows") )); then
    echo "not enough disk for $rows rows ($(free_kb) KiB free)"; exit 1
fi
file=$(data_file "$rows")
reread "$file"                          # into the page cache, as from disk

samples_start 03-procs
seq_t=() thr_t=() prc_t=()
for ((i = 0; i < runs; i++)); do         # A, B, C, A, B, C, ...
    seq_t+=("$(run_ms "$BIN/crunch-seq" "$file")")
    thr_t+=("$(run_ms "$BIN/crunch-threads" -w 2 "$file")")
    prc_t+=("$(run_ms "$BIN/crunch-procs" -w 2 "$file")")
    record 03-procs name=crunch-seq workers=1 rows="$rows" -- wall_ms="${seq_t[i]}"
    record 03-procs name=crunch-threads workers=2 rows="$rows" -- wall_ms="${thr_t[i]}"
    record 03-procs name=crunch-procs workers=2 rows="$rows" -- wall_ms="${prc_t[i]}"
done
collect 03-procs
machine
echo "file: $file ($rows rows)"
python3 - "$RESULTS/03-procs.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d['entries']:
    w = e['m']['wall_ms']
    name = e['name'] + (' -w 2' if e['workers'] == 2 else '')
    print('%-21s %s ms; median %g ms' % (
        name, ' '.join('%g' % x for x in w['samples']), w['median']))
f = d['figures']
print('crunch-procs -w 2: %s crunch-seq (target >= 1.8; 95%% interval %s),'
      ' %s the time of crunch-threads -w 2' % (
          f['speedup-procs']['text'], f['speedup-procs']['interval'],
          f['procs-over-threads']['text']))
PY

