#!/usr/bin/env python3
"""tests/book/conventions.py CHAPTER.nw...: the book's conventions
(book/CONVENTIONS.md, ../shared/STYLE.md), checked on the chapters.

Rules that hold, and fail the check when broken:
  - no chunk over 40 lines;
  - no tab character anywhere in a .nw file;
  - code lines at most 78 columns.
Ratchets: the list is printed, and the check fails only if it grows
beyond the count recorded below (which may only go down):
  - roots that do not read as contents;
  - chunks over 20 lines with fewer than two lines of prose before them.
Targets, printed as "target not met yet" without failing:
  - chunk median of 10 lines or fewer, 90th percentile of 20 or fewer.

A chunk is the code from its "<<name>>=" line to the "@" line (or the
next chunk) that ends it; its size is its number of lines. A root is a
chunk name that no chunk uses. It reads as contents when, apart from
blank lines and uses of other chunks, it holds only preprocessor lines
and comments (and, in a .py root, the #! line and the docstring). An
exercise's interface and starter (ex-N.M.h, ex-N.M-starter.c) are the
reader's file, and a header (.h) is itself a list of contents: neither
is held to that rule. Prose before a chunk is the non-blank documentation
lines between the previous chunk's end and the chunk.
Exit 0 when every rule and ratchet holds, 1 otherwise.
"""
import math
import os
import re
import statistics
import sys

MAX_LINES = 40
MAX_COLUMNS = 78
TARGET_MEDIAN = 10
TARGET_P90 = 20
LONG = 20
MIN_PROSE = 2
# Today's counts (issue 12): they may only go down. When a change brings
# one down, lower it here in the same commit.
ROOTS_NOT_CONTENTS_MAX = 7
THIN_PROSE_MAX = 6

DEF = re.compile(r"^<<(.*)>>=\s*$")
USE = re.compile(r"<<(.*?)>>")
USE_LINE = re.compile(r"^\s*<<.*>>\s*$")


def read_chunks(path):
    """The chunks of one file: dicts with name, line, code, prose."""
    chunks, cur, prose = [], None, 0
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines, 1):
        m = DEF.match(line)
        if m:
            if cur is not None:
                chunks.append(cur)
                prose = 0
            cur = {"file": path, "line": i, "name": m.group(1),
                   "code": [], "prose": prose}
            continue
        if cur is not None:
            if line == "@" or line.startswith("@ ") or line.startswith("@%"):
                chunks.append(cur)
                cur = None
                text = line[1:].strip()
                prose = 1 if text and not text.startswith("%") else 0
            else:
                cur["code"].append(line)
        elif line.strip():
            prose += 1
    if cur is not None:
        chunks.append(cur)
    return chunks, lines


def percentile(sorted_values, p):
    """Nearest-rank percentile."""
    k = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[k - 1]


def reads_as_contents(name, parts):
    if re.match(r"^ex-\d+\.\d+(\.h|-starter\.c)$", name) or name.endswith(".h"):
        return True
    in_comment = in_doc = False
    first = True
    for c in parts:
        for line in c["code"]:
            s = line.strip()
            if first and s.startswith("#!"):
                first = False
                continue
            first = False
            if name.endswith(".py") and s.startswith('"""'):
                if not (len(s) > 3 and s.endswith('"""')):
                    in_doc = not in_doc
                continue
            if in_doc:
                continue
            if in_comment:
                in_comment = "*/" not in s
                continue
            if not s or USE_LINE.match(line) or s.startswith("#") \
               or s.startswith("//"):
                continue
            if s.startswith("/*"):
                in_comment = "*/" not in s
                continue
            return False
    return True


def main(paths):
    chunks, failed = [], False
    tabs, wide = [], []
    for p in paths:
        cs, lines = read_chunks(p)
        chunks += cs
        tabs += [(p, i) for i, l in enumerate(lines, 1) if "\t" in l]
        for c in cs:
            for k, l in enumerate(c["code"], 1):
                if len(l) > MAX_COLUMNS:
                    wide.append((p, c["line"] + k, len(l)))
    if not chunks:
        print("FAIL: no chunk found")
        return 1
    sizes = sorted(len(c["code"]) for c in chunks)
    med, p90 = statistics.median(sizes), percentile(sizes, 90)
    print("%d chunks in %d files: median %g lines, 90th percentile %d, "
          "largest %d" % (len(sizes), len(paths), med, p90, sizes[-1]))
    for p in paths:
        s = sorted(len(c["code"]) for c in chunks if c["file"] == p)
        if s and statistics.median(s) > TARGET_MEDIAN:
            print("  %-40s median %g, 90th percentile %d"
                  % (os.path.basename(p), statistics.median(s),
                     percentile(s, 90)))
    for what, got, want in (("median", med, TARGET_MEDIAN),
                            ("90th percentile", p90, TARGET_P90)):
        if got > want:
            print("target not met yet: chunk %s %g lines, the target is %d "
                  "or fewer" % (what, got, want))
        else:
            print("ok   chunk %s %g lines (target %d or fewer)"
                  % (what, got, want))

    def rule(ok, good, bad_items, bad_text):
        nonlocal failed
        if ok:
            print("ok   " + good)
        else:
            failed = True
            print("FAIL " + bad_text)
            for item in bad_items[:30]:
                print("     " + item)

    big = [c for c in chunks if len(c["code"]) > MAX_LINES]
    rule(not big, "no chunk over %d lines" % MAX_LINES,
         ["%s:%d <<%s>> %d lines" % (c["file"], c["line"], c["name"],
                                     len(c["code"])) for c in big],
         "%d chunks over %d lines (split them where the prose thins):"
         % (len(big), MAX_LINES))
    rule(not tabs, "no tab in a .nw file",
         ["%s:%d" % t for t in tabs], "tab characters:")
    rule(not wide, "code lines at most %d columns" % MAX_COLUMNS,
         ["%s:%d: %d columns" % w for w in wide],
         "code lines over %d columns:" % MAX_COLUMNS)

    used = set()
    for c in chunks:
        for line in c["code"]:
            used.update(m.group(1) for m in USE.finditer(line))
    roots = {}
    for c in chunks:
        if c["name"] not in used:
            roots.setdefault(c["name"], []).append(c)
    not_contents = sorted((parts[0]["file"], parts[0]["line"], name)
                          for name, parts in roots.items()
                          if not reads_as_contents(name, parts))
    thin = [c for c in chunks
            if len(c["code"]) > LONG and c["prose"] < MIN_PROSE]

    def ratchet(items, limit, text):
        nonlocal failed
        state = "ok  " if len(items) <= limit else "FAIL"
        failed |= len(items) > limit
        print("%s %s: %d (at most %d, and that may only go down)"
              % (state, text, len(items), limit))
        for item in items:
            print("     " + item)
        if len(items) < limit:
            print("     (fewer than recorded: lower the limit in %s)"
                  % os.path.relpath(__file__))

    ratchet(["%s:%d <<%s>>" % r for r in not_contents],
            ROOTS_NOT_CONTENTS_MAX,
            "roots that do not read as contents (code besides uses of "
            "chunks, includes and comments)")
    ratchet(["%s:%d <<%s>> %d lines, %d of prose before"
             % (c["file"], c["line"], c["name"], len(c["code"]), c["prose"])
             for c in thin], THIN_PROSE_MAX,
            "chunks over %d lines with fewer than %d lines of prose before"
            % (LONG, MIN_PROSE))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: tests/book/conventions.py CHAPTER.nw...")
    sys.exit(main(sys.argv[1:]))
