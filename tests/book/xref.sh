#!/bin/bash
# Cross-references in the prose (book/reader.lua): a mention becomes a
# link with the target's number; a mention of a missing chapter, section,
# exercise, solution, program or figure fails the build; exercises and
# solutions link to each other; hints fold one inside the other.
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${TMP:-}" ]; then TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT; fi
command -v pandoc >/dev/null || { echo "SKIP: no pandoc"; exit 77; }
F=$ROOT/tests/book/xref
fails=0
check() {   # check FILE TEXT WHAT
    if ! grep -qF -- "$2" "$1"; then echo "FAIL: $3 (no '$2' in $1)"; fails=$((fails + 1)); fi
}
pandoc --lua-filter="$ROOT/book/reader.lua" --wrap=none -t html5 "$F/good.md" -o "$TMP/good.html"
check "$TMP/good.html" '<a href="#two" class="xref">chapter 2</a>' "@ch: gives the chapter's number"
check "$TMP/good.html" '<a href="#two" class="xref">Chapter 2</a>' "@Ch: capitalised"
check "$TMP/good.html" '<a href="#intro" class="xref">1</a>' "@chn: the number alone"
check "$TMP/good.html" '<a href="#sub" class="xref">section 2.1</a>' "@sec: a section's number"
check "$TMP/good.html" '<a href="#exercise-2.1-a-thing" class="xref">Exercise 2.1</a>' "@ex: links the exercise"
check "$TMP/good.html" 'class="xref">the solution to Exercise 2.1</a>' "@sol: links the solution"
check "$TMP/good.html" '<a href="#exercise-2.1-a-thing-1">Solution →</a>' "an exercise links to its solution"
check "$TMP/good.html" '<a href="#exercise-2.1-a-thing">← Exercise 2.1</a>' "a solution links back"
check "$TMP/good.html" '<details class="hint"><summary>Hint 1</summary>' "hints fold"
if [ "$(tr -d '\n' <"$TMP/good.html" | grep -o '<summary>Hint 2</summary><p>Second.</p></details></details>' | wc -l)" != 1 ]; then
    echo "FAIL: hint 2 is not folded inside hint 1"; fails=$((fails + 1))
fi
for bad in '@ch:nowhere' '@sec:nowhere' '@ex:9.9' '@sol:9.9' '@prog:nothing' '@fig:none'; do
    { cat "$F/good.md"; echo; echo "A mention of $bad."; } >"$TMP/bad.md"
    if pandoc --lua-filter="$ROOT/book/reader.lua" -t html5 "$TMP/bad.md" -o "$TMP/bad.html" 2>"$TMP/bad.err"; then
        echo "FAIL: a mention of a missing target ($bad) did not fail the build"; fails=$((fails + 1))
    else
        check "$TMP/bad.err" "missing targets: $bad" "the message names $bad"
    fi
done
echo "xref: $fails failed"
[ "$fails" = 0 ]
