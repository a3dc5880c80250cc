#!/bin/bash
# Chapter 3, proc-cost: runs, prints its five lines with a number each,
# leaves no child behind. (No time is checked.)
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
out=$("$BIN/reap-check" "$BIN/proc-cost" -n 3 -m 8)
for what in "fork + _exit + waitpid" "fork + exec true + waitpid" \
            "posix_spawn true + waitpid" "pthread_create + join" \
            "pipe round trip (1 byte)"; do
    # shellcheck disable=SC2001  # sed escapes three characters at once
    grep -Eq "^$(sed 's/[+()]/\\&/g' <<<"$what"): +[0-9]+\.[0-9] us$" <<<"$out" \
        || fail "no line for '$what' in:
$out"
done
[[ $(wc -l <<<"$out") == 5 ]] || fail "expected 5 lines: $out"
check_cli proc-cost "-n 0"
echo "03g-proc-cost: ok"
