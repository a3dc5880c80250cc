#!/usr/bin/env python3
"""book/fsm-dot.py: draw a state machine from the C code that runs it.

Usage: book/fsm-dot.py [--edges] FILE.c ENUM STEP FINISH

Reads a tangled C file (e.g. tangle/04a-eventloop/fetch-uv.c) and finds:

  enum ENUM { A, B, ... };            the states, in order; the comment
                                      after each is its description
  ... STEP(...) { ... }               the step function:
      if (x->state == D || x->state == F) return;      the final states
      if (status < 0) { ...           an error: every state that is not
          if (x->state == S ...) { ... uv_close(.., CB); return; }
                                      (a retry: S stays S, through CB)
          FINISH(x, status); ... }    final goes to the failure state
      switch (x->state) {
      case A: x->state = B; ... = start_op(x); ...   A to B, starting op
      default: ... FINISH(x, 0);      every other state to the success
      }
  ... FINISH(...) { ... x->state = err < 0 ? F : D; ... }
                                      which final state is failure, which
                                      success

and writes a Graphviz digraph on standard output (with --edges, one line
per transition instead: FROM TO KIND LABEL, KIND being ok, error or
retry).  Anything it cannot find is an error (exit 1, naming what is
missing), so that a change to the code that the extractor does not
understand stops the build instead of drawing a wrong picture.
"""
import re
import sys


def die(msg):
    sys.stderr.write("fsm-dot: %s\n" % msg)
    sys.exit(1)


def body_after(text, start, what):
    """The text between the brace opened at or after start and its match."""
    i = text.find("{", start)
    if i < 0:
        die("no body for %s" % what)
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1:j]
    die("unbalanced braces in %s" % what)


def function_body(text, name):
    m = re.search(r"^\w[\w \*]*\b%s\([^;{]*\)\s*\{" % re.escape(name),
                  text, re.M)
    if not m:
        die("cannot find the definition of %s()" % name)
    return body_after(text, m.end() - 1, name + "()")


def states_of(text, enum):
    m = re.search(r"\benum\s+%s\s*\{" % re.escape(enum), text)
    if not m:
        die("cannot find enum %s" % enum)
    body = body_after(text, m.end() - 1, "enum " + enum)
    states = []
    for line in body.split("\n"):
        sm = re.match(r"\s*([A-Z_][A-Z0-9_]*)\s*(?:=[^,/]*)?,?\s*"
                      r"(?:/\*\s*(.*?)\s*\*/)?\s*$", line)
        if sm:
            states.append((sm.group(1), sm.group(2) or ""))
    if not states:
        die("enum %s has no states" % enum)
    return states


def state_tests(cond):
    return re.findall(r"->state\s*==\s*([A-Z_][A-Z0-9_]*)", cond)


def transitions(text, enum, step, finish):
    states = states_of(text, enum)
    names = [s for s, _ in states]
    body = function_body(text, step)
    fin = function_body(text, finish)

    m = re.search(r"->state\s*=\s*\w+\s*<\s*0\s*\?\s*([A-Z_][A-Z0-9_]*)"
                  r"\s*:\s*([A-Z_][A-Z0-9_]*)\s*;", fin)
    if not m:
        die("cannot find the final assignment "
            "'state = err < 0 ? FAILED : DONE' in %s()" % finish)
    failed, done = m.group(1), m.group(2)

    m = re.search(r"if\s*\(([^)]*)\)\s*return\s*;", body)
    finals = state_tests(m.group(1)) if m else []
    if sorted(finals) != sorted({failed, done}):
        die("%s() does not begin by ignoring the final states %s and %s"
            % (step, done, failed))

    edges = []
    live = [s for s in names if s not in finals]
    m = re.search(r"if\s*\(\s*status\s*<\s*0\s*\)\s*\{", body)
    if not m:
        die("cannot find the error branch 'if (status < 0) {' in %s()"
            % step)
    err = body_after(body, m.end() - 1, "the error branch")
    for rm in re.finditer(r"if\s*\(([^{]*)\)\s*\{([^{}]*)\}", err):
        cb = re.search(r"uv_close\([^,]*,\s*(\w+)\)", rm.group(2))
        if cb and "return" in rm.group(2):
            for s in state_tests(rm.group(1)):
                edges.append((s, s, "retry", cb.group(1)))
    if not re.search(r"\b%s\(\s*\w+\s*,\s*status\s*\)" % re.escape(finish),
                     err):
        die("the error branch of %s() does not call %s(.., status)"
            % (step, finish))
    for s in live:
        edges.append((s, failed, "error", ""))

    sm = re.search(r"switch\s*\(\s*\w+->state\s*\)\s*\{", body)
    if not sm:
        die("cannot find 'switch (..->state)' in %s()" % step)
    sw = body_after(body, sm.end() - 1, "the switch")
    cased = []
    for cm in re.finditer(r"case\s+([A-Z_][A-Z0-9_]*)\s*:(.*?)\bbreak\s*;",
                          sw, re.S):
        nm = re.search(r"->state\s*=\s*([A-Z_][A-Z0-9_]*)\s*;", cm.group(2))
        op = re.search(r"=\s*(\w+)\(", cm.group(2)[nm.end():] if nm else "")
        if not nm:
            die("case %s of %s() sets no next state" % (cm.group(1), step))
        cased.append(cm.group(1))
        edges.append((cm.group(1), nm.group(1), "ok",
                      op.group(1) if op else ""))
    dm = re.search(r"default\s*:(.*)$", sw, re.S)
    if dm and re.search(r"\b%s\(\s*\w+\s*,\s*0\s*\)" % re.escape(finish),
                        dm.group(1)):
        for s in live:
            if s not in cased:
                edges.append((s, done, "ok", ""))

    for a, b, _, _ in edges:
        for s in (a, b):
            if s not in names:
                die("%s is not a state of enum %s" % (s, enum))
    reached = {b for _, b, _, _ in edges} | {a for a, _, _, _ in edges}
    for s in names:
        if s not in reached:
            die("state %s has no transition in %s()" % (s, step))
    return states, finals, edges


