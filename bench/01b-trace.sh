#!/bin/bash
# Chapter 1, "Seeing a run": the traces the book draws its timelines
# from, and what tracing costs when it is compiled in but off.
#   $RESULTS/trace-NAME.trace   one merged trace per run drawn in the book
#                               (make reference copies them into
#                               book/reference-results)
#   $RESULTS/01b-trace.json     crunch-threads -w 2 on 10 million rows,
#                               three builds in turn: tracing compiled
#                               out (-DTRACE_COMPILED_OUT), compiled in
#                               but off (the program of build/bin), and
#                               on; figures: the ratios to compiled out
# Environment: BENCH_RUNS (runs of each build, default 9; QUICK=1: 3).
# Figures only: nothing here passes or fails on a time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${BENCH_RUNS:-9}
[[ ${QUICK:-} == 1 ]] && runs=${BENCH_RUNS:-3}
render=$ROOT/tangle/01b-trace/trace-render.py
bench_tmp
tmp=${tmp:?}                            # set by bench_tmp (lib.sh)

# trace NAME CMD...: run CMD traced, merge its files into trace-NAME,
# and record the run's length, first event to last, as the picture
# shows it (the prose quotes it).
trace() {
    local name=$1 ms; shift
    rm -f "$tmp/$name".*.trace
    BOOK_TRACE=$tmp/$name "$@" > /dev/null
    python3 "$render" --check -m "$RESULTS/trace-$name.trace" \
        "$tmp/$name".*.trace
    ms=$(awk -F'\t' '!/^#/ { if (!n++ || $3 < lo) lo = $3
                              if ($3 > hi) hi = $3 }
                      END { printf "%.1f", (hi - lo) / 1e6 }' \
             "$RESULTS/trace-$name.trace")
    record 01b-trace name="$name" -- trace_ms="$ms"
}

machine
samples_start 01b-trace
small=$(data_file 1000000)
trace count-threads "$BIN/count-threads" -w 3 -n 5 -d 100
trace count-procs "$BIN/count-procs" -w 3 -n 5 -d 100
trace count-timers "$BIN/count-timers" -w 3 -n 5 -d 100
trace count-timers-b "$BIN/count-timers" -w 3 -n 5 -d 100 -b 250
trace crunch-threads "$BIN/crunch-threads" -w 2 "$small"
trace crunch-procs "$BIN/crunch-procs" -w 2 "$small"
CRUNCH_PROCS_KILL_TASK=3 trace crunch-procs-kill \
    "$BIN/crunch-procs" -w 2 "$small" 2>/dev/null

# The cost when off: the same source compiled without the trace calls.
eval "$(make -s --no-print-directory -f book/build.mk B="$BUILD" print-flags)"
# shellcheck disable=SC2086  # the flags are lists, split on purpose
$BOOK_CC $BOOK_CFLAGS $BOOK_OPT $BOOK_INCLUDES $BOOK_PKG_CFLAGS \
    -DTRACE_COMPILED_OUT -o "$tmp/crunch-threads-untraced" \
    tangle/02b-dataset/crunch-threads.c "$BUILD/libbook.a" $BOOK_LIBS
file=$(data_file 10000000)
reread "$file"
out=() off=() on=()
for ((i = 0; i < runs; i++)); do            # A, B, C, A, B, C, ...
    out+=("$(run_ms "$tmp/crunch-threads-untraced" -w 2 "$file")")
    off+=("$(run_ms "$BIN/crunch-threads" -w 2 "$file")")
    rm -f "$tmp"/on.*.trace
    on+=("$(BOOK_TRACE=$tmp/on run_ms "$BIN/crunch-threads" -w 2 "$file")")
done
for ((i = 0; i < runs; i++)); do
    record 01b-trace name=crunch-threads-w2 tracing=compiled-out \
        -- wall_ms="${out[i]}"
    record 01b-trace name=crunch-threads-w2 tracing=off \
        -- wall_ms="${off[i]}"
    record 01b-trace name=crunch-threads-w2 tracing=on \
        -- wall_ms="${on[i]}"
done
echo "crunch-threads -w 2, 10 million rows (ms):"
echo "  tracing compiled out  ${out[*]}; median $(median_of "${out[@]}")"
echo "  compiled in, off      ${off[*]}; median $(median_of "${off[@]}")"
echo "  on                    ${on[*]}; median $(median_of "${on[@]}")"
collect 01b-trace
