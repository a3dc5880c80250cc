#!/bin/bash
# bench/05-mem.sh: the memory one idle unit costs: a thread, a process,
# a connection on the event loop, a thread blocked on a connection
# (bench-mem, one kind per run, kinds alternating).  Medians; writes
# $RESULTS/05-mem.json.  Figures only, never a test.
. "$(dirname "$0")/05-machine.sh"
runs=$(by_mode 1 3 1)
n=$(by_mode 200 1000 10)
n_procs=$(by_mode 30 200 4)       # a fork costs milliseconds on some VMs
kinds=(threads procs loop thread-conns)
declare -A user=() kern=() why=()
say "memory per unit: bench-mem, $n units ($n_procs processes), $runs runs"
for ((r = 0; r < runs; r++)); do
    for k in "${kinds[@]}"; do
        [[ -n ${why[$k]:-} ]] && continue
        units=$n; [[ $k == procs ]] && units=$n_procs
        if ! out=$("$BIN/bench-mem" -n "$units" "$k" 2>&1); then
            why[$k]="bench-mem $k failed: ${out##*$'\n'}"
            say "${why[$k]}"
            continue
        fi
        say "  $out"
        user[$k]+="$(field user_bytes "$out") "
        kern[$k]+="$(field kernel_bytes "$out") "
    done
done
entries=()
for k in "${kinds[@]}"; do
    units=$n; [[ $k == procs ]] && units=$n_procs
    if [[ -n ${why[$k]:-} ]]; then
        entries+=("$(entry name="$k" not_measured="${why[$k]}")")
        continue
    fi
    read -r um ul uh < <(tr ' ' '\n' <<<"${user[$k]}" | grep . | stats)
    read -r km kl kh < <(tr ' ' '\n' <<<"${kern[$k]}" | grep . | stats)
    entries+=("$(entry name="$k" n="$units" runs="$runs" median_bytes="$um" \
        min_bytes="$ul" max_bytes="$uh" kernel_median_bytes="$km" \
        kernel_min_bytes="$kl" kernel_max_bytes="$kh")")
done
write_json mem "${entries[@]}"
