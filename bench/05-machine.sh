#!/bin/bash
# bench/05-machine.sh: the helpers the bench/05-*.sh scripts share
# (sourced); run by itself it says so and measures nothing.  The facts
# about the machine are added by bench/collect, which turns each
# script's samples into its JSON (bench/benchlib.py).
#   QUICK=1      small sizes and few runs, for a first look
#   B5_TINY=1    tiny sizes, for tests/prog/05-bench.sh (never a figure)
#   PYTHON       the interpreter for the Python rows (default
#                /usr/bin/python3); absent, those rows say "not measured"
set -uo pipefail
: "${BIN:?}" "${RESULTS:?}"
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export ROOT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"     # record, collect, ...
BUILD=${BUILD:-$(dirname "$BIN")}
b5_mode=full
[[ ${QUICK:-} == 1 ]] && b5_mode=quick
[[ ${B5_TINY:-} == 1 ]] && b5_mode=tiny
export BENCH_KIND=${BENCH_KIND:-$b5_mode}
# shellcheck disable=SC2034  # for the scripts that source this file
PY=${PYTHON:-/usr/bin/python3}

# say TEXT: progress on stderr, so that `make bench` shows where it is.
say() { printf '  [%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# field NAME LINE: the value of NAME=... in a line of key=value fields.
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

# by_mode QUICK FULL [TINY]: the value for this run's mode.
by_mode() {
    case $b5_mode in
        quick) echo "$1" ;;
        tiny) echo "${3:-$1}" ;;
        *) echo "$2" ;;
    esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    echo "bench/05-machine.sh: helpers for the other 05 scripts, nothing to measure"
fi
