#!/bin/bash
# slowhttpd (chapter 4): the query parameters, keep-alive, 400 and 431 with
# close, slow and vanishing clients, /stats, the idle time-out, the open fd
# count returning to where it started, and a clean stop on SIGTERM.
set -euo pipefail
: "${BIN:?}" "${TMP:?}"
cd "$TMP"

fail() { echo "FAIL: $*" >&2; exit 1; }

source "${ROOT:?}/tests/support/server.sh"

# --help and usage errors.
check_usage slowhttpd -p 70000

# Start a server on a port of the kernel's choosing; read the port back.
start_server() {   # start_server OUTFILE ARGS...: sets SRV_PID and PORT
    server_start slowhttpd "$@"
}
trap server_kill_all EXIT

# The idle time-out: long enough that the test's own pauses between two
# requests on a kept-alive connection never reach it, even when a
# sanitizer or a busy machine slows everything down.
IDLE_MS=2000
[[ -n ${SANITIZER:-} ]] && IDLE_MS=5000
start_server port.txt -i "$IDLE_MS"
fds_before=$(ls "/proc/$SRV_PID/fd" | wc -l)

cat > client.py <<'EOF'
import socket, sys, time

PORT = int(sys.argv[1])
failures = 0

def check(cond, what, got=None):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what, "" if got is None else "-- got %r" % (got,))

def conn():
    s = socket.create_connection(("127.0.0.1", PORT))
    s.settimeout(20)
    return s

def read_until_eof(s):
    data = b""
    while True:
        try:
            b = s.recv(65536)
        except ConnectionResetError:
            return data + b"<RESET>"
        if not b:
            return data
        data += b

def read_response(f):
    """One response with Content-Length from f, a file made by makefile()."""
    status = f.readline()
    if not status:
        return b"", b""
    head, length = status, 0
    while True:
        line = f.readline()
        if line in (b"\r\n", b""):
            break
        head += line
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    return head, f.read(length)

def pattern(n):
    return bytes(ord("a") + i % 26 for i in range(n))

def get(path, keep=False):
    s = conn()
    conn_hdr = "keep-alive" if keep else "close"
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: %s\r\n\r\n"
               % (path, conn_hdr)).encode())
    data = read_until_eof(s)
    s.close()
    return data

requests = 0   # responses the server has completed, for /stats

# Plain, delayed, sized.
r = get("/a?delay=50&size=1000")
requests += 1
check(r.startswith(b"HTTP/1.1 200 OK\r\n"), "size=1000: status", r[:40])
check(b"Content-Length: 1000\r\n" in r, "size=1000: length header", r[:200])
check(r.endswith(b"\r\n\r\n" + pattern(1000)), "size=1000: body")

# Chunked: decode and compare.
r = get("/c?size=70000&chunked=1")
requests += 1
head, _, rest = r.partition(b"\r\n\r\n")
check(b"Transfer-Encoding: chunked" in head, "chunked: header", head)
body = b""
while True:
    line, _, rest = rest.partition(b"\r\n")
    n = int(line, 16)
    if n == 0:
        check(rest == b"\r\n", "chunked: final CRLF", rest)
        break
    body += rest[:n]
    check(rest[n:n + 2] == b"\r\n", "chunked: chunk CRLF")
    rest = rest[n + 2:]
check(body == pattern(70000), "chunked: body", len(body))

# close=1: no length, body delimited by the close.
r = get("/d?size=5000&close=1", keep=True)
requests += 1
head, _, body = r.partition(b"\r\n\r\n")
check(b"Content-Length" not in head and b"chunked" not in head,
      "close=1: no framing", head)
check(body == pattern(5000), "close=1: body", len(body))

# truncate=1: promises N, sends N/2, closes.
r = get("/e?size=1000&truncate=1", keep=True)
requests += 1
head, _, body = r.partition(b"\r\n\r\n")
check(b"Content-Length: 1000" in head, "truncate=1: promise", head)
check(body == pattern(500), "truncate=1: half the body", len(body))

# bad=1: a status line no client accepts, then close.
r = get("/f?bad=1", keep=True)
requests += 1
check(not r.startswith(b"HTTP/1."), "bad=1: malformed status line", r)

# Malformed requests: 400 and close.
for raw in [b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
            b"GET /\x00 HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\n folded\r\n\r\n",
            b"GET /?delay=abc HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n" + b"junk" * 1000]:
    s = conn()
    s.sendall(raw)
    r = read_until_eof(s)
    s.close()
    requests += 1
    check(r.startswith(b"HTTP/1.1 400 "), "malformed %r: 400" % raw[:30], r[:40])
    check(b"Connection: close" in r, "malformed: Connection: close")

