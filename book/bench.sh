#!/bin/bash
# book/bench.sh BUILD [--quick]: run the benchmarks.
#
# Every bench/*.sh runs in order with BIN, BUILD, ROOT and RESULTS
# (BUILD/results) in its environment and prints its figures; the figures
# are never checked by the tests.  Afterwards bench/report (if present)
# turns BUILD/results/*.json into the Markdown tables and plots the book
# includes.  --quick runs only the comparison chapter's benchmarks
# (bench/05-*.sh) with QUICK=1, small enough for a first `make`.
set -uo pipefail
build=$(cd "${1:?usage: book/bench.sh BUILD [--quick]}" && pwd)
quick=${2:-}
export BIN=$build/bin BUILD=$build ROOT=$PWD RESULTS=$build/results
mkdir -p "$RESULTS"
if [[ $quick == --quick ]]; then
    export QUICK=1
    scripts=(bench/05-*.sh)
    echo "bench: no measurements yet; running the quick benchmarks (make bench runs the full set)"
else
    scripts=(bench/*.sh)
fi
status=0
for b in "${scripts[@]}"; do
    [[ -e $b ]] || continue
    [[ $b == bench/lib.sh ]] && continue   # helpers the scripts source
    echo "== $b =="
    bash "$b" || { echo "bench: $b failed (exit $?)" >&2; status=1; }
done
if [[ -x bench/report ]]; then
    bench/report "$RESULTS" || { echo "bench: bench/report failed" >&2; status=1; }
fi
exit $status
