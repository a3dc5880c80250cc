#!/usr/bin/env python3
"""tests/support/transcripts.py: replay every shown run of the book.

A shown run is a fenced block of class "run" in the prose of a chapter:

    ```{.run #count-procs-run interleave="^worker (\\d+):"}
    $ count-procs -w 2 -n 3 -d 10
    worker 1: 1
    ...
    ```

A line starting "$ " is a command (continued on the next lines while bash
finds it incomplete: a trailing backslash, an open "$(" or "do"); the
lines up to the next command are its output, standard output and standard
error together, as a terminal shows them.  The runner types the commands
one at a time into one bash, on a terminal (a pty), with build/bin first
on PATH, in a scratch folder that holds build/bin (a link to the programs)
and tangle (a link to the tangled sources),
and compares what comes out with the book, command by command.

Attributes of the block (pandoc's key="value"; inside quotes, \\" is a
quote and every other backslash is itself):

  vary="REGEX"       what changes from run to run (times, pids, addresses):
                     each match, in the book and in the run, becomes "…"
                     before comparing.  May be given several times.
  normalise="tsan"   a named set of vary= patterns: "tsan" blanks what a
                     ThreadSanitizer report changes from run to run (pids,
                     tids, addresses, thread numbers and states, which of
                     the two accesses comes first) and trims what varies
                     with the machine (module offsets, the folders of the
                     sanitizer's own sources).
  interleave="REGEX" thread or process interleavings: the output lines of a
                     command are grouped by the regex's first group, and
                     only the order within each group must agree (lines
                     the regex does not match form one group of their own).
  server="PROG ARGS" start build/bin/PROG -p 0 ARGS before the run, wait for
                     the port it prints, and set S=http://127.0.0.1:PORT.
  port="N"           the port the book shows: in the commands it becomes the
                     server's port (or a free port, without server=), and
                     that port becomes N again in the output.
  before="SHELL"     hidden commands typed before the first shown one (to
                     set things up as the reader had them).
  command="SHELL"    for a block that shows only output: the hidden command
                     that prints it.  tests/support/runs/ is on PATH (last)
                     for such helpers.
  folded="yes"       the book folds long lines: an indented book line is
                     joined to the one before it, with one space.
  cwd="root"         run in the project folder instead of a scratch folder
                     (after the other blocks, alone: it may rebuild there).
  group="NAME"       blocks of one group share a scratch folder and run in
                     the order of the book.
  timeout="S"        seconds for the whole block (default 30).
  tries="N"          replay a block whose output is up to the machine's
                     load (a race that may not show) up to N times.
  norun="REASON"     not replayed (a second terminal, root, ten minutes):
                     the woven book shows the reason under the block.
  needs="SHELL"      replayed only where SHELL (run first, hidden, with
                     the same PATH) succeeds: a feature of the kernel the
                     machine may lack (io_uring).  Where it fails, the
                     block is reported as skipped with the last line
                     SHELL printed, and is neither checked nor failed.

Usage: transcripts.py [-j JOBS] [--only ID] [--list] FILE.nw...
The environment gives BIN (the programs), BUILD (the build folder), ROOT
(the project) and TMP (a scratch folder).  Prints one line per block and
ends with "N checked of M shown"; exit 0 when every replayed block agrees
with the book, 1 when one does not, 2 on a usage error or a malformed block.
"""

import concurrent.futures
import os
import pty
import re
import select
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ELLIPSIS = "…"
DEFAULT_TIMEOUT = 30
KEYS = {"vary", "normalise", "tries", "interleave", "server", "port", "before", "command",
        "folded", "cwd", "group", "timeout", "norun", "needs"}


# Named normalisations: (regex, replacement), applied to both sides.
NORMALISE = {
    "tsan": [
        (r"\((tid=\d+, )?(running|finished)\)", "(STATE)"),
        (r"\b(pid|tid)=\d+", r"\1=N"),
        (r" at 0x[0-9a-f]+", ""),
        (r" \([\w.-]+\+0x[0-9a-f]+\)", ""),
        (r"0x[0-9a-f]+", "0xN"),
        (r"(?<=\s)\S*/(tsan_[\w.]+:\d+)", r"\1"),
        (r"\bT\d+\b", "TN"),
        (r"^(\s*)(Previous |Atomic )?(read|write|Read|Write)(?= of size)",
         r"\1ACCESS"),
    ],
}


