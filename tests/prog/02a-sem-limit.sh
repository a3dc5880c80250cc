#!/bin/bash
# sem-limit: never more than LIMIT threads inside at once.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
for args in "8 3 3 5" "8 1 2 2" "4 4 2 5" "16 5 2 3" "3 10 1 1" "12 2 50 0"; do
    # shellcheck disable=SC2086  # the arguments are split on purpose
    set -- $args
    out=$("$BIN/sem-limit" -w "$1" -c "$2" -n "$3" -d "$4")
    [[ $out =~ ^$1\ threads,\ limit\ $2:\ at\ most\ ([0-9]+)\ inside\ at\ once$ ]] ||
        fail "sem-limit -w $1 -c $2 printed '$out'"
    most=${BASH_REMATCH[1]}
    (( most >= 1 && most <= $2 && most <= $1 )) ||
        fail "sem-limit -w $1 -c $2: $most threads were inside at once"
done
check_cli sem-limit "-w 0" "-c 0" "-d -1" "-n x" "-z" "extra"
echo "sem-limit: ok"
