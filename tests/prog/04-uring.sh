#!/bin/bash
# tests/prog/04-uring.sh: uring-read and uring-echo (chapter 4,
# 04-loop-uring.nw). uring-read's output is the file, byte for byte, at
# several depths and block sizes, with several reads in flight; the echo
# server carries echo-load's connections with every byte checked, keeps
# a client that never reads from growing its memory, and stops on
# SIGTERM with clients still connected; both programs say clearly when
# io_uring is forbidden. Where io_uring is not available the test is
# skipped with the programs' own message, never failed.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
. "$ROOT/tests/support/lib.sh"
need_programs uring-read uring-echo echo-load
cd "$TMP"

# 0. Is io_uring there? The ring is set up even for an empty file.
: >empty
if ! "$BIN/uring-read" empty >out 2>err; then
    if grep -q 'io_uring is not available' err; then
        echo "skip: $(cat err)"
        exit 77
    fi
    fail "uring-read of an empty file: $(cat err)"
fi
[[ ! -s out ]] || fail "uring-read of an empty file printed something"

# 1. The command lines.
check_cli uring-read "" "-q 0 empty" "-q 257 empty" "-s 0 empty" \
    "empty empty" "-x empty"
check_cli uring-echo "-p 99999" "-p -1" "extra" "-a not-an-address"
expect 1 "$BIN/uring-read" no-such-file
grep -q 'no-such-file: No such file or directory' err ||
    fail "a missing file: $(cat err)"
expect 1 "$BIN/uring-read" .
grep -q 'not a regular file' err || fail "a folder: $(cat err)"

# 2. The file comes out as it went in: sizes on and off the block size,
# one read in flight and many, blocks of 1 KiB to 1 MiB.
head -c 3000001 /dev/urandom >rand
head -c 1048576 /dev/urandom >mib
for args in "" "-q 1" "-q 3 -s 1" "-q 64 -s 4" "-q 2 -s 1024"; do
    for f in rand mib; do
        # shellcheck disable=SC2086  # $args is a list of options
        "$BIN/uring-read" $args -v "$f" >copy 2>stats ||
            fail "uring-read $args $f: $(cat stats)"
        cmp -s copy "$f" || fail "uring-read $args $f: not the same bytes"
    done
done
# Several reads really were in flight at once: 3,000,001 bytes in
# blocks of 4 KiB are 733 blocks, 64 of them submitted together.
"$BIN/uring-read" -q 64 -s 4 -v rand >copy 2>stats
grep -qx 'reads=7[0-9][0-9] most_in_flight=64 out_of_order=[0-9]*' stats ||
    fail "uring-read -q 64 -s 4 -v: '$(cat stats)'"
echo "uring-read: the same bytes as the file; $(cat stats)"

# 3. io_uring forbidden by a seccomp filter, as in a container: both
# programs say so and exit 1 (tests/support/no-uring.py).
rc=0
"$PY" "$ROOT/tests/support/no-uring.py" "$BIN/uring-read" rand \
    >/dev/null 2>err || rc=$?
if [[ $rc == 77 ]]; then
    echo "no seccomp here: the forbidden case is not checked"
else
    [[ $rc == 1 ]] || fail "uring-read without io_uring: exit $rc"
    grep -q '^uring-read: io_uring is not available: io_uring_setup: Operation not permitted' err ||
        fail "uring-read without io_uring said: $(cat err)"
    rc=0
    "$PY" "$ROOT/tests/support/no-uring.py" "$BIN/uring-echo" -p 0 \
        >out 2>err || rc=$?
    [[ $rc == 1 && ! -s out ]] ||
        fail "uring-echo without io_uring: exit $rc, printed '$(cat out)'"
    grep -q '^uring-echo: io_uring is not available' err ||
        fail "uring-echo without io_uring said: $(cat err)"
    echo "without io_uring: $(cat err)"
fi

# 4. echo-load's connections, every byte checked; then the counts.
CONNS=1000
[[ -n ${SANITIZER:-} ]] && CONNS=200
spawn_server srv.out uring-echo
"$BIN/echo-load" -p "$SERVER_PORT" -C "$CONNS" -k 5 -s 100 -t 120000 \
    >load.txt || fail "echo-load failed: $(cat load.txt)"
want="connections=$CONNS failed=0 messages=$((CONNS * 5)) bytes=$((CONNS * 500))"
grep -qx "$want" load.txt || fail "expected '$want', got '$(cat load.txt)'"
server_stop "$SERVER_PID" || fail "uring-echo: SIGTERM: exit $? ($(cat srv.out.err))"
tail -n 1 srv.out | grep -qx "max_connections=$CONNS bytes=$((CONNS * 500))" ||
    fail "server counts: $(tail -n 1 srv.out)"
echo "uring-echo: $(head -n 1 load.txt)"

# 5. A client that sends 100 MB and never reads: the server stops
# receiving from it, so its memory hardly grows.
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$SERVER_PID/status"; }
spawn_server push.out uring-echo
before=$(kb VmRSS)
"$PY" "$ROOT/tests/support/echo-noread.py" "$SERVER_PORT" 100000000 >sent.txt
after=$(kb VmHWM)
grow=$((after - before))
echo "no reader: the server grew by $grow KiB (pushed $(cat sent.txt) bytes)"
[[ $grow -lt 16384 ]] || fail "the server grew by $grow KiB (limit 16384)"
[[ $(cat sent.txt) -lt 100000000 ]] ||
    fail "the client pushed everything: the server kept reading"
server_stop "$SERVER_PID" || fail "uring-echo: SIGTERM after the push: exit $?"

# 6. SIGTERM with 20 clients connected and idle (each has had one echo,
# so all were accepted): every receive in flight is cancelled, every
# client closed, and the server exits 0.
spawn_server idle.out uring-echo
fds=()
for ((i = 0; i < 20; i++)); do
    exec {fd}<>"/dev/tcp/127.0.0.1/$SERVER_PORT"
    fds+=("$fd")
done
for fd in "${fds[@]}"; do
    printf 'hello\n' >&"$fd"
    read -r -t 30 line <&"$fd" || fail "no echo on connection $fd"
    [[ $line == hello ]] || fail "echoed '$line', not 'hello'"
done
server_stop "$SERVER_PID" || fail "uring-echo: SIGTERM with clients: exit $?"
grep -qx 'max_connections=20 bytes=120' idle.out ||
    fail "counts with idle clients: $(tail -n 1 idle.out)"
for fd in "${fds[@]}"; do exec {fd}<&-; done

# 7. SIGTERM while a crowd of clients is still being accepted: a client
# accepted in the same batch as the signal must not be left waiting for
# a cancellation (the server once hung here). Ten times, since the race
# needs the signal and an accept to meet.
for ((round = 0; round < 10; round++)); do
    spawn_server race.out uring-echo
    fds=()
    for ((i = 0; i < 50; i++)); do
        exec {fd}<>"/dev/tcp/127.0.0.1/$SERVER_PORT"
        fds+=("$fd")
    done
    kill -TERM "$SERVER_PID"
    rc=0
    timeout 30 tail --pid="$SERVER_PID" -f /dev/null || rc=$?
    [[ $rc == 0 ]] || fail "round $round: SIGTERM during accepts: still running after 30 s"
    server_stop "$SERVER_PID" || fail "round $round: SIGTERM during accepts: exit $?"
    for fd in "${fds[@]}"; do exec {fd}<&-; done
done
echo "04-uring: all checks passed"
