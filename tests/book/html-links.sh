#!/bin/bash
# Every link of the HTML book resolves: the one-page book (build/book.html)
# and the split book (build/html/*.html: a file for every link, an id for
# every #fragment, each page under 1 MB); the one page has its table of
# contents, and the split book a page per chapter with the sidebar.
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
html=$BUILD/book.html
[[ -s $html ]] || { echo "no $html: run make html first"; exit 1; }
grep -q 'id="TOC"' "$html" || { echo "FAIL: no table of contents (nav#TOC) in $html"; exit 1; }
[[ -s $BUILD/html/index.html ]] || { echo "FAIL: no $BUILD/html/index.html"; exit 1; }
# One page per chapter (a level-1 heading of the one page, the title aside).
chapters=$(grep -c '^<h1 ' "$html" || true)
pages=$(find "$BUILD/html" -name '*.html' ! -name index.html | wc -l)
if [[ $pages -lt $((chapters - 1)) || $pages -lt 2 ]]; then
    echo "FAIL: $pages chapter pages for $chapters level-1 headings"; exit 1
fi
for p in "$BUILD"/html/*.html; do
    grep -q 'class="sidebar"' "$p" || { echo "FAIL: $p has no sidebar"; exit 1; }
done
exec python3 "$ROOT/tests/book/html-links.py" "$html" "$BUILD"/html/*.html
