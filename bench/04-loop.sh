#!/bin/bash
# Chapter 4, the hand-made loop (04-loop-by-hand.nw). (a) Time per loop
# turn, poll against epoll: loop-turns with 100, 1,000 and 10,000 idle TCP
# connections and one active pair; poll and epoll alternate, run by run,
# so that a slow minute slows both (the ratio's interval is paired).
# (b) Memory per connection, echo-loop beside echo-uv: a fresh server
# each run, echo-load opening 10,000 connections and sending 10 messages
# of 64 bytes on each (as bench/04b-echo.sh does); VmHWM - VmRSS(idle)
# per connection; the two servers alternate. QUICK=1: fewer runs and
# turns. Records samples; bench/collect writes $RESULTS/04-loop.json.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${BENCH_RUNS:-5}
mem_runs=${BENCH_RUNS:-3}
conns=${BENCH_CONNS:-10000}
scale=1
if [[ -n ${QUICK:-} ]]; then runs=3 mem_runs=1 scale=4; fi
bench_tmp

# The turns per run: about a second of poll at each size on the book's
# machine (a turn of poll over 10,000 descriptors takes milliseconds).
turns_for() { case $1 in 100) echo $((10000 / scale)) ;;
                         1000) echo $((2000 / scale)) ;;
                         *) echo $((200 / scale)) ;; esac; }

samples_start 04-loop
for idle in 100 1000 10000; do
    k=$(turns_for "$idle")
    for ((r = 0; r < runs; r++)); do
        for be in poll epoll; do
            out=$("$BIN/loop-turns" -E "$be" -n "$idle" -k "$k")
            ns=$(sed -n 's/.*ns_per_turn=\([0-9]*\).*/\1/p' <<<"$out")
            [[ -n $ns ]] || { echo "loop-turns: $out"; exit 1; }
            record 04-loop name="turn-$be" idle="$idle" turns="$k" -- ns="$ns"
            echo "run $((r + 1)): $out"
        done
    done
done

kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$srv/status"; }
for ((r = 0; r < mem_runs; r++)); do
    for prog in echo-loop echo-uv; do
        bench_server "$prog"
        before=$(kb VmRSS)
        "$BIN/echo-load" -p "$port" -C "$conns" -k 10 -s 64 -t 600000 \
            >"$tmp/load" || { echo "echo-load: $(cat "$tmp/load")"; exit 1; }
        after=$(kb VmHWM)
        bench_server_stop
        grep -q ' failed=0 ' "$tmp/load" ||
            { echo "$prog: $(head -n 1 "$tmp/load")"; exit 1; }
        record 04-loop name="$prog" connections="$conns" -- \
            idle_kb="$before" peak_kb="$after" \
            bytes_per_connection=$(( (after - before) * 1024 / conns ))
        echo "run $((r + 1)): $prog: $before KiB idle, $after KiB at the peak"
    done
done
collect 04-loop
machine
python3 - "$RESULTS/04-loop.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for k, v in sorted(d['figures'].items()):
    print('  %-28s %s%s' % (k, v['text'], '  (%s)' % v['interval']
                           if 'interval' in v else ''))
PY
