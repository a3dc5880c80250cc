#!/bin/bash
# bench/05-start.sh: what it costs to start a thread, a process, a
# program, a loop task and a trip through libuv's pool (bench-start),
# and what one hand-off costs between two threads, two processes and two
# loop callbacks (bench-switch).  Medians of alternating runs; writes
# $RESULTS/05-start.json and 05-switch.json.  Figures only, never a test.
. "$(dirname "$0")/05-machine.sh"
runs=$(by_mode 3 5 2)
n_fast=$(by_mode 300 3000 20)     # thread, timer, work
n_slow=$(by_mode 10 50 3)         # fork, spawn: milliseconds each on some VMs
n_switch=$(by_mode 500 5000 20)

# measure PROG N NAME...: run PROG, keep its output, add one entry per line.
entries=()
measure() {
    local prog=$1 n=$2 out line; shift 2
    if ! out=$("$BIN/$prog" -n "$n" -r "$runs" "$@" 2>&1); then
        for name; do
            entries+=("$(entry name="$name" not_measured="$prog failed: ${out##*$'\n'}")")
        done
        return
    fi
    printf '$ %s -n %s -r %s %s\n%s\n' "$prog" "$n" "$runs" "$*" "$out" \
        | tee -a "$RESULTS/05-$prog.txt" | sed 's/^/    /' >&2
    while read -r line; do
        entries+=("$(entry name="${line%% *}" median_ns="$(field median_ns "$line")" \
            min_ns="$(field min_ns "$line")" max_ns="$(field max_ns "$line")" \
            runs="$runs" n="$n")")
    done <<<"$out"
}

say "start costs: bench-start, $runs runs"
: >"$RESULTS/05-bench-start.txt"
measure bench-start "$n_fast" thread timer work
measure bench-start "$n_slow" fork spawn
write_json start "${entries[@]}"

entries=()
say "switch costs: bench-switch -n $n_switch, $runs runs"
: >"$RESULTS/05-bench-switch.txt"
measure bench-switch "$n_switch" threads procs loop
write_json switch "${entries[@]}"