class BlockError(Exception):
    """A block the runner cannot read."""


# ---- reading the chapters -------------------------------------------------

def parse_attrs(text, where):
    """The {...} of a fence: returns (id, classes, [(key, value)])."""
    ident, classes, kvs = None, [], []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        m = re.compile(r'([A-Za-z_][\w-]*)=').match(text, i)
        if m:
            key = m.group(1)
            i = m.end()
            if i < n and text[i] == '"':
                i += 1
                val = []
                while i < n and text[i] != '"':
                    if text[i] == '\\' and i + 1 < n and text[i + 1] == '"':
                        i += 1
                    val.append(text[i])
                    i += 1
                if i >= n:
                    raise BlockError(f"{where}: unterminated quote in {{{text}}}")
                i += 1
                kvs.append((key, "".join(val)))
            else:
                m2 = re.compile(r'[^\s}]*').match(text, i)
                kvs.append((key, m2.group(0)))
                i = m2.end()
            continue
        m = re.compile(r'[^\s]+').match(text, i)
        word = m.group(0)
        i = m.end()
        if word.startswith('#'):
            ident = word[1:]
        elif word.startswith('.'):
            classes.append(word[1:])
        else:
            raise BlockError(f"{where}: cannot read '{word}' in {{{text}}}")
    return ident, classes, kvs


def balanced(line):
    """Does a fence's {attributes} end on this text (quotes closed)?"""
    quoted = re.sub(r'"(\\"|[^"])*"', '""', line)
    return '"' not in quoted.replace('""', '') and \
        re.search(r"\}\s*$", quoted) is not None


def unescape(line):
    """What noweave makes of a documentation line inside a fence."""
    return line.replace("@<<", "<<").replace("@>>", ">>")


class Block:
    def __init__(self, path, line, ident, kvs, body, fence=None):
        self.path, self.line, self.id = path, line, ident
        self.fence = fence          # the opening fence as written
        self.kvs = kvs
        self.body = body            # lines, unescaped
        self.attrs = {}
        for k, v in kvs:
            if k not in KEYS:
                raise BlockError(f"{self.where()}: unknown attribute {k}")
            if k != "vary" and k in self.attrs:
                raise BlockError(f"{self.where()}: {k} given twice")
            self.attrs[k] = v
        self.vary = [(v, ELLIPSIS) for k, v in kvs if k == "vary"]
        if "normalise" in self.attrs:
            if self.attrs["normalise"] not in NORMALISE:
                raise BlockError(f"{self.where()}: no normalise="
                                 f"{self.attrs['normalise']}")
            self.vary += NORMALISE[self.attrs["normalise"]]
        for r in [v for v, _ in self.vary] + [self.get("interleave", "x")]:
            try:
                re.compile(r)
            except re.error as e:
                raise BlockError(f"{self.where()}: bad regex {r!r}: {e}")
        self.steps = self.split_steps()

    def where(self):
        return f"{self.path}:{self.line}"

    def get(self, key, default=None):
        return self.attrs.get(key, default)

    def split_steps(self):
        """[(shown command lines, output lines)]."""
        steps = []
        lines = list(self.body)
        if self.get("command") is not None:
            if any(l.startswith("$ ") for l in lines):
                raise BlockError(f"{self.where()}: command= with shown commands")
            return [([], lines)]
        if not lines or not lines[0].startswith("$ "):
            raise BlockError(f"{self.where()}: a run block must start with '$ '")
        i = 0
        while i < len(lines):
            cmd = [lines[i]]
            i += 1
            while not complete("\n".join(c for c in strip_prompt(cmd))):
                if i >= len(lines):
                    raise BlockError(f"{self.where()}: command never ends: "
                                     f"{cmd[0]}")
                cmd.append(lines[i])
                i += 1
            out = []
            while i < len(lines) and not lines[i].startswith("$ "):
                out.append(lines[i])
                i += 1
            steps.append((cmd, out))
        return steps


def strip_prompt(cmd):
    return [cmd[0][2:]] + cmd[1:]


_complete_cache = {}


