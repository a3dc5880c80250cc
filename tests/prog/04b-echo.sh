#!/bin/bash
# echo-uv and echo-load (chapter 4): ten thousand simultaneous connections
# with every byte echoed; backpressure keeps the memory of a server whose
# client never reads bounded (and turning it off with -B does not); with a
# low descriptor limit the server survives EMFILE, keeps serving the
# clients it has, and accepts again once some leave.
set -euo pipefail
: "${BIN:?}" "${TMP:?}"
cd "$TMP"
. "${ROOT:?}/tests/support/lib.sh"

ECHO_SERVER=echo-uv
. "$ROOT/tests/support/echo-checks.sh"
echo_conns

check_cli echo-uv "-p 99999"
check_cli echo-load "-p 99999"

# 1. CONNS connections at once, 5 messages of 64 bytes each, all checked.
start_echo one.txt
"$BIN/echo-load" -p "$PORT" -C "$CONNS" -k 5 -s 64 -t 240000 > load.txt \
    || fail "echo-load failed: $(cat load.txt)"
cat load.txt
want="connections=$CONNS failed=0 messages=$((CONNS * 5)) bytes=$((CONNS * 320))"
grep -qx "$want" load.txt || fail "expected '$want...', got '$(cat load.txt)'"
stop_echo one.txt
grep -q "^max_connections=$CONNS bytes=$((CONNS * 320)) " one.txt ||
    fail "server counts: $(tail -n 1 one.txt)"

# 2. A client that never reads; 3. EMFILE (tests/support/echo-checks.sh).
echo_backpressure_checks
echo_emfile_check
echo "echo: all checks passed"
