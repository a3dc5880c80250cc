# tests/support/httpd-start.sh: sourced by the fetch tests (bash).
# httpd_start [ARGS...] starts the book's slowhttpd ($BIN/slowhttpd) if it
# has been built, else the stand-in tests/support/httpd.py, on 127.0.0.1
# port 0; sets HTTPD_PORT (read from its first line) and HTTPD_PID, and
# installs an EXIT trap that stops it. Needs BIN, ROOT and TMP. Sets PY
# to a python3 (the system one first: a pyenv shim can take seconds).
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

httpd_stop() {
    if [[ -n ${HTTPD_PID:-} ]]; then
        kill "$HTTPD_PID" 2>/dev/null || true
        wait "$HTTPD_PID" 2>/dev/null || true
        HTTPD_PID=
    fi
}

httpd_start() {
    local out=$TMP/httpd.out i
    : >"$out"
    if [[ -x $BIN/slowhttpd ]]; then
        "$BIN/slowhttpd" -p 0 "$@" >"$out" 2>"$TMP/httpd.err" &
    else
        "$PY" "$ROOT/tests/support/httpd.py" -p 0 "$@" >"$out" \
            2>"$TMP/httpd.err" &
    fi
    HTTPD_PID=$!
    trap httpd_stop EXIT
    for ((i = 0; i < 300; i++)); do        # up to 30 s on a busy machine
        if [[ $(wc -l <"$out") -ge 1 ]]; then
            HTTPD_PORT=$(head -n 1 "$out")
            [[ $HTTPD_PORT =~ ^[0-9]+$ ]] && return 0
            echo "the server's first line is not a port: '$HTTPD_PORT'"
            exit 1
        fi
        kill -0 "$HTTPD_PID" 2>/dev/null \
            || { echo "the server died:"; cat "$TMP/httpd.err"; exit 1; }
        sleep 0.1
    done
    echo "the server printed no port within 30 s"
    exit 1
}
