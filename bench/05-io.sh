#!/bin/bash
# bench/05-io.sh: I/O-bound work: fetching M pages from slowhttpd, each
# answered after 50 ms, all M in flight at once, with fetch-threads,
# fetch-procs and fetch-uv, and with py-fetch.py (threading,
# multiprocessing, asyncio).  Wall time and peak memory (bench-run),
# programs alternating in every round.  Records samples; bench/collect
# writes $RESULTS/05-io.json.  Figures only, never a test.
. "$(dirname "$0")/05-machine.sh"
runs=$(by_mode 1 5 1)
read -ra sizes <<<"$(by_mode "10 100" "10 100 1000 10000" 3)"
delay=50
bench_tmp                       # $tmp, and a trap that stops $srv
ulimit -n "$(ulimit -Hn)" 2>/dev/null
fd_limit=$(ulimit -n)
bench_server slowhttpd -i 120000
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
    elif [[ $name == py-threads ]] && ((m > 1000)); then
        echo "py-fetch.py starts a thread per page; 10,000 Python threads at once need more memory than the benchmark allows itself"
    fi
}
command_for() {     # command_for NAME M: the command line, URLs in $tmp/urls
    case $1 in
        fetch-*) echo "$BIN/$1 -c $2 -t 60000" ;;
        py-*) echo "$PY $pyscript -m ${1#py-} -c $2 -t 60000" ;;
    esac
}
names=(fetch-threads fetch-procs fetch-uv py-threads py-procs py-asyncio)
declare -A why=()
samples_start 05-io
floor=
"$BIN/bench-run" -o "$tmp/m" -- /bin/true && floor=$(field maxrss_kb "$(cat "$tmp/m")")
# the peak memory of /bin/true measured the same way: the floor
[[ -n $floor ]] && record 05-io name=true lang=c pages=0 -- maxrss_kb="$floor"
for m in "${sizes[@]}"; do
    urls=()
    for ((i = 1; i <= m; i++)); do
        urls+=("http://127.0.0.1:$port/p$i?delay=$delay&size=1024")
    done
    r_m=$runs
    say "I/O-bound: $m pages of $delay ms, all at once, $r_m runs"
    for ((r = 0; r < r_m; r++)); do
        for name in "${names[@]}"; do
            key="$name $m"
            lang=c; [[ $name == py-* ]] && lang=python
            if [[ -z ${why[$key]:-} ]]; then
                why[$key]=$(can "$name" "$m")
                [[ -n ${why[$key]} ]] && record 05-io name="$name" \
                    lang=$lang pages="$m" not_measured="${why[$key]}"
            fi
            [[ -n ${why[$key]} ]] && continue
            # shellcheck disable=SC2046  # a command and its flags, split
            if ! "$BIN/bench-run" -o "$tmp/m" -- $(command_for "$name" "$m") \
                 "${urls[@]}" >"$tmp/out" 2>&1; then
                why[$key]="$name failed: $(grep -v '^200' "$tmp/out" | tail -n 1)"
                say "${why[$key]}"
                record 05-io name="$name" lang=$lang pages="$m" \
                    not_measured="${why[$key]}"
                continue
            fi
            record 05-io name="$name" lang=$lang pages="$m" -- \
                wall_ms="$(field wall_ms "$(cat "$tmp/m")")" \
                maxrss_kb="$(field maxrss_kb "$(cat "$tmp/m")")"
        done
        say "  $m pages: round $((r + 1)) of $r_m done"
    done
done

collect 05-io
