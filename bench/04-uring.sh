#!/bin/bash
# Chapter 4, io_uring (04-loop-uring.nw): uring-echo against echo-uv, and
# against echo-loop (the hand-made loop) when it is built, under the same
# load from echo-load: CONNS connections, MSGS round trips of 64 bytes on
# each. A fresh server per run, the servers in turn (A, B, C, A, B, C,
# ...), so that the runs of one round share the machine's moment and
# the ratios are paired. For each run: echo-load's round trips per
# second and the server's memory per connection (peak VmHWM less idle
# VmRSS). Then uring-read against cat on a file, cached and cold. bench/collect
# writes $RESULTS/04-uring.json (medians, ratios with intervals:
# bench/benchlib.py, figures_uring). Figures only.
#   BENCH_RUNS   rounds (default 7; 3 with QUICK)
#   BENCH_CONNS  connections (default 1000; 200 with QUICK)
#   BENCH_MSGS   round trips per connection (default 20)
#   BENCH_READ_MB  the size of the file uring-read and cat copy (256)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
quick=${QUICK:-}
runs=${BENCH_RUNS:-$([[ -n $quick ]] && echo 3 || echo 7)}
conns=${BENCH_CONNS:-$([[ -n $quick ]] && echo 200 || echo 1000)}
msgs=${BENCH_MSGS:-20}
size=64
mb=${BENCH_READ_MB:-256}
bench_tmp
samples_start 04-uring

# Where io_uring is not available, say so in the results and stop.
: >"$tmp/empty"
if ! "$BIN/uring-read" "$tmp/empty" 2>"$tmp/why"; then
    why=$(cat "$tmp/why")
    echo "$why"
    record 04-uring name=uring-echo not_measured="$why"
    collect 04-uring
    exit 0
fi

servers=(uring-echo echo-uv)
[[ -x $BIN/echo-loop ]] && servers+=(echo-loop)
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$srv/status"; }
one_run() {     # one_run SERVER: a fresh server under echo-load, recorded
    local name=$1 before after load
    bench_server "$name"
    before=$(kb VmRSS)
    "$BIN/echo-load" -p "$port" -C "$conns" -k "$msgs" -s "$size" \
        -t 600000 >"$tmp/load" ||
        { echo "$name: echo-load failed: $(cat "$tmp/load")"; exit 1; }
    after=$(kb VmHWM)
    bench_server_stop
    load=$(tr '\n' ' ' <"$tmp/load")
    record 04-uring name="$name" connections="$conns" messages="$msgs" \
        size=$size -- \
        round_trips_per_s="$(sed -n 's/.*messages_per_s=\([0-9]*\).*/\1/p' <<<"$load")" \
        bytes_per_connection=$(( (after - before) * 1024 / conns ))
    echo "  $name: $load"
}
for ((r = 0; r < runs; r++)); do
    echo "round $((r + 1)) of $runs"
    for s in "${servers[@]}"; do one_run "$s"; done
done

# A file copied to /dev/null, eight reads of 128 KiB in flight against
# cat's one read at a time: cached (both copy from memory), then cold,
# dropped from the page cache before each run (sync, then dd's
# iflag=nocache, which asks the kernel to drop its pages: no root
# needed), so that the reads go to the disk.
head -c $((mb * 1048576)) /dev/zero >"$tmp/file"
sync "$tmp/file"
cold() { dd if="$tmp/file" iflag=nocache count=0 status=none; }
cat "$tmp/file" >/dev/null
for ((r = 0; r < runs; r++)); do
    record 04-uring name=uring-read megabytes="$mb" -- \
        wall_ms="$(run_ms "$BIN/uring-read" "$tmp/file")"
    record 04-uring name=cat megabytes="$mb" -- \
        wall_ms="$(run_ms cat "$tmp/file")"
done
for ((r = 0; r < runs; r++)); do
    cold
    record 04-uring name=uring-read-cold megabytes="$mb" -- \
        wall_ms="$(run_ms "$BIN/uring-read" "$tmp/file")"
    cold
    record 04-uring name=cat-cold megabytes="$mb" -- \
        wall_ms="$(run_ms cat "$tmp/file")"
done

collect 04-uring
machine
python3 - "$RESULTS/04-uring.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = d['figures']
for e in d['entries']:
    m = {k: v['median'] for k, v in e['m'].items()}
    if 'round_trips_per_s' in m:
        print('%-10s %d connections x %d messages: %g round trips/s, '
              '%g bytes per connection (medians of %d runs)'
              % (e['name'], e['connections'], e['messages'],
                 m['round_trips_per_s'], m['bytes_per_connection'],
                 e['runs']))
    else:
        print('%-15s %d MiB, %s: %g ms (median of %d runs)'
              % (e['name'], e['megabytes'], 'cold' if
                 e['name'].endswith('-cold') else 'cached', m['wall_ms'],
                 e['runs']))
for k in ('uring-over-uv', 'uring-over-loop', 'read-speedup',
          'read-speedup-cold'):
    if k in f:
        print('%s: %s (95%% interval %s): %s' % (
            k, f[k]['text'], f[k].get('interval', '-'),
            f[k].get('verdict', '-')))
PY
