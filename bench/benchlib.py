"""bench/benchlib.py: the one place where the benchmarks' measurements
become figures (Python 3 standard library only).

The bench/*.sh scripts measure and append one line per measurement to
RESULTS/NAME.samples (bench/lib.sh's `record`): TAB-separated fields
KEY=VALUE, the fields that name what was measured, then a lone "--",
then the measured values.  bench/collect turns those lines into
RESULTS/NAME.json, the shape chapter 6 and the book's figures filter
read (book/CONVENTIONS.md, "Measured figures"):

  {"machine": {...}, "run": {"date", "kind", "load", ...},
   "entries": [{"name": ..., "runs": N,
                "m": {"wall_ms": {"median", "min", "max", "samples"}}}],
   "figures": {"KEY": {"value", "text", "lo", "hi", "n", ...}}}

One median (median() below), one interval (bootstrap_ratio()), one
rule for a verdict (verdict()).
"""
import json
import os
import platform
import random
import re
import subprocess
import time

# ---- statistics -----------------------------------------------------------


def median(xs):
    """The median; the mean of the two middle values for an even count."""
    v = sorted(xs)
    n = len(v)
    if n == 0:
        raise ValueError('median of nothing')
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def bootstrap_ratio(a, b, paired=True, reps=4000, seed=11):
    """The ratio median(a) / median(b) and a bootstrap 95% interval.

    Paired (a[i] and b[i] measured one after the other, run i of an
    alternating sequence): resample the pairs, so that a slow minute
    that slowed both sides of a pair cancels out.  Unpaired: resample
    each side by itself.  Percentile interval; a fixed seed makes the
    same samples give the same interval on every build."""
    if not a or not b or min(b) <= 0:
        raise ValueError('no samples')
    rnd = random.Random(seed)
    stat = median(a) / median(b)
    rs = []
    if paired:
        if len(a) != len(b):
            raise ValueError('paired samples of different lengths')
        n = len(a)
        for _ in range(reps):
            idx = [rnd.randrange(n) for _ in range(n)]
            rs.append(median([a[i] for i in idx])
                      / median([b[i] for i in idx]))
    else:
        for _ in range(reps):
            ra = [rnd.choice(a) for _ in a]
            rb = [rnd.choice(b) for _ in b]
            rs.append(median(ra) / median(rb))
    rs.sort()
    lo = rs[int(0.025 * (reps - 1))]
    hi = rs[int(0.975 * (reps - 1))]
    return stat, lo, hi


def verdict(lo, hi, at_least=None, below=None):
    """'holds', 'does not hold' or 'too noisy to say' for a claim that
    the ratio is >= at_least (or < below), judged on the interval."""
    if at_least is not None:
        if lo >= at_least:
            return 'holds'
        if hi < at_least:
            return 'does not hold'
    else:
        if hi < below:
            return 'holds'
        if lo >= below:
            return 'does not hold'
    return 'too noisy to say'


# ---- formatting -----------------------------------------------------------


def g3(x):
    """Three significant figures, no exponent, thousands with commas."""
    if x == 0:
        return '0'
    s = '%.3g' % x
    if 'e' in s:
        s = '%.0f' % x
    if abs(x) >= 1000:
        s = '{:,}'.format(int(round(float(s))))
    return s


def fmt_ns(ns):
    if ns >= 1e6:
        return g3(ns / 1e6) + ' ms'
    if ns >= 1e3:
        return g3(ns / 1e3) + ' µs'
    return g3(ns) + ' ns'


def fmt_ms(ms):
    return g3(ms / 1000) + ' s' if ms >= 1000 else g3(ms) + ' ms'


def fmt_bytes(b):
    if abs(b) >= 1048576:
        return g3(b / 1048576) + ' MiB'
    if abs(b) >= 1024:
        return g3(b / 1024) + ' KiB'
    return '%d B' % b


def fmt_count(n):
    return '{:,}'.format(int(n))


def ratio_num(x):
    return '%.2f' % x if x < 10 else g3(x)


def fmt_ratio(x):
    return '%.2f×' % x


# ---- the facts of a run ---------------------------------------------------


def _cmd(args):
    try:
        r = subprocess.run(args, capture_output=True, text=True, timeout=20)
        return r.stdout.strip().splitlines()[0] if r.returncode == 0 \
            and r.stdout.strip() else None
    except (OSError, subprocess.SubprocessError):
        return None


