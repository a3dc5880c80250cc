#!/bin/bash
# bench/mpi.sh: chapter 5's figures.  crunch-mpi on 1, 2 and 4 ranks (and
# on 4 ranks with TCP only) against crunch-threads and crunch-procs with
# as many workers, on a generated file (BENCH_MPI_ROWS rows, default ten
# million; QUICK=1: one million), each configuration in turn, RUNS rounds
# (default 5); then the start-up cost of an MPI job against fork, on an
# empty file.  Wall times by bench-run; medians, with min and max as lo
# and hi.  Records each run (bench/lib.sh's record), and bench/collect
# writes $RESULTS/mpi.json (figures: bench/benchlib.py, figures_mpi).
# Figures only, never a test.
. "$(dirname "$0")/lib.sh"
command -v mpirun >/dev/null || { echo "mpi: no mpirun; nothing measured"; exit 0; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
rows=${BENCH_MPI_ROWS:-10000000}
runs=${RUNS:-5}
start_runs=9
kind=full
if [[ -n ${QUICK:-} ]]; then rows=${BENCH_MPI_ROWS:-1000000} runs=2 start_runs=3 kind=quick; fi
export BENCH_KIND=${BENCH_KIND:-$kind}
bench_tmp
machine
load_before=$(load)
samples_start mpi
file=$(data_file "$rows") || { echo "mpi: cannot make the data file" >&2; exit 1; }
reread "$file"
: > "$tmp/empty.txt"

# "KEY COMMAND...": the configurations, run in turn in every round.
configs=()
for w in 1 2 4; do
    configs+=("threads-$w rows=$rows $BIN/crunch-threads -w $w $file"
              "procs-$w rows=$rows $BIN/crunch-procs -w $w $file"
              "mpi-$w rows=$rows mpirun -n $w $BIN/crunch-mpi $file")
done
configs+=("tcp-4 rows=$rows mpirun -n 4 --mca btl tcp,self $BIN/crunch-mpi $file")
starts=("start-procs $BIN/crunch-procs -w 2 $tmp/empty.txt"
        "start-singleton $BIN/crunch-mpi $tmp/empty.txt"
        "start-mpirun-1 mpirun -n 1 $BIN/crunch-mpi $tmp/empty.txt"
        "start-mpirun-2 mpirun -n 2 $BIN/crunch-mpi $tmp/empty.txt")

measure() {  # measure KEY [rows=N] CMD...: one run, recorded with its wall ms
    local key=$1 fields=(); shift
    [[ $1 == rows=* ]] && { fields=("$1"); shift; }
    "$BIN/bench-run" -o "$tmp/m" -- "$@" > /dev/null 2> "$tmp/err" \
        || { echo "mpi: $key failed: $(tail -n 3 "$tmp/err")" >&2; exit 1; }
    local t
    t=$(sed 's/^wall_ms=\([0-9.]*\).*/\1/' "$tmp/m")
    record mpi name="$key" "${fields[@]}" -- wall_ms="$t"
    printf '%s %s\n' "$key" "$t" >> "$tmp/times"
}
: > "$tmp/times"
echo "file: $file ($rows rows), $runs rounds"
for ((r = 1; r <= runs; r++)); do
    for c in "${configs[@]}"; do
        # shellcheck disable=SC2086
        measure $c
    done
    echo "  round $r of $runs done (load $(load))"
done
for ((r = 1; r <= start_runs; r++)); do
    for c in "${starts[@]}"; do
        # shellcheck disable=SC2086
        measure $c
    done
done
for c in "${configs[@]}" "${starts[@]}"; do
    key=${c%% *}
    printf '  %-16s %s ms\n' "$key" \
        "$(awk -v k="$key" '$1 == k { printf "%s ", $2 }' "$tmp/times")"
done
load_after=$(load)
record mpi name=load -- before="${load_before%% *}" after="${load_after%% *}"
collect mpi || exit 1
echo "mpi: wrote $RESULTS/mpi.json; 2 ranks $(python3 -c '
import json, sys
print(json.load(open(sys.argv[1]))["figures"]["speedup-2"]["text"])
' "$RESULTS/mpi.json")x one"
