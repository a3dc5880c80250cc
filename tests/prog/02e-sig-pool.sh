#!/bin/bash
# sig-pool stops cleanly on a signal: 50 runs, each sent SIGINT or
# SIGTERM (alternately) at a random moment after it says it is running,
# each must exit 0 and report every pushed job done.  Every tenth run is
# under valgrind memcheck, which fails it on any leaked block or error,
# and whose file descriptor report must show no descriptor the program
# opened and left open.  Also: -n N finishes by itself, and the command
# line is checked as everywhere.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs sig-pool
vg=()
if command -v valgrind > /dev/null && [[ -z ${SANITIZER:-} ]]; then
    vg=(valgrind -q --leak-check=full --show-leak-kinds=all
        --errors-for-leak-kinds=all --track-fds=yes --error-exitcode=99)
fi

# wait_running PID: until the program's first line is out (it has
# blocked the signals and started its threads), 60 s at most.
wait_running() {
    local i
    for ((i = 0; i < 1200; i++)); do
        grep -q '^running: ' "$TMP/o" && return 0
        kill -0 "$1" 2>/dev/null || fail "sig-pool ended before running: $(cat "$TMP/e")"
        sleep 0.05
    done
    fail "sig-pool printed no 'running' line in 60 s"
}

# no_fd_left: valgrind lists every descriptor open at exit; the
# program's own ones are those not inherited from the test.
no_fd_left() {
    awk '/Open file descriptor/ { fd = $0; getline
                                  if ($0 !~ /inherited from parent/) { print fd; bad = 1 } }
         END { exit bad }' "$TMP/e" || fail "descriptors left open: $(cat "$TMP/e")"
}

for ((run = 1; run <= 50; run++)); do
    sig=INT; ((run % 2)) || sig=TERM
    under=()
    ((run % 10 != 0)) || under=("${vg[@]}")
    rc=0
    "${under[@]}" "$BIN/sig-pool" -w 3 -d 1 > "$TMP/o" 2> "$TMP/e" &
    pid=$!
    wait_running $pid
    sleep "$(printf '0.%03d' $((RANDOM % 300)))"
    kill -s $sig $pid
    wait $pid || rc=$?
    [[ $rc == 0 ]] || fail "run $run (SIG$sig${under:+, valgrind}): exit $rc; stderr: $(cat "$TMP/e")"
    last=$(tail -n 1 "$TMP/o")
    [[ $last =~ ^stopped\ by\ SIG$sig:\ [0-9]+\ jobs\ done,\ none\ lost$ ]] ||
        fail "run $run: last line '$last', expected 'stopped by SIG$sig: N jobs done, none lost'"
    if ((${#under[@]} > 0)); then
        no_fd_left
    else
        [[ ! -s $TMP/e ]] || fail "run $run: stderr: $(cat "$TMP/e")"
    fi
done

expect 0 "$BIN/sig-pool" -w 2 -n 25 -d 0
expect_eq "sig-pool -n 25" "running: 2 workers; SIGINT or SIGTERM stops them
finished: 25 jobs done, none lost" "$(cat "$TMP/out")"
check_cli sig-pool "-w 0" "-n -1" "-d x" "extra"
echo "02e-sig-pool: 50 runs stopped cleanly${vg:+, 5 under valgrind}: ok"