def complete(text):
    """Is text a whole shell command (bash -n has nothing to add)?"""
    if text.endswith("\\"):
        return False
    if text not in _complete_cache:
        r = subprocess.run(["bash", "-n", "-c", text], capture_output=True,
                           text=True)
        _complete_cache[text] = not re.search(
            "unexpected end of file|unexpected EOF", r.stderr)
    return _complete_cache[text]


def read_chapter(path):
    """Every run block of a chapter, and the shown runs outside any."""
    blocks, strays = [], []
    in_code = False
    fence = None            # (char, length, block or None, start line)
    body = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    opening = None          # (line number, text) of a fence's attributes
    for no, line in enumerate(lines, 1):
        if opening is not None:
            # Pandoc lets the attributes of a fence go on over lines.
            text = opening[1] + " " + line.strip()
            if not balanced(text):
                opening = (opening[0], text)
                continue
            line, no0, opening = text, opening[0], None
        else:
            no0 = no
        if fence is None and not in_code and \
                re.match(r"^(`{3,}|~{3,})\s*\{", line) and not balanced(line):
            opening = (no, line)
            continue
        if fence is None:
            if re.match(r"^<<.*>>=\s*$", line):
                in_code = True
                continue
            if in_code:
                if line == "@" or line.startswith("@ "):
                    in_code = False
                continue
            m = re.match(r"^(`{3,}|~{3,})\s*[\w.+-]*\s*(\{(.*)\})?\s*$",
                         line)
            if m:
                kind = None
                if m.group(2):
                    ident, classes, kvs = parse_attrs(m.group(3),
                                                      f"{path}:{no0}")
                    if "run" in classes:
                        if not ident:
                            raise BlockError(f"{path}:{no0}: a run block "
                                             "needs an #id")
                        kind = (ident, kvs, line)
                fence = (m.group(1)[0], len(m.group(1)), kind, no0)
                body = []
                continue
            if re.match(r"^ {4}\$ ", line):
                strays.append(f"{path}:{no}: {line.strip()}")
            continue
        ch, n, kind, start = fence
        if re.match("^" + re.escape(ch) + "{%d,}\\s*$" % n, line):
            if kind:
                blocks.append(Block(path, start, kind[0], kind[1],
                                    [unescape(l) for l in body], kind[2]))
            elif any(l.startswith("$ ") for l in body):
                strays.append(f"{path}:{start}: a fenced block shows a "
                              "run without {.run #id}")
            fence = None
            continue
        body.append(line)
    if opening is not None:
        raise BlockError(f"{path}:{opening[0]}: attributes never closed")
    if fence is not None:
        raise BlockError(f"{path}:{fence[3]}: fence never closed")
    return blocks, strays


