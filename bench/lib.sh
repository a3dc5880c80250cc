# shellcheck shell=bash
# bench/lib.sh: helpers sourced by the bench scripts (bash); it measures
# nothing itself. Sourcing it checks that BIN and RESULTS are set and
# makes the folder RESULTS.
#   median              the median of the numbers on stdin, one a line
#                       (bench/benchlib.py's, the one median of bench/)
#   median_of N...      the median of its arguments
#   load                the load averages over 1, 5 and 15 minutes
#   machine             prints the "machine: ..." line every script shows
#   bench_tmp           makes a scratch folder $tmp and an EXIT trap that
#                       stops the server $srv (if one runs) and removes $tmp
#   bench_server PROG [ARGS...]
#                       starts $BIN/PROG -p 0 ARGS in the background (its
#                       stdout in a file of its own, $tmp/port.N, stderr
#                       in $tmp/srv.err) and waits, 30 s at most, for the
#                       port it prints first; sets srv and port, or exits
#                       1 saying why.  A new file per server: reusing one
#                       let the wait read the previous server's port
#                       before the new server's redirection emptied it.
#   bench_server_stop   SIGTERM to $srv, waits for it, forgets it
#   reread FILE         drops FILE from the page cache and reads it back,
#                       so that every run finds it cached the same way:
#                       as a file read from disk is (chapter 2,
#                       "Measured", says why that matters)
#   huge_kb             the page cache's kilobytes in 2 MiB folios
#   data_path ROWS      where the generated file of ROWS rows (seed 1)
#                       lives: in $BENCH_DATA, by default build/data
#   data_missing FILE   true when FILE is missing, or older than gen-data
#                       (which may have changed what it writes)
#   data_file ROWS      data_path ROWS, made by gen-data first when
#                       data_missing says so (saying it on stderr)
#   run_ms CMD...       the wall-clock milliseconds of one run of CMD,
#                       measured by bench-run, CMD's output discarded;
#                       its CPU time (user + system, ms) is appended to
#                       the file $cpu_log when that is set
#   record NAME FIELD=VALUE... [-- MEASURE=VALUE...]
#                       appends one measurement to $RESULTS/NAME.samples:
#                       the fields that say what was measured, then the
#                       values measured (a FIELD not_measured=WHY instead
#                       says why there are none); no JSON in shell
#   samples_start NAME  empties $RESULTS/NAME.samples
#   collect NAME        bench/collect: NAME.samples -> NAME.json (medians,
#                       intervals, figures: bench/benchlib.py, the one
#                       place that computes them)
# Run by itself (bench/run runs every bench/*.sh) it only says so.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    echo "bench/lib.sh: helpers for the other scripts, nothing to measure"
    exit 0
fi
: "${BIN:?}" "${RESULTS:?}"
mkdir -p "$RESULTS"

record() {
    local name=$1 a out=() ; shift
    for a; do a=${a//$'\t'/ }; out+=("${a//$'\n'/ }"); done
    (IFS=$'\t'; printf '%s\n' "${out[*]}") >>"$RESULTS/$name.samples"
}
samples_start() { : >"$RESULTS/$1.samples"; }
collect() {
    "$(dirname "${BASH_SOURCE[0]}")/collect" "$RESULTS" "$1"
}

median() { "$(dirname "${BASH_SOURCE[0]}")/collect" --median; }
median_of() { printf '%s\n' "$@" | median; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
machine() { echo "machine: $(nproc) cores, $(uname -sr), load $(load)"; }

bench_tmp() {
    tmp=$(mktemp -d)
    srv=
    trap bench_cleanup EXIT
}
bench_cleanup() {
    [[ -n $srv ]] && kill "$srv" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$tmp"
}

bench_servers=0
bench_server() {
    local prog=$1 i out; shift
    bench_servers=$((bench_servers + 1))
    out=$tmp/port.$bench_servers
    : >"$out"
    "$BIN/$prog" -p 0 "$@" >"$out" 2>"$tmp/srv.err" & srv=$!
    for ((i = 0; i < 300; i++)); do
        [[ $(head -n 1 "$out") =~ ^[0-9]+$ ]] && break
        kill -0 "$srv" 2>/dev/null || break
        sleep 0.1
    done
    port=$(head -n 1 "$out")
    if [[ ! $port =~ ^[0-9]+$ ]]; then
        local state="still running"
        kill -0 "$srv" 2>/dev/null || state="gone"
        echo "$prog printed no port in 30 s ($state);" \
             "stdout: '$(head -c 200 "$out")'; stderr: '$(head -c 300 "$tmp/srv.err")'"
        exit 1
    fi
}
bench_server_stop() { kill -TERM "$srv"; wait "$srv" || true; srv=; }

reread() {
    sync "$1"                   # only clean pages can be dropped
    dd if="$1" iflag=nocache count=0 status=none
    cat "$1" > /dev/null
}
huge_kb() { awk '/^FileHugePages:/ {print $2}' /proc/meminfo; }

run_ms() {
    local m
    m=$(mktemp)
    "$BIN/bench-run" -o "$m" -- "$@" > /dev/null || { rm -f "$m"; return 1; }
    [[ -z ${cpu_log:-} ]] || sed 's/.*cpu_ms=\([0-9]*\).*/\1/' "$m" >> "$cpu_log"
    sed 's/^wall_ms=\([0-9]*\).*/\1/' "$m"
    rm -f "$m"
}

data_path() {
    local name=$1
    case $1 in 10000000) name=10M ;; 100000000) name=100M ;; esac
    echo "${BENCH_DATA:-${ROOT:?}/build/data}/1brc-$name-s1.txt"
}
data_missing() { [[ ! -s $1 || $BIN/gen-data -nt $1 ]]; }
data_file() {
    local f
    f=$(data_path "$1")
    if data_missing "$f"; then
        mkdir -p "$(dirname "$f")"
        echo "generating $f ($1 rows)" >&2
        "$BIN/gen-data" -n "$1" -s 1 -o "$f.tmp" && mv "$f.tmp" "$f" || return 1
    fi
    echo "$f"
}
