#!/bin/bash
# tests/prog/03f-fetch-procs.sh: fetch-procs (chapter 3, 03f-fetch.nw), the
# checks of fetch-threads: against a slow HTTP server on 127.0.0.1, many URLs, the
# three kinds of body, a refused port, a timeout, malformed and truncated
# responses, https, exit statuses, --help and bad flags. No timings.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
F=$BIN/fetch-procs
[[ -x $F ]] || { echo "no $F"; exit 1; }
. "$ROOT/tests/support/httpd-start.sh"
httpd_start
B=http://127.0.0.1:$HTTPD_PORT
fails=0

bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
# run NAME ARGS...: run fetch-threads, keep stdout, stderr and the status.
run() {
    local name=$1; shift
    set +e
    "$BIN/reap-check" "$F" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
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

# 1. Fifty URLs with delays and sizes: all fetched, in argument order.
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

# 2. Content-Length, chunked and close-delimited bodies, and empty ones.
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

# 3. Every kind of failure, each on its own line, the others unharmed.
free_port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
run errors -t 500 "$B/?size=10" "http://127.0.0.1:$free_port/" \
    "$B/?delay=3000&size=10" "$B/?bad=1" "$B/?size=100&truncate=1" \
    "https://127.0.0.1:$HTTPD_PORT/" "http://bad host/" "$B/?size=20"
want_rc errors 1
want_line errors 1 "200        10 bytes N ms  $B/?size=10"
want_line errors 2 "ERR  connection refused  http://127.0.0.1:$free_port/"
want_line errors 3 "ERR  timeout  $B/?delay=3000&size=10"
want_line errors 4 "ERR  malformed response  $B/?bad=1"
want_line errors 5 "ERR  truncated response  $B/?size=100&truncate=1"
want_line errors 6 "ERR  not supported (http:// only)  https://127.0.0.1:$HTTPD_PORT/"
want_line errors 7 "ERR  malformed URL  http://bad host/"
want_line errors 8 "200        20 bytes N ms  $B/?size=20"
want_line errors 9 "2 fetched, 6 failed, 30 bytes in N ms"

# 4. A name that does not resolve: an ERR line naming the URL.
run dns "http://no-such-host.invalid:$HTTPD_PORT/"
want_rc dns 1
got=$(line dns 1)
[[ $got == ERR*"  http://no-such-host.invalid:$HTTPD_PORT/" ]] \
    || bad "dns: expected an ERR line, got '$got'"

# 5. A cap of one still fetches everything; localhost by name.
run cap1 -c 1 "$B/?delay=20&size=5" "http://localhost:$HTTPD_PORT/?size=6"
want_rc cap1 0
want_line cap1 3 "2 fetched, 0 failed, 11 bytes in N ms"

# 5b. A child killed in mid-fetch: its line says so, the others are fine.
"$BIN/reap-check" "$F" -t 5000 "$B/?delay=3000&size=7" "$B/?size=8" \
    >"$TMP/kill.out" 2>"$TMP/kill.err" &
checker=$!
kid=""
for _ in $(seq 200); do
    parent=$( (cat /proc/$checker/task/*/children 2>/dev/null || true) | awk '{print $1}')
    [[ -n $parent ]] && kid=$( (cat /proc/$parent/task/*/children 2>/dev/null || true) | awk '{print $1}')
    [[ -n $kid ]] && break
    sleep 0.01
done
if [[ -z $kid ]]; then bad "kill: no child found"; else
    kill -9 "$kid"
    set +e; wait $checker; s=$?; set -e
    [[ $s == 1 ]] || bad "kill: expected exit 1, got $s"
    l1=$(sed -n 1p "$TMP/kill.out")
    [[ $l1 == "ERR  child killed by signal 9  $B/?delay=3000&size=7" ]] \
        || bad "kill: line 1 is '$l1'"
    [[ $(sed -n 2p "$TMP/kill.out" | sed -E 's/ +[0-9]+ ms/ N ms/') == "200         8 bytes N ms  $B/?size=8" ]] \
        || bad "kill: line 2 is '$(sed -n 2p "$TMP/kill.out")'"
fi

# 5c. The run that the chapter shows (03f-fetch.nw) prints what the
# book says, apart from milliseconds and the port (8080 in the book).
awk '/^\$ fetch-procs .*\\$/ {on = 1; next} on && /^```/ {exit} on && !/^    / {print}' \
    "$ROOT/chapters/03f-fetch.nw" | sed -E 's/ +[0-9]+ ms/ N ms/g' > "$TMP/book.want"
run book "$B/?size=1024" "$B/?delay=200&size=100" https://example.com/
sed -E -e "s/:$HTTPD_PORT\//:8080\//g" -e 's/ +[0-9]+ ms/ N ms/g' "$TMP/book.out" > "$TMP/book.got"
[[ -s $TMP/book.want ]] || bad "no fetch-procs run found in 03f-fetch.nw"
cmp -s "$TMP/book.want" "$TMP/book.got" \
    || bad "the book's run differs: $(diff "$TMP/book.want" "$TMP/book.got")"

# 6. --help, usage errors.
run help --help
want_rc help 0
grep -q '^Usage: fetch-procs \[-c N\] \[-t MS\] URL\.\.\.' "$TMP/help.out" \
    || bad "--help: no usage line on stdout"
for args in "" "-x $B/" "-c 0 $B/" "-c 1001 $B/" "-c abc $B/" "-c" "-t 0 $B/" "-t" "-c 3"; do
    # shellcheck disable=SC2086
    run usage $args
    want_rc usage 2
    [[ -s $TMP/usage.err && ! -s $TMP/usage.out ]] \
        || bad "'$args': expected a message on stderr only"
    grep -q '^Usage: ' "$TMP/usage.err" || bad "'$args': no usage line"
done

if ((fails > 0)); then
    echo "$fails checks failed; server log:"; cat "$TMP/httpd.err" || true
    exit 1
fi
echo "all fetch-procs checks passed"
