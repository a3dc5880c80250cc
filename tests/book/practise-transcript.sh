#!/bin/bash
# The practice session shown in chapter 1 ("Practising") is what the
# exercise runner prints: this test replays it (make exercises, the
# untouched starter, a hint, a racy attempt, a correct one, the status) in
# a scratch workspace and compares with the three transcript blocks of
# chapters/01-introduction.nw, after blanking what changes from run to run
# (seeds, process ids, addresses, thread numbers).
# PRINT=1 prints the session as the book should show it instead.
set -uo pipefail
cd "$ROOT" || exit 1
nw=chapters/01-introduction.nw
ws=$TMP/ws
export EXERCISES_DIR=$ws
# As the reader types it: not a sub-make of make check (its level shows
# in make's messages).
m() { env -u MAKELEVEL -u MAKEFLAGS -u MFLAGS make --no-print-directory B="$BUILD" "$@" 2>&1; }

# The book's paths, for the scratch ones.
paths() { sed -e "s|$ws|exercises|g" -e "s|$BUILD/|build/|g" -e "s|$BUILD|build|g"; }
# What differs from one run to the next.
blank() {
    sed -E -e 's/EX_SEED=[0-9]+/EX_SEED=N/g; s/pid=[0-9]+/pid=N/g; s/tid=[0-9]+/tid=N/g' \
           -e 's/0x[0-9a-f]+/0xN/g; s/\bT[0-9]+\b/TN/g; s/\((running|finished)\)/(state)/' \
           -e 's/, (running|finished)\)/, state)/; s/^( *)(Read|Write|Previous read|Previous write|Atomic read|Atomic write)( of size)/\1ACCESS\3/' \
           -e 's/Makefile:[0-9]+/Makefile:N/'
}

solution=$(notangle -R'ex-2.1-solution.c' chapters/92-solutions-threads.nw) || exit 1
# The racy attempt: correct, but it also counts every passage through the
# barrier in a global, outside the mutex.  The count does not change what
# barrier_wait returns, so the tests cannot see it; ThreadSanitizer can.
racy=$(python3 - "$solution" <<'PY'
import sys
s = sys.argv[1]
fn = "int barrier_wait(barrier *b)\n"
ret = "    return err != 0 ? -err : last;\n"
if s.count(fn) != 1 or s.count(ret) != 1:
    sys.exit("practise-transcript: the solution of 2.1 changed; update the racy edit")
s = s.replace(fn, "static unsigned long passages;   /* for a progress report */\n\n" + fn)
s = s.replace(ret, "    passages++;\n" + ret)
print(s)
PY
) || exit 1
header() { sed -n '1,/^ \*\/$/p' "$ws/ex-2.1.c"; }

session() {
    rm -rf "$ws"
    {
        echo '$ make exercises'; m exercises
        echo '$ make exercise EX=2.1'; m exercise EX=2.1
        echo '$ make exercise-hint EX=2.1'; m exercise-hint EX=2.1
    } | paths >"$TMP/block1"
    local h; h=$(header)
    printf '%s\n%s\n' "$h" "$racy" >"$ws/ex-2.1.c"
    { echo '$ make exercise EX=2.1'; m exercise EX=2.1; } | paths >"$TMP/block2"
    printf '%s\n%s\n' "$h" "$solution" >"$ws/ex-2.1.c"
    {
        echo '$ make exercise EX=2.1'; m exercise EX=2.1
        echo '$ make exercise-status | head -n 5'; m exercise-status | head -n 5
    } | paths >"$TMP/block3"
}

# The block of the chapter with the given id.
block_of() {
    awk -v id="$1" '$0 ~ "^``` *\\{.*#" id "[ }]" { on = 1; next } on && /^```$/ { exit } on' "$nw"
}

fails=0
for attempt in 1 2 3; do
    session
    # The race is on a counter nobody checks, so the plain runs pass; a
    # machine so loaded that a run times out would show something else.
    grep -q 'ThreadSanitizer found a problem' "$TMP/block2" && break
    echo "attempt $attempt: the session went otherwise than the book's; again"
done
if [[ -n ${PRINT:-} ]]; then
    for b in 1 2 3; do echo "----- practise-$b"; cat "$TMP/block$b"; done
    exit 0
fi
for b in 1 2 3; do
    block_of "practise-$b" | blank >"$TMP/want$b"
    blank <"$TMP/block$b" >"$TMP/got$b"
    if [[ ! -s $TMP/want$b ]]; then
        echo "FAIL: no block {#practise-$b} in $nw"; fails=$((fails+1)); continue
    fi
    if diff -u "$TMP/want$b" "$TMP/got$b" >"$TMP/diff$b"; then
        echo "ok   practise-$b: the book shows what the runner prints"
    else
        echo "FAIL practise-$b: the book (-) and a real session (+) differ:"
        cat "$TMP/diff$b"; fails=$((fails+1))
        echo "(PRINT=1 TMP=\$(mktemp -d) BUILD=... ROOT=\$PWD bash $0 prints the session)"
    fi
done
exit $((fails > 0))
