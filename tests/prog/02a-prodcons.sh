#!/bin/bash
# prodcons: every item consumed exactly once, whatever the numbers of
# producers and consumers and the capacity of the queue.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
n=2000
[[ -n ${SANITIZER:-} ]] && n=300
for args in "1 1 1" "2 2 8" "4 1 2" "1 4 2" "8 8 1" "3 5 100"; do
    # shellcheck disable=SC2086  # the arguments are split on purpose
    set -- $args
    out=$("$BIN/prodcons" -w "$1" -c "$2" -q "$3" -n $n)
    total=$(( $1 * n ))
    last=$(tail -n 1 <<<"$out")
    [[ $last == "all $total items consumed once, sum $(( total * (total + 1) / 2 ))" ]] ||
        fail "prodcons -w $1 -c $2 -q $3 -n $n ended with '$last'"
    shares=$(grep -c '^consumer [0-9]*: [0-9]* items$' <<<"$out")
    [[ $shares == "$2" ]] || fail "expected $2 consumer lines, got: $out"
    sum=$(awk '/^consumer [0-9]*: [0-9]* items$/ { s += $3 } END { print s + 0 }' <<<"$out")
    [[ $sum == "$total" ]] || fail "consumer shares add up to $sum, not $total"
done
out=$("$BIN/prodcons" -n 0)
[[ $(tail -n 1 <<<"$out") == "all 0 items consumed once, sum 0" ]] || fail "-n 0: $out"
check_cli prodcons "-w 0" "-c 0" "-q 0" "-n x" "-z" "extra"
echo "prodcons: ok"
