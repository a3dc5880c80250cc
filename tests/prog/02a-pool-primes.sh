#!/bin/bash
# pool-primes: the same, known, count of primes for any number of workers;
# spawn-threads prints its figure in the documented format.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
check() {   # check LIMIT EXPECTED WORKERS
    local out; out=$("$BIN/pool-primes" -w "$3" -n "$1")
    [[ $out == "$2 primes below $1" ]] || fail "pool-primes -w $3 -n $1 printed '$out'"
}
for w in 1 2 3 8; do
    check 0 0 $w; check 2 0 $w; check 3 1 $w; check 100 25 $w
    check 10001 1229 $w; check 200000 17984 $w
done
check 1000000 78498 2
out=$("$BIN/pool-primes")
[[ $out == "78498 primes below 1000000" ]] || fail "pool-primes printed '$out'"
check_cli pool-primes "-w 0"
out=$("$BIN/spawn-threads" -n 50)
[[ $out =~ ^50\ threads\ created\ and\ joined:\ [0-9.]+\ us\ each$ ]] || fail "spawn-threads printed '$out'"
check_cli spawn-threads "-n 0"
echo "pool-primes and spawn-threads: ok"
