#!/bin/bash
# Issue 14: echo-uv stopped by SIGTERM while a client is paused by
# backpressure, with writes queued for it: the server must close the
# client and exit 0, as documented. The bug the issue found (a queued
# write completing in the same turn of the loop as the signal, its
# callback then delivered with status 0 during the close, and reading
# resumed on a closing handle: uv_read_start failed with EINVAL, exit 1)
# needs the kernel to free send-buffer space between two writes of one
# callback, which a test cannot order. This test brings the server as
# near as it can: the client fills the server's queue until reading is
# paused, the server is stopped (SIGSTOP), the client reads everything,
# then SIGTERM and SIGCONT arrive together, so the queued writes and the
# signal are handled in one poll.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
. "$ROOT/tests/support/lib.sh"
[[ -x $BIN/echo-uv ]] || { echo "skip: no $BIN/echo-uv"; exit 77; }
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
source "$ROOT/tests/support/server.sh"
at_exit server_kill_all

server_start echo-uv "$TMP/echo.out"
st=0
"$PY" - "$PORT" "$SRV_PID" <<'PYEOF' || st=$?
import os, select, signal, socket, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port))
s.setblocking(False)
block = b"x" * 65536
# Send without reading until the socket stays unwritable: the server
# stopped reading (backpressure) and every buffer on the way is full.
while True:
    try:
        s.send(block)
        continue
    except BlockingIOError:
        pass
    if not select.select([], [s], [], 3.0)[1]:
        break
os.kill(pid, signal.SIGSTOP)
# Read all that the kernel holds for us, until nothing more comes.
got = 0
while select.select([s], [], [], 1.0)[0]:
    data = s.recv(1 << 20)
    if not data:
        break
    got += len(data)
os.kill(pid, signal.SIGTERM)
os.kill(pid, signal.SIGCONT)
PYEOF
[[ $st == 0 ]] || fail "the client failed ($st)"
for ((i = 0; i < 600; i++)); do
    kill -0 "$SRV_PID" 2>/dev/null || break
    sleep 0.1
done
rc=0
wait "$SRV_PID" || rc=$?
[[ $rc == 0 ]] || fail "echo-uv exited $rc after SIGTERM, expected 0: $(cat "$TMP/echo.out.err")"
grep -q 'pauses=[1-9]' "$TMP/echo.out" ||
    { echo "skip: the client never made the server pause: $(tail -n 1 "$TMP/echo.out")"; exit 77; }
echo "ok: $(tail -n 1 "$TMP/echo.out")"
