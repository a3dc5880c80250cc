#!/bin/bash
# Issue 14: SIGTERM to every multi-process program while its children are
# at work. Each must stop its children, reap them, leave no IPC object
# (/dev/mqueue, /dev/shm) behind, and end by the signal as documented
# (a shell sees status 143). reap-check runs each program: it fails (1)
# if a child was left behind, dead or alive, and otherwise passes the
# program's status on. Before the fix, count-mq's producers waited
# forever in mq_send once their parent was gone.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
. "$ROOT/tests/support/lib.sh"
need_programs count-procs count-mq count-pipe shm-count crunch-procs \
    fetch-procs gen-data reap-check
httpd_start
B=http://127.0.0.1:$HTTPD_PORT

children() { cat /proc/"$1"/task/*/children 2>/dev/null || true; }
state() { awk '{ sub(/.*\) /, ""); print $1 }' /proc/"$1"/stat 2>/dev/null || true; }

# ready_children PID: PID has at least one child.
ready_children() { [[ -n $(children "$1") ]]; }
# ready_printed PID: PID has children and has printed a line.
ready_printed() { ready_children "$1" && [[ -s $TMP/out ]]; }
# ready_stopped PID: one of PID's children is stopped (state T).
ready_stopped() {
    local c
    for c in $(children "$1"); do [[ $(state "$c") == T ]] && return 0; done
    return 1
}

# term_test LABEL READY PROG ARGS...
term_test() {
    local label=$1 ready=$2 prog=$3 rc pid="" st=0 i
    shift 3
    : > "$TMP/out"
    "$BIN/reap-check" "$BIN/$prog" "$@" > "$TMP/out" 2> "$TMP/err" &
    rc=$!
    for ((i = 0; i < 600; i++)); do       # up to 60 s on a busy machine
        pid=$(children "$rc" | awk '{ print $1 }')
        [[ -n $pid ]] && "$ready" "$pid" && break
        kill -0 "$rc" 2>/dev/null || fail "$label ended before the signal: $(cat "$TMP/err")"
        sleep 0.1
    done
    (( i < 600 )) || fail "$label: no work in flight after 60 s"
    kill -TERM "$pid"
    server_wait "$rc" "$label (pid $pid) after SIGTERM" || st=$?
    [[ $st == 143 ]] ||
        fail "$label: status $st after SIGTERM, expected 143; stderr: $(cat "$TMP/err")"
    left=$(find /dev/mqueue /dev/shm -maxdepth 1 -name "*.$pid" 2>/dev/null || true)
    [[ -z $left ]] || fail "$label left an IPC object: $left"
}

term_test "count-procs" ready_printed count-procs -w 3 -n 1000 -d 200
term_test "count-mq" ready_printed count-mq -w 3 -n 1000 -d 200
term_test "count-pipe" ready_printed count-pipe -w 3 -n 1000 -d 200
# count-mq with no delay: the producers keep the queue full.
term_test "count-mq, full queue" ready_children count-mq -w 3 -n 1000000 -d 0
term_test "shm-count" ready_children shm-count -w 2 -n 1000000000
"$BIN/gen-data" -n 20000 -s 2 -o "$TMP/d.txt"
CRUNCH_PROCS_STOP_TASK=1 term_test "crunch-procs" ready_stopped \
    crunch-procs -w 2 "$TMP/d.txt"
term_test "fetch-procs" ready_children fetch-procs -c 5 -t 60000 \
    "$B/?delay=60000" "$B/?delay=60000" "$B/?delay=60000"
echo "ok"