def machine_facts(python='/usr/bin/python3'):
    cpu = None
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    mem = 0
    try:
        with open('/proc/meminfo') as f:
            for line in f:
                if line.startswith('MemTotal:'):
                    mem = int(line.split()[1]) // 1024
    except OSError:
        pass
    u = os.uname()
    pyv = _cmd([python, '-c', 'import platform; '
                'print(platform.python_version())']) or 'absent'
    return {'cpu': cpu or platform.machine(), 'cores': os.cpu_count() or 1,
            'memory_mib': mem, 'kernel': '%s %s' % (u.sysname, u.release),
            'compiler': _cmd([os.environ.get('CC', 'cc'), '--version'])
            or 'unknown',
            'libuv': _cmd(['pkg-config', '--modversion', 'libuv'])
            or 'unknown',
            'python': pyv}


def load_avg():
    try:
        with open('/proc/loadavg') as f:
            return [float(x) for x in f.read().split()[:3]]
    except OSError:
        return [0.0, 0.0, 0.0]


def run_facts(kind, load_start=None):
    """When and under what load; 'quiet' is false when the load average
    at the start of the run was above half the cores plus one: such a
    run's figures are noisy, and the tables say so.  The load at the end
    is recorded but not judged: a benchmark that keeps both cores busy
    raises it by itself (the last minute's average is its own work)."""
    cores = os.cpu_count() or 1
    load = load_avg()
    start = load_start if load_start is not None else load
    quiet = start[0] <= cores / 2 + 1
    return {'date': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
            'kind': kind, 'load': load, 'load_at_start': start,
            'quiet': quiet}


# ---- samples -> entries -----------------------------------------------------


def _num(v):
    try:
        return int(v)
    except ValueError:
        try:
            return float(v)
        except ValueError:
            return v


def read_samples(path):
    """Group the records of a .samples file: a list of entries in the
    order they were first seen."""
    groups, order = {}, []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line:
                continue
            fields = line.split('\t')
            if '--' in fields:
                cut = fields.index('--')
                ident, meas = fields[:cut], fields[cut + 1:]
            else:
                ident, meas = fields, []
            key = tuple(x for x in ident if not x.startswith('not_measured='))
            e = groups.get(key)
            if e is None:
                e = groups[key] = {'_m': {}}
                order.append(key)
                for kv in key:
                    if '=' not in kv:
                        raise ValueError('%s:%d: not KEY=VALUE: %r'
                                         % (path, lineno, kv))
                    k, v = kv.split('=', 1)
                    e[k] = _num(v)
            for kv in ident:
                if kv.startswith('not_measured='):
                    e['not_measured'] = kv.split('=', 1)[1]
            for kv in meas:
                k, v = kv.split('=', 1)
                e['_m'].setdefault(k, []).append(_num(v))
    entries = []
    for key in order:
        e = groups[key]
        m = e.pop('_m')
        if 'not_measured' not in e:
            if not m:
                e['not_measured'] = 'no measurement was recorded'
            else:
                e['runs'] = max(len(v) for v in m.values())
                e['m'] = {k: {'median': median(v), 'min': min(v),
                              'max': max(v), 'samples': v}
                          for k, v in m.items()}
        entries.append(e)
    return entries


def find(entries, **keys):
    for e in entries:
        if all(e.get(k) == v for k, v in keys.items()):
            return e
    return None


def value(e, what):
    """The median of measurement WHAT of entry e, or None."""
    if not e or 'm' not in e or what not in e['m']:
        return None
    return e['m'][what]['median']


def samples(e, what):
    if not e or 'm' not in e or what not in e['m']:
        return None
    return e['m'][what].get('samples')


# ---- figures --------------------------------------------------------------


def fig(value, text, **more):
    d = {'value': value, 'text': text}
    d.update(more)
    return d


