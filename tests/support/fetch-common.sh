# shellcheck shell=bash
# tests/support/fetch-common.sh: sourced by the tests of the three
# fetchers (tests/prog/02c-fetch-threads.sh, 03f-fetch-procs.sh,
# 04a-fetch-uv.sh), which print the same lines and so pass the same
# checks. Needs BIN, ROOT and TMP (bash, set -euo pipefail).
#
# fetch_setup PROGRAM [WRAPPER...]: F=$BIN/PROGRAM (it must exist); every
#   `run` executes WRAPPER... $F ARGS; starts the HTTP server (httpd_start
#   of lib.sh) and sets B, its base URL, and fails=0.
# Helpers: bad MSG (lib.sh), run NAME ARGS..., rc NAME, line NAME N,
#   want_line NAME N EXPECTED, want_rc NAME STATUS, free_port.
# The shared cases, each a numbered section of the old scripts:
#   fetch_check_many, fetch_check_bodies, fetch_check_errors TIMEOUT DELAY,
#   fetch_check_dns [MORE_URLS...], fetch_check_cap1,
#   fetch_check_help_usage ARGS_LIST...; and fetch_finish at the end.
# shellcheck source=tests/support/lib.sh
. "$ROOT/tests/support/lib.sh"

fetch_setup() {
    F=$BIN/$1; shift
    FETCH_WRAP=("$@")
    [[ -x $F ]] || { echo "no $F"; exit 1; }
    httpd_start
    B=http://127.0.0.1:$HTTPD_PORT
    fails=0
}

# run NAME ARGS...: run the fetcher, keep stdout, stderr and the status.
run() {
    local name=$1; shift
    set +e
    "${FETCH_WRAP[@]}" "$F" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
    echo $? >"$TMP/$name.rc"
    set -e
}
rc() { cat "$TMP/$1.rc"; }
# line NAME N: the Nth line of the output, times replaced by "N ms".
line() { sed -n "$2p" "$TMP/$1.out" | sed -E 's/ +[0-9]+ ms/ N ms/g'; }
want_line() {   # want_line NAME N EXPECTED
    local got; got=$(line "$1" "$2")
    [[ $got == "$3" ]] || bad "$1 line $2: expected '$3', got '$got'"
}
want_rc() { [[ $(rc "$1") == "$2" ]] || bad "$1: expected exit $2, got $(rc "$1")"; }
# free_port: a port on 127.0.0.1 that nothing listens on (just now).
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Fifty URLs with delays and sizes, ten at a time: all fetched, in
# argument order. Leaves the URLs in the array urls.
fetch_check_many() {
    local i total=0
    urls=()
    for i in $(seq 1 50); do
        urls+=("$B/?delay=$(( (i * 37) % 200 ))&size=$(( i * 100 ))")
        total=$((total + i * 100))
    done
    run many -c 10 -t 20000 "${urls[@]}"
    want_rc many 0
    for i in $(seq 1 50); do
        want_line many "$i" "$(printf '200 %9d bytes N ms  %s' $((i * 100)) "${urls[i-1]}")"
    done
    want_line many 51 "50 fetched, 0 failed, $total bytes in N ms"
}

# Content-Length, chunked and close-delimited bodies, and empty ones.
fetch_check_bodies() {
    run bodies "$B/?size=1024" "$B/?size=100000&chunked=1" \
        "$B/?size=30000&close=1" "$B/?size=0" "$B/?size=0&chunked=1" \
        "$B/?size=0&close=1"
    want_rc bodies 0
    want_line bodies 1 "200      1024 bytes N ms  $B/?size=1024"
    want_line bodies 2 "200    100000 bytes N ms  $B/?size=100000&chunked=1"
    want_line bodies 3 "200     30000 bytes N ms  $B/?size=30000&close=1"
    want_line bodies 4 "200         0 bytes N ms  $B/?size=0"
    want_line bodies 5 "200         0 bytes N ms  $B/?size=0&chunked=1"
    want_line bodies 6 "200         0 bytes N ms  $B/?size=0&close=1"
    want_line bodies 7 "6 fetched, 0 failed, 131024 bytes in N ms"
}

# fetch_check_errors TIMEOUT DELAY: every kind of failure, each on its own
# line, the others unharmed; the server waits DELAY ms, longer than the
# TIMEOUT ms given with -t, before it answers the URL that must time out.
fetch_check_errors() {
    local tmo=$1 delay=$2 port
    port=$(free_port)
    run errors -t "$tmo" "$B/?size=10" "http://127.0.0.1:$port/" \
        "$B/?delay=$delay&size=10" "$B/?bad=1" "$B/?size=100&truncate=1" \
        "https://127.0.0.1:$HTTPD_PORT/" "http://bad host/" "$B/?size=20"
    want_rc errors 1
    want_line errors 1 "200        10 bytes N ms  $B/?size=10"
    want_line errors 2 "ERR  connection refused  http://127.0.0.1:$port/"
    want_line errors 3 "ERR  timeout  $B/?delay=$delay&size=10"
    want_line errors 4 "ERR  malformed response  $B/?bad=1"
    want_line errors 5 "ERR  truncated response  $B/?size=100&truncate=1"
    want_line errors 6 "ERR  not supported (http:// only)  https://127.0.0.1:$HTTPD_PORT/"
    want_line errors 7 "ERR  malformed URL  http://bad host/"
    want_line errors 8 "200        20 bytes N ms  $B/?size=20"
    want_line errors 9 "2 fetched, 6 failed, 30 bytes in N ms"
}

# fetch_check_dns [MORE_URLS...]: a name that does not resolve gives an
# ERR line naming the URL (the caller checks the lines of MORE_URLS).
fetch_check_dns() {
    local got
    run dns "http://no-such-host.invalid:$HTTPD_PORT/" "$@"
    want_rc dns 1
    got=$(line dns 1)
    [[ $got == ERR*"  http://no-such-host.invalid:$HTTPD_PORT/" ]] \
        || bad "dns: expected an ERR line, got '$got'"
}

# A cap of one still fetches everything; localhost by name.
fetch_check_cap1() {
    run cap1 -c 1 "$B/?delay=20&size=5" "http://localhost:$HTTPD_PORT/?size=6"
    want_rc cap1 0
    want_line cap1 3 "2 fetched, 0 failed, 11 bytes in N ms"
}

# fetch_check_help_usage USAGE_REGEX ARGS...: check_cli (lib.sh) with
# each ARGS, and --help's usage line matches USAGE_REGEX.
fetch_check_help_usage() {
    local want=$1
    shift
    check_cli "$(basename "$F")" "$@"
    "$F" --help >"$TMP/help.out"
    grep -q "$want" "$TMP/help.out" || bad "--help: no line matching '$want'"
}

# fetch_finish: exit 1 with the server's log if any check failed.
fetch_finish() {
    if ((fails > 0)); then
        echo "$fails checks failed; server log:"; cat "$TMP/httpd.out.err" || true
        exit 1
    fi
    echo "all $(basename "$F") checks passed"
}
