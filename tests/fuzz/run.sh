#!/bin/bash
# tests/fuzz/run.sh BUILD SECONDS [NAME...]: run each fuzzer (all by
# default) for SECONDS from its seed corpus in tests/fuzz/corpus/NAME.
# New inputs go to BUILD/fuzz/corpus-NAME, a failing input to
# BUILD/fuzz/NAME-crash-*.  Prints one line per fuzzer; exits 1 if any
# found something.  FUZZ_ARGS adds libFuzzer options (e.g. -max_len=1024).
set -uo pipefail
build=${1:?usage: tests/fuzz/run.sh BUILD SECONDS [NAME...]}
secs=${2:?usage: tests/fuzz/run.sh BUILD SECONDS [NAME...]}
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
names=("$@")
if [[ ${#names[@]} == 0 ]]; then
    for f in "$root"/tests/fuzz/fuzz-*.c; do
        n=$(basename "$f" .c); names+=("${n#fuzz-}")
    done
fi
status=0
for name in "${names[@]}"; do
    bin=$build/fuzz/fuzz-$name
    if [[ ! -x $bin ]]; then
        echo "fuzz-$name: not built (clang's libFuzzer runtime missing?)"
        status=1; continue
    fi
    corpus=$build/fuzz/corpus-$name log=$build/fuzz/$name.log
    mkdir -p "$corpus"
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$secs" -print_final_stats=1 \
        -artifact_prefix="$build/fuzz/$name-" ${FUZZ_ARGS:-} \
        "$corpus" "$root/tests/fuzz/corpus/$name" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    if [[ $rc == 0 ]]; then
        echo "fuzz-$name: ${runs:-?} runs in ${secs}s, nothing found"
    else
        echo "fuzz-$name: FOUND after ${runs:-?} runs (exit $rc):"
        grep -m1 -E 'contract broken|ERROR|runtime error' "$log"
        grep -m1 'Test unit written to' "$log"
        echo "  (log: $log)"
        status=1
    fi
done
exit $status
