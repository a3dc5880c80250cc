#!/bin/bash
# tests/prog/05-bench.sh: the harness of chapter 6, never a timing.
# The four bench programs behave like every program of the book (--help,
# usage errors, bench-run passes on the exit status); py-crunch.py agrees
# with crunch-seq byte for byte in every model; every bench/05-*.sh runs
# on tiny sizes (B5_TINY=1) and writes valid JSON with every field; a
# missing python3 is recorded as "not measured"; the statistics of
# bench/benchlib.py; bench/report makes every table and plot, the
# reader's beside the reference, with no blank cell, a partial run marked.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
. "$ROOT/tests/support/lib.sh"
command -v "$PY" >/dev/null ||
    { echo "python3 is needed to check JSON and run bench/report"; exit 77; }

# 1. --help, usage errors, exit status of bench-run.
for p in bench-start bench-switch bench-mem bench-run; do
    [[ -x $BIN/$p ]] || { bad "no $BIN/$p"; continue; }
    check_cli "$p" -Z
done
set +e; "$BIN/bench-start" -n 1 nosuch 2>/dev/null; rc=$?; set -e
[[ $rc == 2 ]] || bad "bench-start nosuch: expected exit 2, got $rc"
set +e; "$BIN/bench-mem" -n 2 nosuch 2>/dev/null; rc=$?; set -e
[[ $rc == 2 ]] || bad "bench-mem nosuch: expected exit 2, got $rc"
set +e; "$BIN/bench-run" -o "$TMP/r" -- sh -c 'exit 3'; rc=$?; set -e
[[ $rc == 3 ]] || bad "bench-run of 'exit 3': expected exit 3, got $rc"
grep -Eq '^wall_ms=[0-9.]+ cpu_ms=[0-9.]+ maxrss_kb=[0-9]+ status=3$' "$TMP/r" \
    || bad "bench-run output: $(cat "$TMP/r")"
out=$("$BIN/bench-start" -n 2 -r 1 thread timer)
[[ $(grep -c 'median_ns=' <<<"$out") == 2 ]] || bad "bench-start: $out"
for k in threads procs loop thread-conns; do
    out=$("$BIN/bench-mem" -n 3 $k) || { bad "bench-mem $k failed"; continue; }
    [[ $out =~ ^$k\ n=3\ user_bytes=-?[0-9]+\ kernel_bytes=-?[0-9]+$ ]] \
        || bad "bench-mem $k: '$out'"
done

# 2. The Python aggregation agrees with crunch-seq.
"$BIN/gen-data" -n 3000 -s 5 -o "$TMP/d.txt"
"$BIN/crunch-seq" "$TMP/d.txt" >"$TMP/want"
for m in seq threads procs asyncio; do
    for w in 1 3; do
        "$PY" "$ROOT/tangle/95-python/py-crunch.py" -m $m -w $w "$TMP/d.txt" \
            >"$TMP/got" || bad "py-crunch -m $m -w $w failed"
        cmp -s "$TMP/want" "$TMP/got" || bad "py-crunch -m $m -w $w differs from crunch-seq"
    done
done

# 3. Every benchmark, tiny, into a fresh results folder; bench/collect
#    writes every JSON, with the machine and the run described.
export RESULTS=$TMP/results BENCH_DATA=$TMP/data B5_TINY=1 BUILD=${BUILD:-$TMP}
for b in "$ROOT"/bench/05-*.sh; do
    bash "$b" >"$TMP/bench.out" 2>&1 || { bad "$(basename "$b") failed:"; tail -5 "$TMP/bench.out"; }
done
"$PY" "$ROOT/tests/support/bench-results-check.py" "$RESULTS" ||
    bad "JSON check"

# 4. Without python3 the Python rows say why.
PYTHON=/nonexistent/python3 bash "$ROOT/bench/05-cpu.sh" >/dev/null 2>&1 \
    || bad "05-cpu.sh without python3 failed"
grep -q '"not_measured": "no python3 at /nonexistent/python3"' "$RESULTS/05-cpu.json" \
    || bad "05-cpu.json without python3 does not say so"

# 5. The statistics: the median of an even count, an interval that
#    holds its ratio, the three verdicts.
"$PY" "$ROOT/tests/support/benchlib-check.py" "$ROOT/bench" ||
    bad "benchlib statistics"

# 5b. The shipped figures are those bench/benchlib.py computes now.
cp "$ROOT"/book/reference-results/*.json "$TMP/"
"$ROOT/bench/collect" --refresh "$TMP"/*.json || bad "collect --refresh failed"
for f in "$ROOT"/book/reference-results/*.json; do
    cmp -s "$f" "$TMP/$(basename "$f")" \
        || bad "$f: its figures are stale: run bench/collect --refresh $f"
done

# 6. The report: every file, with the tiny run as "your machine" beside
#    the reference; no blank cell; "not measured" shown; whose run.
out=$TMP/report
"$ROOT/bench/report" "$ROOT/book/reference-results" "$RESULTS" "$out" >/dev/null \
    || bad "bench/report failed"
for f in comparison.md claims.md start.md mem.md cpu.md io.md start-example.md \
         speedup.md io-wall.md memory.md figures.tsv \
         speedup.svg speedup.pdf io-wall.svg io-wall.pdf memory.svg memory.pdf \
         speedup-yours.svg io-wall-yours.svg memory-yours.svg; do
    [[ -s $out/$f ]] || bad "report made no $f"
done
grep -q 'not measured: no python3' "$out/comparison.md" \
    || bad "comparison.md does not say the Python rows were not measured"
if grep -Eq '\|[[:space:]]*\|' "$out"/*.md; then
    bad "a blank cell:"; grep -E '\|[[:space:]]*\|' "$out"/*.md
fi
grep -q 'Your machine: the tiny run of' "$out/comparison.md" || bad "comparison.md does not name the reader's run"
grep -q "Reference (the author's machine): the full run of" "$out/comparison.md" \
    || bad "comparison.md does not name the reference run"
grep -q '| Your machine | Your verdict |' "$out/claims.md" || bad "claims.md has no column for the reader"

# 7. A partial run is marked as one.
echo '{"complete": false, "failed": ["bench/05-io.sh"]}' >"$RESULTS/bench-run.json"
"$ROOT/bench/report" "$ROOT/book/reference-results" "$RESULTS" "$out" >/dev/null
grep -q 'A partial run.*05-io.sh failed' "$out/comparison.md" || bad "a partial run is not marked"

if ((fails)); then echo "$fails failure(s)"; exit 1; fi
echo "chapter 6 harness: all checks passed"
