#!/bin/bash
# needs: the rendered book
# Every chapter title (each "# Title" heading of chapters/*.nw) appears in
# the PDF's text, and the PDF has no page whose text runs off the page
# (pdftotext -bbox would be finer; we check the titles and that the PDF
# has at least one page per chapter).
set -euo pipefail
pdf=$BUILD/book.pdf
[[ -s $pdf ]] || { echo "no $pdf: run make pdf first"; exit 1; }
text=$TMP/book.txt
pdftotext -enc UTF-8 "$pdf" "$text"
flat=$(tr -s ' \n' '  ' <"$text")
fails=0 n=0
while IFS= read -r title; do
    n=$((n+1))
    if grep -qF -- "$title" <<<"$flat"; then echo "ok   $title"
    else echo "FAIL chapter title not in the PDF's text: $title"; fails=$((fails+1)); fi
done < <(sed -n 's/^# \(.*\)$/\1/p' "$ROOT"/chapters/*.nw \
          | sed 's/ *{[^}]*} *$//; s/`//g; s/\*//g')
pages=$(pdfinfo "$pdf" | awk '/^Pages:/{print $2}')
echo "$n chapter titles checked, $pages pages"
[[ $pages -ge $n ]] || { echo "FAIL: fewer pages ($pages) than chapters ($n)"; fails=$((fails+1)); }
exit $((fails > 0))
