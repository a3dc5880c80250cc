#!/bin/bash
# Chapter 3, the worker pool: crunch-procs prints exactly what crunch-seq
# prints, for several pool sizes, with workers killed or exiting early,
# and leaves no child behind.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs crunch-procs crunch-seq gen-data reap-check
rc=$BIN/reap-check
rows=200000
[[ -n ${SANITIZER:-} ]] && rows=50000
"$BIN/gen-data" -n $rows -s 3 -o "$TMP/d.txt"
"$BIN/crunch-seq" "$TMP/d.txt" > "$TMP/want"
[[ -s $TMP/want ]] || fail "crunch-seq printed nothing"

same() {  # same LABEL FILE: FILE must equal the expected output
    cmp -s "$TMP/want" "$2" || { echo "FAIL: $1 differs from crunch-seq" >&2;
        diff <(tr , '\n' < "$TMP/want") <(tr , '\n' < "$2") | head >&2; exit 1; }
}

for w in 1 2 3 8; do
    "$rc" "$BIN/crunch-procs" -w $w "$TMP/d.txt" > "$TMP/out" 2>"$TMP/err"
    same "-w $w" "$TMP/out"
    [[ ! -s $TMP/err ]] || fail "-w $w wrote to stderr: $(cat "$TMP/err")"
done

# A worker kills itself with SIGKILL on task 5; the task is done again.
CRUNCH_PROCS_KILL_TASK=5 "$rc" "$BIN/crunch-procs" -w 2 "$TMP/d.txt" \
    > "$TMP/out" 2>"$TMP/err"
same "worker killed on task 5" "$TMP/out"
grep -Eq '^crunch-procs: worker [12] \(pid [0-9]+\) killed by signal 9; task 5 given to a new worker$' \
    "$TMP/err" || fail "kill report: $(cat "$TMP/err")"
[[ $(wc -l < "$TMP/err") == 1 ]] || fail "extra messages: $(cat "$TMP/err")"

# A worker exits early (status 3) on task 1.
CRUNCH_PROCS_EXIT_TASK=1 "$rc" "$BIN/crunch-procs" -w 3 "$TMP/d.txt" \
    > "$TMP/out" 2>"$TMP/err"
same "worker exiting on task 1" "$TMP/out"
grep -Eq '^crunch-procs: worker 1 \(pid [0-9]+\) exited with status 3; task 1 given to a new worker$' \
    "$TMP/err" || fail "exit report: $(cat "$TMP/err")"

# Several deaths in one run, with one worker.
CRUNCH_PROCS_KILL_TASK=2 CRUNCH_PROCS_EXIT_TASK=3 "$rc" "$BIN/crunch-procs" \
    -w 1 "$TMP/d.txt" > "$TMP/out" 2>"$TMP/err"
same "two deaths with -w 1" "$TMP/out"
[[ $(wc -l < "$TMP/err") == 2 ]] || fail "two reports expected: $(cat "$TMP/err")"

# An external SIGKILL to a worker at an arbitrary moment: whether or not
# it lands before the run ends, the output must be right.
"$BIN/crunch-procs" -w 2 "$TMP/d.txt" > "$TMP/out" 2>"$TMP/err" &
parent=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
    kids=$(cat /proc/$parent/task/*/children 2>/dev/null || true)
    if [[ -n $kids ]]; then kill -9 "${kids%% *}" 2>/dev/null || true; break; fi
    sleep 0.01
done
wait $parent || fail "crunch-procs failed after an external kill: $(cat "$TMP/err")"
same "external kill" "$TMP/out"

# Empty file, malformed line, usage errors, --help.
: > "$TMP/empty"
"$BIN/crunch-seq" "$TMP/empty" > "$TMP/want"
"$rc" "$BIN/crunch-procs" -w 3 "$TMP/empty" > "$TMP/out"
same "empty file" "$TMP/out"
{ head -n 1000 "$TMP/d.txt"; echo 'Bad Line without a semicolon'; head -n 10 "$TMP/d.txt"; } > "$TMP/bad"
set +e
"$rc" "$BIN/crunch-procs" -w 3 "$TMP/bad" > "$TMP/out" 2> "$TMP/err"; s=$?
set -e
[[ $s == 1 ]] || fail "malformed: exit $s, expected 1"
[[ $(cat "$TMP/err") == "crunch-procs: $TMP/bad:1001: malformed line" ]] \
    || fail "malformed: '$(cat "$TMP/err")'"
set +e; "$BIN/crunch-seq" "$TMP/bad" > /dev/null 2> "$TMP/seqerr"; set -e
[[ $(sed 's/^crunch-seq:/X:/' "$TMP/seqerr") == $(sed 's/^crunch-procs:/X:/' "$TMP/err") ]] \
    || fail "malformed: crunch-seq says '$(cat "$TMP/seqerr")'"
check_cli crunch-procs "" "-w 0 $TMP/d.txt" "-w 65 $TMP/d.txt" \
    "-x $TMP/d.txt" "$TMP/d.txt extra"
set +e; "$BIN/crunch-procs" "$TMP/none" 2> "$TMP/err"; s=$?; set -e
if [[ $s != 1 ]] || ! grep -q 'No such file' "$TMP/err"; then
    fail "missing file: $s $(cat "$TMP/err")"
fi
echo "03e-crunch-procs: ok"
