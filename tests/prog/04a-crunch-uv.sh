#!/bin/bash
# tests/prog/04a-crunch-uv.sh: crunch-uv (chapter 4, 04a-eventloop.nw)
# prints byte for byte what crunch-seq prints, for any pool size, on
# generated data and on small edge cases; names the first malformed line
# of the file whichever piece finishes first; --help and bad flags.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
. "$ROOT/tests/support/lib.sh"
U=$BIN/crunch-uv S=$BIN/crunch-seq
same() {    # same FILE ARGS...: crunch-uv ARGS FILE == crunch-seq FILE
    local f=$1; shift
    "$S" "$f" >"$TMP/seq.out"
    "$U" "$@" "$f" >"$TMP/uv.out" || { bad "crunch-uv $* $f: exit $?"; return; }
    cmp -s "$TMP/seq.out" "$TMP/uv.out" \
        || bad "crunch-uv $* $f differs from crunch-seq: $(cmp "$TMP/seq.out" "$TMP/uv.out" 2>&1)"
}

rows=300000
[[ -n ${SANITIZER:-} ]] && rows=30000
"$BIN/gen-data" -n "$rows" -s 42 -o "$TMP/data.txt"
"$BIN/gen-data" -n 5000 -s 7 -k 20 -o "$TMP/few.txt"
for w in 1 2 3 8; do same "$TMP/data.txt" -w "$w"; done
same "$TMP/data.txt"
same "$TMP/few.txt" -w 4

# Small files: empty, one line, no final newline, more pieces than lines.
: >"$TMP/empty.txt";                        same "$TMP/empty.txt" -w 2
printf 'Abha;12.3\n' >"$TMP/one.txt";        same "$TMP/one.txt" -w 4
printf 'Abha;1.0\nOslo;-2.5' >"$TMP/nonl.txt"; same "$TMP/nonl.txt" -w 3

# The first malformed line is named, whichever piece reports first.
{ printf 'Abha;1.0\nOslo;2.0\nbroken line\n'; head -n 20000 "$TMP/data.txt"
  echo 'also;broken'; } >"$TMP/bad.txt"
for w in 1 2 8; do
    set +e; "$U" -w "$w" "$TMP/bad.txt" >/dev/null 2>"$TMP/bad.err"; r=$?; set -e
    [[ $r == 1 ]] || bad "malformed, -w $w: expected exit 1, got $r"
    [[ $(cat "$TMP/bad.err") == "crunch-uv: $TMP/bad.txt:3: malformed line" ]] \
        || bad "malformed, -w $w: got '$(cat "$TMP/bad.err")'"
done
set +e; "$U" "$TMP/no-such-file" 2>/dev/null; r=$?; set -e
[[ $r == 1 ]] || bad "missing file: expected exit 1, got $r"

check_cli crunch-uv "" "-w 0 $TMP/one.txt" "-w 2000 $TMP/one.txt" \
    "-x $TMP/one.txt" "$TMP/one.txt $TMP/one.txt"

# No leak, no invalid access, every handle closed (valgrind, if any).
if [[ -z ${SANITIZER:-} ]] && command -v valgrind >/dev/null; then
    head -n 20000 "$TMP/data.txt" >"$TMP/small.txt"
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 "$U" -w 3 "$TMP/small.txt" >"$TMP/vg.out" \
        2>"$TMP/vg.err" || { bad "valgrind: exit $?"; cat "$TMP/vg.err"; }
    "$S" "$TMP/small.txt" | cmp -s - "$TMP/vg.out" || bad "valgrind run: wrong output"
fi

checks_done crunch-uv
