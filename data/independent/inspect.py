import csv, random, sys
from collections import defaultdict
NODES=['KZ','KG','TJ','TM','UZ']
rec={}
for n in NODES:
    for r in csv.DictReader(open(n+'.csv',encoding='utf-8')):
        rec[(n,r['record_id'])]=r
by=defaultdict(list)
for r in csv.DictReader(open('truth.csv',encoding='utf-8')):
    by[r['person_id']].append((r['node'],r['record_id']))
F=['given_name','family_name','patronymic','sex','date_of_birth','place_of_birth','nationality','document_number','mother_given_name','mother_family_name']
def show(k): r=rec[k]; print('  %s %s | '%k + ' | '.join(r[f] for f in F))
rnd=random.Random(int(sys.argv[1]) if len(sys.argv)>1 else 1)
multi=[v for v in by.values() if len(v)>1]
print('--- true pairs')
for v in rnd.sample(multi,int(sys.argv[2]) if len(sys.argv)>2 else 12):
    for k in v: show(k)
    print()
print('--- family')
fam=list(csv.DictReader(open('family_truth.csv',encoding='utf-8')))
for f in rnd.sample(fam,6):
    show((f['child_node'],f['child_record_id'])); show((f['mother_node'],f['mother_record_id'])); print()
print('--- lookalikes')
lk=list(csv.DictReader(open('lookalikes.csv',encoding='utf-8')))
for l in rnd.sample(lk,8):
    print(l['kind']); show((l['node_a'],l['record_a'])); show((l['node_b'],l['record_b'])); print()
