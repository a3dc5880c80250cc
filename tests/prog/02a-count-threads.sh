#!/bin/bash
# count-threads: every line of every sequence exactly once, each worker's
# lines in order; --help and usage errors as every program of the book.
# (The run the book shows: tests/book/transcripts.sh, which checks each
# worker's lines against a real run's.)
set -euo pipefail
prog=$BIN/count-threads
. "$ROOT/tests/support/lib.sh"

# check_run OUT W N: OUT holds W workers' sequences 1..N, each in order.
check_run() {
    awk -v w="$2" -v n="$3" '
        !/^worker [0-9]+: [0-9]+$/ { print "bad line: " $0; bad = 1; next }
        { k = $2; sub(/:$/, "", k); k += 0; i = $3 + 0
          if (k < 1 || k > w || i < 1 || i > n) { print "out of range: " $0; bad = 1 }
          else if (i != last[k] + 1) { print "worker " k " printed " i " after " last[k]; bad = 1 }
          else last[k] = i
          lines++ }
        END { for (k = 1; k <= w; k++)
                  if (last[k] != n) { print "worker " k " stopped at " last[k] + 0; bad = 1 }
              if (lines != w * n) { print lines " lines, expected " w * n; bad = 1 }
              exit bad }' "$1" ||
        fail "the output of -w $2 -n $3 is not every line once, in order per worker:
$(cat "$1")"
}

"$prog" > "$TMP/out"                      # the defaults: 3 workers, 5 lines
check_run "$TMP/out" 3 5
for args in "1 1" "2 7" "8 20" "50 3"; do
    # shellcheck disable=SC2086  # the arguments are split on purpose
    set -- $args
    "$prog" -w "$1" -n "$2" -d 0 > "$TMP/out"
    check_run "$TMP/out" "$1" "$2"
done
"$prog" -w 4 -n 3 -d 2 > "$TMP/out"
check_run "$TMP/out" 4 3

check_cli count-threads "-w 0" "-w 1001" "-w abc" "-n 0" "-d -1" "-x" "-w" \
    "extra"
echo "count-threads: ok"
