#!/bin/bash
# Chapter 3, the worker pool under faults (issue 14): a table overflow is
# reported as crunch-seq reports it, naming the file, not "task 0"; a
# worker that is alive but stuck is killed at a deadline and replaced.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs crunch-procs crunch-seq gen-data reap-check
rc=$BIN/reap-check

# expect_fail LABEL WANT CMD...: CMD exits 1 with exactly WANT on stderr.
expect_fail() {
    local label=$1 want=$2 st=0
    shift 2
    "$@" > "$TMP/out" 2> "$TMP/err" || st=$?
    [[ $st == 1 ]] || fail "$label: exit $st, expected 1; stderr: $(cat "$TMP/err")"
    [[ $(cat "$TMP/err") == "$want" ]] ||
        fail "$label: stderr was '$(cat "$TMP/err")', expected '$want'"
}

# 10,001 stations: every task fits in a table, the merge does not.
awk 'BEGIN { for (i = 0; i < 10001; i++) printf "s%05d;1.0\n", i }' \
    > "$TMP/many.txt"
want="crunch-seq: $TMP/many.txt: more than 10000 stations"
expect_fail "crunch-seq, 10001 stations" "$want" \
    "$BIN/crunch-seq" "$TMP/many.txt"
for w in 1 2; do
    expect_fail "crunch-procs -w $w, 10001 stations" \
        "crunch-procs: $TMP/many.txt: more than 10000 stations" \
        "$rc" "$BIN/crunch-procs" -w $w "$TMP/many.txt"
done

# 50,000 stations: each of the 4 tasks of -w 1 overflows in the worker.
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "s%05d;1.0\n", i }' \
    > "$TMP/more.txt"
expect_fail "crunch-procs -w 1, 50000 stations" \
    "crunch-procs: $TMP/more.txt: more than 10000 stations" \
    "$rc" "$BIN/crunch-procs" -w 1 "$TMP/more.txt"
# The same mistake elsewhere: every cruncher says it the same way.
for p in crunch-threads crunch-uv; do
    [[ -x $BIN/$p ]] || continue
    for f in many more; do
        expect_fail "$p -w 2, $f.txt" \
            "$p: $TMP/$f.txt: more than 10000 stations" \
            "$BIN/$p" -w 2 "$TMP/$f.txt"
    done
done

# A worker that stops (SIGSTOP, from the test hook) on its first try of
# task 2 is killed once the deadline -t passes, and the task is done by
# a new worker: the output is crunch-seq's, and the parent says why.
"$BIN/gen-data" -n 20000 -s 5 -o "$TMP/d.txt"
"$BIN/crunch-seq" "$TMP/d.txt" > "$TMP/want"
CRUNCH_PROCS_STOP_TASK=2 "$rc" "$BIN/crunch-procs" -w 2 -t 3000 \
    "$TMP/d.txt" > "$TMP/out" 2> "$TMP/err" ||
    fail "stuck worker: exit $?; stderr: $(cat "$TMP/err")"
cmp -s "$TMP/want" "$TMP/out" || fail "stuck worker: output differs"
grep -Eq '^crunch-procs: worker [12] \(pid [0-9]+\) stuck for more than 3000 ms, killed; task 2 given to a new worker$' \
    "$TMP/err" || fail "stuck worker report: $(cat "$TMP/err")"
[[ $(wc -l < "$TMP/err") == 1 ]] || fail "extra messages: $(cat "$TMP/err")"
echo "ok"
