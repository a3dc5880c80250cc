#!/bin/bash
# Chapter 4, "Fetching many pages without blocking": fetch-uv fetching
# 1,000 pages that slowhttpd answers after 50 ms each, all in flight at
# once (-c 1000) and a hundred at a time (-c 100); for contrast,
# fetch-threads (one thread per page) on the same URLs. Wall time and
# peak resident memory (the kernel's ru_maxrss of the child), medians of
# alternating runs. Writes $RESULTS/04a-fetch.json. Figures only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${BENCH_RUNS:-5}
n=${BENCH_URLS:-1000}
delay=50
bench_tmp
ulimit -n 8192 2>/dev/null || true

bench_server slowhttpd
urls=()
for ((i = 1; i <= n; i++)); do
    urls+=("http://127.0.0.1:$port/p$i?delay=$delay&size=1024")
done

# measure CMD...: "WALL_MS MAXRSS_KB" of one run; its output is discarded
# and it must exit 0. GNU time (fork + exec from a small process) when it
# is installed, else python3 (whose own size then counts in ru_maxrss:
# the kernel keeps the high-water mark of the image the child replaced).
measure() {
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -o "$tmp/time" -f '%e %M' "$@" >/dev/null 2>&1 \
            || { echo "failed: $1" >&2; return 1; }
        awk '{printf "%d %d\n", $1 * 1000, $2}' "$tmp/time"
        return
    fi
    /usr/bin/python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
ms = (time.monotonic() - t) * 1000
if r.returncode != 0:
    sys.exit("exit %d: %s" % (r.returncode, " ".join(sys.argv[1:4])))
print("%d %d" % (ms, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
PY
}

declare -A wall=() rss=()
samples_start 04a-fetch
names=("fetch-uv -c $n" "fetch-uv -c 100" "fetch-threads -c $n")
cmds=("$BIN/fetch-uv -c $n -t 60000" "$BIN/fetch-uv -c 100 -t 60000"
      "$BIN/fetch-threads -c $n -t 60000")
for ((r = 0; r < runs; r++)); do
    for k in 0 1 2; do
        # shellcheck disable=SC2086  # a command and its flags, split
        read -r ms kb < <(measure ${cmds[k]} "${urls[@]}")
        wall[$k]+="$ms "; rss[$k]+="$kb "
        record 04a-fetch name="${names[k]}" urls="$n" delay_ms="$delay" -- \
            wall_ms="$ms" maxrss_kb="$kb"
    done
done

machine
echo "$n URLs, each answered after $delay ms, 1024-byte bodies; $runs runs"
read -r _ floor < <(measure /bin/true)
echo "(peak RSS of /bin/true measured the same way: $floor KiB)"
for k in 0 1 2; do
    w=$(tr ' ' '\n' <<<"${wall[$k]}" | grep . | median)
    m=$(tr ' ' '\n' <<<"${rss[$k]}" | grep . | median)
    printf '%-22s wall %5d ms (runs: %s)  peak RSS %6d KiB\n' \
        "${names[k]}" "$w" "${wall[$k]% }" "$m"
done
record 04a-fetch name=true urls=0 delay_ms=0 -- maxrss_kb="$floor"
collect 04a-fetch
