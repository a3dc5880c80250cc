#!/bin/bash
# needs: the rendered book
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
# The offline search: the index loads in MiniSearch and finds a section.
if command -v node >/dev/null; then
    node -e '
        const fs = require("fs"), vm = require("vm"), dir = process.argv[1];
        const ctx = { window: {}, self: {}, globalThis: {} };
        vm.createContext(ctx);
        vm.runInContext(fs.readFileSync(dir + "/minisearch.js", "utf8"), ctx);
        vm.runInContext(fs.readFileSync(dir + "/search-index.js", "utf8"), ctx);
        const MS = ctx.MiniSearch || ctx.window.MiniSearch || ctx.self.MiniSearch || ctx.globalThis.MiniSearch;
        const d = ctx.window.BOOK_SEARCH, ms = MS.loadJSON(d.index, d.options);
        const hits = ms.search("condition variable", { prefix: true, combineWith: "AND" });
        console.log("search: " + ms.documentCount + " sections, " + hits.length + " hits for \"condition variable\"");
        if (!hits.length || !/\.html#/.test(hits[0].url)) process.exit(1);
    ' "$BUILD/html" || { echo "FAIL: the search index does not work"; exit 1; }
fi
exec python3 "$ROOT/tests/book/html-links.py" "$html" "$BUILD"/html/*.html
