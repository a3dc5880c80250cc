#!/bin/bash
# 01-ground-demo.sh: ground-demo's time is never below the time it slept,
# and the usage errors that chapter 1's transcript does not show.  (The
# transcript itself, the block {#ground-demo-session}, is replayed with
# every other shown run by tests/book/transcripts.sh.)
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"

bin=$(cd "$BIN" && pwd)
[[ -x $bin/ground-demo ]] || { echo "no $bin/ground-demo"; exit 1; }

# "N steps of D ms took T ms": T must be at least N * D; never an upper
# bound.
"$bin/ground-demo" -n 3 -d 100 > "$TMP/real.txt"
read -r n _ _ d _ _ t _ < <(grep -E '^[0-9]+ steps of [0-9]+ ms took [0-9]+ ms$' "$TMP/real.txt") ||
    { echo "no 'N steps of D ms took T ms' line in:"; cat "$TMP/real.txt"; exit 1; }
if (( t < n * d )); then
    echo "expected at least $((n * d)) ms for $n steps of $d ms, got $t ms"
    exit 1
fi

# Cases the transcript does not show.  expect STATUS STDERR -- ARGS...
expect() {
    local want_rc=$1 want_err=$2 rc=0; shift 3
    "$bin/ground-demo" "$@" > "$TMP/out" 2> "$TMP/err" || rc=$?
    if [[ $rc != "$want_rc" || $(cat "$TMP/err") != "$want_err" ]]; then
        echo "ground-demo $*: expected status $want_rc and stderr:"
        printf '%s\n' "$want_err"
        echo "got status $rc and stderr:"
        cat "$TMP/err"
        exit 1
    fi
}
usage='Usage: ground-demo [-n N] [-d MS]'
expect 2 "ground-demo: option -n needs a value
$usage" -- -n
expect 2 "ground-demo: unexpected argument '--help'
$usage" -- -n 1 -d 0 -- --help
expect 2 "ground-demo: -n: expected an integer from 1 to 1000, got '1001'
$usage" -- -n 1001
expect 2 "ground-demo: -d: expected an integer from 0 to 60000, got ' 5'
$usage" -- -d ' 5'
expect 0 "" -- -n 1 -d 0
[[ $(cat "$TMP/out") == "step 1 of 1"$'\n'"1 steps of 0 ms took "* ]] ||
    { echo "ground-demo -n 1 -d 0: unexpected output:"; cat "$TMP/out"; exit 1; }
expect 0 "" -- -d 0 -n 2 --help
grep -qxF "$usage" "$TMP/out" || { echo "--help printed:"; cat "$TMP/out"; exit 1; }
echo "ok: ground-demo took $t ms for $n steps of $d ms; usage errors as expected"
