#!/bin/bash
# ThreadSanitizer sees the bug of spsc-relaxed, the ring whose atomic
# operations are all relaxed: its tangled source, built by hand with the
# build's compiler and TSan flags (BOOK_CC, BOOK_TSAN_FLAGS), reports a
# data race between spsc_push's write of a slot and spsc_pop's read of
# it.  The same program over the real ring (spsc-pass, release and
# acquire) reports nothing.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
cc=${BOOK_CC:?run by tests/run from make}
read -ra tsan <<<"$BOOK_TSAN_FLAGS"
read -ra cflags <<<"$BOOK_CFLAGS"
src() {     # src FILE: the tangled file, wherever its chapter put it
    local f=("$ROOT"/tangle/*/"$1")
    [[ -r ${f[0]} ]] || fail "$1 not tangled"
    echo "${f[0]}"
}
incs=()
for d in "$ROOT"/tangle/*/; do incs+=(-I"$d"); done
printf 'int main(void) { return 0; }\n' > "$TMP/probe.c"
if ! "$cc" "${tsan[@]}" "$TMP/probe.c" -o "$TMP/probe" 2>/dev/null ||
   ! "$TMP/probe" 2>/dev/null; then
    echo "$cc cannot build or run ThreadSanitizer programs here"
    exit 77
fi
common=("$(src ground.c)" "$(src trace.c)" "$(src bq.c)")
for p in spsc-relaxed spsc-pass; do
    extra=()
    [[ $p == spsc-pass ]] && extra=("$(src spsc.c)")
    "$cc" "${cflags[@]}" -g -O1 "${tsan[@]}" "${incs[@]}" \
          "$(src $p.c)" "${extra[@]}" "${common[@]}" -o "$TMP/$p" -pthread
done

rc=0
TSAN_OPTIONS="halt_on_error=0 exitcode=66" \
    "$TMP/spsc-relaxed" -n 20000 -q 4 > "$TMP/out" 2> "$TMP/err" || rc=$?
grep -q 'WARNING: ThreadSanitizer: data race' "$TMP/err" ||
    fail "no data race reported for spsc-relaxed; stderr: $(head -c 2000 "$TMP/err")"
for f in spsc_push spsc_pop; do
    grep -q "#0 $f " "$TMP/err" ||
        fail "the report does not name $f: $(head -c 2000 "$TMP/err")"
done
[[ $rc == 66 ]] || fail "spsc-relaxed: exit $rc, expected TSan's 66"

rc=0
TSAN_OPTIONS="exitcode=66" \
    "$TMP/spsc-pass" -n 20000 -q 4 > "$TMP/out" 2> "$TMP/err" || rc=$?
[[ $rc == 0 && ! -s $TMP/err ]] ||
    fail "spsc-pass under TSan: exit $rc, stderr: $(head -c 2000 "$TMP/err")"
echo "TSan reports the relaxed ring and not the acquire/release one: ok"
