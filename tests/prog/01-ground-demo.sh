#!/bin/bash
# 01-ground-demo.sh: the transcript of ground-demo that chapter 1 shows is
# what the program prints.  Every "$ command" line of the block
# {#ground-demo-session} in chapters/01-introduction.nw is run again, in
# order, in one shell (so "echo $?" sees the previous command's status),
# with standard error merged into standard output as a terminal shows it.
# The measured time is the only part that may differ; of it, the test
# checks only the lower bound (the time slept), never an upper bound.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"

nw=$ROOT/chapters/01-introduction.nw
bin=$(cd "$BIN" && pwd)
[[ -x $bin/ground-demo ]] || { echo "no $bin/ground-demo"; exit 1; }
[[ -w /dev/full ]] || { echo "skipped: no writable /dev/full"; exit 77; }

# The transcript, as the book shows it.
awk '/^```\{#ground-demo-session/ { on = 1; next }
     on && /^```/ { exit }
     on' "$nw" > "$TMP/book.txt"
[[ -s $TMP/book.txt ]] || { echo "no ground-demo-session block in $nw"; exit 1; }

# The commands say build/bin/ground-demo: make that path lead to $BIN.
mkdir -p "$TMP/run/build"
ln -s "$bin" "$TMP/run/build/bin"

# Run each command, printing it first as the transcript does.
status=0
: > "$TMP/real.txt"
while IFS= read -r line <&3; do
    [[ $line == '$ '* ]] || continue
    printf '%s\n' "$line" >> "$TMP/real.txt"
    set +e
    (cd "$TMP/run" && (exit $status); { eval "${line#'$ '}"; } </dev/null 2>&1) \
        >> "$TMP/real.txt"
    status=$?
    set -e
done 3< "$TMP/book.txt"

normalise() { sed -E 's/ took [0-9]+ ms$/ took (some) ms/' "$1"; }
if ! diff -u <(normalise "$TMP/book.txt") <(normalise "$TMP/real.txt") \
        > "$TMP/diff.txt"; then
    echo "the book's transcript (---) differs from a real run (+++):"
    cat "$TMP/diff.txt"
    exit 1
fi

# Every "N steps of D ms took T ms" line: T must be at least N * D.
while read -r n _ _ d _ _ t _; do
    if (( t < n * d )); then
        echo "expected at least $((n * d)) ms for $n steps of $d ms, got $t ms"
        exit 1
    fi
done < <(grep -E '^[0-9]+ steps of [0-9]+ ms took [0-9]+ ms$' "$TMP/real.txt")

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
echo "ok: $(grep -c '^\$ ' "$TMP/book.txt") commands of the transcript match"
