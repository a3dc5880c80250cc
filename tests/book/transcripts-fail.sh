#!/bin/bash
# transcripts-fail.sh: the runner of shown runs (tests/support/
# transcripts.py) can fail.  On a fixture chapter it passes and counts
# "4 checked of 5 shown"; then one character changed in a deterministic
# output, a line of an interleaving moved out of its worker's order, an
# unmarked shown run, a hidden command that prints something else, or a
# fence whose attributes pandoc would drop, each make it fail; and so does
# one digit changed in a run of chapter 2.
set -uo pipefail
: "${BIN:?}" "${BUILD:?}" "${ROOT:?}" "${TMP:?}"
fixture=$ROOT/tests/book/fixtures/transcripts.nw
fails=0
runner() { python3 "$ROOT/tests/support/transcripts.py" "$@" >"$TMP/out" 2>&1; }
expect_fail() {   # expect_fail WHAT SED-SCRIPT
    sed -e "$2" "$fixture" >"$TMP/bad.nw"
    if cmp -s "$fixture" "$TMP/bad.nw"; then
        echo "FAIL: the edit '$2' changed nothing"; fails=$((fails + 1))
    elif runner "$TMP/bad.nw"; then
        echo "FAIL: the runner passed with $1:"; cat "$TMP/out"
        fails=$((fails + 1))
    else
        echo "ok   fails with $1"
    fi
}

if runner "$fixture" && grep -qx '4 checked of 5 shown' "$TMP/out"; then
    echo "ok   the fixture passes: $(tail -n 1 "$TMP/out")"
else
    echo "FAIL: the fixture should pass with 4 checked of 5 shown:"
    cat "$TMP/out"; fails=$((fails + 1))
fi
expect_fail "one character changed in an output" 's/^two$/twp/'
expect_fail "a status changed" 's/^status 3$/status 2/'
expect_fail "a worker's lines out of order" '/^w1: a$/{N;N;s/w1: a\nw2: a\nw1: b/w1: b\nw2: a\nw1: a/}'
expect_fail "a changed word beside a varying part" 's/^it took 17 ms$/it took 17 s/'
expect_fail "a hidden command's output changed" 's/^hidden output$/hidden outpu/'
expect_fail "a fence pandoc would show as inline code" 's/vary="took/vary=" took/'
# shellcheck disable=SC2016  # the backticks are the fence, not a command
expect_fail "a shown run without {.run}" 's/^```{.run #det}$/```/'

# The same on a real chapter: one digit of a shown run of chapter 2.
ch=$ROOT/chapters/02a-threads.nw
if runner --only pool-primes-run "$ch" && grep -qx '1 checked of 1 shown' "$TMP/out"; then
    echo "ok   chapter 2's pool-primes run passes as it is"
else
    echo "FAIL: chapter 2's pool-primes run should pass:"; cat "$TMP/out"
    fails=$((fails + 1))
fi
sed 's/^78498 primes below 1000000$/78497 primes below 1000000/' "$ch" >"$TMP/02a-threads.nw"
if cmp -s "$ch" "$TMP/02a-threads.nw"; then
    echo "FAIL: no line '78498 primes below 1000000' in $ch"; fails=$((fails + 1))
elif runner --only pool-primes-run "$TMP/02a-threads.nw"; then
    echo "FAIL: the runner passed chapter 2 with one digit changed:"
    cat "$TMP/out"; fails=$((fails + 1))
else
    echo "ok   fails with one digit of chapter 2's pool-primes run changed"
fi
exit $((fails > 0))
