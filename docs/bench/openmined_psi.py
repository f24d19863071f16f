"""The issue's reference for token throughput: OpenMined PSI's ECDH-PSI (P-256), hash-and-blind
(client request) and re-blind (server processing) per second on one core, as the issue measured
it. Run it beside `homeward bench tokens` in the same hour: this machine's speed moves by day.

    python3 -m venv /tmp/psi && /tmp/psi/bin/pip install openmined-psi==2.0.6
    /tmp/psi/bin/python docs/bench/openmined_psi.py
"""
import time, statistics
import private_set_intersection.python as psi
N = 20000
items = ["item %d" % i for i in range(N)]
blind, reblind = [], []
for run in range(5):
    c = psi.client.CreateWithNewKey(True)
    s = psi.server.CreateWithNewKey(True)
    t = time.perf_counter(); req = c.CreateRequest(items); blind.append(N / (time.perf_counter() - t))
    t = time.perf_counter(); resp = s.ProcessRequest(req); reblind.append(N / (time.perf_counter() - t))
print("openmined-psi %s: hash-and-blind %.0f/s, re-blind %.0f/s (median of 5 runs, %d items, one core)" % (psi.__version__, statistics.median(blind), statistics.median(reblind), N))
