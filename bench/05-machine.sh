#!/bin/bash
# bench/05-machine.sh: the facts about this machine that every result of
# chapter 5 carries, and the helpers the other bench/05-*.sh scripts
# share.  Run, it writes $RESULTS/05-machine.json; sourced (by the other
# 05 scripts), it only defines the helpers.
#   QUICK=1      the quick run that `make` does when there are no results
#   B5_TINY=1    tiny sizes, for tests/prog/05-bench.sh (never a figure)
#   PYTHON       the interpreter for the Python rows (default
#                /usr/bin/python3); absent, those rows say "not measured"
set -uo pipefail
: "${BIN:?}" "${RESULTS:?}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"     # reread, run_ms, ...
ROOT=${ROOT:-$PWD}
BUILD=${BUILD:-$(dirname "$BIN")}
mkdir -p "$RESULTS"
b5_mode=full
[[ ${QUICK:-} == 1 ]] && b5_mode=quick
[[ ${B5_TINY:-} == 1 ]] && b5_mode=tiny
PY=${PYTHON:-/usr/bin/python3}

# say TEXT: progress on stderr, so that `make bench` shows where it is.
say() { printf '  [%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# json_str TEXT: TEXT as a JSON string.
json_str() {
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//$'\t'/ }
    s=${s//$'\n'/ }
    printf '"%s"' "$s"
}

# entry KEY=VALUE...: one JSON object; numbers stay numbers.
entry() {
    local out='' sep='' kv k v
    for kv; do
        k=${kv%%=*} v=${kv#*=}
        if [[ $v =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]; then   # a JSON number
            out+="$sep\"$k\": $v"
        else
            out+="$sep\"$k\": $(json_str "$v")"
        fi
        sep=', '
    done
    printf '{%s}' "$out"
}

# stats: numbers on stdin -> "MEDIAN MIN MAX" (nothing if none).
stats() {
    sort -g | awk '{v[NR] = $1}
        END {
            if (NR == 0) exit 1
            m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%g %g %g\n", m, v[1], v[NR]
        }'
}

# field NAME LINE: the value of NAME=... in a line of key=value fields.
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

machine_json() {
    local cpu mem cc uvv
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
    [[ -n $cpu ]] || cpu=$(uname -m)
    mem=$(awk '/^MemTotal:/ {printf "%d", $2 / 1024}' /proc/meminfo 2>/dev/null)
    cc=$(${CC:-cc} --version 2>/dev/null | head -n 1)
    uvv=$(pkg-config --modversion libuv 2>/dev/null || echo unknown)
    local pyv="absent"
    [[ -x $PY ]] && pyv=$("$PY" -c 'import platform; print(platform.python_version())' 2>/dev/null)
    printf '{"date": %s, "mode": %s, "cpu": %s, "cores": %d, "memory_mib": %s, ' \
        "$(json_str "$(date -u '+%Y-%m-%d %H:%M UTC')")" "$(json_str "$b5_mode")" \
        "$(json_str "$cpu")" "$(nproc)" "${mem:-0}"
    printf '"kernel": %s, "compiler": %s, "libuv": %s, "python": %s, "load": %s}' \
        "$(json_str "$(uname -sr)")" "$(json_str "$cc")" "$(json_str "$uvv")" \
        "$(json_str "$pyv")" "$(json_str "$(cut -d' ' -f1-3 /proc/loadavg)")"
}

# write_json NAME ENTRY...: $RESULTS/05-NAME.json, written whole or not
# at all.
write_json() {
    local name=$1 sep='' e; shift
    {
        printf '{"benchmark": %s, "machine": %s,\n "entries": [\n' \
            "$(json_str "$name")" "$(machine_json)"
        for e; do printf '%s  %s' "$sep" "$e"; sep=$',\n'; done
        printf '\n]}\n'
    } >"$RESULTS/05-$name.json.tmp" && mv "$RESULTS/05-$name.json.tmp" "$RESULTS/05-$name.json"
}

# by_mode QUICK FULL [TINY]: the value for this run's mode.
by_mode() {
    case $b5_mode in
        quick) echo "$1" ;;
        tiny) echo "${3:-$1}" ;;
        *) echo "$2" ;;
    esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    say "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
    write_json machine
fi
