#!/bin/bash
# Every identifier link of the woven HTML leads to a definition in the
# same program, or in a module the program includes (judged from the
# tangled files' #line and #include lines, not from nw2md's own idea).
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
html=$BUILD/book.html
[[ -s $html ]] || { echo "no $html: run make html first"; exit 1; }
[[ -d $ROOT/tangle ]] || { echo "no $ROOT/tangle: run make tangle first"; exit 1; }
exec python3 "$ROOT/tests/book/nw2md-scope.py" "$html" "$ROOT/tangle"
