#!/bin/bash
# Issue 14: slowhttpd under hostile clients, and SIGTERM with work in
# flight. (1) A client trickling a request head a byte at a time, or
# blank lines forever, is closed once -i IDLE_MS have passed since the
# request began (the idle timer used to restart on every byte). (2) A
# client that resets its connection while the server waits out
# ?delay= is forgotten at once (the server used not to watch the socket
# while waiting, and kept the descriptor for the whole delay). (3)
# SIGTERM with requests waiting and a response being written: exit 0,
# every connection closed. The clients are tests/support/
# slowhttpd-hostile.py. No step depends on timing to pass: each waits
# for a condition, with generous limits.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs slowhttpd
hostile=$ROOT/tests/support/slowhttpd-hostile.py

spawn_server "$TMP/srv.out" slowhttpd -i 1000
"$PY" "$hostile" trickle "$SERVER_PORT" || fail "trickling client (see above)"
"$PY" "$hostile" reset "$SERVER_PORT" ||
    fail "reset during the delay (see above)"
"$PY" "$hostile" term "$SERVER_PORT" "$SERVER_PID" ||
    fail "SIGTERM with work in flight"
st=0
server_wait "$SERVER_PID" || st=$?
[[ $st == 0 ]] ||
    fail "slowhttpd exited $st after SIGTERM, expected 0: $(cat "$TMP/srv.out.err")"
echo "ok"
