#!/bin/bash
# format-slip.sh: the compiler message that chapter 1 shows in the block
# {#ground-demo-format-error}.  Makes the slip the chapter describes (%d
# for %ld in ground-demo's loop) in a copy of the chapter, tangles and
# compiles it as the build does, and prints GCC's first error line.
# Used as a hidden command by tests/support/transcripts.py, and by
# tests/prog/01-line-directives.sh, which checks the line it names.
# Needs ROOT (the project); works in a folder of its own under TMPDIR.
set -euo pipefail
: "${ROOT:?}"
export LC_ALL=C     # plain quotes in GCC's messages, as the book shows
nw=chapters/01-introduction.nw
good='say("step %ld of %ld\n", i, steps);'
bad='say("step %d of %ld\n", i, steps);'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/chapters" "$work/t"
grep -qF "$good" "$ROOT/$nw" || { echo "no line '$good' in $nw" >&2; exit 1; }
# (ENVIRON, not -v: awk would turn the \n of the C string into a newline.)
GOOD=$good awk 'index($0, ENVIRON["GOOD"]) { sub(/%ld of/, "%d of") }
                { print }' "$ROOT/$nw" > "$work/$nw"
grep -qF "$bad" "$work/$nw" || { echo "could not make the slip" >&2; exit 1; }
cd "$work"
notangle -L -Rground.h "$nw" > t/ground.h
notangle -L -Rground-demo.c "$nw" > t/ground-demo.c
if gcc -std=c17 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic \
       -Werror -g -O2 -It -c -o t/ground-demo.o t/ground-demo.c \
       2> t/gcc.txt; then
    echo "expected a compile error for: $bad" >&2; exit 1
fi
grep -m1 ': error: ' t/gcc.txt
