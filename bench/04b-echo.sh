#!/bin/bash
# Chapter 4, "Ten thousand connections": echo-uv holding 10,000 connections
# opened by echo-load, which then sends 10 messages of 64 bytes on each,
# one at a time. For each run a fresh server: its resident memory when idle
# (VmRSS) and at its peak (VmHWM), the difference per connection, and
# echo-load's round trips per second. Medians of the runs. Writes
# $RESULTS/04b-echo.json. Figures only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${BENCH_RUNS:-3}
conns=${BENCH_CONNS:-10000}
msgs=10
size=64
bench_tmp

kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$srv/status"; }

per_conn=() rate=() open_ms=() idle=() peak=()
for ((r = 0; r < runs; r++)); do
    bench_server echo-uv
    before=$(kb VmRSS)
    "$BIN/echo-load" -p "$port" -C "$conns" -k "$msgs" -s "$size" -t 600000 \
        >"$tmp/load" || { echo "echo-load failed: $(cat "$tmp/load")"; exit 1; }
    after=$(kb VmHWM)
    bench_server_stop
    idle+=("$before") peak+=("$after")
    per_conn+=($(( (after - before) * 1024 / conns )))
    rate+=($(sed -n 's/.*messages_per_s=\([0-9]*\).*/\1/p' "$tmp/load"))
    open_ms+=($(sed -n 's/.*connect_ms=\([0-9]*\).*/\1/p' "$tmp/load"))
    echo "run $((r + 1)): $(cat "$tmp/load")"
done

m_idle=$(median_of "${idle[@]}")
m_peak=$(median_of "${peak[@]}")
m_per=$(median_of "${per_conn[@]}")
m_rate=$(median_of "${rate[@]}")
m_open=$(median_of "${open_ms[@]}")
machine
echo "echo-uv, $conns connections, $msgs messages of $size bytes each; medians of $runs runs"
printf '  server memory: %s KiB idle, %s KiB at the peak: %s bytes per connection\n' \
    "$m_idle" "$m_peak" "$m_per"
printf '  opening %s connections: %s ms; echo: %s round trips per second\n' \
    "$conns" "$m_open" "$m_rate"
printf '{"connections": %s, "messages": %s, "size": %s, "runs": %s, "idle_kb": %s, "peak_kb": %s, "bytes_per_connection": %s, "connect_ms": %s, "round_trips_per_s": %s}\n' \
    "$conns" "$msgs" "$size" "$runs" "$m_idle" "$m_peak" "$m_per" "$m_open" "$m_rate" \
    >"$RESULTS/04b-echo.json"
