#!/bin/bash
# tests/prog/05-bench.sh: the harness of chapter 5, never a timing.
# The four bench programs behave like every program of the book (--help,
# usage errors, bench-run passes on the exit status); py-crunch.py agrees
# with crunch-seq byte for byte in every model; every bench/05-*.sh runs
# on tiny sizes (B5_TINY=1) and writes valid JSON with every field; a
# missing python3 is recorded as "not measured"; bench/report makes
# every table and plot, with no blank cell.
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

# 3. Every benchmark, tiny, into a fresh results folder.
export RESULTS=$TMP/results BENCH_DATA=$TMP/data B5_TINY=1 BUILD=${BUILD:-$TMP}
for b in "$ROOT"/bench/05-*.sh; do
    bash "$b" >"$TMP/bench.out" 2>&1 || { bad "$(basename "$b") failed:"; tail -5 "$TMP/bench.out"; }
done
"$PY" - "$RESULTS" <<'PY' || bad "JSON check"
import json, sys, os
need = {'start': ['median_ns', 'min_ns', 'max_ns', 'runs', 'n'],
        'switch': ['median_ns', 'min_ns', 'max_ns', 'runs', 'n'],
        'mem': ['n', 'runs', 'median_bytes', 'min_bytes', 'max_bytes',
                'kernel_median_bytes'],
        'cpu': ['lang', 'workers', 'rows', 'runs', 'median_ms', 'min_ms',
                'max_ms', 'cpu_ms'],
        'io': ['lang', 'pages', 'runs', 'median_ms', 'min_ms', 'max_ms',
               'maxrss_kib', 'floor_kib']}
machine = ['date', 'mode', 'cpu', 'cores', 'memory_mib', 'kernel',
           'compiler', 'libuv', 'python', 'load']
bad = 0
for name, fields in need.items():
    d = json.load(open(os.path.join(sys.argv[1], '05-%s.json' % name)))
    for k in machine:
        if k not in d['machine']:
            print('05-%s.json: machine has no %s' % (name, k)); bad = 1
    if not d['entries']:
        print('05-%s.json: no entries' % name); bad = 1
    for e in d['entries']:
        if 'not_measured' in e:
            if name != 'io' or not e['name'].startswith('py-'):
                print('05-%s.json: %s not measured: %s' % (name, e['name'], e['not_measured'])); bad = 1
            continue
        for k in fields:
            if not isinstance(e.get(k), (int, float, str)):
                print('05-%s.json: %s has no %s' % (name, e['name'], k)); bad = 1
sys.exit(bad)
PY

# 4. Without python3 the Python rows say why.
PYTHON=/nonexistent/python3 bash "$ROOT/bench/05-cpu.sh" >/dev/null 2>&1 \
    || bad "05-cpu.sh without python3 failed"
grep -q '"not_measured": "no python3 at /nonexistent/python3"' "$RESULTS/05-cpu.json" \
    || bad "05-cpu.json without python3 does not say so"

# 5. The report: every file, no blank cell, "not measured" shown.
"$ROOT/bench/report" "$RESULTS" >/dev/null || bad "bench/report failed"
for f in comparison.md claims.md start.md mem.md cpu.md io.md start-example.md \
         speedup.svg speedup.pdf io-wall.svg io-wall.pdf memory.svg memory.pdf; do
    [[ -s $RESULTS/$f ]] || bad "report made no $f"
done
grep -q 'not measured: no python3' "$RESULTS/comparison.md" \
    || bad "comparison.md does not say the Python rows were not measured"
if grep -Eq '\|[[:space:]]*\|' "$RESULTS"/*.md; then
    bad "a blank cell:"; grep -E '\|[[:space:]]*\|' "$RESULTS"/*.md
fi
grep -q 'tiny run of' "$RESULTS/comparison.md" || bad "comparison.md does not name its run"

if ((fails)); then echo "$fails failure(s)"; exit 1; fi
echo "chapter 5 harness: all checks passed"
