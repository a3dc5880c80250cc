#!/bin/bash
# Issue 14: the three fetchers under faults. (1) Descriptor exhaustion
# (ulimit -n): a fetcher fails only the URLs it could not start, prints
# one line per URL and the summary, and exits 1; fetch-procs used to
# abort the whole run on "pipe: Too many open files". (2) A URL with a
# CR or LF in it is not echoed raw into the output, where it would
# forge or break a line.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }
for p in fetch-threads fetch-procs fetch-uv reap-check; do
    [[ -x $BIN/$p ]] || { echo "skip: $BIN/$p not built"; exit 77; }
done
. "$ROOT/tests/support/httpd-start.sh"
httpd_start
B=http://127.0.0.1:$HTTPD_PORT

# Sixty URLs that the server holds for 5 s each: far more in flight than
# 24 descriptors allow, whatever the speed of the machine.
n=60
urls=()
for i in $(seq 1 $n); do urls+=("$B/?delay=5000&size=$i"); done

for prog in fetch-threads fetch-procs fetch-uv; do
    st=0
    ( ulimit -n 24; exec "$BIN/reap-check" "$BIN/$prog" -c $n -t 60000 \
          "${urls[@]}" ) > "$TMP/$prog.out" 2> "$TMP/$prog.err" || st=$?
    [[ $st == 1 ]] ||
        fail "$prog, ulimit -n 24: exit $st, expected 1; stderr: $(head -c 500 "$TMP/$prog.err")"
    [[ $(wc -l < "$TMP/$prog.out") == $((n + 1)) ]] ||
        fail "$prog, ulimit -n 24: $(wc -l < "$TMP/$prog.out") lines, expected $((n + 1)); stderr: $(head -c 500 "$TMP/$prog.err")"
    ok=0 emfile=0
    for i in $(seq 1 $n); do
        l=$(sed -n "${i}p" "$TMP/$prog.out")
        if [[ $l =~ ^200\ +$i\ bytes\ +[0-9]+\ ms\ \ ${urls[i-1]//\?/\\?}$ ]]; then
            ok=$((ok + 1))
        elif [[ $l == ERR*"Too many open files"*"  ${urls[i-1]}" ]]; then
            emfile=$((emfile + 1))
        else
            fail "$prog, ulimit -n 24, line $i: '$l'"
        fi
    done
    (( ok > 0 && emfile > 0 )) ||
        fail "$prog, ulimit -n 24: $ok fetched, $emfile refused; expected some of each"
    tail -n 1 "$TMP/$prog.out" | grep -Eq "^$ok fetched, $emfile failed, " ||
        fail "$prog: summary '$(tail -n 1 "$TMP/$prog.out")'"
done

# A URL with a CR LF inside: the line that names it must not contain
# the raw characters (the fetch fails: the URL is malformed).
evil=$'http://127.0.0.1:1/a\r\n200 forged line'
for prog in fetch-threads fetch-procs fetch-uv; do
    st=0
    "$BIN/$prog" -t 5000 "$evil" > "$TMP/$prog.crlf" 2>&1 || st=$?
    [[ $st == 1 ]] || fail "$prog, CR LF URL: exit $st, expected 1"
    if grep -q $'\r' "$TMP/$prog.crlf"; then
        fail "$prog echoed a CR: $(od -c "$TMP/$prog.crlf" | head -5)"
    fi
    [[ $(wc -l < "$TMP/$prog.crlf") == 2 ]] ||
        fail "$prog, CR LF URL: $(wc -l < "$TMP/$prog.crlf") lines, expected 2: $(cat "$TMP/$prog.crlf")"
done
echo "ok"
