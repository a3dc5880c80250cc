#!/bin/bash
# The EPUB is valid EPUB 3: epubcheck reports 0 errors and 0 warnings.
# (Debian's /usr/bin/epubcheck needs binfmt_misc: run the jar.)
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
epub=$BUILD/book.epub
[[ -s $epub ]] || { echo "no $epub: run make epub first"; exit 1; }
jar=/usr/share/java/epubcheck.jar
if [[ ! -f $jar ]] || ! command -v java >/dev/null; then
    echo "SKIP: epubcheck ($jar) or java is not installed"; exit 77
fi
out=$(java -jar "$jar" "$epub" 2>&1) || true
summary=$(grep -E '^Messages:' <<<"$out" || true)
echo "epubcheck: ${summary:-no summary}"
if ! grep -qE '^Messages: 0 fatals / 0 errors / 0 warnings' <<<"$out"; then
    grep -E '^(FATAL|ERROR|WARNING)' <<<"$out" | head -20
    echo "FAIL: epubcheck found problems in $epub"
    exit 1
fi
