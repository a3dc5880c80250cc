#!/bin/bash
# tests/prog/03f-fetch-procs.sh: fetch-procs (chapter 3, 03f-fetch.nw), the
# checks of fetch-threads (tests/support/fetch-common.sh), every run under
# reap-check: against a slow HTTP server on 127.0.0.1, many URLs, the
# three kinds of body, a refused port, a timeout, malformed and truncated
# responses, https, exit statuses, --help and bad flags; then what only
# processes have: a child killed in mid-fetch. No timings.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
. "$ROOT/tests/support/fetch-common.sh"
fetch_setup fetch-procs "$BIN/reap-check"

# 1. Fifty URLs with delays and sizes: all fetched, in argument order.
fetch_check_many
# 2. Content-Length, chunked and close-delimited bodies, and empty ones.
fetch_check_bodies
# 3. Every kind of failure, each on its own line, the others unharmed.
fetch_check_errors 500 3000
# 4. A name that does not resolve: an ERR line naming the URL.
# shellcheck disable=SC2119  # no other URL to check
fetch_check_dns
# 5. A cap of one still fetches everything; localhost by name.
fetch_check_cap1

# 5b. A child killed in mid-fetch: its line says so, the others are fine.
"$BIN/reap-check" "$F" -t 5000 "$B/?delay=3000&size=7" "$B/?size=8" \
    >"$TMP/kill.out" 2>"$TMP/kill.err" &
checker=$!
kid=""
for _ in $(seq 200); do
    parent=$( (cat /proc/$checker/task/*/children 2>/dev/null || true) | awk '{print $1}')
    [[ -n $parent ]] && kid=$( (cat /proc/"$parent"/task/*/children 2>/dev/null || true) | awk '{print $1}')
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

# 6. --help, usage errors (-c above 1000 too: a child per slot).
fetch_check_help_usage '^Usage: fetch-procs \[-c N\] \[-t MS\] URL\.\.\.' \
    "" "-x $B/" "-c 0 $B/" "-c 1001 $B/" "-c abc $B/" "-c" "-t 0 $B/" \
    "-t" "-c 3"

fetch_finish
