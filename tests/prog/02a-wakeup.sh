#!/bin/bash
# wakeup-fixed always completes; wakeup-broken either loses a wakeup and
# says so (exit 1) or, by luck, completes -- it never hangs.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
for n in 1 2 1000 100000; do
    out=$("$BIN/wakeup-fixed" -n $n) || fail "wakeup-fixed -n $n: exit $?"
    [[ $out == "consumer took all $n events" ]] || fail "wakeup-fixed -n $n printed '$out'"
done
rc=0; "$BIN/wakeup-broken" -n 100000 > "$TMP/o" 2> "$TMP/e" || rc=$?
case $rc in
  1) grep -q '^wakeup-broken: lost wakeup: consumer asleep after [0-9]* of 100000 events$' "$TMP/e" ||
         fail "wakeup-broken exit 1 with: $(cat "$TMP/e")" ;;
  0) [[ $(cat "$TMP/o") == "consumer took all 100000 events" ]] || fail "wakeup-broken printed $(cat "$TMP/o")" ;;
  *) fail "wakeup-broken: exit $rc: $(cat "$TMP/e")" ;;
esac
check_cli wakeup-broken "-n 0"
check_cli wakeup-fixed "-n 0"
echo "wakeup: ok"
