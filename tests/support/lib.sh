# shellcheck shell=bash
# tests/support/lib.sh: the shell library of the tests (bash).
# Source it first:  . "$ROOT/tests/support/lib.sh"
# It needs BIN, TMP and ROOT (tests/run sets them) and sets PY, a python3
# (the system one first: a pyenv shim can take seconds to start).
#
# Failing
#   fail MSG...          print "FAIL: MSG" on stderr and exit 1
#   bad MSG...           print "FAIL: MSG", count it in $fails, go on
#   checks_done [WHAT]   exit 1 if any `bad`, else print "WHAT: ok"
# Expecting
#   expect STATUS CMD... run CMD, stdout in $TMP/out, stderr in $TMP/err;
#                        fail unless it exits with STATUS
#   expect_eq WHAT WANT GOT  fail unless the two strings are equal,
#                        printing both
# The command line (DESIGN.md, "How every program behaves")
#   check_cli PROG BAD...  `PROG --help` exits 0 with "Usage: PROG " on
#                        stdout; each BAD (one string, split on blanks; ""
#                        is no argument at all) exits 2 with "Usage: PROG "
#                        on stderr and nothing on stdout
# Servers
#   spawn_server OUT PROG [ARGS...]  start PROG -p 0 ARGS in the
#                        background (PROG: a name in $BIN, or a path; a
#                        .py file runs with $PY), stdout in OUT, stderr in
#                        OUT.err; wait for its first line, the port the
#                        kernel chose; set SERVER_PID and SERVER_PORT.
#                        SERVER_NOFILE=N lowers its descriptor limit.
#   server_stop PID      SIGTERM, then server_wait PID (so
#                        `server_stop "$SERVER_PID" || fail ...`)
#   server_wait PID [WHAT]  wait for PID (a child of the test) to end,
#                        by the wait policy below; its exit status (fail,
#                        naming WHAT, if it is still running at the end)
#   httpd_start          the book's slowhttpd if built, else the stand-in
#                        tests/support/httpd.py: sets HTTPD_PORT, HTTPD_PID
#   at_exit CMD          run CMD (a string) when the test exits; every
#                        server started here is killed then, whatever
#                        happened
# ThreadSanitizer by hand
#   tsan_build OUT SRC...  build the tangled SRC files (names, found in
#                        any chapter's tangle folder) with ground.c and
#                        trace.c, the build's compiler, flags and TSan
#                        flags, into $TMP/OUT; exit 77 (skipped) if this
#                        compiler cannot build or run a TSan program
#
# One wait policy for every server: poll every 50 ms until the condition
# holds (the first line is complete; the process has ended), the server
# dies first (fail, with its stderr) or SERVER_WAIT seconds pass (default
# 60: a busy machine or a sanitizer is slow; the wait ends as soon as the
# condition holds, so a long limit costs nothing).

PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
fails=0
_lib_exit=()
_lib_servers=()

