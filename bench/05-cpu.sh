#!/bin/bash
# bench/05-cpu.sh: CPU-bound work, the dataset aggregation of chapters
# 2-4, sequential (crunch-seq) against threads (crunch-threads),
# processes (crunch-procs) and libuv's pool (crunch-uv), for 1 to twice
# as many workers as cores; then the same in Python (py-crunch.py with
# threading, multiprocessing, asyncio) on a smaller file.  Wall and
# processor times by bench-run; every round runs every configuration
# once, so that run i of two configurations is a pair measured close
# together (the intervals of the claims resample those pairs).  The
# full sizes make each C run take 200 ms or more with two workers, and
# each Python run a second or more.  Records samples; bench/collect
# writes $RESULTS/05-cpu.json.  Figures only, never a test.
. "$(dirname "$0")/05-machine.sh"
runs=$(by_mode 3 7 1)
py_runs=$(by_mode 1 7 1)       # Python starts slowly: fewer runs when quick
rows=$(by_mode 1000000 20000000 20000)
py_rows=$(by_mode 50000 600000 2000)
cores=$(nproc)
max_w=$(by_mode $((2 * cores)) $((2 * cores)) 2)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the file of ROWS rows (data_file, bench/lib.sh), read into the page
# cache as from disk
cached_file() {
    local f
    f=$(data_file "$1") || return 1
    reread "$f"
    echo "$f"
}
file=$(cached_file "$rows") || { echo "05-cpu: cannot make the data file" >&2; exit 1; }

# The configurations: "NAME WORKERS COMMAND...", run in turn, every run.
configs=("crunch-seq 1 $BIN/crunch-seq $file")
for ((w = 1; w <= max_w; w++)); do
    for p in crunch-threads crunch-procs crunch-uv; do
        configs+=("$p $w $BIN/$p -w $w $file")
    done
done
pyscript=$ROOT/tangle/95-python/py-crunch.py
py_why=
if [[ ! -x $PY ]]; then
    py_why="no python3 at $PY"
elif [[ ! -f $pyscript ]]; then
    py_why="$pyscript not tangled"
else
    pyfile=$(cached_file "$py_rows")
    configs+=("py-seq 1 $PY $pyscript -m seq $pyfile")
    for w in $(by_mode "1 $cores" "1 $cores" 2 | tr ' ' '\n' | sort -un); do
        for m in threads procs asyncio; do
            configs+=("py-$m $w $PY $pyscript -m $m -w $w $pyfile")
        done
    done
fi

declare -A why=()
samples_start 05-cpu
say "CPU-bound: ${#configs[@]} configurations x $runs runs ($rows rows; Python $py_rows rows)"
for ((r = 1; r <= runs; r++)); do
    for c in "${configs[@]}"; do
        read -r name w cmd <<<"$c"
        key="$name $w"
        lang=c; n=$rows
        [[ $name == py-* ]] && lang=python n=$py_rows
        [[ -n ${why[$key]:-} ]] && continue
        [[ $name == py-* ]] && ((r > py_runs)) && continue
        # shellcheck disable=SC2086  # a command and its flags, split
        if ! "$BIN/bench-run" -o "$tmp/m" -- $cmd >/dev/null 2>"$tmp/err"; then
            why[$key]="$name -w $w failed: $(tail -n 1 "$tmp/err")"
            say "${why[$key]}"
            record 05-cpu name="$name" lang=$lang workers="$w" rows="$n" \
                not_measured="${why[$key]}"
            continue
        fi
        m=$(cat "$tmp/m")
        record 05-cpu name="$name" lang=$lang workers="$w" rows="$n" -- \
            wall_ms="$(field wall_ms "$m")" cpu_ms="$(field cpu_ms "$m")"
    done
    say "  round $r of $runs done"
done
if [[ -n $py_why ]]; then
    for m in seq threads procs asyncio; do
        record 05-cpu name="py-$m" lang=python workers=1 not_measured="$py_why"
    done
fi
collect 05-cpu
