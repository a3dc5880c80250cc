#!/bin/bash
# false-sharing: both layouts count every addition, near (8 bytes apart)
# and padded (64 bytes apart); the command line as everywhere.  How long
# each takes is for make bench (bench/02e-ordering.sh), never a test.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs false-sharing
expect 0 "$BIN/false-sharing" -n 100000
expect_eq "false-sharing" "counters 8 bytes apart: 100000 and 100000" \
    "$(cat "$TMP/out")"
expect 0 "$BIN/false-sharing" -p -n 100000
expect_eq "false-sharing -p" "counters 64 bytes apart: 100000 and 100000" \
    "$(cat "$TMP/out")"
check_cli false-sharing "-n 0" "-n x" "-q" "extra"
echo "02e-false-sharing: ok"
