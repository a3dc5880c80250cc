#!/bin/bash
# echo-uv and echo-load (chapter 4): ten thousand simultaneous connections
# with every byte echoed; backpressure keeps the memory of a server whose
# client never reads bounded (and turning it off with -B does not); with a
# low descriptor limit the server survives EMFILE, keeps serving the
# clients it has, and accepts again once some leave.
set -euo pipefail
: "${BIN:?}" "${TMP:?}"
cd "$TMP"
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

fail() { echo "FAIL: $*" >&2; exit 1; }

# Ten thousand connections; a thousand under a sanitizer, whose shadow
# memory and slower code make ten thousand take minutes.
CONNS=10000
[[ -n ${SANITIZER:-} ]] && CONNS=1000
hard=$(ulimit -Hn)
if [[ $hard != unlimited && $hard -lt $((CONNS + 100)) ]]; then
    echo "the hard limit on open files is $hard: using fewer connections"
    CONNS=$((hard - 100))
fi
echo "connections: $CONNS"

source "${ROOT:?}/tests/support/server.sh"
trap server_kill_all EXIT

# --help and usage errors.
for p in echo-uv echo-load; do
    check_usage "$p" -p 99999
done

start_echo() {   # start_echo OUT [ARGS...]: sets SRV_PID and PORT
    server_start echo-uv "$@"
}
stop_echo() {    # stop_echo OUT: SIGTERM, expect exit 0
    kill -TERM "$SRV_PID"
    set +e
    wait "$SRV_PID"; local rc=$?
    set -e
    [[ $rc == 0 ]] || fail "echo-uv: SIGTERM: exit $rc ($(cat "$1.err"))"
}
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$SRV_PID/status"; }

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

# 2. A client that sends 100 MB and never reads. With backpressure the
# server's peak memory grows by less than 16 MB; with -B it keeps
# everything it reads, so the same client makes it grow by far more.
cat > noread.py <<'EOF'
import select, socket, sys
port, total = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port))
s.setblocking(False)
chunk, sent = b"x" * 65536, 0
while sent < total:
    _, w, _ = select.select([], [s], [], 2.0)
    if not w:
        break                 # blocked for 2 s: the server stopped reading
    try:
        sent += s.send(chunk[: total - sent])
    except BlockingIOError:
        pass
print(sent)
EOF
push() {   # push ARGS: peak growth of a fresh server's memory, in KiB
    start_echo push.txt "$@"
    local before after
    before=$(kb VmRSS)
    "$PY" noread.py "$PORT" 100000000 > sent.txt
    after=$(kb VmHWM)
    stop_echo push.txt
    echo $((after - before))
}
grow=$(push)
echo "no reader, backpressure: the server grew by $grow KiB (pushed $(cat sent.txt) bytes)"
grep -q 'pauses=[1-9]' push.txt || fail "backpressure never paused: $(tail -n 1 push.txt)"
[[ $grow -lt 16384 ]] || fail "with backpressure the server grew by $grow KiB (limit 16384)"
grow_b=$(push -B)
echo "no reader, -B:           the server grew by $grow_b KiB (pushed $(cat sent.txt) bytes)"
[[ $grow_b -gt 32768 ]] ||
    fail "without backpressure the server grew by only $grow_b KiB: the check above proves nothing"

# 3. EMFILE: at most 64 descriptors. 100 clients connect; those beyond the
# limit are closed at once (not left hanging); the others are served, and
# still are after; once 20 leave, a new client is served.
cat > emfile.py <<'EOF'
import socket, sys, time
port = int(sys.argv[1])
def echo(s, msg):
    s.sendall(msg)
    got = b""
    while len(got) < len(msg):
        b = s.recv(100)
        if not b:
            return "closed"
        got += b
    return "served" if got == msg else "wrong"
def attempt(s, msg):
    try:
        return echo(s, msg)
    except socket.timeout:
        return "hung"
    except OSError:
        return "closed"
socks = []
for i in range(100):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(20)
    socks.append(s)
res = [attempt(s, b"ping %d" % i) for i, s in enumerate(socks)]
served = [s for s, r in zip(socks, res) if r == "served"]
print("served", len(served), "closed", res.count("closed"),
      "hung", res.count("hung"), "wrong", res.count("wrong"))
bad = res.count("hung") + res.count("wrong")
ok = 0 < len(served) < 100 and bad == 0
for s, r in zip(socks, res):
    if r != "served":
        s.close()
for s in served[:20]:
    s.close()
time.sleep(0.5)
for attempt_no in range(50):        # the server sees the closes soon
    new = socket.create_connection(("127.0.0.1", port))
    new.settimeout(20)
    r = attempt(new, b"again")
    if r == "served":
        break
    new.close()
    time.sleep(0.1)
print("a new client after 20 left:", r)
old = [attempt(s, b"more") for s in served[20:]]
print("the old clients:", "all served" if old.count("served") == len(old) else old)
sys.exit(0 if ok and r == "served" and old.count("served") == len(old) else 1)
EOF
(ulimit -n 64; exec "$BIN/echo-uv" -p 0 > emfile.txt 2> emfile.txt.err) &
SRV_PID=$!
SERVER_PIDS+=("$SRV_PID")
for _ in $(seq 1 200); do [[ -s emfile.txt ]] && break; sleep 0.05; done
PORT=$(head -n 1 emfile.txt)
[[ $PORT =~ ^[0-9]+$ ]] || fail "echo-uv under ulimit -n 64: no port ($(cat emfile.txt.err))"
"$PY" emfile.py "$PORT" || fail "EMFILE: the server did not survive as it should"
kill -0 "$SRV_PID" || fail "EMFILE: the server died"
stop_echo emfile.txt
echo "echo: all checks passed"
