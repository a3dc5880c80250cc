#!/usr/bin/env python3
"""book/programs.py BIN TANGLED_SOURCE...: the appendix of programs.

Writes Pandoc Markdown on stdout: for every program (a tangled .c root
that defines main, as book/tangle.sh lists them), its name linked to its
root chunk, its one-line purpose and its --help output, both taken from
the program itself by running it, and its chapter.  book/reader.lua puts
the appendix before the index.  Exit 1 if a program's --help fails.
"""
import os
import re
import subprocess
import sys


def chapter_id(stem):
    """The pandoc identifier of the chapter a tangle folder belongs to: the
    first level-1 heading of the chapter files with the same number."""
    num = re.match(r"\d+", stem).group(0)
    for name in sorted(os.listdir("chapters")):
        if name.startswith(num) and name.endswith(".nw"):
            with open(os.path.join("chapters", name), encoding="utf-8") as f:
                for line in f:
                    m = re.match(r"# (.+?)\s*(\{.*\})?\s*$", line)
                    if m:
                        if m.group(2) and "unnumbered" in m.group(2):
                            return None
                        t = m.group(1).lower()
                        t = re.sub(r"[^\w\s.-]", "", t)
                        return re.sub(r"\s+", "-", t.strip())
    return None


def main():
    bindir, srcs = sys.argv[1], sys.argv[2:]
    progs = []
    for src in srcs:
        name = os.path.splitext(os.path.basename(src))[0]
        stem = os.path.basename(os.path.dirname(src))
        r = subprocess.run([os.path.join(bindir, name), "--help"],
                           capture_output=True, text=True, timeout=20)
        if r.returncode != 0 or not r.stdout.startswith("Usage:"):
            sys.exit(f"programs.py: {name} --help failed "
                     f"(exit {r.returncode})")
        lines = r.stdout.rstrip("\n").split("\n")
        text = " ".join(l.strip() for l in lines[1:] if l.strip())
        m = re.match(r"(.+?\.)(\s|$)", text)
        purpose = m.group(1) if m else text
        progs.append((name, stem, purpose, r.stdout.rstrip("\n")))
    progs.sort()
    out = ["# Appendix: the programs {.unnumbered #appendix-programs}", "",
           f"The {len(progs)} programs the book builds into `build/bin/`, "
           "each with its purpose and its `--help`, taken from the programs "
           "themselves when the book was built. Each name links to the "
           "program's root chunk.", ""]
    for name, stem, purpose, helptext in progs:
        ch = chapter_id(stem)
        where = f" (@ch:{ch})" if ch else ""
        fence = "`" * max(3, max((len(x) for x in re.findall(r"`+", helptext)),
                                 default=0) + 1)
        out += [f"::: {{.program #program-{name}}}",
                f"@prog:{name}{where}: {purpose}", "",
                f"{fence} {{.program-help}}", helptext, fence, ":::", ""]
    sys.stdout.write("\n".join(out))


main()
