#!/bin/bash
# Chapter 3, fork/exec/wait: count-procs, fork-copy, fork-buffer, run-wait,
# zombie, reap-check. Every program runs under reap-check: none may leave
# a child behind, dead or alive.
set -euo pipefail
rc=$BIN/reap-check
. "$ROOT/tests/support/lib.sh"

# reap-check itself catches a careless parent, and passes a status on.
if "$rc" sh -c 'sleep 30 & exit 0' 2>"$TMP/err"; then fail "reap-check missed an orphan"; fi
expect_eq "reap-check message" \
    "reap-check: sh left 0 zombie(s) and 1 running child(ren)" "$(cat "$TMP/err")"
set +e; "$rc" sh -c 'exit 4'; s=$?; set -e
expect_eq "reap-check status" 4 "$s"

# count-procs: every line exactly once, in any order.
out=$("$rc" "$BIN/count-procs" -w 3 -n 4 -d 1 | sort)
want=$(for w in 1 2 3; do for i in 1 2 3 4; do echo "worker $w: $i"; done; done | sort)
expect_eq "count-procs -w 3 -n 4" "$want" "$out"
out=$("$rc" "$BIN/count-procs" -w 2 -n 3 -d 10 | sort)
expect_eq "count-procs as in the book" "$(printf 'worker 1: 1\nworker 1: 2\nworker 1: 3\nworker 2: 1\nworker 2: 2\nworker 2: 3')" "$out"
[[ $("$BIN/count-procs" -w 1 -n 1) == "worker 1: 1" ]] || fail "-n 1"
check_cli count-procs "-w 0" "-w x" "-n 0" "-d" "-q" "extra"

# fork-copy: the child's change is not seen by the parent; same address.
out=$("$rc" "$BIN/fork-copy")
c=$(sed -n 's/^child:  counter = \([0-9]*\) at \(.*\)$/\1 \2/p' <<<"$out")
p=$(sed -n 's/^parent: counter = \([0-9]*\) at \(.*\)$/\1 \2/p' <<<"$out")
[[ ${c%% *} == 41 && ${p%% *} == 0 ]] || fail "fork-copy values: $out"
[[ ${c#* } == "${p#* }" ]] || fail "fork-copy addresses differ: $out"

# fork-buffer: exit() in the child prints the parent's buffer twice.
expect_eq "fork-buffer | cat" "$(printf 'printed once, before fork\nprinted once, before fork')" \
    "$("$rc" "$BIN/fork-buffer" | cat)"
# ThreadSanitizer's _exit flushes stdio (see tests/sanitizer-skip.d/03-processes.txt).
if [[ ${SANITIZER:-} != thread ]]; then
    expect_eq "fork-buffer -x | cat" "printed once, before fork" "$("$rc" "$BIN/fork-buffer" -x | cat)"
fi

# run-wait: the statuses as the book shows them.
expect_eq "run-wait true" "true: exited with status 0" "$("$rc" "$BIN/run-wait" true)"
expect_eq "run-wait exit 3" "sh: exited with status 3" "$("$rc" "$BIN/run-wait" sh -c 'exit 3')"
expect_eq "run-wait kill -9" "sh: killed by signal 9 (Killed)" \
    "$("$rc" "$BIN/run-wait" sh -c 'kill -9 $$')"
set +e; "$rc" "$BIN/run-wait" no-such-program 2>"$TMP/err"; s=$?; set -e
[[ $s == 1 ]] || fail "run-wait no-such-program: exit $s"
expect_eq "run-wait no-such-program" \
    "run-wait: cannot run 'no-such-program': No such file or directory" "$(cat "$TMP/err")"

# No descriptor leaks into an exec'd child: the shell run by run-wait
# has exactly the descriptors a shell run directly has.
direct=$(sh -c 'ls /proc/$$/fd' | tr '\n' ' ')
viarw=$("$BIN/run-wait" sh -c 'ls /proc/$$/fd' | head -n -1 | tr '\n' ' ')
expect_eq "descriptors of a child of run-wait" "$direct" "$viarw"

# zombie reaps every child it makes (its output, the run the book shows:
# tests/book/transcripts.sh).
"$rc" "$BIN/zombie" > /dev/null || fail "zombie under reap-check: exit $?"
for p in fork-copy fork-buffer run-wait zombie reap-check; do
    check_cli "$p"
done
echo "03a-fork: ok"
