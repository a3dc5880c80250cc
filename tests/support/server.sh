# tests/support/server.sh: sourced by the program tests of servers (bash).
# server_start PROG OUT [ARGS...] starts $BIN/PROG -p 0 ARGS in the
# background, its stdout in OUT and its stderr in OUT.err, and waits (at
# most 10 s) for its first line, the port the kernel chose. Sets SRV_PID
# and PORT, and adds the process to SERVER_PIDS, which server_kill_all
# (an EXIT trap) kills. Calls the test's own fail if the server dies
# before printing a line or prints something other than a port.
# check_usage PROG BAD_ARGS... checks that $BIN/PROG --help exits 0 with
# "Usage: PROG ..." on stdout, and that PROG BAD_ARGS is a usage error:
# exit 2 and a usage line on stderr. It leaves help.txt and usage.txt in
# the current folder.
SERVER_PIDS=()

server_start() {
    local prog=$1 out=$2; shift 2
    "$BIN/$prog" -p 0 "$@" > "$out" 2> "$out.err" &
    SRV_PID=$!
    SERVER_PIDS+=("$SRV_PID")
    for _ in $(seq 1 200); do
        [[ -s $out ]] && break
        kill -0 "$SRV_PID" 2>/dev/null || fail "$prog died: $(cat "$out.err")"
        sleep 0.05
    done
    PORT=$(head -n 1 "$out")
    [[ $PORT =~ ^[0-9]+$ ]] || fail "first line is not a port: '$PORT'"
}

check_usage() {
    local p=$1 rc=0; shift
    "$BIN/$p" --help > help.txt || fail "$p --help did not exit 0"
    grep -q "^Usage: $p " help.txt || fail "$p --help: no usage line"
    "$BIN/$p" "$@" 2> usage.txt || rc=$?
    [[ $rc == 2 ]] || fail "$p $*: expected exit 2, got $rc"
    grep -q 'Usage:' usage.txt || fail "$p $*: no usage line on stderr"
}

server_kill_all() {
    local p
    for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
