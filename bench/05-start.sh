#!/bin/bash
# bench/05-start.sh: what it costs to start a thread, a process, a
# program, a loop task and a trip through libuv's pool (bench-start),
# and what one hand-off costs between two threads, two processes and two
# loop callbacks (bench-switch).  Each round runs every operation once
# (-r 1), rounds alternate, so that run i of one operation and run i of
# another are a pair measured a few seconds apart.  Records samples;
# bench/collect writes $RESULTS/05-start.json and 05-switch.json.
# Figures only, never a test.
. "$(dirname "$0")/05-machine.sh"
runs=$(by_mode 3 7 2)
n_fast=$(by_mode 300 3000 20)     # thread, timer, work
n_slow=$(by_mode 10 50 3)         # fork, spawn: milliseconds each on some VMs
n_switch=$(by_mode 500 5000 20)

# measure NAME PROG N OP...: one run of PROG; one sample per operation.
declare -A failed=()
measure() {
    local name=$1 prog=$2 n=$3 out line op; shift 3
    [[ -n ${failed[$prog$*]:-} ]] && return
    if ! out=$("$BIN/$prog" -n "$n" -r 1 "$@" 2>&1); then
        failed[$prog$*]=1
        for op; do
            record "$name" name="$op" n="$n" \
                not_measured="$prog failed: ${out##*$'\n'}"
        done
        say "$prog $* failed: ${out##*$'\n'}"
        return
    fi
    ((r == 1)) && printf '$ %s -n %s -r 1 %s\n%s\n' "$prog" "$n" "$*" "$out" \
        >>"$RESULTS/05-$prog.txt"
    while read -r line; do
        record "$name" name="${line%% *}" n="$n" -- \
            ns="$(field median_ns "$line")"
    done <<<"$out"
}

samples_start 05-start
samples_start 05-switch
: >"$RESULTS/05-bench-start.txt"
: >"$RESULTS/05-bench-switch.txt"
say "start and switch costs: bench-start, bench-switch, $runs alternating rounds"
for ((r = 1; r <= runs; r++)); do
    measure 05-start bench-start "$n_fast" thread timer work
    measure 05-start bench-start "$n_slow" fork spawn
    measure 05-switch bench-switch "$n_switch" threads procs loop
    say "  round $r of $runs done"
done
collect 05-start && collect 05-switch