def ratio_figure(a_e, a_what, b_e, b_what, claim, at_least=None,
                 below=None, scale=1.0):
    """A claim about the ratio (a / b) * scale, decided on its interval.
    Paired when both sides have the same number of samples from one
    alternating sequence; a converted run without samples uses the
    extreme ratios of its ranges (marked 'range')."""
    sa, sb = samples(a_e, a_what), samples(b_e, b_what)
    if sa and sb:
        paired = len(sa) == len(sb) and a_e.get('paired', True) \
            and b_e.get('paired', True)
        r, lo, hi = bootstrap_ratio(sa, sb, paired=paired)
        method = 'bootstrap, %s' % ('paired' if paired else 'unpaired')
        n = min(len(sa), len(sb))
        if n < 3:
            method = 'too few runs for an interval'
    elif a_e and b_e and 'm' in a_e and 'm' in b_e:
        ma, mb = a_e['m'][a_what], b_e['m'][b_what]
        r = ma['median'] / mb['median']
        lo, hi = ma['min'] / mb['max'], ma['max'] / mb['min']
        method = 'range of the runs (no samples kept)'
        n = min(a_e['runs'], b_e['runs'])
    else:
        return fig(None, 'not measured', verdict='not measured',
                   claim=claim)
    r, lo, hi = r * scale, lo * scale, hi * scale
    v = verdict(lo, hi, at_least, below)
    if n < 3:
        v = 'too noisy to say'
    interval = '%s–%s' % (ratio_num(lo), ratio_num(hi))
    return fig(r, ratio_num(r) + '×', lo=lo, hi=hi, n=n, method=method,
               verdict=v, interval=interval, claim=claim,
               rule=('≥ %.2f' % at_least) if at_least is not None
               else ('< %.2f' % below))


def figures_start(entries, machine):
    f = {}
    for e in entries:
        v = value(e, 'ns')
        if v is not None:
            f[e['name']] = fig(v, fmt_ns(v), lo=e['m']['ns']['min'],
                               hi=e['m']['ns']['max'], n=e['runs'])
    t, k, task = (find(entries, name=x) for x in ('thread', 'fork', 'timer'))
    f['claim-fork-thread'] = ratio_figure(
        k, 'ns', t, 'ns', 'a process costs more to start than a thread',
        at_least=1.0)
    f['claim-thread-task'] = ratio_figure(
        t, 'ns', task, 'ns', 'a thread costs more to start than a loop '
        'task', at_least=1.0)
    return f


def figures_switch(entries, machine):
    f = {}
    for e in entries:
        v = value(e, 'ns')
        if v is not None:
            f[e['name']] = fig(v, fmt_ns(v), lo=e['m']['ns']['min'],
                               hi=e['m']['ns']['max'], n=e['runs'])
    return f


def figures_mem(entries, machine):
    f = {}
    for e in entries:
        v = value(e, 'user_bytes')
        if v is not None:
            f[e['name']] = fig(v, fmt_bytes(v), n=e['runs'])
    tc, lp = find(entries, name='thread-conns'), find(entries, name='loop')
    f['claim-conn'] = ratio_figure(
        tc, 'user_bytes', lp, 'user_bytes', 'a waiting connection costs '
        'less on the loop than with a thread of its own', at_least=1.0)
    return f


def speedup(entries, name, w):
    base = find(entries, name='py-seq' if name.startswith('py-')
                else 'crunch-seq', workers=1)
    e = find(entries, name=name, workers=w)
    b, t = value(base, 'wall_ms'), value(e, 'wall_ms')
    return None if b is None or t is None else b / t


def figures_cpu(entries, machine):
    f = {}
    cores = machine['cores']
    for e in entries:
        ms = value(e, 'wall_ms')
        if ms is None:
            continue
        key = '%s-%d' % (e['name'], e['workers'])
        w = e['m']['wall_ms']
        f['ms-' + key] = fig(ms, fmt_ms(ms), lo=w['min'], hi=w['max'],
                             n=e['runs'], lo_text=fmt_ms(w['min']),
                             hi_text=fmt_ms(w['max']))
        cpu = value(e, 'cpu_ms')
        if cpu is not None:
            f['busy-' + key] = fig(cpu / ms, '%.2f' % (cpu / ms))
        s = speedup(entries, e['name'], e['workers'])
        if s is not None:
            f['speedup-' + key] = fig(s, fmt_ratio(s))
    c, p = find(entries, name='crunch-seq'), find(entries, name='py-seq')
    if c and p and 'rows' in c and 'rows' in p:
        f['rows-c'] = fig(c['rows'], fmt_count(c['rows']))
        f['rows-py'] = fig(p['rows'], fmt_count(p['rows']))
        f['rows-c-over-py'] = fig(c['rows'] / p['rows'],
                                  g3(c['rows'] / p['rows']))
        cs, ps = value(c, 'wall_ms'), value(p, 'wall_ms')
        if cs and ps:
            per = (ps / p['rows']) / (cs / c['rows'])
            f['py-slower-per-row'] = fig(per, g3(per))
    seq = find(entries, name='crunch-seq', workers=1)
    pseq = find(entries, name='py-seq', workers=1)
    th = find(entries, name='crunch-threads', workers=cores)
    pr = find(entries, name='crunch-procs', workers=cores)
    f['claim-scale-threads'] = ratio_figure(
        seq, 'wall_ms', th, 'wall_ms', 'C threads speed CPU work up in '
        'proportion to the cores (%d×; 75%% of it counts)' % cores,
        at_least=0.75 * cores)
    f['claim-scale-procs'] = ratio_figure(
        seq, 'wall_ms', pr, 'wall_ms', 'C processes speed CPU work up in '
        'proportion to the cores (%d×; 75%% of it counts)' % cores,
        at_least=0.75 * cores)
    f['claim-threads-procs'] = ratio_figure(
        pr, 'wall_ms', th, 'wall_ms', 'C threads compute in parallel: '
        'crunch-threads is at least as fast as crunch-procs (a speed '
        'ratio of 0.8 or more)', at_least=0.8)
    f['claim-gil-threads'] = ratio_figure(
        pseq, 'wall_ms', find(entries, name='py-threads', workers=cores),
        'wall_ms', 'Python threads do not speed up CPU work (a speed-up '
        'under 1.25×)', below=1.25)
    f['claim-gil-procs'] = ratio_figure(
        pseq, 'wall_ms', find(entries, name='py-procs', workers=cores),
        'wall_ms', 'Python processes do (1.25× or more)', at_least=1.25)
    return f


