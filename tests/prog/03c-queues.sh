#!/bin/bash
# Chapter 3, queues: mq-demo, count-mq, count-pipe. Message queues leave
# no name behind, even when the program is killed; a dead producer makes
# count-pipe fail instead of hang.
set -euo pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }
rc=$BIN/reap-check
lim() { cat /proc/sys/fs/mqueue/$1; }

# mq-demo reports this machine's limits (the rest of its output, the run
# the book shows: tests/book/transcripts.sh), and reaps what it makes.
want="limits: msg_max=$(lim msg_max) msgsize_max=$(lim msgsize_max) queues_max=$(lim queues_max)"
got=$("$rc" "$BIN/mq-demo" | head -n 1)
[[ $got == "$want" ]] || fail "mq-demo: expected '$want', got '$got'"

want=$(for w in 1 2 3; do for i in 1 2 3 4 5; do echo "worker $w: $i"; done; done | sort)
for p in count-mq count-pipe; do
    got=$("$rc" "$BIN/$p" -w 3 -n 5 -d 1 | sort)
    [[ $got == "$want" ]] || fail "$p -w 3 -n 5: got
$got"
    got=$("$rc" "$BIN/$p" -w 8 -n 200 -d 0 | sort | uniq | wc -l)
    [[ $got == 1600 ]] || fail "$p -w 8 -n 200: $got distinct lines"
    "$BIN/$p" --help | grep -q "^Usage: $p" || fail "$p --help"
    for bad in "-w 0" "-n x" "-d" "-z" "extra"; do
        set +e; "$BIN/$p" $bad > /dev/null 2> "$TMP/err"; s=$?; set -e
        [[ $s == 2 ]] && grep -q "^Usage: $p" "$TMP/err" || fail "$p $bad: exit $s"
    done
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
    trap 'umount "$TMP/mq" 2> /dev/null || true' EXIT
    ls "$TMP/mq" > "$TMP/before"
    # Under reap-check, so that the orphans of the killed program are
    # reaped by it (and counted, which does not matter here).
    "$rc" "$BIN/count-mq" -w 2 -n 100 -d 20 > /dev/null 2>&1 &
    checker=$!
    sleep 0.2
    ls "$TMP/mq" > "$TMP/during"
    parent=$(awk '{print $1}' /proc/$checker/task/*/children)
    kids=$(cat /proc/$parent/task/*/children 2> /dev/null || true)
    kill -9 $parent
    # Its producers would block forever on the full queue: kill them too.
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
