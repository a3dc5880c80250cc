# shellcheck shell=bash
# tests/support/echo-checks.sh: what the tests of the echo servers share
# (echo-uv in 04b-echo.sh, echo-loop in 04-loop-echo.sh): how many
# connections to open; start and stop the server named by ECHO_SERVER,
# read its memory; and the checks every echo server must pass: a client
# that never reads, and EMFILE.
# Sourced after lib.sh; the caller sets ECHO_SERVER and PY.

# echo_conns: set CONNS, the connections at once: ten thousand; a
# thousand under a sanitizer, whose shadow memory and slower code make
# ten thousand take minutes; fewer if the hard limit on open files is low.
echo_conns() {
    local hard
    CONNS=10000
    [[ -n ${SANITIZER:-} ]] && CONNS=1000
    hard=$(ulimit -Hn)
    if [[ $hard != unlimited && $hard -lt $((CONNS + 100)) ]]; then
        echo "the hard limit on open files is $hard: using fewer connections"
        CONNS=$((hard - 100))
    fi
    echo "connections: $CONNS"
}

start_echo() {   # start_echo OUT [ARGS...]: sets SRV_PID and PORT
    local out=$1
    shift
    spawn_server "$out" "$ECHO_SERVER" "$@"
    SRV_PID=$SERVER_PID PORT=$SERVER_PORT
}
stop_echo() {    # stop_echo OUT: SIGTERM, expect exit 0
    local rc=0
    server_stop "$SRV_PID" || rc=$?
    [[ $rc == 0 ]] || fail "$ECHO_SERVER: SIGTERM: exit $rc ($(cat "$1.err"))"
}
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$SRV_PID/status"; }

# echo_push ARGS: a fresh server's peak growth, in KiB, while a client
# sends 100 MB and never reads.
echo_push() {
    start_echo push.txt "$@"
    local before after
    before=$(kb VmRSS)
    "$PY" "$ROOT/tests/support/echo-noread.py" "$PORT" 100000000 > sent.txt
    after=$(kb VmHWM)
    stop_echo push.txt
    echo $((after - before))
}

# echo_backpressure_checks: with backpressure the server grows by less
# than 16 MB; with -B it keeps all it reads, so by far more.
echo_backpressure_checks() {
    local grow grow_b
    grow=$(echo_push)
    echo "no reader, backpressure: the server grew by $grow KiB (pushed $(cat sent.txt) bytes)"
    grep -q 'pauses=[1-9]' push.txt || fail "backpressure never paused: $(tail -n 1 push.txt)"
    [[ $grow -lt 16384 ]] || fail "with backpressure the server grew by $grow KiB (limit 16384)"
    grow_b=$(echo_push -B)
    echo "no reader, -B:           the server grew by $grow_b KiB (pushed $(cat sent.txt) bytes)"
    [[ $grow_b -gt 32768 ]] ||
        fail "without backpressure the server grew by only $grow_b KiB: the check above proves nothing"
}

# echo_emfile_check: at most 64 descriptors. 100 clients connect; those
# beyond the limit are closed at once (not left hanging); the others are
# served, and still are after; once 20 leave, a new client is served.
echo_emfile_check() {
    SERVER_NOFILE=64 start_echo emfile.txt
    "$PY" "$ROOT/tests/support/echo-emfile.py" "$PORT" || fail "EMFILE: the server did not survive as it should"
    kill -0 "$SRV_PID" || fail "EMFILE: the server died"
    stop_echo emfile.txt
}
