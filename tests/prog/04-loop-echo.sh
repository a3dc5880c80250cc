#!/bin/bash
# tests/prog/04-loop-echo.sh: echo-loop, the echo server on the hand-made
# loop (chapter 4, 04-loop-by-hand.nw), driven as tests/prog/04b-echo.sh
# drives echo-uv: a round trip; ten thousand simultaneous connections
# from echo-load (a separate process), every byte checked, with the epoll
# backend, and a thousand with poll; backpressure bounds the memory of a
# server whose client never reads (and -B does not); with a low
# descriptor limit the server survives EMFILE and accepts again later.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
cd "$TMP"
. "$ROOT/tests/support/lib.sh"
need_programs echo-loop echo-load

ECHO_SERVER=echo-loop
. "$ROOT/tests/support/echo-checks.sh"
echo_conns

check_cli echo-loop "-p 99999" "-E select" "-a nowhere" "extra"


# 1. One round trip, by hand, with each backend.
for be in poll epoll; do
    start_echo rt.txt -E "$be"
    got=$("$PY" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"hello, loop\n"); s.shutdown(socket.SHUT_WR)
got = b""
while True:
    b = s.recv(100)
    if not b: break
    got += b
print(got.decode(), end="")' "$PORT")
    [[ $got == "hello, loop" ]] || bad "echo-loop -E $be: sent 'hello, loop', got '$got'"
    stop_echo rt.txt
    grep -qx 'max_connections=1 bytes=12 pauses=0' rt.txt ||
        bad "echo-loop -E $be: counts: $(tail -n 1 rt.txt)"
done

# 2. Many connections at once, 5 messages of 64 bytes each, all checked.
load() {   # load BACKEND N
    start_echo many.txt -E "$1"
    "$BIN/echo-load" -p "$PORT" -C "$2" -k 5 -s 64 -t 240000 >load.txt ||
        fail "echo-load against -E $1 failed: $(cat load.txt)"
    cat load.txt
    local want="connections=$2 failed=0 messages=$(($2 * 5)) bytes=$(($2 * 320))"
    grep -qx "$want" load.txt || bad "-E $1: expected '$want', got '$(head -n 1 load.txt)'"
    stop_echo many.txt
    grep -q "^max_connections=$2 bytes=$(($2 * 320)) " many.txt ||
        bad "-E $1: server counts: $(tail -n 1 many.txt)"
}
load epoll "$CONNS"
load poll $((CONNS / 10))

# 3. A client that never reads; 4. EMFILE (tests/support/echo-checks.sh).
echo_backpressure_checks
echo_emfile_check

checks_done "echo-loop"
