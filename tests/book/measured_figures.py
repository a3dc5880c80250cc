#!/usr/bin/python3
"""tests/book/measured_figures.py: the checks of the measured-figures
contract (book/CONVENTIONS.md, "Measured figures"); run by
tests/book/measured-figures.sh.

  prose CHAPTER...      hand-typed measured figures in the prose
  claims REPORT.md...   a claims table with a verdict but no interval
  results FILE.json...  a result file without a machine description

Each prints one line per problem and exits 1 if there is any.

The prose check is a heuristic.  In prose (not in code chunks, fenced
blocks, `code` or [[code]]) it flags a number followed by a unit of
time, memory or ratio (ns, µs, ms, s, seconds, KiB, MiB, kB, MB, bytes,
×, times, %, cores) unless the number is round: a power of two, a
multiple of 1,024, or one or two leading digits followed by zeros (50,
100, 250, 4000): such numbers are nearly always settings and sizes the
text chose, while a measurement comes out as 306 ms or 1.94×.  It also
flags a ratio in words ("forty times smaller").  A number that is not
measured but looks like one is marked [24 bytes]{.fixed}; a measured
one is quoted as []{.m k="NAME/KEY"}.  A hand-typed figure already in
a chapter before this check existed is listed in
tests/book/measured-figures.allow (CHAPTER<TAB>TEXT), to be converted
and removed from the list; the list may only shrink."""
import json
import os
import re
import sys

UNIT = (r'(?:ns|µs|us|ms|s|sec|seconds?|minutes?|B|bytes|KiB|MiB|GiB|kB|'
        r'KB|MB|GB|×|times|%|cores?)')
NUM = r'(?<![\w.\-/])(\d[\d,]*(?:\.\d+)?)'
FIG = re.compile(NUM + r'(?:\s|\u00a0|~)?(' + UNIT + r')(?![\w])')
WORDS = re.compile(r'\b(?:twice|three|four|five|six|seven|eight|nine|ten|'
                   r'twenty|thirty|forty|fifty|sixty|hundred)\s+times\s+'
                   r'(?:as|faster|slower|smaller|larger|bigger|more|less|'
                   r'fewer)\b', re.I)
YEAR = re.compile(r'^(1[89]|20)\d\d$')


def is_round(num, unit):
    d = num.replace(',', '')
    if '.' in d:
        return False
    if unit == 's' and YEAR.match(d):
        return True                     # the 1960s
    v = int(d)
    if v & (v - 1) == 0 or v % 1024 == 0:
        return True
    return re.fullmatch(r'[1-9][05]?0*', d) is not None


def prose_lines(path):
    """(line number, prose text) of a noweb file: code chunks, fenced
    and indented blocks (program output shown as printed) removed."""
    code = fence = indented = False
    blank = True
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if re.match(r'^<<.*>>=\s*$', line):
                code = True
                continue
            if code:
                if line.startswith('@'):
                    code = False
                continue
            if line.lstrip().startswith('```'):
                fence = not fence
                continue
            if fence:
                continue
            # An indented block (a shown run) starts after a blank line.
            if line.startswith('    ') and (blank or indented):
                indented = True
                continue
            indented = False
            blank = not line.strip()
            t = re.sub(r'`[^`]*`', '', line)
            t = re.sub(r'\[\[.*?\]\]', '', t)
            t = re.sub(r'\[[^\]]*\]\{\.(?:m|fixed)\b[^}]*\}', '', t)
            yield n, t


def hand_figures(path):
    for n, t in prose_lines(path):
        for m in FIG.finditer(t):
            if not is_round(m.group(1), m.group(2)):
                yield n, m.group(0)
        for m in WORDS.finditer(t):
            yield n, m.group(0)


def load_allow(path):
    allow = {}
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            for line in f:
                line = line.rstrip('\n')
                if line and not line.startswith('#'):
                    ch, text = line.split('\t', 1)
                    allow[(ch, text)] = allow.get((ch, text), 0) + 1
    return allow


