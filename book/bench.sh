#!/bin/bash
# book/bench.sh BUILD: run every benchmark script bench/*.sh in order.
# Each gets BIN, BUILD, ROOT and RESULTS (BUILD/results) in its environment
# and prints its figures; figures are never checked by the tests.
set -uo pipefail
build=$(cd "${1:?usage: book/bench.sh BUILD}" && pwd)
export BIN=$build/bin BUILD=$build ROOT=$PWD RESULTS=$build/results
mkdir -p "$RESULTS"
status=0
for b in bench/*.sh; do
    [[ -e $b ]] || { echo "bench: no benchmarks yet"; exit 0; }
    echo "== $b =="
    bash "$b" || { echo "bench: $b failed (exit $?)" >&2; status=1; }
done
exit $status
