#!/bin/bash
# Issue 14: echo-uv stopped by SIGTERM while a client is paused by
# backpressure, with writes queued for it: the server must close the
# client and exit 0, as documented. The client (tests/support/
# echo-pause-term.py) fills the server's queue until reading is paused,
# stops the server (SIGSTOP), reads everything, then sends SIGTERM and
# SIGCONT together, so the queued writes and the signal are handled in
# one poll. (The exact race the issue found, a write completed in the
# same turn and reported during the close, cannot be ordered through
# sockets: 04b-echo-close.sh drives echo-uv's code into it.)
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs echo-uv

spawn_server "$TMP/echo.out" echo-uv
"$PY" "$ROOT/tests/support/echo-pause-term.py" "$SERVER_PORT" \
    "$SERVER_PID" || fail "the client failed"
rc=0
server_wait "$SERVER_PID" || rc=$?
[[ $rc == 0 ]] ||
    fail "echo-uv exited $rc after SIGTERM, expected 0: $(cat "$TMP/echo.out.err")"
grep -q 'pauses=[1-9]' "$TMP/echo.out" || {
    echo "skip: the client never made the server pause: $(tail -n 1 "$TMP/echo.out")"
    exit 77
}
echo "ok: $(tail -n 1 "$TMP/echo.out")"