def check_prose(paths, allow_path):
    allow = load_allow(allow_path)
    bad = 0
    for p in paths:
        ch = os.path.basename(p)
        for n, text in hand_figures(p):
            if allow.get((ch, text), 0) > 0:
                allow[(ch, text)] -= 1
                continue
            print('%s:%d: "%s" looks like a measured figure typed by hand.'
                  ' Quote it from a result file as []{.m k="NAME/KEY"} '
                  '(keys: build/report/figures.tsv; a new figure: '
                  'bench/benchlib.py), or, if it is not measured (a '
                  'setting, a size, a constant), mark it [%s]{.fixed}'
                  % (p, n, text, text))
            bad += 1
    stale = [k for k, v in allow.items() if v > 0]
    for ch, text in stale:
        print('%s: "%s" is in %s but no longer in the chapter: remove it '
              'from the list' % (ch, text, allow_path))
    return 1 if bad or stale else 0


VERDICT = re.compile(r'^(holds|\*\*does not hold\*\*|too noisy to say '
                     r'\(interval [^)]+\)|not measured|too few runs to say)$')


def check_claims(paths):
    bad = 0
    for p in paths:
        with open(p, encoding='utf-8') as f:
            rows = [line.strip() for line in f if line.startswith('| ')]
        if not rows:
            print('%s: no claims table' % p)
            bad += 1
            continue
        head = [c.strip() for c in rows[0].strip('|').split('|')]
        for r in rows[1:]:
            cells = [c.strip() for c in r.strip('|').split('|')]
            for i, h in enumerate(head):
                if 'erdict' not in h:
                    continue
                v, measured = cells[i], cells[i - 1]
                if not VERDICT.match(v):
                    print('%s: an unknown verdict "%s"' % (p, v))
                    bad += 1
                elif v not in ('not measured', 'too few runs to say') \
                        and not re.search(r'\((95% interval|range) [^;]+; '
                                          r'\d+ runs\)', measured):
                    print('%s: the verdict "%s" has no interval: "%s"'
                          % (p, v, measured))
                    bad += 1
    return 1 if bad else 0


MACHINE = ('cpu', 'cores', 'memory_mib', 'kernel', 'compiler')
RUN = ('date', 'kind', 'load')


def check_results(paths):
    bad = 0
    for p in paths:
        try:
            with open(p, encoding='utf-8') as f:
                d = json.load(f)
        except (OSError, ValueError) as e:
            print('%s: %s' % (p, e))
            bad += 1
            continue
        m, r = d.get('machine'), d.get('run')
        if not isinstance(m, dict) or any(k not in m for k in MACHINE):
            print('%s: no machine description (needs %s): a result file '
                  'says whose machine it measured; write it with '
                  'bench/collect' % (p, ', '.join(MACHINE)))
            bad += 1
        if not isinstance(r, dict) or any(k not in r for k in RUN):
            print('%s: no run description (needs %s)' % (p, ', '.join(RUN)))
            bad += 1
        for k, f in (d.get('figures') or {}).items():
            if 'text' not in f or 'value' not in f:
                print('%s: figure %s has no value or text' % (p, k))
                bad += 1
            if 'verdict' in f and f['verdict'] != 'not measured' and \
                    any(x not in f for x in ('lo', 'hi', 'n', 'interval')):
                print('%s: figure %s has a verdict without an interval'
                      % (p, k))
                bad += 1
    return 1 if bad else 0


def main(argv):
    if len(argv) < 2 or argv[1] not in ('prose', 'claims', 'results'):
        print('usage: measured_figures.py prose|claims|results FILE...',
              file=sys.stderr)
        return 2
    what, files = argv[1], argv[2:]
    if what == 'prose':
        allow = os.environ.get('FIGURES_ALLOW', os.path.join(
            os.path.dirname(os.path.abspath(__file__)),
            'measured-figures.allow'))
        return check_prose(files, allow)
    if what == 'claims':
        return check_claims(files)
    return check_results(files)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
