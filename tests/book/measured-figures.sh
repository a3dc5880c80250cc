#!/bin/bash
# tests/book/measured-figures.sh: the measured-figures contract
# (book/CONVENTIONS.md, "Measured figures"), by
# tests/book/measured_figures.py:
# 1. no chapter quotes a measured figure by hand (a heuristic; the
#    known old ones are listed in tests/book/measured-figures.allow);
# 2. every verdict of the claims table has its interval, in the tables
#    the build made (the reference's, and the reader's if any);
# 3. every result file shipped or measured says whose machine and which
#    run, and every verdict in it has an interval.
# First it checks that each check can fail, on small bad inputs.
set -uo pipefail
: "${ROOT:?}" "${BUILD:?}" "${TMP:=$(mktemp -d)}"
check=$ROOT/tests/book/measured_figures.py
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# 0. The checks can fail.
printf 'A run took 1.37 s, and [24 bytes]{.fixed} were read; []{.m k="x/y"}\n' \
    >"$TMP/ch.nw"
out=$(FIGURES_ALLOW=/dev/null python3 "$check" prose "$TMP/ch.nw") \
    && bad "a hand-typed 1.37 s went unnoticed"
[[ $out == *'1.37 s'* && $out != *'24 bytes'* ]] \
    || bad "the prose check flagged the wrong things: $out"
printf 'It is forty times smaller; the page takes 50 ms.\n<<c>>=\nx 3.14 s\n@\n' \
    >"$TMP/ch2.nw"
out=$(FIGURES_ALLOW=/dev/null python3 "$check" prose "$TMP/ch2.nw") \
    && bad "'forty times smaller' went unnoticed"
[[ $out != *'50 ms'* && $out != *'3.14'* ]] \
    || bad "a round setting or code was flagged: $out"
printf '| Row | Claim | Reference | Verdict |\n|:--|:--|:--|:--|\n| A | b | 1.2× | holds |\n' \
    >"$TMP/claims.md"
python3 "$check" claims "$TMP/claims.md" >/dev/null \
    && bad "a verdict without an interval went unnoticed"
echo '{"run": {"date": "d", "kind": "full", "load": [1]}, "figures": {}}' \
    >"$TMP/r.json"
python3 "$check" results "$TMP/r.json" >/dev/null \
    && bad "a result file without a machine went unnoticed"

# The filter fills a known figure in and stops on an unknown one.
tsv=$BUILD/report/figures.tsv
if [[ -s $tsv ]] && command -v pandoc >/dev/null; then
    key=$(head -n 1 "$tsv" | cut -f1) text=$(head -n 1 "$tsv" | cut -f2)
    out=$(printf '[]{.m k="%s"}\n' "$key" | pandoc -t plain \
          --lua-filter="$ROOT/book/book.lua" --metadata=figures-file:"$tsv")
    [[ $out == "$text" ]] || bad "the filter made '$out' of $key, not '$text'"
    printf '[]{.m k="no/such-key"}\n' | pandoc -t plain \
        --lua-filter="$ROOT/book/book.lua" --metadata=figures-file:"$tsv" \
        >/dev/null 2>&1 && bad "the filter accepted an unknown figure"
else
    bad "no $tsv (make html first) or no pandoc"
fi

# 1-3. The book.
python3 "$check" prose "$ROOT"/chapters/*.nw || bad "hand-typed figures (above)"
claims=("$BUILD/report/claims.md")
[[ -s ${claims[0]} ]] || { bad "no ${claims[0]}: make html first"; claims=(); }
((${#claims[@]})) && { python3 "$check" claims "${claims[@]}" || bad "claims"; }
results=("$ROOT"/book/reference-results/*.json)
for f in "$BUILD"/results/*.json; do       # those bench/collect wrote
    [[ -e $f ]] && grep -q '"figures"' "$f" && results+=("$f")
done
python3 "$check" results "${results[@]}" || bad "result files (above)"
echo "${#results[@]} result files, $(grep -vc '^#' "$ROOT/tests/book/measured-figures.allow") old figures still typed by hand"
((fails == 0))
