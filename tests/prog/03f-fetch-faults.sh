#!/bin/bash
# Issue 14: the three fetchers under faults. (1) Descriptor exhaustion
# (ulimit -n): a fetcher fails only the URLs it could not start, prints
# one line per URL and the summary, and exits 1; fetch-procs used to
# abort the whole run on "pipe: Too many open files". (2) A URL with a
# CR or LF in it is not echoed raw into the output, where it would
# forge or break a line.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
. "$ROOT/tests/support/lib.sh"
need_programs fetch-threads fetch-procs fetch-uv reap-check
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

# fetch-threads when threads run out (the same mistake as fetch-procs's:
# a resource for one URL is missing, and the whole run used to stop with
# "pthread_create: Resource temporarily unavailable"). An address space
# of 300 MB holds a few dozen 8 MB stacks, far fewer than 100 threads.
# Sanitizers reserve terabytes of address space: skipped under them.
if [[ -z ${SANITIZER:-} ]]; then
    urls=()
    for i in $(seq 1 100); do urls+=("$B/?delay=5000&size=$i"); done
    st=0
    ( ulimit -s 8192; ulimit -v 300000
      exec "$BIN/fetch-threads" -c 100 -t 60000 "${urls[@]}" ) \
        > "$TMP/threads.out" 2> "$TMP/threads.err" || st=$?
    [[ $st == 1 ]] || fail "fetch-threads, ulimit -v: exit $st, expected 1: $(head -c 300 "$TMP/threads.err")"
    [[ $(wc -l < "$TMP/threads.out") == 101 ]] ||
        fail "fetch-threads, ulimit -v: $(wc -l < "$TMP/threads.out") lines, expected 101; stderr: $(head -c 300 "$TMP/threads.err")"
    ok=$(grep -c '^200 ' "$TMP/threads.out" || true)
    refused=$(grep -c '^ERR  Resource temporarily unavailable  ' "$TMP/threads.out" || true)
    (( ok > 0 && refused > 0 && ok + refused == 100 )) ||
        fail "fetch-threads, ulimit -v: $ok fetched, $refused refused: $(sort "$TMP/threads.out" | uniq -c | head -5)"
fi

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
