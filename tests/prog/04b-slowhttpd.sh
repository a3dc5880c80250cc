#!/bin/bash
# slowhttpd (chapter 4): the query parameters, keep-alive, 400 and 431 with
# close, slow and vanishing clients, /stats, the idle time-out (those by
# tests/support/slowhttpd-client.py), the open fd count returning to where
# it started, and a clean stop on SIGTERM.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
cd "$TMP"
. "$ROOT/tests/support/lib.sh"

check_cli slowhttpd "-p 70000"

# The idle time-out: long enough that the test's own pauses between two
# requests on a kept-alive connection never reach it, even when a
# sanitizer or a busy machine slows everything down.
IDLE_MS=2000
[[ -n ${SANITIZER:-} ]] && IDLE_MS=5000
spawn_server port.txt slowhttpd -i "$IDLE_MS"
SRV_PID=$SERVER_PID PORT=$SERVER_PORT
fds_before=$(find "/proc/$SRV_PID/fd" -mindepth 1 -maxdepth 1 | wc -l)

"$PY" "$ROOT/tests/support/slowhttpd-client.py" "$PORT" ||
    fail "client checks failed"

# Every connection's socket is closed again: the fd count is back.
fds_after=0
for _ in $(seq 1 100); do
    fds_after=$(find "/proc/$SRV_PID/fd" -mindepth 1 -maxdepth 1 | wc -l)
    [[ $fds_after == "$fds_before" ]] && break
    sleep 0.05
done
[[ $fds_after == "$fds_before" ]] ||
    fail "open fds: $fds_before before the clients, $fds_after after"

# SIGTERM with connections open, one of them waiting on a delay: exit 0.
"$PY" "$ROOT/tests/support/slowhttpd-hold.py" "$PORT" > hold.txt &
holder=$!
at_exit "kill $holder 2>/dev/null"
for _ in $(seq 1 1200); do
    [[ -s hold.txt ]] && break
    kill -0 "$holder" 2>/dev/null || fail "the holding client died"
    sleep 0.05
done
[[ -s hold.txt ]] || fail "the holding client never connected"
rc=0
server_stop "$SRV_PID" || rc=$?
kill "$holder" 2>/dev/null || true
SRV_PID=
[[ $rc == 0 ]] || fail "SIGTERM: expected exit 0, got $rc ($(cat port.txt.err))"
[[ ! -s port.txt.err ]] || fail "stderr not empty: $(cat port.txt.err)"
echo "slowhttpd: all checks passed"
