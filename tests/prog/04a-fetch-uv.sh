#!/bin/bash
# tests/prog/04a-fetch-uv.sh: fetch-uv (chapter 4, 04a-eventloop.nw)
# against the book's slow HTTP server started here on 127.0.0.1: many URLs
# in argument order, the three kinds of body, every kind of failure on its
# own line, a thousand fetches in flight at once (counted by the server,
# never timed), exit statuses, --help and bad flags. The checks it shares
# with the other fetchers are in tests/support/fetch-common.sh.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
. "$ROOT/tests/support/fetch-common.sh"
# A thousand connections need a thousand descriptors in each process.
ulimit -n 4096 2>/dev/null || true
fetch_setup fetch-uv
stats() { "$PY" -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1] + "/stats", timeout=30).read().decode().strip())' "$B"; }

# 1. Fifty URLs with delays and sizes, ten at a time: all in argument order.
fetch_check_many

# 2. One at a time gives the same lines.
run one -c 1 -t 20000 "${urls[@]:0:5}"
want_rc one 0
want_line one 5 "$(printf '200 %9d bytes N ms  %s' 500 "${urls[4]}")"

# 3. Content-Length, chunked and close-delimited bodies, and empty ones.
fetch_check_bodies

# 4. Every kind of failure, each on its own line, the others unharmed.
# The timeout is generous (a loaded machine or a sanitizer is slow, and a
# slow fetch must not be mistaken for the one that is meant to time out).
tmo=2000
[[ -n ${SANITIZER:-} ]] && tmo=8000
fetch_check_errors "$tmo" 60000

# 5. A name that does not resolve: an ERR line for that URL only.
fetch_check_dns "$B/?size=5"
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
fetch_check_help_usage '^Usage: fetch-uv ' \
    "" "-c 0 $B/" "-t 0 $B/" "-c x $B/" "-x $B/" "-c"

# 8. No leak and no invalid access on the error paths (valgrind, if any).
if [[ -z ${SANITIZER:-} ]] && command -v valgrind >/dev/null; then
    set +e
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 "$F" -c 3 -t 2000 "$B/?size=10" \
        "http://127.0.0.1:$(free_port)/" "$B/?delay=5000" "$B/?bad=1" \
        "$B/?size=100&truncate=1" https://x/ "$B/?size=10&chunked=1" \
        >"$TMP/vg.out" 2>"$TMP/vg.err"
    r=$?; set -e
    [[ $r == 1 ]] || { bad "valgrind: expected exit 1, got $r"; cat "$TMP/vg.err"; }
fi

fetch_finish
