#!/bin/bash
# bench/05-mem.sh: the memory one idle unit costs: a thread, a process,
# a connection on the event loop, a thread blocked on a connection
# (bench-mem, one kind per run, kinds alternating).  Records samples;
# bench/collect writes $RESULTS/05-mem.json.  Figures only, never a test.
. "$(dirname "$0")/05-machine.sh"
runs=$(by_mode 1 5 1)
n=$(by_mode 200 1000 10)
n_procs=$(by_mode 30 200 4)       # a fork costs milliseconds on some VMs
kinds=(threads procs loop thread-conns)
declare -A why=()
samples_start 05-mem
say "memory per unit: bench-mem, $n units ($n_procs processes), $runs runs"
for ((r = 0; r < runs; r++)); do
    for k in "${kinds[@]}"; do
        [[ -n ${why[$k]:-} ]] && continue
        units=$n; [[ $k == procs ]] && units=$n_procs
        if ! out=$("$BIN/bench-mem" -n "$units" "$k" 2>&1); then
            why[$k]="bench-mem $k failed: ${out##*$'\n'}"
            say "${why[$k]}"
            record 05-mem name="$k" n="$units" not_measured="${why[$k]}"
            continue
        fi
        say "  $out"
        record 05-mem name="$k" n="$units" -- \
            user_bytes="$(field user_bytes "$out")" \
            kernel_bytes="$(field kernel_bytes "$out")"
    done
done
collect 05-mem
