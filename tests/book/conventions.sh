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
"$PY" tests/book/conventions.py chapters/*.nw
