#!/bin/bash
# Chapter 2, "Threads for I/O": the figures behind the section's prose.
# 1. The cap: 20 pages answered after 200 ms each, fetched by
#    fetch-threads with -c 1, 5 and 20 (wall ms and CPU ms, medians).
# 2. What a waiting thread costs: fetch-threads holding 200 threads that
#    wait for 1.5 s pages, its VmSize / VmRSS read from /proc while they
#    wait, against a run with one URL.
# Talks to $BIN/slowhttpd if built, else tests/support/httpd.py.
# Records the runs; bench/collect writes $RESULTS/02c-fetch-threads.json.
# Figures only, never a test.
set -euo pipefail
: "${BIN:?}" "${ROOT:?}" "${RESULTS:?}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"      # median, machine
runs=${BENCH_RUNS:-3}
TMP=$(mktemp -d)
# shellcheck source=tests/support/lib.sh
. "$ROOT/tests/support/lib.sh"    # httpd_start; kills it on exit
at_exit "rm -rf '$TMP'"
httpd_start
B=http://127.0.0.1:$HTTPD_PORT

machine
echo "server: $([[ -x $BIN/slowhttpd ]] && echo slowhttpd || echo httpd.py)"

urls=()
for i in $(seq 20); do urls+=("$B/p$i?delay=200&size=1000"); done
samples_start 02c-fetch-threads
for c in 1 5 20; do
    walls=() cpus=()
    for ((r = 0; r < runs; r++)); do
        out=$( { /usr/bin/time -f '%e %U %S' "$BIN/fetch-threads" -c $c \
                 "${urls[@]}" >"$TMP/out"; } 2>&1 ) || true
        if [[ $(wc -l <<<"$out") != 1 ]]; then
            echo "a run did not succeed:"; echo "$out"; grep -v '^200' "$TMP/out"
            exit 1
        fi
        walls+=("$(awk '{printf "%d", $1 * 1000}' <<<"$out")")
        cpus+=("$(awk '{printf "%d", ($2 + $3) * 1000}' <<<"$out")")
        record 02c-fetch-threads name=fetch-threads pages=20 delay_ms=200 \
            cap=$c -- wall_ms="${walls[r]}" cpu_ms="${cpus[r]}"
    done
    w=$(printf '%s\n' "${walls[@]}" | median)
    u=$(printf '%s\n' "${cpus[@]}" | median)
    printf '20 pages of 200 ms, -c %-2d  wall %6d ms  cpu %4d ms\n' $c "$w" "$u"
done

# vm PID: "VmSize VmRSS Threads" of a running process, in kB.
vm() { awk '/^VmSize|^VmRSS|^Threads/ {printf "%s ", $2} END {print ""}' "/proc/$1/status"; }
many=()
for i in $(seq 200); do many+=("$B/w$i?delay=1500&size=100"); done
"$BIN/fetch-threads" -c 200 -t 30000 "${many[@]}" >/dev/null & pid=$!
sleep 1
read -r size200 rss200 threads < <(vm $pid)
wait $pid
"$BIN/fetch-threads" -t 30000 "$B/one?delay=1500&size=100" >/dev/null & pid=$!
sleep 1
read -r size1 rss1 _ < <(vm $pid)
wait $pid
per_size=$(( (size200 - size1) / (threads - 2) ))
per_rss=$(( (rss200 - rss1) / (threads - 2) ))
echo "200 waiting threads ($threads in all): VmSize $size200 kB, VmRSS $rss200 kB"
echo "1 waiting thread:                   VmSize $size1 kB, VmRSS $rss1 kB"
echo "per extra thread: $per_size kB of address space, $per_rss kB resident"
record 02c-fetch-threads name=waiting-threads threads="$threads" -- \
    vmsize_kb="$size200" vmrss_kb="$rss200" vmsize_1_kb="$size1" \
    vmrss_1_kb="$rss1" per_thread_vmsize_kb="$per_size" \
    per_thread_rss_kb="$per_rss"
collect 02c-fetch-threads
