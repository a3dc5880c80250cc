#!/usr/bin/env python3
"""The PDF works in print.

Usage: pdf-print.py BOOK.pdf BOOK.aux
- no short chunk (15 code lines or fewer) is split across pages: the
  labels nw2md writes at a chunk's start (nwbeg-LINES:LABEL) and end
  (nwend:LABEL) are on the same page;
- no glyph lies past the text block's right edge (pdftotext -bbox; the
  edge is the page width less the 2.3 cm margin of book/metadata.yaml);
- the contents keep numbers and titles apart ("1.10 What comes next");
- chunk cross-references carry page numbers ("p. N").
"""
import re
import subprocess
import sys
from html.parser import HTMLParser

pdf, aux = sys.argv[1], sys.argv[2]
fails = []

# Short chunks on one page.
labels = {}
for m in re.finditer(r"\\newlabel\{(nwbeg-(\d+)|nwend):([^}]*)\}\{\{[^}]*\}\{([^}]*)\}",
                     open(aux, encoding="utf-8", errors="replace").read()):
    kind = "end" if m.group(1) == "nwend" else "beg"
    labels.setdefault(m.group(3), {})[kind] = (m.group(4), m.group(2))
short = split = 0
for label, d in labels.items():
    if "beg" not in d or "end" not in d:
        continue
    page, lines = d["beg"]
    if int(lines) <= 15:
        short += 1
        if d["end"][0] != page:
            split += 1
            if split <= 10:
                fails.append(f"chunk {label} ({lines} lines) runs from "
                             f"page {page} to page {d['end'][0]}")
print(f"short chunks: {split} split of {short}")
if short == 0:
    fails.append("no chunk labels in the aux file")


class Words(HTMLParser):
    def __init__(self):
        super().__init__()
        self.page_w, self.page, self.words, self.cur = 0.0, 0, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "page":
            self.page += 1
            self.page_w = float(a["width"])
        elif tag == "word":
            self.cur = [self.page, float(a["xmax"]), self.page_w, ""]

    def handle_data(self, data):
        if self.cur is not None:
            self.cur[3] += data

    def handle_endtag(self, tag):
        if tag == "word" and self.cur is not None:
            self.words.append(self.cur)
            self.cur = None


bbox = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True,
                      text=True, check=True).stdout
w = Words()
w.feed(bbox)
# pdftotext's boxes end up to 2 pt past a glyph (a full stop at the end of
# a justified line): 2.5 pt of tolerance here; the LaTeX log, below, is
# exact.
margin = 2.3 / 2.54 * 72
over = [(p, x, t) for p, x, pw, t in w.words if x > pw - margin + 2.5]
print(f"glyphs past the right margin: {len(over)} words on {w.page} pages")
for p, x, t in over[:10]:
    fails.append(f"page {p}: '{t}' ends at {x:.1f} pt, "
                 f"{x - (w.page_w - margin):.1f} pt past the margin")

# The LaTeX log: no line wider than the text block.
log = aux[:-4] + ".log"
wide = [float(m) for m in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)",
                                     open(log, encoding="utf-8",
                                          errors="replace").read())]
wide = [x for x in wide if x > 0.5]
print(f"lines wider than the text block (LaTeX log): {len(wide)}")
if wide:
    fails.append(f"{len(wide)} overfull lines in {log}, the widest "
                 f"{max(wide):.1f} pt")

# The contents: a number followed at once by a letter.
toc = subprocess.run(["pdftotext", "-f", "1", "-l", "12", "-layout", pdf, "-"],
                     capture_output=True, text=True, check=True).stdout
glued = re.findall(r"^\s*\d+\.\d+(?:\.\d+)*[A-Za-z].*$", toc, re.M)
print(f"contents entries with number and title run together: {len(glued)}")
fails += [f"contents: '{g.strip()}'" for g in glued[:5]]

text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True,
                      check=True).stdout
refs = len(re.findall(r"\bp\.\s?\d+", text))
print(f"page numbers beside chunk cross-references: {refs}")
if refs == 0:
    fails.append("no page number beside any chunk cross-reference")

for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
