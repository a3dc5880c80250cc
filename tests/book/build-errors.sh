#!/bin/bash
# The build refuses a broken chapter with a message a reader can act on:
# an undefined chunk, a misspelled (never used) chunk, a chunk name defined
# in two files; and a compile error is reported at the .nw line.
set -uo pipefail
fx=$ROOT/tests/book/fixtures
fails=0
try() {   # try NAME EXPECTED-REGEX FIXTURE...: the tangle must fail, saying EXPECTED
    local name=$1 want=$2; shift 2
    local dir=$TMP/$name
    mkdir -p "$dir/chapters"
    cp "$@" "$dir/chapters/"
    if out=$(cd "$dir" && "$ROOT/book/tangle.sh" build 2>&1); then
        echo "FAIL $name: the tangle succeeded; expected it to fail"; fails=$((fails+1)); return
    fi
    if ! grep -Eq "$want" <<<"$out"; then
        echo "FAIL $name: expected a message matching: $want"
        echo "     got: $out"; fails=$((fails+1)); return
    fi
    echo "ok   $name: $(head -n 1 <<<"$out")"
}
try undefined  'undefined\.nw.*do the thing that nobody wrote' "$fx/undefined.nw"
try misspelled 'misspelled\.nw: chunk <<say helo>> is never used' "$fx/misspelled.nw"
try duplicate  'dup-b\.nw: chunk <<shared name>> is also defined in chapters/dup-a\.nw' \
               "$fx/dup-a.nw" "$fx/dup-b.nw"

# A compile error names the .nw file and the line of the offending code.
dir=$TMP/compile
mkdir -p "$dir/chapters"
cp "$fx/compile-error.nw" "$dir/chapters/01-broken.nw"
ln -s "$ROOT/book" "$dir/book"
want_line=$(grep -n 'undeclared_variable' "$fx/compile-error.nw" | cut -d: -f1)
if out=$(cd "$dir" && make --no-print-directory -f book/build.mk B=build programs 2>&1); then
    echo "FAIL compile: the build succeeded; expected a compile error"; fails=$((fails+1))
elif grep -q "chapters/01-broken.nw:$want_line:[0-9]*: error" <<<"$out"; then
    echo "ok   compile: $(grep -m1 ": error" <<<"$out")"
else
    echo "FAIL compile: expected an error at chapters/01-broken.nw:$want_line"
    echo "     got: $out"; fails=$((fails+1))
fi
exit $((fails > 0))
