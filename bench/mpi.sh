#!/bin/bash
# bench/mpi.sh: chapter 5's figures.  crunch-mpi on 1, 2 and 4 ranks (and
# on 4 ranks with TCP only) against crunch-threads and crunch-procs with
# as many workers, on a generated file (BENCH_MPI_ROWS rows, default ten
# million; QUICK=1: one million), each configuration in turn, RUNS rounds
# (default 5); then the start-up cost of an MPI job against fork, on an
# empty file.  Wall times by bench-run; medians, with min and max as lo
# and hi.  Writes $RESULTS/mpi.json in the figures contract's shape.
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
bench_tmp
machine
load_before=$(load)
file=$(data_file "$rows") || { echo "mpi: cannot make the data file" >&2; exit 1; }
reread "$file"
: > "$tmp/empty.txt"

# "KEY COMMAND...": the configurations, run in turn in every round.
configs=()
for w in 1 2 4; do
    configs+=("threads-$w $BIN/crunch-threads -w $w $file"
              "procs-$w $BIN/crunch-procs -w $w $file"
              "mpi-$w mpirun -n $w $BIN/crunch-mpi $file")
done
configs+=("tcp-4 mpirun -n 4 --mca btl tcp,self $BIN/crunch-mpi $file")
starts=("start-procs $BIN/crunch-procs -w 2 $tmp/empty.txt"
        "start-singleton $BIN/crunch-mpi $tmp/empty.txt"
        "start-mpirun-1 mpirun -n 1 $BIN/crunch-mpi $tmp/empty.txt"
        "start-mpirun-2 mpirun -n 2 $BIN/crunch-mpi $tmp/empty.txt")

declare -A ms=()
measure() {  # measure KEY CMD...: one run, its wall ms appended to ms[KEY]
    local key=$1; shift
    "$BIN/bench-run" -o "$tmp/m" -- "$@" > /dev/null 2> "$tmp/err" \
        || { echo "mpi: $key failed: $(tail -n 3 "$tmp/err")" >&2; exit 1; }
    ms[$key]+="$(sed 's/^wall_ms=\([0-9.]*\).*/\1/' "$tmp/m") "
}
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
    printf '  %-16s %s ms\n' "$key" "${ms[$key]}"
    echo "$key ${ms[$key]}"
done > "$tmp/all"
grep -v '^ ' "$tmp/all" > "$tmp/times"
grep '^ ' "$tmp/all"

python3 - "$tmp/times" "$RESULTS/mpi.json" "$kind" "$rows" "$runs" \
    "$load_before" "$(load)" "$(nproc)" "$(uname -sr)" \
    "$(ompi_info --version 2>/dev/null | head -n 1)" <<'PY'
import json, statistics, sys, time
times, out, kind, rows, runs, load0, load1, cores, kernel, ompi = sys.argv[1:]
t = {}
for line in open(times):
    key, *v = line.split()
    t[key] = [float(x) for x in v]
def ms(v):
    m = statistics.median(v)
    text = f"{m / 1000:.2f} s" if m >= 1000 else f"{m:.0f} ms"
    return {"value": round(m, 3), "text": text, "lo": min(v), "hi": max(v),
            "n": len(v)}
fig = {k: ms(v) for k, v in t.items()}
s2 = statistics.median(t["mpi-1"]) / statistics.median(t["mpi-2"])
fig["speedup-2"] = {"value": round(s2, 3), "text": f"{s2:.2f}"}
fig["load"] = {"value": float(load0.split()[0]),
               "text": f"{load0.split()[0]} before the run and "
                       f"{load1.split()[0]} after it"}
fig["rows"] = {"value": int(rows), "text": f"{int(rows):,}"}
doc = {"machine": {"cores": int(cores), "kernel": kernel,
                   "cpu": next((l.split(":", 1)[1].strip()
                                for l in open("/proc/cpuinfo")
                                if l.startswith("model name")), "?"),
                   "openmpi": ompi},
       "run": {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "kind": kind, "rows": int(rows), "rounds": int(runs),
               "load_before": load0, "load_after": load1},
       "figures": fig}
with open(out, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
print(f"mpi: wrote {out}; 2 ranks {s2:.2f}x one")
PY
