#!/bin/bash
# needs: the rendered book
# Every in-page link of the HTML book (href="#x") has its target (id="x"),
# and the page has a table of contents and every chapter.
set -euo pipefail
html=$BUILD/book.html
[[ -s $html ]] || { echo "no $html: run make html first"; exit 1; }
python3 - "$html" <<'PY'
import re, sys, html as H
text = open(sys.argv[1], encoding="utf-8").read()
ids = set(H.unescape(m) for m in re.findall(r'\bid="([^"]+)"', text))
hrefs = [H.unescape(m) for m in re.findall(r'\bhref="#([^"]*)"', text)]
missing = sorted(set(h for h in hrefs if h not in ids))
print(f"{len(hrefs)} in-page links, {len(ids)} ids")
if 'id="TOC"' not in text:
    print("FAIL: no table of contents (nav#TOC)"); sys.exit(1)
if missing:
    print(f"FAIL: {len(missing)} links without a target, e.g.:")
    for h in missing[:20]: print("   #" + h)
    sys.exit(1)
PY