# A header over 8 KiB: 431 and close.
s = conn()
s.sendall(b"GET / HTTP/1.1\r\nX-Big: " + b"x" * 9000 + b"\r\n\r\n")
r = read_until_eof(s)
s.close()
requests += 1
check(r.startswith(b"HTTP/1.1 431 "), "oversized header: 431", r[:40])

# Keep-alive: two requests on one connection, the second pipelined
# behind a delayed first, plus a body the server must skip.
keep = conn()
keepf = keep.makefile("rb")
keep.sendall(b"GET /k1?size=10&delay=100 HTTP/1.1\r\nContent-Length: 5\r\n\r\n"
             b"HELLOGET /k2?size=20 HTTP/1.1\r\n\r\n")
h1, b1 = read_response(keepf)
h2, b2 = read_response(keepf)
requests += 2
check(h1.startswith(b"HTTP/1.1 200") and b1 == pattern(10), "keep-alive 1", (h1, b1))
check(h2.startswith(b"HTTP/1.1 200") and b2 == pattern(20), "keep-alive 2", (h2, b2))

# A slow client, one byte at a time, is still served; meanwhile clients
# that vanish in the middle of a request do not disturb it.
slow = conn()
slowf = slow.makefile("rb")
req = b"GET /slow?size=100 HTTP/1.1\r\nHost: slow\r\n\r\n"
for i, byte in enumerate(req):
    slow.sendall(bytes([byte]))
    if i % 8 == 0:
        v = conn()
        v.sendall(b"GET /vanish?size=10 HT")
        v.close()
    time.sleep(0.002)
h, b = read_response(slowf)
requests += 1
check(h.startswith(b"HTTP/1.1 200") and b == pattern(100), "slow client", (h, b))

# A client that resets the connection while its response is delayed.
v = conn()
v.sendall(b"GET /gone?delay=100&size=100000 HTTP/1.1\r\n\r\n")
v.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
v.close()

# The kept-alive connection still works after all that.
keep.sendall(b"GET /k3?size=30 HTTP/1.1\r\n\r\n")
h3, b3 = read_response(keepf)
requests += 1
check(b3 == pattern(30), "keep-alive 3 after the disturbances", (h3, b3))
keep.close()
slow.close()

# Many at once: /stats sees them all.
many = []
for i in range(50):
    s = conn()
    s.sendall(b"GET /m?delay=300&size=1 HTTP/1.1\r\n\r\n")
    many.append(s)
for s in many:
    h, b = read_response(s.makefile("rb"))
    requests += 1
    check(b == b"a", "many: body", (h, b))
for s in many:
    s.close()

# The idle client is closed by the server (-i IDLE_MS).
idle = conn()
r = read_until_eof(idle)
check(r == b"", "idle client closed without a word", r)
idle.close()

# /stats, once the server has seen every close: only this connection.
for attempt in range(400):
    r = get("/stats")
    body = r.partition(b"\r\n\r\n")[2].decode()
    fields = dict(kv.split("=") for kv in body.split())
    if fields["connections"] == "1":
        break
    requests += 1
    time.sleep(0.05)
check(fields["connections"] == "1", "stats: connections", body)
check(int(fields["max_connections"]) >= 50, "stats: max_connections >= 50", body)
check(int(fields["requests"]) == requests, "stats: requests == %d" % requests, body)
print("stats:", body.strip())
sys.exit(1 if failures else 0)
EOF

python3 client.py "$PORT" || fail "client checks failed"

# Every connection's socket is closed again: the fd count is back.
fds_after=0
for _ in $(seq 1 100); do
    fds_after=$(ls "/proc/$SRV_PID/fd" | wc -l)
    [[ $fds_after == "$fds_before" ]] && break
    sleep 0.05
done
[[ $fds_after == "$fds_before" ]] ||
    fail "open fds: $fds_before before the clients, $fds_after after"

# SIGTERM with connections open, one of them waiting on a delay: exit 0.
python3 - "$PORT" <<'EOF' &
import socket, sys, time
a = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
b = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
b.sendall(b"GET /?delay=60000 HTTP/1.1\r\n\r\n")
time.sleep(30)
EOF
holder=$!
sleep 0.3
kill -TERM "$SRV_PID"
set +e
wait "$SRV_PID"; rc=$?
set -e
kill "$holder" 2>/dev/null || true
SRV_PID=
[[ $rc == 0 ]] || fail "SIGTERM: expected exit 0, got $rc ($(cat port.txt.err))"
[[ ! -s port.txt.err ]] || fail "stderr not empty: $(cat port.txt.err)"
echo "slowhttpd: all checks passed"
