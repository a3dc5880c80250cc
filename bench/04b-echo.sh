#!/bin/bash
# Chapter 4, "Ten thousand connections": echo-uv holding 10,000 connections
# opened by echo-load, which then sends 10 messages of 64 bytes on each,
# one at a time. For each run a fresh server: its resident memory when idle
# (VmRSS) and at its peak (VmHWM), the difference per connection, and
# echo-load's round trips per second. Records samples; bench/collect
# writes $RESULTS/04b-echo.json (medians). Figures only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${BENCH_RUNS:-3}
conns=${BENCH_CONNS:-10000}
msgs=10
size=64
bench_tmp

kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$srv/status"; }

samples_start 04b-echo
for ((r = 0; r < runs; r++)); do
    bench_server echo-uv
    before=$(kb VmRSS)
    "$BIN/echo-load" -p "$port" -C "$conns" -k "$msgs" -s "$size" -t 600000 \
        >"$tmp/load" || { echo "echo-load failed: $(cat "$tmp/load")"; exit 1; }
    after=$(kb VmHWM)
    bench_server_stop
    load=$(tr '\n' ' ' <"$tmp/load")
    failed=$(sed -n 's/.*failed=\([0-9]*\).*/\1/p' <<<"$load")
    if [[ $failed != 0 ]]; then
        echo "run $((r + 1)): $failed of $conns connections failed: $load"
        exit 1
    fi
    record 04b-echo name=echo-uv connections="$conns" messages=$msgs \
        size=$size -- idle_kb="$before" peak_kb="$after" \
        bytes_per_connection=$(( (after - before) * 1024 / conns )) \
        connect_ms="$(sed -n 's/.*connect_ms=\([0-9]*\).*/\1/p' <<<"$load")" \
        round_trips_per_s="$(sed -n 's/.*messages_per_s=\([0-9]*\).*/\1/p' <<<"$load")"
    echo "run $((r + 1)): $load"
done
collect 04b-echo
machine
python3 - "$RESULTS/04b-echo.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))['entries'][0]
m = {k: v['median'] for k, v in e['m'].items()}
print('echo-uv, %d connections, %d messages of %d bytes each; medians of '
      '%d runs' % (e['connections'], e['messages'], e['size'], e['runs']))
print('  server memory: %g KiB idle, %g KiB at the peak: %g bytes per '
      'connection' % (m['idle_kb'], m['peak_kb'], m['bytes_per_connection']))
print('  opening %d connections: %g ms; echo: %g round trips per second'
      % (e['connections'], m['connect_ms'], m['round_trips_per_s']))
PY
