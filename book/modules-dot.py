#!/usr/bin/env python3
"""book/modules-dot.py: draw which programs use which modules.

Usage: book/modules-dot.py [--edges] --programs P.c... --modules M.c...

The build passes the tangled programs and modules it found
(book/tangle.sh lists them in build/tangle.mk).  A module is M.c with its
header M.h beside it; a program or module uses a module when it says
#include "M.h".  The chapter of a file is the number its tangle folder
starts with (tangle/02c-http/ is chapter 2), and the chapter's title is
the first heading of chapters/NN*.nw.

A module that every program uses (ground.h) is drawn once, with no
arrows to it from the programs; programs that use no other module are
listed by name under their chapter, without arrows.  With --edges, one
line per use instead: USER MODULE.  Writes dot on standard output.
"""
import glob
import os
import re
import sys


def die(msg):
    sys.stderr.write("modules-dot: %s\n" % msg)
    sys.exit(1)


def name_of(path):
    return os.path.splitext(os.path.basename(path))[0]


def chapter_of(path):
    m = re.match(r"(\d\d)", os.path.basename(os.path.dirname(path)))
    if not m:
        die("%s is not in a tangle/NN-... folder" % path)
    return int(m.group(1))


def chapter_title(n):
    for path in sorted(glob.glob("chapters/%02d*.nw" % n)):
        with open(path) as f:
            for line in f:
                m = re.match(r"# (.+?)\s*(\{.*\})?$", line)
                if m:
                    return m.group(1)
    return "chapter %d" % n


def includes(path):
    try:
        with open(path) as f:
            return re.findall(r'^#include "([^"]+)\.h"', f.read(), re.M)
    except OSError as e:
        die("cannot read %s: %s" % (path, e.strerror))


def uses(programs, modules):
    mods = {name_of(m): m for m in modules
            if os.path.exists(os.path.splitext(m)[0] + ".h")}
    used = {}
    for path in programs + list(mods.values()):
        me = name_of(path)
        used[me] = [h for h in includes(path) if h in mods and h != me]
    return mods, used


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def dot(programs, mods, used):
    progs = [name_of(p) for p in programs]
    every = [m for m in mods if progs and all(m in used[p] for p in progs)]
    out = ['digraph modules {',
           '  graph [rankdir=LR, nodesep=0.2, ranksep=0.9, '
           'fontname="DejaVu Sans", fontsize=12, bgcolor="white", '
           'pad=0.1, newrank=true];',
           '  node [fontname="DejaVu Sans Mono", fontsize=12, '
           'shape=plaintext, margin=0];',
           '  edge [arrowsize=0.5, color="#5a6e8c"];']
    # The programs are one table, chapter by chapter, so that they stay
    # in the book's order (dot would reorder separate nodes); each
    # program that uses a module is a port that an arrow leaves from.
    rows = []
    for n in sorted({chapter_of(p) for p in programs}):
        rows.append('<tr><td align="left" cellpadding="4"><font '
                    'face="DejaVu Sans" point-size="12"><b>%d %s</b></font>'
                    '</td></tr>' % (n, esc(chapter_title(n))))
        alone = []
        for p in programs:
            me = name_of(p)
            if chapter_of(p) != n:
                continue
            if [m for m in used[me] if m not in every]:
                rows.append('<tr><td align="right" port="%s">%s</td></tr>'
                            % (me, esc(me)))
            else:
                alone.append(me)
        lines, line = [], ""
        for a in alone:
            if line and len(line) + len(a) + 2 > 26:
                lines.append(line + ",")
                line = a
            else:
                line = a if not line else line + ", " + a
        if line:
            lines.append(line)
        for x in lines:
            rows.append('<tr><td align="right"><font color="#777777" '
                        'point-size="10">%s</font></td></tr>' % esc(x))
    out.append('  programs [label=<<table border="0" cellborder="0" '
               'cellspacing="0" cellpadding="1">%s</table>>];'
               % "".join(rows))
    out.append('  node [shape=box, style="rounded,filled", '
               'fillcolor="#e4eef8", fontname="DejaVu Sans Mono", '
               'fontsize=12, margin="0.1,0.03"];')
    for m, path in sorted(mods.items(), key=lambda x: (chapter_of(x[1]),
                                                       x[0])):
        note = "every program" if m in every else "ch. %d" % chapter_of(path)
        out.append('  "mod_%s" [label=<<b>%s.h</b><br/><font face="DejaVu '
                   'Sans" point-size="10">%s</font>>];' % (m, m, note))
    out.append('  { rank=same; %s }' % " ".join('"mod_%s";' % m
                                                for m in mods))
    # One colour per module, so that an arrow can be followed by eye.
    palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
               "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"]
    colour = {m: palette[i % len(palette)]
              for i, m in enumerate(sorted(mods))}
    for p in progs:
        for m in used[p]:
            if m not in every:
                out.append('  programs:"%s":e -> "mod_%s" [color="%s"];'
                           % (p, m, colour[m]))
    for m in mods:
        for d in used[m]:
            out.append('  "mod_%s" -> "mod_%s" [style=dashed, '
                       'constraint=false];' % (m, d))
    out.append('}')
    return "\n".join(out) + "\n"


def main(argv):
    args = argv[1:]
    if args[:1] in (["-h"], ["--help"]):
        print(__doc__.strip())
        return 0
    edges_only = args[:1] == ["--edges"]
    if edges_only:
        args = args[1:]
    if not args or args[0] != "--programs" or "--modules" not in args:
        sys.stderr.write("usage: modules-dot.py [--edges] --programs P.c... "
                         "--modules M.c...\n")
        return 2
    k = args.index("--modules")
    programs, modules = args[1:k], args[k + 1:]
    if not programs or not modules:
        die("no programs or no modules given")
    mods, used = uses(programs, modules)
    if edges_only:
        for user in sorted(used):
            for m in used[user]:
                print(user, m)
        return 0
    sys.stdout.write(dot(programs, mods, used))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