def figures_io(entries, machine):
    f = {}
    for e in entries:
        ms = value(e, 'wall_ms')
        if ms is None:
            continue
        key = '%s-%d' % (e['name'], e['pages'])
        f['ms-' + key] = fig(ms, fmt_ms(ms), lo=e['m']['wall_ms']['min'],
                             hi=e['m']['wall_ms']['max'], n=e['runs'])
        kb = value(e, 'maxrss_kb')
        if kb is not None:
            f['rss-' + key] = fig(kb * 1024, fmt_bytes(kb * 1024))
    sizes = sorted({e['pages'] for e in entries
                    if find(entries, name='fetch-uv', pages=e['pages'])
                    and value(find(entries, name='fetch-uv',
                                   pages=e['pages']), 'wall_ms')})
    big = None
    for p in sizes:     # the largest with 3 runs or more of both
        t = find(entries, name='fetch-threads', pages=p)
        u = find(entries, name='fetch-uv', pages=p)
        if value(t, 'wall_ms') and t['runs'] >= 3 and u['runs'] >= 3:
            big = p
    if big:
        f['claim-loop'] = ratio_figure(
            find(entries, name='fetch-threads', pages=big), 'wall_ms',
            find(entries, name='fetch-uv', pages=big), 'wall_ms',
            'one loop thread fetches many pages at once faster than a '
            'thread per page (at the largest number both fetched three '
            'times or more)', at_least=1.0)
        f['claim-loop']['pages'] = big
    py = [e['pages'] for e in entries if e['name'] == 'py-asyncio'
          and value(e, 'wall_ms')]
    if py:
        f['py-max-pages'] = fig(max(py), fmt_count(max(py)))
    return f


def figures_procs(entries, machine):
    """Chapter 3's pool: crunch-procs -w 2 against crunch-seq and
    crunch-threads -w 2 (bench/03-procs.sh)."""
    f = {}
    seq, thr, prc = (find(entries, name=n) for n in
                     ('crunch-seq', 'crunch-threads', 'crunch-procs'))
    for e in (seq, thr, prc):
        v = value(e, 'wall_ms')
        if v is not None:
            f['ms-' + e['name']] = fig(v, '%s ms' % fmt_count(round(v)))
    f['speedup-procs'] = ratio_figure(
        seq, 'wall_ms', prc, 'wall_ms', 'crunch-procs -w 2 runs at least '
        '1.8 times as fast as crunch-seq', at_least=1.8)
    f['speedup-procs']['text'] = '%.2f' % f['speedup-procs']['value'] \
        if f['speedup-procs']['value'] else 'not measured'
    t, p = value(thr, 'wall_ms'), value(prc, 'wall_ms')
    if t and p:
        f['procs-over-threads'] = fig(p / t, '%.2f×' % (p / t))
        f['procs-slower-pct'] = fig((p / t - 1) * 100,
                                    '%.0f%%' % ((p / t - 1) * 100))
        f['procs-minus-threads'] = fig(p - t, '%.0f ms' % (p - t))
    return f


