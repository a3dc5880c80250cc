#!/bin/bash
# Tracing (chapter 1, "Seeing a run"): with BOOK_TRACE unset a program
# writes nothing; with it set, count-threads, count-procs and
# count-timers record one lane per worker (plus the program's own), each
# with its ticks and sleeps, every begin with its end and time never
# going back (trace-render.py --check); a process writes one file; the
# crunch programs record one span per piece; the renderer rejects a
# broken trace, and its SVG and Chrome JSON hold every lane.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs count-threads count-procs count-timers crunch-threads \
    crunch-procs gen-data
render=$ROOT/tangle/01b-trace/trace-render.py
[[ -f $render ]] || fail "$render not tangled"

# lanes FILES...: the --check summary, one "NAME: N spans, N marks" a line.
lanes() { "$PY" "$render" --check "$@" | sed 's/^lane //'; }

# Off: no file at all.
mkdir "$TMP/off"
(cd "$TMP/off" && unset BOOK_TRACE && "$BIN/count-threads" -d 0 >/dev/null)
[[ -z $(ls -A "$TMP/off") ]] || fail "tracing off wrote $(ls "$TMP/off")"

# count-threads: one file, its own lane and three workers' lanes.
BOOK_TRACE=$TMP/ct "$BIN/count-threads" -w 3 -n 4 -d 5 >/dev/null
files=("$TMP"/ct.*.trace)
expect_eq "count-threads' trace files" 1 "${#files[@]}"
expect_eq "count-threads' lanes" "count-threads: 0 spans, 2 marks
worker 1: 3 spans, 4 marks
worker 2: 3 spans, 4 marks
worker 3: 3 spans, 4 marks" "$(lanes "${files[@]}")"

# count-procs: a file per process, the same lanes.
BOOK_TRACE=$TMP/cp "$BIN/count-procs" -w 3 -n 4 -d 5 >/dev/null
files=("$TMP"/cp.*.trace)
expect_eq "count-procs' trace files" 4 "${#files[@]}"
expect_eq "count-procs' lanes" "count-procs: 0 spans, 2 marks
worker 1: 3 spans, 4 marks
worker 2: 3 spans, 4 marks
worker 3: 3 spans, 4 marks" "$(lanes "${files[@]}")"

# count-timers -b: a lane per timer on one thread; worker 1 blocks.
BOOK_TRACE=$TMP/cu "$BIN/count-timers" -w 3 -n 4 -d 5 -b 5 >/dev/null
expect_eq "count-timers' lanes" "count-timers: 0 spans, 2 marks
worker 1: 4 spans, 4 marks
worker 2: 0 spans, 4 marks
worker 3: 0 spans, 4 marks" "$(lanes "$TMP"/cu.*.trace)"
[[ $(awk -F'\t' '!/^#/ { print $2 }' "$TMP"/cu.*.trace | sort -u) == 1 ]] ||
    fail "count-timers recorded from more than one thread"

# The crunch programs: a span per piece, whoever did it.
"$BIN/gen-data" -n 30000 -s 1 -o "$TMP/d.txt"
BOOK_TRACE=$TMP/th "$BIN/crunch-threads" -w 2 -p 7 "$TMP/d.txt" >/dev/null
lanes "$TMP"/th.*.trace > "$TMP/th.lanes"
expect_eq "crunch-threads' pieces" 7 "$(awk '/^thread/ { n += $3 }
    END { print n }' "$TMP/th.lanes")"
expect_eq "crunch-threads' main lane" "crunch-threads: 2 spans, 2 marks" \
    "$(head -n 1 "$TMP/th.lanes")"
BOOK_TRACE=$TMP/pr "$BIN/crunch-procs" -w 2 "$TMP/d.txt" >/dev/null
expect_eq "crunch-procs' lanes" "crunch-procs worker 1 worker 2" \
    "$(lanes "$TMP"/pr.*.trace | cut -d: -f1 | xargs)"

# The renderer: a span without its end, and time going back, fail.
printf '#trace\t1\tx\n1\t1\t10\tB\ta\n1\t1\t20\tM\tm\n' > "$TMP/open.trace"
expect 1 "$PY" "$render" --check "$TMP/open.trace"
grep -q "span 'a' never ends" "$TMP/out" || fail "no problem reported:
$(cat "$TMP/out")"
printf '1\t1\t20\tM\ta\n1\t1\t10\tM\tb\n' > "$TMP/back.trace"
expect 1 "$PY" "$render" --check "$TMP/back.trace"

# The pictures: every lane's name in the SVG, once per panel; every lane
# a named thread in the Chrome JSON; -m merges into one file.
if command -v gnuplot >/dev/null; then
    "$PY" "$render" -o "$TMP/pic" -t one -t two "$TMP"/cp.*.trace -- \
        "$TMP"/cu.*.trace
    for lane in count-procs count-timers "worker 1" "worker 3" one two; do
        n=$(grep -c ">$lane<" "$TMP/pic.svg" || true)
        want=1; [[ $lane == worker* ]] && want=2
        expect_eq "SVG labels '$lane'" "$want" "$n"
    done
    [[ -s $TMP/pic.pdf ]] || fail "no PDF drawn"
fi
"$PY" "$render" -j "$TMP/t.json" -m "$TMP/m.trace" "$TMP"/cp.*.trace
expect_eq "Chrome JSON thread names" "count-procs,worker 1,worker 2,worker 3" \
    "$("$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))["traceEvents"]
print(",".join(e["args"]["name"] for e in d if e["name"] == "thread_name"))' \
    "$TMP/t.json")"
expect_eq "the merged trace's lanes" "$(lanes "$TMP"/cp.*.trace)" \
    "$(lanes "$TMP/m.trace")"
echo "01b-trace: ok"
