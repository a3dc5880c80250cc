#!/usr/bin/env python3
"""Independent reference aggregator for 1BRC files, the check of the
dataset module (the workloads appendix) and of chapter 2's crunchers
("No GIL here").  It shares no code with the C module: temperatures are
parsed with a regular expression into Decimal, the mean is rounded with exact
fractions as Java's Math.round does (floor(x + 1/2)), and names are
sorted as bytes.

    agg.py [-w THREADS] FILE

With -w, the lines are split between THREADS Python threads, each with
its own dictionary, merged at the end: the same design as crunch-threads,
which lets the benchmark show what the GIL does to it.
"""
import math
import re
import sys
import threading
from decimal import Decimal
from fractions import Fraction

LINE = re.compile(rb'([^;\n]{1,100});(-?[0-9]{1,2}\.[0-9])')


def aggregate(lines, out):
    for number, line in lines:
        m = LINE.fullmatch(line)
        if m is None:
            raise ValueError(number)
        name, t = m.group(1), Decimal(m.group(2).decode())
        s = out.get(name)
        if s is None:
            out[name] = [t, t, t, 1]
        else:
            s[0] = min(s[0], t)
            s[1] = max(s[1], t)
            s[2] += t
            s[3] += 1


def tenths(x):
    """Format a Fraction or Decimal that is a whole number of tenths."""
    t = int(Fraction(x) * 10)
    return ('-' if t < 0 else '') + f'{abs(t) // 10}.{abs(t) % 10}'


def main(argv):
    threads = 1
    if len(argv) == 4 and argv[1] == '-w':
        threads, argv = int(argv[2]), argv[2:]
    if len(argv) != 2:
        sys.exit('usage: agg.py [-w THREADS] FILE')
    with open(argv[1], 'rb') as f:
        data = f.read()
    lines = data.split(b'\n')
    if lines and lines[-1] == b'':
        lines.pop()                 # the final newline ends the last line
    numbered = list(enumerate(lines, 1))
    parts = [{} for _ in range(threads)]
    size = (len(numbered) + threads - 1) // threads or 1
    work = [threading.Thread(target=aggregate,
                             args=(numbered[i * size:(i + 1) * size],
                                   parts[i]))
            for i in range(threads)]
    for w in work:
        w.start()
    for w in work:
        w.join()
    total = {}
    for p in parts:
        for name, (lo, hi, sm, n) in p.items():
            s = total.setdefault(name, [lo, hi, Decimal(0), 0])
            s[0], s[1] = min(s[0], lo), max(s[1], hi)
            s[2] += sm
            s[3] += n
    items = []
    for name in sorted(total):
        lo, hi, sm, n = total[name]
        mean = Fraction(math.floor(Fraction(sm) * 10 / n + Fraction(1, 2)),
                        10)
        items.append(name + b'=' + '/'.join(
            (tenths(lo), tenths(mean), tenths(hi))).encode())
    sys.stdout.buffer.write(b'{' + b', '.join(items) + b'}\n')


if __name__ == '__main__':
    main(sys.argv)