def figures_cost(entries, machine):
    """Chapter 3's cost of a process (bench/03g-cost.sh): each
    operation's median in microseconds, and the ratios the chapter
    quotes: fork + exec over fork, fork over a thread."""
    f = {}
    for e in entries:
        v = value(e, 'us')
        if v is not None:
            f['us-' + e['name']] = fig(v, '%.1f µs' % v)
    fork, exe, thr = (value(find(entries, name=n), 'us')
                      for n in ('fork', 'fork-exec', 'thread'))
    if fork and exe:
        f['exec-over-fork'] = fig(round(exe / fork, 3),
                                  '%.1f times' % (exe / fork))
    if fork and thr:
        f['fork-over-thread'] = fig(round(fork / thr, 3),
                                    '%.0f times' % (fork / thr))
    return f


def figures_echo(entries, machine):
    """Chapter 4's ten thousand connections (bench/04b-echo.sh)."""
    f = {}
    e = find(entries, name='echo-uv')
    for k, fmt in (('idle_kb', lambda v: '%s KiB' % fmt_count(v)),
                   ('peak_kb', lambda v: '%s KiB' % fmt_count(v)),
                   ('bytes_per_connection', lambda v: '%d bytes' % v),
                   ('connect_ms', lambda v: '%s ms' % fmt_count(v)),
                   ('round_trips_per_s', lambda v: fmt_count(v))):
        v = value(e, k)
        if v is not None:
            f[k.replace('_', '-')] = fig(v, fmt(round(v)))
    return f


def figures_noread(entries, machine):
    """Chapter 4's client that never reads (bench/04b-noread.sh): what
    it pushed, and how much the server grew, with backpressure and
    without."""
    f = {}
    for mode in ('backpressure', 'no-backpressure'):
        e = find(entries, name=mode)
        kb, pushed = value(e, 'grew_kb'), value(e, 'pushed_bytes')
        if kb is not None:
            f['grew-' + mode] = fig(kb, fmt_bytes(kb * 1024))
        if pushed is not None:
            f['pushed-' + mode] = fig(pushed, g3(pushed / 1e6) + ' MB')
    return f


def figures_loop(entries, machine):
    """Chapter 4's hand-made loop (bench/04-loop.sh): the time per turn
    of each backend at each number of idle connections, poll's time over
    epoll's (paired: the two alternate), and the memory per connection
    of echo-loop and echo-uv."""
    f = {}
    for idle in (100, 1000, 10000):
        p = find(entries, name='turn-poll', idle=idle)
        e = find(entries, name='turn-epoll', idle=idle)
        for be, x in (('poll', p), ('epoll', e)):
            v = value(x, 'ns')
            if v is not None:
                f['%s-%d' % (be, idle)] = fig(
                    v, fmt_ns(v), lo=x['m']['ns']['min'],
                    hi=x['m']['ns']['max'], n=x['runs'])
        if p and e:
            f['poll-over-epoll-%d' % idle] = ratio_figure(
                p, 'ns', e, 'ns', 'with %d idle connections a turn costs '
                'more with poll than with epoll' % idle, at_least=1.0)
    for prog in ('echo-loop', 'echo-uv'):
        x = find(entries, name=prog)
        for k in ('bytes_per_connection', 'idle_kb'):
            v = value(x, k)
            if v is not None:
                text = ('%d bytes' % round(v) if k.startswith('bytes')
                        else '%s KiB' % fmt_count(round(v)))
                f['%s-%s' % (prog, k.replace('_', '-'))] = fig(
                    v, text, n=x['runs'])
    return f


def figures_fetch(entries, machine):
    """Chapter 4's thousand pages (bench/04a-fetch.sh): the wall time
    and peak memory of each configuration, and what one more fetch in
    flight costs fetch-uv (the difference of its two rows)."""
    f = {}
    for e in entries:
        key = e['name'].replace(' ', '').replace('-c', '-c')
        w, kb = value(e, 'wall_ms'), value(e, 'maxrss_kb')
        if w is not None:
            f['ms-' + key] = fig(w, '%.2f s' % (w / 1000))
        if kb is not None:
            f['rss-' + key] = fig(kb * 1024, fmt_bytes(kb * 1024))
    big = find(entries, name='fetch-uv -c %d' % (entries[0].get('urls') or 0))
    small = find(entries, name='fetch-uv -c 100')
    a, b = value(big, 'maxrss_kb'), value(small, 'maxrss_kb')
    if a is not None and b is not None and big['urls'] > 100:
        d = (a - b) * 1024
        f['uv-extra-rss'] = fig(d, '%.1f MB' % (d / 1e6))
        f['uv-per-fetch'] = fig(d / (big['urls'] - 100),
                                '%.0f KB' % (d / (big['urls'] - 100) / 1e3))
    return f


