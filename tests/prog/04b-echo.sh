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

check_cli echo-uv "-p 99999"
check_cli echo-load "-p 99999"

start_echo() {   # start_echo OUT [ARGS...]: sets SRV_PID and PORT
    local out=$1
    shift
    spawn_server "$out" echo-uv "$@"
    SRV_PID=$SERVER_PID PORT=$SERVER_PORT
}
stop_echo() {    # stop_echo OUT: SIGTERM, expect exit 0
    local rc=0
    server_stop "$SRV_PID" || rc=$?
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
push() {   # push ARGS: peak growth of a fresh server's memory, in KiB
    start_echo push.txt "$@"
    local before after
    before=$(kb VmRSS)
    "$PY" "$ROOT/tests/support/echo-noread.py" "$PORT" 100000000 > sent.txt
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
SERVER_NOFILE=64 start_echo emfile.txt
"$PY" "$ROOT/tests/support/echo-emfile.py" "$PORT" || fail "EMFILE: the server did not survive as it should"
kill -0 "$SRV_PID" || fail "EMFILE: the server died"
stop_echo emfile.txt
echo "echo: all checks passed"
