#!/usr/bin/env python3
"""tests/book/diagrams.py: checks of the book's diagrams (issue 17).

  diagrams.py fsm-table FSM.c CHAPTER.nw
      The transitions book/fsm-dot.py reads from FSM.c (fetch-uv) are the
      transitions of the table of states in CHAPTER.nw (section
      "Callbacks as state machines"), and every state of the enum is a
      node of the drawing.  Prints each difference; exit 1 if any.
  diagrams.py figures CHAPTERS... --diagrams NAME...
      Every figure {#fig:ID} of the chapters is referred to somewhere
      ([]{.fig k="ID"} or @fig:ID); every diagrams/NAME.svg a chapter shows
      is one the build draws (NAME among the given), and every diagram the
      build draws is shown.
"""
import re
import subprocess
import sys
import os

ROOT = os.environ.get("ROOT") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STATE = r"\b([A-Z][A-Z_]+)\b"


def strip(s):
    return s[len("FETCH_"):] if s.startswith("FETCH_") else s


def extracted(fsm_c):
    out = subprocess.run(
        [sys.executable, os.path.join(ROOT, "book/fsm-dot.py"), "--edges",
         fsm_c, "fetch_state", "fetch_advance", "fetch_finish"],
        capture_output=True, text=True)
    if out.returncode != 0:
        sys.stdout.write("fsm-dot.py failed: " + out.stderr)
        sys.exit(1)
    return {(strip(a), strip(b)) for a, b, _, _ in
            (line.split() for line in out.stdout.splitlines())}


def table(chapter):
    """The (from, to) pairs of the Markdown table of states."""
    with open(chapter) as f:
        text = f.read()
    m = re.search(r"^\| state \| operation under way \|.*?\n((?:\|.*\n)+)",
                  text, re.M)
    if not m:
        print("no table of states ('| state | operation under way |') in "
              + chapter)
        sys.exit(1)
    pairs, states = set(), set()
    for row in m.group(1).splitlines()[1:]:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) < 4:
            continue
        froms = re.findall(STATE, cells[0])
        states.update(froms)
        for col in (cells[2], cells[3]):
            for to in re.findall(STATE, re.sub(r"\(.*?\)", "", col)):
                for a in froms:
                    pairs.add((a, to))
    return pairs, states


def enum_states(fsm_c):
    with open(fsm_c) as f:
        m = re.search(r"enum fetch_state\s*\{(.*?)\}", f.read(), re.S)
    body = re.sub(r"/\*.*?\*/", "", m.group(1)) if m else ""
    return {strip(s) for s in re.findall(r"\b(FETCH_[A-Z_]+)\b", body)}


def fsm_table(fsm_c, chapter):
    drawn = extracted(fsm_c)
    pairs, states = table(chapter)
    bad = 0
    for a, b in sorted(drawn - pairs):
        print("drawn from the code but not in the table: %s -> %s" % (a, b))
        bad += 1
    for a, b in sorted(pairs - drawn):
        print("in the table but not drawn from the code: %s -> %s" % (a, b))
        bad += 1
    enum = enum_states(fsm_c)
    nodes = {x for p in drawn for x in p}
    for s in sorted(enum - nodes):
        print("state %s of the enum is not in the drawing" % s)
        bad += 1
    for s in sorted(enum ^ states):
        print("state %s is in %s but not in %s" % (
            s, *(("the enum", "the table") if s in enum
                 else ("the table", "the enum"))))
        bad += 1
    if not bad:
        print("ok: %d states, %d transitions, code and table agree"
              % (len(enum), len(drawn)))
    return 1 if bad else 0


def figures(args):
    k = args.index("--diagrams")
    chapters, drawn = args[:k], set(args[k + 1:])
    text = {}
    for c in chapters:
        with open(c) as f:
            text[c] = f.read()
    everything = "\n".join(text.values())
    bad, ids, shown = 0, [], set()
    for c, t in text.items():
        for m in re.finditer(r"!\[[^\]]*\]\(([^)]+)\)(\{#fig:([\w-]+)\})?",
                             t, re.S):
            if not m.group(3):
                print("%s: a figure without an id {#fig:...}: %s"
                      % (c, m.group(1)))
                bad += 1
            else:
                ids.append(m.group(3))
            d = re.match(r"diagrams/([\w-]+)\.svg$", m.group(1))
            if d:
                shown.add(d.group(1))
                if d.group(1) not in drawn:
                    print("%s: shows %s, a diagram the build does not draw"
                          % (c, m.group(1)))
                    bad += 1
    for i in ids:
        if not re.search(r'\[\]\{\.fig k="%s"\}|@[Ff]ig:%s\b'
                         % (re.escape(i), re.escape(i)), everything):
            print("figure fig:%s is never referred to" % i)
            bad += 1
    for d in sorted(drawn - shown):
        print("the build draws diagram %s, but no chapter shows it" % d)
        bad += 1
    if not bad:
        print("ok: %d figures, each referred to; %d diagrams, each shown"
              % (len(ids), len(drawn)))
    return 1 if bad else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "fsm-table":
        return fsm_table(argv[2], argv[3])
    if len(argv) > 2 and argv[1] == "figures" and "--diagrams" in argv:
        return figures(argv[2:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
