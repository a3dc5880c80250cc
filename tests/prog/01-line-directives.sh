#!/bin/bash
# 01-line-directives.sh: chapter 1 shows the message GCC gives when a
# format string in ground-demo does not match its argument; the message
# names the line of the chapter (thanks to notangle -L and #line) and
# comes from the GR_PRINTF attribute.  This test makes the same slip in a
# copy of the chapter, compiles it, and compares GCC's message with the
# block {#ground-demo-format-error} that the book shows (folded there: its
# lines are joined again before comparing).
set -euo pipefail
: "${TMP:?}" "${ROOT:?}"
command -v gcc >/dev/null || { echo "skipped: no gcc"; exit 77; }
export LC_ALL=C     # plain quotes in GCC's messages, as the book shows

nw=chapters/01-introduction.nw
good='say("step %ld of %ld\n", i, steps);'
bad='say("step %d of %ld\n", i, steps);'

# The book's block, unfolded into one line.
want=$(awk '/^```\{#ground-demo-format-error/ { on = 1; next }
            on && /^```/ { exit }
            on { sub(/^ +/, ""); printf "%s%s", sep, $0; sep = " " }' \
       "$ROOT/$nw")
[[ -n $want ]] || { echo "no ground-demo-format-error block in $nw"; exit 1; }

# The same slip in a copy, tangled and compiled as the build does it.
mkdir -p "$TMP/chapters" "$TMP/t"
grep -qF "$good" "$ROOT/$nw" || { echo "no line '$good' in $nw"; exit 1; }
# (ENVIRON, not -v: awk would turn the \n of the C string into a newline.)
GOOD=$good awk 'index($0, ENVIRON["GOOD"]) { sub(/%ld of/, "%d of") }
                { print }' "$ROOT/$nw" > "$TMP/$nw"
grep -qF "$bad" "$TMP/$nw" || { echo "could not make the slip"; exit 1; }
cd "$TMP"
notangle -L -Rground.h "$nw" > t/ground.h
notangle -L -Rground-demo.c "$nw" > t/ground-demo.c
# gcc, whatever the build's compiler (the book shows gcc's message), with
# the build's flags (book/build.mk exports them).
# shellcheck disable=SC2086  # lists of flags
if gcc $BOOK_CFLAGS $BOOK_OPT -It -c -o t/ground-demo.o t/ground-demo.c \
       2> t/gcc.txt; then
    echo "expected a compile error for: $bad"; exit 1
fi
got=$(grep -m1 ': error: ' t/gcc.txt || true)
line=$(grep -nF "$bad" "$nw" | cut -d: -f1)
if [[ $got != "$want" ]]; then
    echo "the book shows (unfolded):"
    echo "  $want"
    echo "gcc now says (the slip is on line $line of $nw):"
    echo "  $got"
    echo "update the block {#ground-demo-format-error} in $nw"
    exit 1
fi
[[ $got == "$nw:$line:"* ]] || { echo "message does not name $nw:$line"; exit 1; }
echo "ok: $got"