def figures_mpi(entries, machine):
    """Chapter 5 (bench/mpi.sh): each configuration's median wall time,
    min and max as lo and hi; two ranks' speed-up over one; the rows of
    the data file; the load average before and after the run (the
    entry "load", recorded by the script)."""
    f = {}
    for e in entries:
        w = (e.get('m') or {}).get('wall_ms')
        if w is not None:
            m = w['median']     # the chapter's precision: 2.11 s, 132 ms
            text = '%.2f s' % (m / 1000) if m >= 1000 else '%.0f ms' % m
            f[e['name']] = fig(round(m, 3), text, lo=w['min'], hi=w['max'],
                               n=e['runs'])
    one = value(find(entries, name='mpi-1'), 'wall_ms')
    two = value(find(entries, name='mpi-2'), 'wall_ms')
    if one is not None and two:
        s = one / two
        f['speedup-2'] = fig(round(s, 3), '%.2f' % s)
    load = find(entries, name='load')
    a, b = value(load, 'before'), value(load, 'after')
    if a is not None and b is not None:
        f['load'] = fig(a, '%.2f before the run and %.2f after it' % (a, b))
    rows = next((e['rows'] for e in entries if 'rows' in e), None)
    if rows is not None:
        f['rows'] = fig(rows, fmt_count(rows))
    return f


def figures_crunch(entries, machine):
    """Chapter 2's crunchers (bench/02b-crunch.sh): for the file as
    gen-data wrote it (written) and as read back from disk (reread),
    crunch-seq's time, its rows per second, crunch-threads -w 2 with one
    piece per thread (p2) and with a piece per MiB, their processor
    time; and two Python threads against one."""
    f = {}
    for cache in ('written', 'reread'):
        seq = find(entries, cache=cache, name='crunch-seq')
        p2 = find(entries, cache=cache, name='crunch-threads-w2', pieces=2)
        many = next((e for e in entries if e.get('cache') == cache
                     and e.get('name') == 'crunch-threads-w2'
                     and e.get('pieces') != 2), None)
        for key, e in (('seq', seq), ('p2', p2), ('many', many)):
            v = value(e, 'wall_ms')
            if v is None:
                continue
            m = e['m']['wall_ms']
            f['%s-ms-%s' % (key, cache)] = fig(
                v, '%d ms' % round(v), lo_text='%d ms' % m['min'],
                hi_text='%d ms' % m['max'])
            c = value(e, 'cpu_ms')
            if c is not None:
                f['%s-cpu-%s' % (key, cache)] = fig(c, '%d ms' % round(c))
        v = value(seq, 'wall_ms')
        if v:
            rate = seq['rows'] / v / 1000
            f['seq-mrows-%s' % cache] = fig(rate, '%.1f million' % rate)
        if many:
            f['pieces'] = fig(many['pieces'], '%d' % many['pieces'])
        for key, e in (('p2', p2), ('many', many)):
            r = ratio_figure(seq, 'wall_ms', e, 'wall_ms',
                             'crunch-threads -w 2 runs at least 1.8 times '
                             'as fast as crunch-seq', at_least=1.8)
            f['speedup-%s-%s' % (key, cache)] = r
    py1 = find(entries, name='agg.py', workers=1)
    py2 = find(entries, name='agg.py', workers=2)
    for key, e in (('py1-ms', py1), ('py2-ms', py2)):
        v = value(e, 'wall_ms')
        if v is not None:
            f[key] = fig(v, fmt_ms(v))
    f['speedup-py'] = ratio_figure(py1, 'wall_ms', py2, 'wall_ms',
                                   'two Python threads run no faster than '
                                   'one (below 1.1 times)', below=1.1)
    seq = find(entries, cache='reread', name='crunch-seq')
    a, b = value(py1, 'wall_ms'), value(seq, 'wall_ms')
    if a and b:
        r = (a / py1['rows']) / (b / seq['rows'])
        f['py-per-row'] = fig(r, '%d' % round(r, -1))
    return f


