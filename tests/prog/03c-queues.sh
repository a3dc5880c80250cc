#!/bin/bash
# Chapter 3, queues: mq-demo, count-mq, count-pipe. Message queues leave
# no name behind, even when the program is killed; a dead producer makes
# count-pipe fail instead of hang.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
rc=$BIN/reap-check
lim() { cat "/proc/sys/fs/mqueue/$1"; }

# mq-demo reports this machine's limits (the rest of its output, the run
# the book shows: tests/book/transcripts.sh), and reaps what it makes.
want="limits: msg_max=$(lim msg_max) msgsize_max=$(lim msgsize_max) queues_max=$(lim queues_max)"
got=$("$rc" "$BIN/mq-demo" | head -n 1)
[[ $got == "$want" ]] || fail "mq-demo: expected '$want', got '$got'"
# The per-user limit (ulimit -q) caps the bytes all queues could hold:
# mq-demo counts how many default queues fit, and names the errno.
ql=$(ulimit -q)
per=$(( $(lim msg_default) * $(lim msgsize_default) ))
if [[ $ql == unlimited ]] || (( ql / per >= 1000 || ql / per >= $(lim queues_max) )); then
    count_line="RLIMIT_MSGQUEUE=*: * queues of the default size, then *"   # a pattern
else
    # n queues of per bytes and the kernel's bookkeeping fit, n + 1 do not.
    n=$(( ql / per ))
    (( n * per * 105 / 100 > ql )) && n=$((n - 1))
    count_line="RLIMIT_MSGQUEUE=$ql: $n queues of the default size, then Too many open files"
fi
got=$("$rc" "$BIN/mq-demo" | sed -n 3p)
# shellcheck disable=SC2053  # $count_line may be a pattern
[[ $got == $count_line ]] || fail "mq-demo: expected '$count_line', got '$got'"
# With a smaller limit, fewer queues: the count follows ulimit -q.
got=$(ulimit -q $((3 * per + per / 2)); "$BIN/mq-demo" | sed -n 3p)
[[ $got == "RLIMIT_MSGQUEUE=$((3 * per + per / 2)): 3 queues of the default size, then Too many open files" ]] ||
    fail "mq-demo under ulimit -q: $got"

want=$(for w in 1 2 3; do for i in 1 2 3 4 5; do echo "worker $w: $i"; done; done | sort)
for p in count-mq count-pipe; do
    got=$("$rc" "$BIN/$p" -w 3 -n 5 -d 1 | sort)
    [[ $got == "$want" ]] || fail "$p -w 3 -n 5: got
$got"
    got=$("$rc" "$BIN/$p" -w 8 -n 200 -d 0 | sort | uniq | wc -l)
    [[ $got == 1600 ]] || fail "$p -w 8 -n 200: $got distinct lines"
    check_cli "$p" "-w 0" "-n x" "-d" "-z" "extra"
done

# A killed producer: count-pipe sees end-of-file, reaps, and fails.
"$BIN/count-pipe" -w 2 -n 50 -d 20 > "$TMP/out" 2> "$TMP/err" &
parent=$!
kid=""
for _ in $(seq 100); do
    kid=$(cat /proc/$parent/task/*/children 2>/dev/null | awk '{print $1}')
    [[ -n $kid ]] && break
    sleep 0.01
done
[[ -n $kid ]] || fail "no producer found"
kill -9 "$kid"
set +e; wait $parent; s=$?; set -e
[[ $s == 1 ]] || fail "count-pipe with a killed producer: exit $s"
grep -q '^count-pipe: a producer failed$' "$TMP/err" || fail "message: $(cat "$TMP/err")"

# No queue name survives, not even a SIGKILL of the program.
mkdir -p "$TMP/mq"
if mount -t mqueue none "$TMP/mq" 2> /dev/null; then
    # shellcheck disable=SC2016  # expanded when the test exits
    at_exit 'umount "$TMP/mq" 2> /dev/null'
    ls "$TMP/mq" > "$TMP/before"
    # Under reap-check, so that the orphans of the killed program are
    # reaped by it (and counted, which does not matter here).
    "$rc" "$BIN/count-mq" -w 2 -n 100 -d 20 > /dev/null 2>&1 &
    checker=$!
    sleep 0.2
    ls "$TMP/mq" > "$TMP/during"
    parent=$(awk '{print $1}' /proc/$checker/task/*/children)
    kids=$(cat /proc/"$parent"/task/*/children 2> /dev/null || true)
    kill -9 "$parent"
    # Its producers would block forever on the full queue: kill them too.
    # shellcheck disable=SC2086  # a list of process ids
    [[ -z $kids ]] || kill -9 $kids 2> /dev/null || true
    wait $checker 2> /dev/null || true
    "$BIN/mq-demo" > /dev/null
    ls "$TMP/mq" > "$TMP/after"
    cmp -s "$TMP/before" "$TMP/during" || fail "a queue name is visible while count-mq runs"
    cmp -s "$TMP/before" "$TMP/after" || fail "queue names left: $(cat "$TMP/after")"
else
    echo "note: cannot mount the mqueue file system; name check skipped"
fi
echo "03c-queues: ok"
