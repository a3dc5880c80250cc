#!/bin/bash
# bench/05-io.sh: I/O-bound work: fetching M pages from slowhttpd, each
# answered after 50 ms, all M in flight at once, with fetch-threads,
# fetch-procs and fetch-uv, and with py-fetch.py (threading,
# multiprocessing, asyncio).  Wall time and peak memory (bench-run),
# medians of alternating runs; writes $RESULTS/05-io.json.
# Figures only, never a test.
. "$(dirname "$0")/05-machine.sh"
runs=$(by_mode 1 3 1)
sizes=($(by_mode "10 100" "10 100 1000 10000" 3))
delay=50
tmp=$(mktemp -d)
srv=
cleanup() { [[ -n $srv ]] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null
fd_limit=$(ulimit -n)

"$BIN/slowhttpd" -p 0 -i 120000 >"$tmp/port" 2>"$tmp/srv.err" & srv=$!
for ((i = 0; i < 100; i++)); do [[ -s $tmp/port ]] && break; sleep 0.1; done
port=$(head -n 1 "$tmp/port")
[[ $port =~ ^[0-9]+$ ]] || { echo "05-io: slowhttpd printed no port" >&2; exit 1; }
pyscript=$ROOT/tangle/95-python/py-fetch.py
py_why=
[[ -x $PY ]] || py_why="no python3 at $PY"
[[ -n $py_why || -f $pyscript ]] || py_why="$pyscript not tangled"

# can NAME M: empty if NAME can fetch M pages at once here, else why not
can() {
    local name=$1 m=$2
    if ((m + 64 > fd_limit)); then
        echo "needs $m open files; the limit here is $fd_limit"
    elif [[ $name == py-* && -n $py_why ]]; then
        echo "$py_why"
    elif [[ $name == fetch-procs ]] && ((m > 1000)); then
        echo "fetch-procs runs at most 1,000 children at once (-c)"
    elif [[ $name == py-procs ]] && ((m > 10)); then
        echo "the benchmark stops Python processes at 10 (one interpreter each)"
    elif [[ $name == py-* && $b5_mode == quick ]] && ((m > 10)); then
        echo "the quick run measures Python at 10 pages only"
    elif [[ $name == py-* ]] && ((m > 1000)); then
        echo "the Python rows stop at 1,000 pages, to keep make bench short"
    fi
}
command_for() {     # command_for NAME M: the command line, URLs in $tmp/urls
    case $1 in
        fetch-*) echo "$BIN/$1 -c $2 -t 60000" ;;
        py-*) echo "$PY $pyscript -m ${1#py-} -c $2 -t 60000" ;;
    esac
}
names=(fetch-threads fetch-procs fetch-uv py-threads py-procs py-asyncio)
declare -A ms=() kb=() why=()
floor=
"$BIN/bench-run" -o "$tmp/m" -- /bin/true && floor=$(field maxrss_kb "$(cat "$tmp/m")")
for m in "${sizes[@]}"; do
    urls=()
    for ((i = 1; i <= m; i++)); do
        urls+=("http://127.0.0.1:$port/p$i?delay=$delay&size=1024")
    done
    r_m=$runs; ((m >= 1000)) && r_m=1
    say "I/O-bound: $m pages of $delay ms, all at once, $r_m runs"
    for ((r = 0; r < r_m; r++)); do
        for name in "${names[@]}"; do
            key="$name $m"
            [[ -z ${why[$key]:-} ]] && why[$key]=$(can "$name" "$m")
            [[ -n ${why[$key]} ]] && continue
            if ! "$BIN/bench-run" -o "$tmp/m" -- $(command_for "$name" "$m") \
                 "${urls[@]}" >"$tmp/out" 2>&1; then
                why[$key]="$name failed: $(grep -v '^200' "$tmp/out" | tail -n 1)"
                say "${why[$key]}"
                continue
            fi
            ms[$key]+="$(field wall_ms "$(cat "$tmp/m")") "
            kb[$key]+="$(field maxrss_kb "$(cat "$tmp/m")") "
        done
    done
done

entries=()
for m in "${sizes[@]}"; do
    for name in "${names[@]}"; do
        key="$name $m"
        lang=c; [[ $name == py-* ]] && lang=python
        if [[ -n ${why[$key]:-} ]]; then
            entries+=("$(entry name="$name" lang=$lang pages="$m" not_measured="${why[$key]}")")
            continue
        fi
        read -r t lo hi < <(tr ' ' '\n' <<<"${ms[$key]}" | grep . | stats)
        read -r k _ _ < <(tr ' ' '\n' <<<"${kb[$key]}" | grep . | stats)
        printf '    %-14s %5d pages  median %9.1f ms (min %.1f, max %.1f)  peak RSS %d KiB\n' \
            "$name" "$m" "$t" "$lo" "$hi" "$k" >&2
        entries+=("$(entry name="$name" lang=$lang pages="$m" delay_ms=$delay \
            runs="$(wc -w <<<"${ms[$key]}")" median_ms="$t" min_ms="$lo" max_ms="$hi" \
            maxrss_kib="$k" floor_kib="${floor:-0}")")
    done
done
write_json io "${entries[@]}"
