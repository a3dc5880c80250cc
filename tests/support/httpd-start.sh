# shellcheck shell=bash
# tests/support/httpd-start.sh: kept for scripts not yet moved to
# tests/support/lib.sh, whose httpd_start it is; remove once nothing
# sources it. (httpd_stop: lib.sh stops its servers on exit.)
# shellcheck source=tests/support/lib.sh
. "${ROOT:?}/tests/support/lib.sh"
httpd_stop() {
    if [[ -n ${HTTPD_PID:-} ]]; then server_stop "$HTTPD_PID" || true; fi
    HTTPD_PID=
}
