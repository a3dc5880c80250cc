#!/bin/bash
# tests/prog/04a-fetch-uv.sh: fetch-uv (chapter 4, 04a-eventloop.nw)
# against the book's slow HTTP server started here on 127.0.0.1: many URLs
# in argument order, the three kinds of body, every kind of failure on its
# own line, a thousand fetches in flight at once (counted by the server,
# never timed), exit statuses, --help and bad flags.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
F=$BIN/fetch-uv
[[ -x $F ]] || { echo "no $F"; exit 1; }
. "$ROOT/tests/support/httpd-start.sh"
# A thousand connections need a thousand descriptors in each process.
ulimit -n 4096 2>/dev/null || true
httpd_start
B=http://127.0.0.1:$HTTPD_PORT
fails=0

bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
run() {     # run NAME ARGS...: keep stdout, stderr and the status
    local name=$1; shift
    set +e
    "$F" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
    echo $? >"$TMP/$name.rc"
    set -e
}
rc() { cat "$TMP/$1.rc"; }
line() { sed -n "$2p" "$TMP/$1.out" | sed -E 's/ +[0-9]+ ms/ N ms/g'; }
want_line() {   # want_line NAME N EXPECTED
    local got; got=$(line "$1" "$2")
    [[ $got == "$3" ]] || bad "$1 line $2: expected '$3', got '$got'"
}
want_rc() { [[ $(rc "$1") == "$2" ]] || bad "$1: expected exit $2, got $(rc "$1")"; }
stats() { "$PY" -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1] + "/stats", timeout=30).read().decode().strip())' "$B"; }

# 1. Fifty URLs with delays and sizes, ten at a time: all in argument order.
urls=() total=0
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

# 2. One at a time gives the same lines.
run one -c 1 -t 20000 "${urls[@]:0:5}"
want_rc one 0
want_line one 5 "$(printf '200 %9d bytes N ms  %s' 500 "${urls[4]}")"

# 3. Content-Length, chunked and close-delimited bodies, and empty ones.
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

# 4. Every kind of failure, each on its own line, the others unharmed.
free_port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# The timeout is generous (a loaded machine or a sanitizer is slow, and a
# slow fetch must not be mistaken for the one that is meant to time out).
tmo=2000
[[ -n ${SANITIZER:-} ]] && tmo=8000
run errors -t "$tmo" "$B/?size=10" "http://127.0.0.1:$free_port/" \
    "$B/?delay=60000&size=10" "$B/?bad=1" "$B/?size=100&truncate=1" \
    "https://127.0.0.1:$HTTPD_PORT/" "http://bad host/" "$B/?size=20"
want_rc errors 1
want_line errors 1 "200        10 bytes N ms  $B/?size=10"
want_line errors 2 "ERR  connection refused  http://127.0.0.1:$free_port/"
want_line errors 3 "ERR  timeout  $B/?delay=60000&size=10"
want_line errors 4 "ERR  malformed response  $B/?bad=1"
want_line errors 5 "ERR  truncated response  $B/?size=100&truncate=1"
want_line errors 6 "ERR  not supported (http:// only)  https://127.0.0.1:$HTTPD_PORT/"
want_line errors 7 "ERR  malformed URL  http://bad host/"
want_line errors 8 "200        20 bytes N ms  $B/?size=20"
want_line errors 9 "2 fetched, 6 failed, 30 bytes in N ms"

# 5. A name that does not resolve: an ERR line for that URL only.
run dns "http://no-such-host.invalid:$HTTPD_PORT/" "$B/?size=5"
want_rc dns 1
got=$(line dns 1)
[[ $got == ERR*"  http://no-such-host.invalid:$HTTPD_PORT/" ]] \
    || bad "dns: expected an ERR line, got '$got'"
want_line dns 2 "200         5 bytes N ms  $B/?size=5"

# 6. A thousand fetches of 100 ms each, all in flight at once: every one
#    completes, and the server saw them open together. (Scaled down under
#    a sanitizer, with longer delays so that they still overlap.)
n=1000 delay=100 atleast=100
[[ -n ${SANITIZER:-} ]] && { n=200 delay=1000 atleast=50; }
lim=$(ulimit -n)
if [[ $lim != unlimited ]] && (( lim < n + 100 )); then
    n=$((lim - 100)) atleast=$(( (lim - 100) / 10 ))
    echo "note: ulimit -n is $lim, so $n fetches at once"
fi
big=()
for i in $(seq 1 "$n"); do big+=("$B/p$i?delay=$delay&size=100"); done
run big -c "$n" -t 60000 "${big[@]}"
want_rc big 0
[[ $(grep -c '^200       100 bytes ' "$TMP/big.out" || true) == "$n" ]] \
    || bad "big: expected $n good lines, got $(grep -c '^200 ' "$TMP/big.out" || true)"
want_line big "$n" "$(printf '200       100 bytes N ms  %s' "${big[n-1]}")"
want_line big $((n + 1)) "$n fetched, 0 failed, $((n * 100)) bytes in N ms"
s=$(stats)
peak=$(sed -n 's/.*max_connections=\([0-9]*\).*/\1/p' <<<"$s")
[[ -n $peak && $peak -ge $atleast ]] \
    || bad "big: the server saw at most '$peak' connections at once, expected >= $atleast ($s)"

# 7. --help on stdout with status 0; usage errors on stderr with status 2.
"$F" --help >"$TMP/help.out" || bad "--help: exit $?"
grep -q '^Usage: fetch-uv ' "$TMP/help.out" || bad "--help: no usage line"
for args in "" "-c 0 $B/" "-t 0 $B/" "-c x $B/" "-x $B/" "-c"; do
    set +e; "$F" $args >"$TMP/u.out" 2>"$TMP/u.err"; r=$?; set -e
    [[ $r == 2 ]] || bad "fetch-uv $args: expected exit 2, got $r"
    grep -q '^Usage: fetch-uv ' "$TMP/u.err" || bad "fetch-uv $args: no usage line on stderr"
done

# 8. No leak and no invalid access on the error paths (valgrind, if any).
if [[ -z ${SANITIZER:-} ]] && command -v valgrind >/dev/null; then
    set +e
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 "$F" -c 3 -t 2000 "$B/?size=10" \
        "http://127.0.0.1:$free_port/" "$B/?delay=5000" "$B/?bad=1" \
        "$B/?size=100&truncate=1" https://x/ "$B/?size=10&chunked=1" \
        >"$TMP/vg.out" 2>"$TMP/vg.err"
    r=$?; set -e
    [[ $r == 1 ]] || { bad "valgrind: expected exit 1, got $r"; cat "$TMP/vg.err"; }
fi

[[ $fails == 0 ]] || { echo "$fails failure(s)"; exit 1; }
echo "fetch-uv: all checks passed"
