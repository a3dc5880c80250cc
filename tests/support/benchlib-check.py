"""tests/support/benchlib-check.py BENCH: the check of
tests/prog/05-bench.sh, step 5. bench/benchlib.py's statistics: the
median of an even count, an interval that holds its ratio, the three
verdicts. An assertion fails the check."""
import sys
sys.path.insert(0, sys.argv[1])
import benchlib as b
assert b.median([4, 1, 3, 2]) == 2.5 and b.median([5, 1, 3]) == 3
r, lo, hi = b.bootstrap_ratio([200, 210, 190, 205, 195], [100, 104, 96, 101, 99])
assert lo <= r <= hi and 1.8 < lo and hi < 2.2, (r, lo, hi)
assert b.verdict(1.9, 2.1, at_least=1.5) == 'holds'
assert b.verdict(0.9, 1.1, at_least=1.5) == 'does not hold'
assert b.verdict(1.4, 1.6, at_least=1.5) == 'too noisy to say'
assert b.verdict(0.9, 1.1, below=1.25) == 'holds'
