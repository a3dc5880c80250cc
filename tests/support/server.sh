# shellcheck shell=bash
# tests/support/server.sh: kept for tests not yet moved to
# tests/support/lib.sh (spawn_server, check_cli); remove once nothing
# sources it. The old names, on top of lib.sh:
# server_start PROG OUT [ARGS...] sets SRV_PID and PORT; check_usage PROG
# BAD_ARGS... is check_cli PROG "BAD_ARGS..."; server_kill_all is a no-op
# (lib.sh kills its servers on exit).
# shellcheck source=tests/support/lib.sh
. "${ROOT:?}/tests/support/lib.sh"
SERVER_PIDS=()
server_start() {
    local prog=$1 out=$2
    shift 2
    spawn_server "$out" "$prog" "$@"
    # shellcheck disable=SC2034  # for the test that sourced this file
    SRV_PID=$SERVER_PID PORT=$SERVER_PORT
    SERVER_PIDS+=("$SRV_PID")
}
check_usage() { local p=$1; shift; check_cli "$p" "$*"; }
server_kill_all() { :; }