def pandoc_agrees(blocks):
    """Does pandoc read every block as the runner does (a code block of
    class run, with the same id and attribute names)?  Pandoc 2.17, for
    one, drops the attributes of a fence whose value starts with a space,
    and the block then shows as inline code.  (The values may differ: the
    runner reads a backslash as regex syntax; pandoc drops the one before
    punctuation.  Only the runner uses them.)  Returns complaints."""
    doc = "\n\n".join(b.fence + "\nx\n```" for b in blocks)
    try:
        r = subprocess.run(["pandoc", "-f", "markdown", "-t", "json"],
                           input=doc, capture_output=True, text=True,
                           check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        return [f"pandoc could not read the blocks: {e}"]
    import json
    seen = {}

    def walk(x):
        if isinstance(x, dict):
            if x.get("t") == "CodeBlock" and "run" in x["c"][0][1]:
                seen[x["c"][0][0]] = [k for k, _ in x["c"][0][2]]
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(json.loads(r.stdout)["blocks"])
    return [f"{b.where()}: pandoc does not read this fence as the runner "
            f"does ({'attributes ' + str(seen[b.id]) if b.id in seen else 'not a run block'})"
            for b in blocks if seen.get(b.id) != [k for k, _ in b.kvs]]


# ---- running a block -------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Terminal:
    """One bash on a pty, fed one command at a time."""

    def __init__(self, cwd, env, deadline):
        self.deadline = deadline
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            ["bash", "--noprofile", "--norc"], stdin=subprocess.PIPE,
            stdout=slave, stderr=slave, cwd=cwd, env=env,
            start_new_session=True)
        os.close(slave)
        self.buf = ""
        self.seq = 0

    def read_some(self, wait):
        r, _, _ = select.select([self.master], [], [], wait)
        if not r:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            data = b""
        if not data:
            raise TimeoutError("the shell went away")
        self.buf += data.decode("utf-8", "replace")
        return True

    def left(self):
        t = self.deadline - time.monotonic()
        if t <= 0:
            raise TimeoutError("timed out")
        return t

    def type(self, text):
        """Type text, then wait for it to finish; returns its output."""
        self.seq += 1
        mark = f"\x1e{self.seq}\x1e"
        # The braces give the command /dev/null as input (bash reads its
        # commands from its own standard input); the status of the command
        # is kept for the next one's "$?".
        script = (f"{{ {text}\n}} </dev/null\n__s=$?; "
                  f"printf '\\n{mark}\\n'; __rc() {{ return $1; }}; "
                  f"__rc $__s\n")
        self.proc.stdin.write(script.encode())
        self.proc.stdin.flush()
        while f"\n{mark}\n" not in self.buf.replace("\r", ""):
            self.read_some(min(self.left(), 0.5))
        text = self.buf.replace("\r", "")
        out, _, rest = text.partition(f"\n{mark}\n")
        self.buf = rest
        return out

    def type_background(self, text, lines):
        """Type a command ending in '&', then wait for its first lines."""
        self.proc.stdin.write(f"{text}\n".encode())
        self.proc.stdin.flush()
        quiet_since = time.monotonic()
        while self.buf.replace("\r", "").count("\n") < lines:
            if self.read_some(min(self.left(), 0.2)):
                quiet_since = time.monotonic()
            elif lines == 0 or time.monotonic() - quiet_since > 10:
                break
        out = self.buf.replace("\r", "")
        self.buf = ""
        return out

    def close(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.wait()
        os.close(self.master)


def clean(text):
    """A terminal's output as lines, as the book would show them."""
    text = ANSI.sub("", text.replace("\r", ""))
    lines = [l.expandtabs(8).rstrip() for l in text.split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def normalise(block, lines):
    text = "\n".join(l.rstrip() for l in lines)
    for r, by in block.vary:
        text = re.sub(r, by, text, flags=re.M)
    out = text.split("\n") if text else []
    while out and out[-1] == "":
        out.pop()
    return out


def unfold(lines):
    out = []
    for l in lines:
        if out and l.startswith(" "):
            out[-1] += " " + l.strip()
        else:
            out.append(l)
    return out


def agree(block, want, got):
    """Compare the book's lines with the run's: (ok, want, got) normalised."""
    if block.get("folded") == "yes":
        want = unfold(want)
    want, got = normalise(block, want), normalise(block, got)
    pat = block.get("interleave")
    if pat is None:
        return want == got, want, got
    rx = re.compile(pat)

    def groups(ls):
        g = {}
        for l in ls:
            m = rx.search(l)
            g.setdefault(m.group(1) if m and m.groups() else None,
                         []).append(l)
        return g
    return groups(want) == groups(got), want, got


def start_server(spec, cwd, env, deadline):
    words = shlex.split(spec)
    prog = os.path.join(env["BIN"], words[0])
    p = subprocess.Popen([prog, "-p", "0"] + words[1:], cwd=cwd, env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    r, _, _ = select.select([p.stdout], [], [],
                            max(0.1, min(10, deadline - time.monotonic())))
    line = p.stdout.readline().decode().strip() if r else ""
    if not line.isdigit():
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        raise RuntimeError(f"server {spec}: no port printed ({line!r})")
    # Whatever else it prints must not fill the pipe and stop it.
    threading.Thread(target=lambda: p.stdout.read(), daemon=True).start()
    return p, int(line)


def run_block(block, ctx):
    """Replay one block, tries= times at most: (ok, report lines)."""
    tries = int(block.get("tries", 1))
    for n in range(1, tries + 1):
        ok, report = run_once(block, ctx)
        if ok:
            if n > 1:
                report.append(f"    (agreed on try {n} of {tries})")
            return ok, report
    return ok, report


def run_once(block, ctx):
    """Replay one block: returns (ok, report lines)."""
    timeout = float(block.get("timeout", DEFAULT_TIMEOUT))
    deadline = time.monotonic() + timeout
    scratch = ctx["scratch"](block)
    cwd = ctx["root"] if block.get("cwd") == "root" else scratch
    env = dict(ctx["env"])
    env["SCRATCH"] = scratch
    server, port, shown_port = None, None, block.get("port")
    report = []
    term = None
    try:
        if block.get("server"):
            server, port = start_server(block.get("server"), scratch, env,
                                        deadline)
            env["S"] = f"http://127.0.0.1:{port}"
        elif shown_port:
            port = free_port()
        term = Terminal(cwd, env, deadline)

        def to_real(cmd):
            return (re.sub(rf"\b{shown_port}\b", str(port), cmd)
                    if shown_port else cmd)

        def to_book(lines):
            out = []
            for l in lines:
                l = l.replace(scratch + "/", "").replace(scratch, ".")
                for path, name in ctx["paths"]:
                    l = l.replace(path + "/", name + "/")
                    l = l.replace(path, name)
                if shown_port:
                    l = re.sub(rf"\b{port}\b", shown_port, l)
                out.append(l)
            return out

        if block.get("before"):
            out = term.type(to_real(block.get("before")))
            if out.strip():
                report.append(f"    (before= printed: {out.strip()[:200]})")
        ok = True
        for cmd, want in block.steps:
            if cmd:
                text = "\n".join(strip_prompt(cmd))
            else:
                text = block.get("command")
            if text.rstrip().endswith("&") and not text.rstrip().endswith("&&"):
                got = term.type_background(to_real(text), len(want))
            else:
                got = term.type(to_real(text))
            got = to_book(clean(got))
            same, w, g = agree(block, want, got)
            if not same:
                ok = False
                report.append(f"    $ {text.splitlines()[0] if text else ''}"
                              " printed another output:")
                report.extend(diff_lines(w, g))
        return ok, report
    except (TimeoutError, RuntimeError) as e:
        return False, report + [f"    {e}"]
    except Exception as e:      # a failure of the runner is a failed block
        return False, report + [f"    the runner failed: {e!r}"]
    finally:
        if term:
            term.close()
        if server:
            try:
                os.killpg(server.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            server.wait()


def diff_lines(want, got):
    import difflib
    d = list(difflib.unified_diff(want, got, "book", "run", lineterm="",
                                  n=2))
    return ["      " + l for l in d[:60]] + (
        ["      ..."] if len(d) > 60 else [])


# ---- the whole book --------------------------------------------------------

def main(argv):
    import argparse
    ap = argparse.ArgumentParser(
        prog="transcripts.py",
        description="Replay every shown run of the book and compare.")
    ap.add_argument("-j", type=int, default=3, help="blocks at once")
    ap.add_argument("--only", action="append", default=[],
                    help="replay only blocks whose id contains this")
    ap.add_argument("--list", action="store_true",
                    help="list the blocks, run nothing")
    ap.add_argument("files", nargs="+")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    env = dict(os.environ)
    for k in ("BIN", "BUILD", "ROOT"):
        if k not in env:
            print(f"transcripts.py: {k} is not set", file=sys.stderr)
            return 2
    root = os.path.abspath(env["ROOT"])
    bin_ = os.path.abspath(env["BIN"])
    build = os.path.abspath(env["BUILD"])
    env.update(ROOT=root, BIN=bin_, BUILD=build,
               PATH=os.pathsep.join([bin_, env.get("PATH", "/usr/bin:/bin"),
                                     os.path.join(root, "tests/support/runs")]),
               LC_ALL="C.UTF-8", LANG="C.UTF-8", TERM="dumb",
               COLUMNS="80", LINES="24")
    # As a reader types them: not inside make, and without the options
    # the test runner gives sanitizers and cmocka.
    for k in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "TSAN_OPTIONS",
              "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
              "CMOCKA_TEST_ABORT", "SANITIZER"):
        env.pop(k, None)
    base = tempfile.mkdtemp(prefix="transcripts.",
                            dir=env.get("TMP") or None)

    blocks, strays = [], []
    try:
        for f in args.files:
            b, s = read_chapter(f)
            blocks += b
            strays += s
    except BlockError as e:
        print(f"transcripts.py: {e}", file=sys.stderr)
        return 2
    seen = {}
    for b in blocks:
        if b.id in seen:
            print(f"transcripts.py: {b.where()}: id {b.id} also at "
                  f"{seen[b.id].where()}", file=sys.stderr)
            return 2
        seen[b.id] = b
    for complaint in pandoc_agrees(blocks):
        print(f"transcripts.py: {complaint}", file=sys.stderr)
        return 2
    if args.list:
        for b in blocks:
            print(f"{b.where()} #{b.id} "
                  f"{'norun: ' + b.get('norun') if b.get('norun') else ''}")
        return 0

    folders = {}

    def scratch(block):
        key = block.get("group") or "#" + block.id
        if key not in folders:
            d = os.path.join(base, re.sub(r"[^\w.-]", "_", key))
            os.makedirs(os.path.join(d, "build"), exist_ok=True)
            # What the book's commands name: the programs, and the
            # tangled sources (for a compiler run by hand).
            for link, to in ((os.path.join(d, "build", "bin"), bin_),
                             (os.path.join(d, "tangle"),
                              os.path.join(root, "tangle"))):
                if not os.path.lexists(link):
                    os.symlink(to, link)
            folders[key] = d
        return folders[key]

    ctx = {"env": env, "root": root, "scratch": scratch,
           # Absolute paths a run prints, as the book writes them.
           "paths": [(build, "build"),
                     (root + "/", "")]}
    wanted = [b for b in blocks
              if not args.only or any(o in b.id for o in args.only)]
    lacking = {}            # block id -> why its needs= failed
    for b in wanted:
        if b.get("norun") is None and b.get("needs"):
            r = subprocess.run(["bash", "-c", b.get("needs")], env=env,
                               cwd=base, capture_output=True, text=True)
            if r.returncode != 0:
                out = (r.stdout + r.stderr).strip().splitlines()
                lacking[b.id] = out[-1] if out else "exit %d" % r.returncode
    runnable = [b for b in wanted
                if b.get("norun") is None and b.id not in lacking]
    # Blocks of a group run in order, one group after another.
    units, by_group = [], {}
    for b in runnable:
        g = b.get("group")
        if g:
            if g not in by_group:
                by_group[g] = []
                units.append(by_group[g])
            by_group[g].append(b)
        else:
            units.append([b])

    def run_unit(unit):
        res = []
        for b in unit:
            t0 = time.monotonic()
            ok, rep = run_block(b, ctx)
            res.append((b, ok, rep, time.monotonic() - t0))
        return res

    # A block run in the project folder may rebuild there (make), which
    # must not happen while other blocks run those programs: such units run
    # after the others, one at a time.
    def in_root(unit):
        return any(b.get("cwd") == "root" for b in unit)

    results = {}
    with concurrent.futures.ThreadPoolExecutor(max(1, args.j)) as ex:
        for res in ex.map(run_unit, [u for u in units if not in_root(u)]):
            for b, ok, rep, dt in res:
                results[b.id] = (ok, rep, dt)
    for u in units:
        if in_root(u):
            for b, ok, rep, dt in run_unit(u):
                results[b.id] = (ok, rep, dt)
    failed = 0
    for b in wanted:
        if b.get("norun") is not None:
            print(f"not run  {b.id}  ({b.where()}): {b.get('norun')}")
            continue
        if b.id in lacking:
            print(f"skipped  {b.id}  ({b.where()}): {lacking[b.id]}")
            continue
        ok, rep, dt = results[b.id]
        print(f"{'ok  ' if ok else 'FAIL'}     {b.id}  ({b.where()}, "
              f"{len(b.steps)} command(s), {dt:.1f} s)")
        for l in rep:
            print(l)
        failed += not ok
    for s in strays:
        print(f"FAIL     {s}: a shown run must be a {{.run #id}} block")
    failed += len(strays)
    shown = len(wanted) + (len(strays) if not args.only else 0)
    print(f"{len(runnable)} checked of {shown} shown"
          f"{f', {failed} failed' if failed else ''}")
    if failed == 0:
        subprocess.run(["rm", "-rf", base])
    else:
        print(f"(the scratch folders are kept in {base})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
