#!/bin/bash
# tests/prog/04a-count-timers.sh: count-timers and loop-busy (chapter 4,
# 04a-eventloop.nw). Every line of every sequence once and in order; the
# exact interleaving the book shows (it is deterministic on one loop);
# the blocking demo still prints everything; --help and bad flags;
# uv_loop_close's UV_EBUSY. No timings.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
. "$ROOT/tests/support/lib.sh"
C=$BIN/count-timers

# check_sequences FILE W N: every "worker w: i" once, each worker in order.
check_sequences() {
    local f=$1 w=$2 n=$3 got
    got=$(awk -v W="$w" -v N="$n" '
        { if ($1 != "worker" || $3 !~ /^[0-9]+$/) { print "bad line: " $0; exit }
          id = $2; sub(":", "", id); id += 0
          if (id < 1 || id > W) { print "bad worker: " $0; exit }
          if ($3 != last[id] + 1) { print "out of order: " $0; exit }
          last[id] = $3; lines++ }
        END { for (i = 1; i <= W; i++) if (last[i] != N)
                  { print "worker " i " ended at " last[i] + 0; exit }
              if (lines != W * N) print "expected " W * N " lines, got " lines }' "$f")
    [[ -z $got ]] || bad "$f: $got"
}

# 1. The run the book shows, line for line.
"$C" -w 3 -n 3 >"$TMP/book.out"
printf 'worker %d: %d\n' 1 1 2 1 3 1 1 2 2 2 3 2 1 3 2 3 3 3 >"$TMP/book.want"
diff "$TMP/book.want" "$TMP/book.out" >/dev/null \
    || bad "count-timers -w 3 -n 3: expected the book's output, got: $(cat "$TMP/book.out")"

# 2. Defaults, many workers, no delay, a blocking worker: all complete.
"$C" >"$TMP/def.out";                     check_sequences "$TMP/def.out" 3 5
"$C" -w 50 -n 40 -d 0 >"$TMP/many.out";   check_sequences "$TMP/many.out" 50 40
"$C" -w 7 -n 6 -d 2 >"$TMP/seven.out";    check_sequences "$TMP/seven.out" 7 6
"$C" -w 3 -n 4 -d 1 -b 5 >"$TMP/block.out"; check_sequences "$TMP/block.out" 3 4
"$C" -w 1 -n 1 >"$TMP/one.out";           check_sequences "$TMP/one.out" 1 1
# On one loop the rounds never mix: worker 1..W of round i, then round i+1.
want=$(for i in $(seq 40); do for w in $(seq 50); do echo "worker $w: $i"; done; done)
[[ $(cat "$TMP/many.out") == "$want" ]] || bad "-w 50 -n 40 -d 0: rounds are not in order"

# 3. --help on stdout with status 0; usage errors on stderr with status 2.
check_cli count-timers "-w 0" "-n 0" "-d -1" "-w x" "-x" "-w" "extra"

# 4. loop-busy: an open handle makes uv_loop_close fail with UV_EBUSY.
L=$BIN/loop-busy
set +e; "$L" >"$TMP/busy.out" 2>"$TMP/busy.err"; rc=$?; set -e
[[ $rc == 1 ]] || bad "loop-busy: expected exit 1, got $rc"
[[ $(cat "$TMP/busy.err") == "loop-busy: uv_loop_close: resource busy or locked" ]] \
    || bad "loop-busy: unexpected message: $(cat "$TMP/busy.err")"
[[ $("$L" --close) == "uv_loop_close: 0" ]] || bad "loop-busy --close: did not close"
check_cli loop-busy "--bogus"

# 5. No leak and no invalid access (valgrind, if any).
if [[ -z ${SANITIZER:-} ]] && command -v valgrind >/dev/null; then
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 "$C" -w 4 -n 3 -d 1 >"$TMP/vg.out" 2>"$TMP/vg.err" \
        || { bad "valgrind: exit $?"; cat "$TMP/vg.err"; }
    check_sequences "$TMP/vg.out" 4 3
fi

checks_done "count-timers and loop-busy"
