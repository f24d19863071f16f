"""Independent checks of the generated files."""
import csv, re, sys
from collections import Counter, defaultdict
NODES = ['KZ', 'KG', 'TJ', 'TM', 'UZ']
HEADER = ['record_id','given_name','family_name','patronymic','sex','date_of_birth','place_of_birth',
          'nationality','document_number','mother_given_name','mother_family_name','locality']
DATE = re.compile(r'^(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4}|\d{2}\.\d{2}\.\d{4}|)$')
ok = True
def fail(msg):
    global ok; ok = False; print('FAIL', msg)
recs = {}
for n in NODES:
    with open(n + '.csv', encoding='utf-8', newline='') as f:
        rd = csv.reader(f, strict=True)
        hdr = next(rd)
        if hdr != HEADER: fail('%s header %r' % (n, hdr))
        for i, row in enumerate(rd, 2):
            if len(row) != len(HEADER): fail('%s line %d: %d fields' % (n, i, len(row))); continue
            r = dict(zip(HEADER, row))
            if not r['record_id'].startswith(n + '-'): fail('%s bad id %s' % (n, r['record_id']))
            if (n, r['record_id']) in recs: fail('dup id %s' % r['record_id'])
            if r['sex'] not in ('M', 'F', ''): fail('sex %r' % r['sex'])
            if not DATE.match(r['date_of_birth']): fail('date %r' % r['date_of_birth'])
            if not r['given_name'] or not r['family_name']: fail('empty name %s' % r['record_id'])
            for k in ('given_name','family_name','patronymic','mother_given_name','mother_family_name','place_of_birth'):
                v = r[k]
                if re.search('[A-Za-z]', v) and re.search('[\u0400-\u04FF]', v):
                    fail('mixed script %s %s %r' % (r['record_id'], k, v))
            recs[(n, r['record_id'])] = r
truth = list(csv.DictReader(open('truth.csv', encoding='utf-8')))
seen = set(); per = defaultdict(list)
for t in truth:
    k = (t['node'], t['record_id'])
    if k not in recs: fail('truth points to missing %s' % (k,))
    if k in seen: fail('record twice in truth %s' % (k,))
    seen.add(k); per[t['person_id']].append(t['node'])
if len(seen) != len(recs): fail('records not in truth: %d' % (len(recs) - len(seen)))
for p, ns in per.items():
    if len(ns) != len(set(ns)): fail('person %s has two records in a node' % p)
pid_of = {(t['node'], t['record_id']): t['person_id'] for t in truth}
fam = list(csv.DictReader(open('family_truth.csv', encoding='utf-8')))
for f in fam:
    c = (f['child_node'], f['child_record_id']); m = (f['mother_node'], f['mother_record_id'])
    if c not in recs or m not in recs: fail('family link to missing record %s %s' % (c, m))
    if c[0] == m[0]: fail('family link within one node %s %s' % (c, m))
    if not recs[c]['mother_given_name'] and not recs[c]['mother_family_name']: print('note: child without mother name', c)
    if recs[m]['sex'] == 'M': fail('mother is male %s' % (m,))
look = list(csv.DictReader(open('lookalikes.csv', encoding='utf-8')))
for l in look:
    a = (l['node_a'], l['record_a']); b = (l['node_b'], l['record_b'])
    if pid_of[a] == pid_of[b]: fail('lookalike pair is a true pair')
pairs = sum(len(v) * (len(v) - 1) // 2 for v in per.values())
print('records per node:', {n: sum(1 for k in recs if k[0] == n) for n in NODES})
print('persons:', len(per), ' multi-node persons:', sum(1 for v in per.values() if len(v) > 1))
print('true cross-node pairs:', pairs, ' family pairs:', len(fam), ' lookalike pairs:', len(look))
print('ALL CHECKS PASSED' if ok else 'SOME CHECKS FAILED')