fail() { echo "FAIL: $*" >&2; exit 1; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
checks_done() {
    if ((fails > 0)); then echo "$fails check(s) failed"; exit 1; fi
    echo "${1:-$(basename "$0" .sh)}: ok"
}

expect() {
    local want=$1 got=0
    shift
    "$@" >"$TMP/out" 2>"$TMP/err" || got=$?
    [[ $got == "$want" ]] ||
        fail "$* exited $got, expected $want; stderr: $(head -c 300 "$TMP/err")"
}

expect_eq() {
    [[ $2 == "$3" ]] ||
        fail "$(printf '%s\n--- expected\n%s\n--- got\n%s' "$1" "$2" "$3")"
}

check_cli() {
    local prog=$1 bad rc
    shift
    "$BIN/$prog" --help >"$TMP/cli.out" || fail "$prog --help: exit $?"
    grep -q "^Usage: $prog " "$TMP/cli.out" ||
        fail "$prog --help: no usage line on stdout: $(head -c 300 "$TMP/cli.out")"
    for bad in "$@"; do
        rc=0
        # shellcheck disable=SC2086  # each BAD is split on purpose
        "$BIN/$prog" $bad >"$TMP/cli.out" 2>"$TMP/cli.err" || rc=$?
        [[ $rc == 2 ]] || fail "$prog $bad: exit $rc, expected 2"
        grep -q "^Usage: $prog " "$TMP/cli.err" ||
            fail "$prog $bad: no usage line on stderr: $(cat "$TMP/cli.err")"
        [[ ! -s $TMP/cli.out ]] || fail "$prog $bad: wrote to stdout"
    done
}

_lib_on_exit() {
    local c p
    for c in "${_lib_exit[@]}"; do eval "$c" || true; done
    for p in "${_lib_servers[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap _lib_on_exit EXIT
# need_programs NAME...: skip the test (77) unless each program is built.
need_programs() {
    local p
    for p; do
        [[ -x $BIN/$p ]] || { echo "skip: $BIN/$p not built"; exit 77; }
    done
}

at_exit() { _lib_exit+=("$1"); }

spawn_server() {
    local out=$1 prog=$2 i
    shift 2
    [[ $prog == */* ]] || prog=$BIN/$prog
    local server_argv=("$prog")
    [[ $prog == *.py ]] && server_argv=("$PY" "$prog")
    : >"$out"
    (
        [[ -n ${SERVER_NOFILE:-} ]] && ulimit -n "$SERVER_NOFILE"
        exec "${server_argv[@]}" -p 0 "$@"
    ) >"$out" 2>"$out.err" &
    SERVER_PID=$!
    _lib_servers+=("$SERVER_PID")
    for ((i = 0; i < ${SERVER_WAIT:-60} * 20; i++)); do
        if [[ $(wc -l <"$out") -ge 1 ]]; then
            SERVER_PORT=$(head -n 1 "$out")
            [[ $SERVER_PORT =~ ^[0-9]+$ ]] && return 0
            fail "$(basename "$prog"): the first line is not a port: '$SERVER_PORT'"
        fi
        kill -0 "$SERVER_PID" 2>/dev/null ||
            fail "$(basename "$prog") died before printing its port: $(cat "$out.err")"
        sleep 0.05
    done
    fail "$(basename "$prog") printed no port within ${SERVER_WAIT:-60} s"
}

server_stop() {
    kill -TERM "$1" 2>/dev/null || true
    server_wait "$1"
}

server_wait() {
    local pid=$1 what=${2:-process $1} i rc=0
    for ((i = 0; i < ${SERVER_WAIT:-60} * 20; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        fail "$what: still running after ${SERVER_WAIT:-60} s"
    fi
    wait "$pid" || rc=$?
    return "$rc"
}

httpd_start() {
    if [[ -x $BIN/slowhttpd ]]; then
        spawn_server "$TMP/httpd.out" slowhttpd
    else
        spawn_server "$TMP/httpd.out" "$ROOT/tests/support/httpd.py"
    fi
    # shellcheck disable=SC2034  # for the test that sourced this file
    HTTPD_PORT=$SERVER_PORT HTTPD_PID=$SERVER_PID
}

tsan_build() {
    local out=$1 cc=${BOOK_CC:?run by tests/run from make} f d
    shift
    local -a tsan cflags incs=() srcs=()
    read -ra tsan <<<"$BOOK_TSAN_FLAGS"
    read -ra cflags <<<"$BOOK_CFLAGS"
    printf 'int main(void) { return 0; }\n' > "$TMP/tsan-probe.c"
    if ! "$cc" "${tsan[@]}" "$TMP/tsan-probe.c" -o "$TMP/tsan-probe" 2>/dev/null ||
       ! "$TMP/tsan-probe" 2>/dev/null; then
        echo "$cc cannot build or run ThreadSanitizer programs here"
        exit 77
    fi
    for d in "$ROOT"/tangle/*/; do incs+=(-I"$d"); done
    for f in "$@" ground.c trace.c; do
        local found=("$ROOT"/tangle/*/"$f")
        [[ -r ${found[0]} ]] || fail "$f not tangled"
        srcs+=("${found[0]}")
    done
    "$cc" "${cflags[@]}" -g -O1 "${tsan[@]}" "${incs[@]}" "${srcs[@]}" \
          -o "$TMP/$out" -pthread
}