def short(names):
    """The names without their common prefix (FETCH_QUEUED -> QUEUED)."""
    prefix = names[0][:names[0].find("_") + 1] if "_" in names[0] else ""
    if prefix and all(n.startswith(prefix) for n in names):
        return {n: n[len(prefix):] for n in names}
    return {n: n for n in names}


def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def wrap(s, width=24):
    """A description in lines of about width characters (narrow figure)."""
    lines, line = [], ""
    for word in s.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = (line + " " + word).strip()
    return "<br/>".join(esc(x) for x in lines + [line] if x)


def dot(states, finals, edges):
    label = short([s for s, _ in states])
    out = ['digraph fsm {',
           '  graph [rankdir=TB, nodesep=0.35, ranksep=0.32, '
           'fontname="DejaVu Sans", bgcolor="white", pad=0.1];',
           '  node [shape=box, style="rounded,filled", fillcolor="#f4f4f4",'
           ' fontname="DejaVu Sans", fontsize=13, margin="0.16,0.05"];',
           '  edge [fontname="DejaVu Sans Mono", fontsize=10.5, '
           'arrowsize=0.7];']
    for s, desc in states:
        shape = ', peripheries=2, fillcolor="#e4eef8"' if s in finals else ""
        out.append('  %s [label=<<b>%s</b><br/><font point-size="10">%s'
                   '</font>>%s];' % (s, label[s], wrap(desc), shape))
    for a, b, kind, lab in edges:
        if kind == "ok":
            attrs = 'weight=4, penwidth=1.4'
            if lab:
                attrs += ', label=" %s"' % lab
        elif kind == "retry":
            attrs = ('color="#1f5fa0", fontcolor="#1f5fa0", '
                     'label=" %s", dir=forward' % lab)
        else:
            attrs = 'style=dashed, color="#b03030", weight=0'
        out.append('  %s -> %s [%s];' % (a, b, attrs))
    out.append('  { rank=same; %s; }' % "; ".join(finals))
    out.append('}')
    return "\n".join(out) + "\n"


def main(argv):
    args = argv[1:]
    edges_only = bool(args) and args[0] == "--edges"
    if edges_only:
        args = args[1:]
    if args[:1] in (["-h"], ["--help"]):
        print(__doc__.strip())
        return 0
    if len(args) != 4:
        sys.stderr.write("usage: fsm-dot.py [--edges] FILE.c ENUM STEP "
                         "FINISH\n")
        return 2
    path, enum, step, finish = args
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        die("cannot read %s: %s" % (path, e.strerror))
    text = re.sub(r"^#line .*\n", "", text, flags=re.M)
    states, finals, edges = transitions(text, enum, step, finish)
    if edges_only:
        for a, b, kind, lab in edges:
            print(a, b, kind, lab or "-")
    else:
        sys.stdout.write(dot(states, finals, edges))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
