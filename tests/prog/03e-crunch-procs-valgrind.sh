#!/bin/bash
# Chapter 3: crunch-procs under valgrind memcheck, children traced, one of
# them killed on purpose. Any memcheck error (or definite leak) fails.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
command -v valgrind > /dev/null || { echo "skip: no valgrind"; exit 77; }
[[ -z ${SANITIZER:-} ]] || { echo "skip: sanitizer build"; exit 77; }
need_programs crunch-procs crunch-seq gen-data
"$BIN/gen-data" -n 20000 -s 5 -o "$TMP/d.txt"
"$BIN/crunch-seq" "$TMP/d.txt" > "$TMP/want"
CRUNCH_PROCS_KILL_TASK=3 valgrind -q --trace-children=yes --error-exitcode=99 \
    --leak-check=full --errors-for-leak-kinds=definite \
    "$BIN/crunch-procs" -w 2 "$TMP/d.txt" > "$TMP/out" 2> "$TMP/err" ||
    fail "valgrind reported errors: $(cat "$TMP/err")"
cmp -s "$TMP/want" "$TMP/out" || fail "output differs under valgrind"
if grep -v 'killed by signal 9; task 3 given to a new worker$' "$TMP/err" | grep -q .; then
    fail "unexpected messages: $(cat "$TMP/err")"
fi
echo "03e-crunch-procs-valgrind: ok"
