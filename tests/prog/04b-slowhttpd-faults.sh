#!/bin/bash
# Issue 14: slowhttpd under hostile clients, and SIGTERM with work in
# flight. (1) A client trickling a request head a byte at a time, or
# blank lines forever, is closed once -i IDLE_MS have passed since the
# request began (the idle timer used to restart on every byte). (2) A
# client that resets its connection while the server waits out
# ?delay= is forgotten at once (the server used not to watch the socket
# while waiting, and kept the descriptor for the whole delay). (3)
# SIGTERM with requests waiting and a response being written: exit 0,
# every connection closed. No step depends on timing to pass: each
# waits for a condition, with generous limits.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
. "$ROOT/tests/support/lib.sh"
[[ -x $BIN/slowhttpd ]] || { echo "skip: no $BIN/slowhttpd"; exit 77; }
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
source "$ROOT/tests/support/server.sh"
at_exit server_kill_all

server_start slowhttpd "$TMP/srv.out" -i 1000

# (1) Trickle: one byte every 0.2 s; the whole head takes 100 sends (20
# s). The server must close the connection long before the last byte.
"$PY" - "$PORT" <<'PYEOF' || fail "trickling client (see above)"
import socket, sys, time
port = int(sys.argv[1])
def trickle(data, label):
    s = socket.create_connection(("127.0.0.1", port))
    for i, b in enumerate(data):
        try:
            s.send(bytes([b]))
        except (BrokenPipeError, ConnectionResetError):
            print(f"{label}: closed by the server after {i} bytes")
            return
        s.settimeout(0.2)
        try:
            if s.recv(4096) == b"":
                print(f"{label}: closed by the server after {i + 1} bytes")
                return
            print(f"FAIL: {label}: the server answered after {i + 1} bytes")
            sys.exit(1)
        except socket.timeout:
            pass
        except ConnectionResetError:
            print(f"{label}: reset by the server after {i + 1} bytes")
            return
    print(f"FAIL: {label}: still open after all {len(data)} bytes")
    sys.exit(1)
trickle(b"GET /?size=1 HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * 54
        + b"\r\n\r\n", "a head a byte at a time")
trickle(b"\r\n" * 50, "blank lines")
PYEOF

# (2) A client asks for a 60 s delay and resets its connection at once:
# /stats must come back to one connection (itself) well before 60 s.
"$PY" - "$PORT" <<'PYEOF' || fail "reset during the delay (see above)"
import socket, struct, sys, time
port = int(sys.argv[1])
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET /?delay=60000 HTTP/1.1\r\nHost: x\r\n\r\n")
def stats():
    t = socket.create_connection(("127.0.0.1", port))
    t.sendall(b"GET /stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        d = t.recv(4096)
        if not d:
            break
        data += d
    t.close()
    return data.decode()
for _ in range(300):                  # the request is waiting
    if "connections=2 " in stats():
        break
    time.sleep(0.1)
else:
    print("FAIL: the delayed request never showed in /stats"); sys.exit(1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()                             # a reset, not an orderly close
for _ in range(300):                  # up to 30 s, half the delay
    if "connections=1 " in stats():
        print("reset during the delay: connection released")
        sys.exit(0)
    time.sleep(0.1)
print("FAIL: the reset connection is still held 30 s later:", stats())
sys.exit(1)
PYEOF

# (3) SIGTERM with work in flight: two requests waiting, one endless
# body being written. slowhttpd must close them all and exit 0.
"$PY" - "$PORT" "$SRV_PID" <<'PYEOF' || fail "SIGTERM with work in flight"
import os, signal, socket, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
conns = []
for target in ("/?delay=60000", "/?delay=60000", "/?size=1000000000000"):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    conns.append(s)
conns[2].recv(4096)                   # the body has started
os.kill(pid, signal.SIGTERM)
for s in conns:                       # every connection is closed
    s.settimeout(60)
    try:
        while s.recv(1 << 20):
            pass
    except ConnectionResetError:
        pass
PYEOF
for ((i = 0; i < 600; i++)); do
    kill -0 "$SRV_PID" 2>/dev/null || break
    sleep 0.1
done
st=0
wait "$SRV_PID" || st=$?
[[ $st == 0 ]] || fail "slowhttpd exited $st after SIGTERM, expected 0: $(cat "$TMP/srv.out.err")"
echo "ok"
