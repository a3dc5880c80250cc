#!/bin/bash
# tests/prog/02c-book-run.sh: the run of fetch-threads that chapter 2
# (02c-http.nw, "Running it") shows is what the program prints: the same
# command, against a server started here, gives the same lines, apart
# from the milliseconds and the server's port (8080 in the book).
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
nw=$ROOT/chapters/02c-http.nw
. "$ROOT/tests/support/httpd-start.sh"

# The block: from the line "$ fetch-threads -c 3 ..." to the closing fence.
awk '/^\$ fetch-threads -c 3 -t 1000/ {on = 1} on && /^```/ {exit}
     on {print}' "$nw" >"$TMP/block"
[[ -s $TMP/block ]] || { echo "no fetch-threads run found in $nw"; exit 1; }
# The command is the lines up to the first one without a trailing '\'.
awk '{print} !/\\$/ {exit}' "$TMP/block" >"$TMP/command"
n=$(wc -l <"$TMP/command")
tail -n +"$((n + 1))" "$TMP/block" >"$TMP/expected"

httpd_start
cmd=$(sed -e 's/^\$ //' -e 's/\\$//' "$TMP/command" | tr '\n' ' ')
cmd=${cmd//:8080\//:$HTTPD_PORT/}
[[ $cmd == "fetch-threads "* ]] || { echo "odd command: $cmd"; exit 1; }
eval "set -- ${cmd#fetch-threads }"
set +e
"$BIN/fetch-threads" "$@" >"$TMP/got" 2>"$TMP/err"
rc=$?
set -e

norm() { sed -E -e "s/:$HTTPD_PORT\\//:8080\\//g" -e 's/ +[0-9]+ ms/ N ms/g' "$1"; }
if ! diff <(norm "$TMP/expected") <(norm "$TMP/got") >"$TMP/diff"; then
    echo "the book's run and this run differ (< book, > program):"
    cat "$TMP/diff"; cat "$TMP/err"
    exit 1
fi
[[ $rc == 1 ]] || { echo "expected exit status 1, got $rc"; exit 1; }
echo "the book's fetch-threads run matches ($(wc -l <"$TMP/got") lines)"
