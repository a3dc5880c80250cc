#!/bin/bash
# Runs shellcheck on every shell file of the project: the *.sh files and the
# scripts whose first line names bash or sh (tests/run, .ci/run), each
# checked with what it sources (-x, relative to its own folder). A finding
# is fixed, or disabled in place with a comment that says why.
# Not checked yet: the files of PENDING, each with its reason; the list
# may only get shorter.
set -euo pipefail
: "${ROOT:?}"
cd "$ROOT"
command -v shellcheck >/dev/null || { echo "skip: no shellcheck"; exit 77; }

PENDING=()

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t all < <(git ls-files --cached --others --exclude-standard)
else
    mapfile -t all < <(find . -type f -not -path './.git/*' \
        -not -path './build/*' -not -path './tangle/*' | sed 's|^\./||')
fi
files=() skipped=0
for f in "${all[@]}"; do
    [[ -f $f ]] || continue
    if [[ $f != *.sh ]] && ! head -n 1 "$f" | grep -Eq '^#!.*[/ ](ba)?sh( |$)'; then
        continue
    fi
    for p in "${PENDING[@]+"${PENDING[@]}"}"; do
        [[ $f == "$p"* ]] && { skipped=$((skipped + 1)); continue 2; }
    done
    files+=("$f")
done
[[ ${#files[@]} -gt 0 ]] || { echo "FAIL: no shell file found"; exit 1; }
echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p'):" \
     "${#files[@]} files ($skipped pending${PENDING[*]:+: ${PENDING[*]}})"
shellcheck -x -P SCRIPTDIR -f gcc "${files[@]}"
echo "no finding"
