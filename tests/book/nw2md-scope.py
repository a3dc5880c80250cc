#!/usr/bin/env python3
"""Identifier links of the woven HTML stay inside their program.

Usage: nw2md-scope.py BOOK.html TANGLE_DIR

For every identifier link (a.nw-id in the code, and the `code` links of
a chunk's cross-reference lines) the chunk that links and the chunk it
links to are placed in their files by the tangled output itself: the
#line directives of notangle -L say which .nw lines each tangled file
holds, and the chunk's div says which lines it has (data-lines).  The
target must be in a file of the linking chunk, or in a file that one
includes (#include "x.h", transitively through headers, and x.c with
x.h).  Prints "N wrong of M"; exit 1 if N > 0 or M == 0.
"""
import os
import re
import sys
from html.parser import HTMLParser

LINE = re.compile(r'^#line (\d+) "([^"]+)"')
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def read_tangle(top):
    """file name -> (set of (nw, line) it holds, list of includes)."""
    files = {}
    for d, _, names in os.walk(top):
        for n in names:
            if n.startswith('.'):
                continue
            held, incs, cur = set(), [], None
            with open(os.path.join(d, n), encoding='utf-8') as f:
                for text in f:
                    m = LINE.match(text)
                    if m:
                        cur = [m.group(2), int(m.group(1))]
                        continue
                    m = INCLUDE.match(text)
                    if m:
                        incs.append(m.group(1))
                    if cur is not None:
                        held.add((cur[0], cur[1]))
                        cur[1] += 1
            files[n] = (held, incs)
    return files


def scope_of(name, files):
    seen, todo = {name}, list(files[name][1])
    while todo:
        h = todo.pop()
        if h in files and h not in seen:
            seen.add(h)
            todo.extend(files[h][1])
        if h.endswith('.h') and h[:-2] + '.c' in files:
            seen.add(h[:-2] + '.c')
    return seen


class Chunks(HTMLParser):
    """Chunk id -> lines, and every identifier link with its chunk."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = {}      # chunk id -> (nw, first, last)
        self.links = []      # (chunk id, target id, text)
        self.stack = []      # open tags: (tag, attrs)
        self.chunk = None    # (div depth, lines, id)
        self.depth = 0
        self.pending = None  # an <a> in an xref: [chunk, target, code?, text]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get('class') or '').split()
        if tag == 'div':
            self.depth += 1
            if 'chunk' in cls and 'data-lines' in a:
                nw, first, last = a['data-lines'].rsplit(':', 2)
                self.chunk = [self.depth, (nw, int(first), int(last)), None]
        if self.chunk is None:
            return
        if tag == 'span' and 'chunk-name' in cls and self.chunk[2] is None:
            self.chunk[2] = a.get('id')
            self.lines[a.get('id')] = self.chunk[1]
        if tag == 'a' and a.get('href', '').startswith('#'):
            self.pending = [self.chunk[2], a['href'][1:], 'nw-id' in cls, '']
        if tag == 'code' and self.pending is not None:
            self.pending[2] = True

    def handle_data(self, data):
        if self.pending is not None:
            self.pending[3] += data

    def handle_endtag(self, tag):
        if tag == 'a' and self.pending is not None:
            if self.pending[2]:
                self.links.append(tuple(self.pending))
            self.pending = None
        if tag == 'div':
            if self.chunk is not None and self.chunk[0] == self.depth:
                self.chunk = None
            self.depth -= 1


def main():
    html, top = sys.argv[1], sys.argv[2]
    files = read_tangle(top)
    p = Chunks()
    with open(html, encoding='utf-8') as f:
        p.feed(f.read())

    def roots(cid):
        nw, first, last = p.lines[cid]
        return {n for n, (held, _) in files.items()
                if any((nw, k) in held for k in range(first, last + 1))}

    wrong, total, shown = 0, 0, 0
    for src, dst, _, text in p.links:
        if dst not in p.lines:      # an index entry: not a chunk
            continue
        total += 1
        mine, theirs = roots(src), roots(dst)
        ok = any(t in scope_of(r, files) for r in mine for t in theirs)
        if not ok:
            wrong += 1
            if shown < 15:
                shown += 1
                print(f"  {text}: chunk {src} ({', '.join(sorted(mine))})"
                      f" links to {dst} ({', '.join(sorted(theirs))})")
    print(f"identifier links: {wrong} wrong of {total}")
    sys.exit(1 if wrong or not total else 0)


main()
