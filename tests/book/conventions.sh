#!/bin/bash
# The book's conventions, checked on every chapter: chunk sizes (median
# and 90th percentile printed against STYLE.md's targets, none over 40
# lines), no tabs, code lines at most 78 columns, roots that read as
# contents, prose before every long chunk. The rules and the counts that
# may only go down are in tests/book/conventions.py.
set -euo pipefail
: "${ROOT:?}"
cd "$ROOT"
. tests/support/lib.sh
status=0
"$PY" tests/book/conventions.py chapters/*.nw || status=1

# The documents that describe the project name only paths that exist
# (patterns such as tests/unit/test-<module>.c aside).
missing=0 named=0
# shellcheck disable=SC2016  # the backticks are Markdown, not a command
while IFS= read -r path; do
    named=$((named + 1))
    [[ -e ${path%/} ]] || { echo "FAIL: $path is named but does not exist"; missing=$((missing + 1)); }
done < <(grep -ohE '`(\.ci|bench|book|chapters|tests)/[^` ]*`' README.md book/CONVENTIONS.md |
         tr -d '`' | grep -vE '[<>*]|N\.M|NN|NAME' | sort -u)
echo "paths named in README.md and book/CONVENTIONS.md: $named, missing: $missing"
((missing == 0 && status == 0))