def figures_fetch_threads(entries, machine):
    """Chapter 2's fetcher (bench/02c-fetch-threads.sh): 20 pages of
    200 ms with 1, 5 and 20 slots, and what a waiting thread costs."""
    f = {}
    cpus = []
    for c in (1, 5, 20):
        e = find(entries, name='fetch-threads', cap=c)
        v = value(e, 'wall_ms')
        if v is not None:
            f['cap-%d-ms' % c] = fig(v, fmt_ms(v))
            cpus.append(e['m']['cpu_ms']['max'])
    if cpus:
        f['cpu-max'] = fig(max(cpus), '%.2f s' % (max(cpus) / 1000))
    w = find(entries, name='waiting-threads')
    if w and 'm' in w:
        f['threads'] = fig(w['threads'], '%d' % w['threads'])
        for k in ('vmsize_kb', 'vmrss_kb', 'vmsize_1_kb', 'vmrss_1_kb'):
            v = value(w, k)
            f[k.replace('_', '-')] = fig(v, '%s kB' % fmt_count(v))
        v = value(w, 'per_thread_vmsize_kb')
        f['per-thread-vmsize'] = fig(v, fmt_bytes(v * 1024))
        v = value(w, 'per_thread_rss_kb')
        f['per-thread-rss'] = fig(v, fmt_bytes(v * 1024))
    return f


def figures_ordering(entries, machine):
    """Chapter 2's lock-free ring against the mutex queue, and false
    sharing (bench/02e-ordering.sh): items a second through each queue
    and how much longer bq took; the CPU time of an addition with the
    counters on one line and a line apart, and their ratio; how many
    cores the padded run kept busy on average (CPU time over wall time:
    near 2 when the two threads ran at the same moments)."""
    f = {}
    spsc, bq = find(entries, name='spsc'), find(entries, name='bq')
    for key, e in (('spsc', spsc), ('bq', bq)):
        v = value(e, 'wall_ns')
        if v:
            f[key + '-items-per-s'] = fig(1e9 / v, '%s million' %
                                          g3(1e3 / v))
    f['bq-over-spsc'] = ratio_figure(
        bq, 'wall_ns', spsc, 'wall_ns', 'the ring passes items faster '
        'than the mutex queue', at_least=1.0)
    near, apart = find(entries, name='near'), find(entries, name='apart')
    for key, e in (('fs-near-ns', near), ('fs-apart-ns', apart)):
        v = value(e, 'cpu_ns')
        if v is not None:
            f[key] = fig(v, fmt_ns(v))
    f['fs-slowdown'] = ratio_figure(
        near, 'cpu_ns', apart, 'cpu_ns', 'counters on one cache line '
        'cost more than counters a line apart', at_least=1.2)
    c, w = value(apart, 'cpu_ns'), value(apart, 'wall_ns')
    if c is not None and w:
        f['fs-cores-busy'] = fig(c / w, '%.2f' % (c / w))
    return f


def figures_trace(entries, machine):
    """Chapter 1, "Seeing a run": crunch-threads -w 2 with tracing
    compiled in but off, and on, against the same source compiled
    without it (alternating runs, paired)."""
    out = find(entries, tracing='compiled-out')
    f = {}
    for k in ('off', 'on'):
        f['%s-ratio' % k] = ratio_figure(
            find(entries, tracing=k), 'wall_ms', out, 'wall_ms',
            'crunch-threads with tracing %s takes no longer than without '
            'it' % ('compiled in but off' if k == 'off' else 'on'),
            below=1.05)
    ms = value(out, 'wall_ms')
    if ms is not None:
        f['untraced-ms'] = fig(ms, fmt_ms(ms))
    for e in entries:                   # the traced runs' lengths
        ms = value(e, 'trace_ms')
        if ms is not None:
            f[e['name'] + '-ms'] = fig(ms, fmt_ms(ms))
    a = value(find(entries, name='count-timers-b'), 'trace_ms')
    b = value(find(entries, name='count-timers'), 'trace_ms')
    if a and b:
        f['blocked-x'] = fig(a / b, '%.1f times' % (a / b))
    return f


FIGURES = {'mpi': figures_mpi, '03-procs': figures_procs,
           '04a-fetch': figures_fetch, '04b-echo': figures_echo,
           '05-start': figures_start, '05-switch': figures_switch,
           '05-mem': figures_mem, '05-cpu': figures_cpu,
           '05-io': figures_io}
