#!/bin/bash
# The PDF works in print: short chunks whole on a page, nothing past the
# right margin, the contents readable, page numbers beside chunk
# cross-references (tests/book/pdf-print.py says how).
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
[[ -s $BUILD/book.pdf && -s $BUILD/tex/book.aux ]] || { echo "no $BUILD/book.pdf or $BUILD/tex/book.aux: run make pdf first"; exit 1; }
command -v pdftotext >/dev/null || { echo "SKIP: no pdftotext"; exit 77; }
exec python3 "$ROOT/tests/book/pdf-print.py" "$BUILD/book.pdf" "$BUILD/tex/book.aux"
