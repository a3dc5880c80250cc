"""tests/support/bench-results-check.py RESULTS: the check of
tests/prog/05-bench.sh, step 3. Every chapter-5 result file in RESULTS
(a tiny run) describes the machine and the run, has entries with every
field measured (samples, min <= median <= max), says why a row was not
measured, and keeps each figure inside its interval. Exit 1 on any fault,
naming it."""
import json, sys, os
need = {'start': ['ns'], 'switch': ['ns'],
        'mem': ['user_bytes', 'kernel_bytes'],
        'cpu': ['wall_ms', 'cpu_ms'], 'io': ['wall_ms', 'maxrss_kb']}
machine = ['cpu', 'cores', 'memory_mib', 'kernel', 'compiler', 'libuv',
           'python']
bad = 0
for name, fields in need.items():
    d = json.load(open(os.path.join(sys.argv[1], '05-%s.json' % name)))
    for k in machine:
        if k not in d['machine']:
            print('05-%s.json: machine has no %s' % (name, k)); bad = 1
    if d['run'].get('kind') != 'tiny' or 'load' not in d['run']:
        print('05-%s.json: run %r' % (name, d['run'])); bad = 1
    if not d['entries']:
        print('05-%s.json: no entries' % name); bad = 1
    for e in d['entries']:
        if e['name'] == 'true':         # /bin/true: the floor of peak RSS
            fields_e = ['maxrss_kb']
        else:
            fields_e = fields
        if 'not_measured' in e:
            if name != 'io' or not e['name'].startswith('py-'):
                print('05-%s.json: %s not measured: %s' % (name, e['name'], e['not_measured'])); bad = 1
            continue
        for k in fields_e:
            m = e['m'].get(k)
            if not m or len(m['samples']) != e['runs'] or \
                    not m['min'] <= m['median'] <= m['max']:
                print('05-%s.json: %s: %s is %r' % (name, e['name'], k, m)); bad = 1
    for k, f in d['figures'].items():
        if 'verdict' in f and f['verdict'] != 'not measured' and \
                not f['lo'] <= f['value'] <= f['hi']:
            print('05-%s.json: %s outside its interval: %r' % (name, k, f)); bad = 1
sys.exit(bad)