FIGURES.update({'01b-trace': figures_trace})
FIGURES.update({'02e-ordering': figures_ordering})
FIGURES.update({'03g-cost': figures_cost, '04b-noread': figures_noread})
FIGURES.update({'04-loop': figures_loop})
FIGURES.update({'02b-crunch': figures_crunch,
                '02c-fetch-threads': figures_fetch_threads})


def figures_uring(entries, machine):
    """Chapter 4's io_uring section (bench/04-uring.sh): round trips per
    second and memory per connection of each echo server; uring-echo's
    round trips over echo-uv's (and echo-loop's, when it was measured),
    paired by round; cat's time over uring-read's on a file, cached and
    cold."""
    f = {}
    short = {'uring-echo': 'uring', 'echo-uv': 'uv', 'echo-loop': 'loop'}
    for name, k in short.items():
        e = find(entries, name=name)
        v, b = value(e, 'round_trips_per_s'), value(e, 'bytes_per_connection')
        if v is not None:
            f[k + '-round-trips-per-s'] = fig(v, fmt_count(round(v)))
        if b is not None:
            f[k + '-bytes-per-connection'] = fig(b, fmt_bytes(round(b)))
    u = find(entries, name='uring-echo')
    f['uring-over-uv'] = ratio_figure(
        u, 'round_trips_per_s', find(entries, name='echo-uv'),
        'round_trips_per_s', 'uring-echo makes at least as many round '
        'trips per second as echo-uv', at_least=1.0)
    if find(entries, name='echo-loop'):
        f['uring-over-loop'] = ratio_figure(
            u, 'round_trips_per_s', find(entries, name='echo-loop'),
            'round_trips_per_s', 'uring-echo makes at least as many round '
            'trips per second as echo-loop', at_least=1.0)
    for sfx, how in (('', 'a cached'), ('-cold', 'an uncached')):
        r = find(entries, name='uring-read' + sfx)
        c = find(entries, name='cat' + sfx)
        for e, k in ((r, 'uring-read-ms'), (c, 'cat-ms')):
            v = value(e, 'wall_ms')
            if v is not None:
                f[k + sfx] = fig(v, fmt_ms(v))
        f['read-speedup' + sfx] = ratio_figure(
            c, 'wall_ms', r, 'wall_ms', 'uring-read copies %s file at '
            'least as fast as cat' % how, at_least=1.0)
    return f


FIGURES['04-uring'] = figures_uring


def figures_locks(entries, machine):
    """Chapter 2's reader-writer locks (bench/02d-locks.sh): lookups per
    second of rwlock-table with a mutex and an rwlock, 1 and 2 readers;
    the rwlock's gain at 2 readers; the share of a writer's updates made
    while 4 readers ran, with glibc's default rwlock and with one that
    prefers writers."""
    f = {}
    for lock in ('mutex', 'rwlock'):
        for w in (1, 2):
            e = find(entries, name='%s-%d' % (lock, w))
            v = value(e, 'lookups_per_s')
            if v is not None:
                f['%s-%d' % (lock, w)] = fig(
                    v, '%.2f million lookups/s' % v,
                    lo=e['m']['lookups_per_s']['min'],
                    hi=e['m']['lookups_per_s']['max'], n=e['runs'])
    f['rwlock-over-mutex-2'] = ratio_figure(
        find(entries, name='rwlock-2'), 'lookups_per_s',
        find(entries, name='mutex-2'), 'lookups_per_s',
        'two readers look up faster under an rwlock than under a mutex',
        at_least=1.0)
    for lock in ('rwlock', 'writer'):
        v = value(find(entries, name='starve-' + lock), 'during_pct')
        if v is not None:
            f['starve-' + lock] = fig(v, '%.0f%%' % v)
    return f


FIGURES['02d-locks'] = figures_locks



def make_result(name, entries, machine, run):
    """The JSON object of result NAME."""
    figs = FIGURES.get(name, lambda e, m: {})(entries, machine)
    return {'machine': machine, 'run': run, 'entries': entries,
            'figures': figs}


def write_json(path, obj):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write('\n')
    os.replace(tmp, path)


def load_result(path):
    with open(path) as f:
        d = json.load(f)
    for k in ('machine', 'run', 'figures'):
        if k not in d:
            raise ValueError('%s: no "%s"' % (path, k))
    return d


NAME_RE = re.compile(r'^[0-9]{2}[a-z]?-[a-z0-9-]+$')
