#!/usr/bin/env python3
"""Hostile files against a real `comptoir serve` with 2 OCR engines (issue 31, item 3).

Writes the hostile files (tests/support/hostile_inputs.cpp, through comptoir_hostile_files): 50
large PDF pages, a PDF page of 5 m, three PDFs of shared vector content, a 10000 x 10000 PNG, a
10-page TIFF. Reads the demo's bill alone first (twice: the first starts the OCR engines; the second is one
reading's time), then uploads every hostile
file at once, each in a case of its own, and the bill right after them. Meanwhile samples the
proportional set size (Pss, /proc/PID/smaps_rollup) of the server and its children, summed over
the process tree, every 0.2 s. Reports the peak (target <= 1 GB), each file's outcome and time,
and how long the bill took behind the heavy files (target: its own time plus at most one
reading's).

    python3 bench/heavy_files.py --build build
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desk_client import Client, start_server  # noqa: E402
from proc_tree import tree, tree_pss_kb  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--timeout", type=float, default=400, help="seconds to wait for every reading")
ap.add_argument("--decode-memory-mb", type=int, default=0, help="limits.decode_memory_mb (0: the default)")
args = ap.parse_args()
build = os.path.abspath(args.build)
source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
subprocess.run(["cmake", "--build", build, "--target", "comptoir", "comptoir_hostile_files"], check=True,
               stdout=subprocess.DEVNULL)
work = tempfile.mkdtemp(prefix="comptoir-heavy-")
files_dir = os.path.join(work, "fichiers")
os.makedirs(files_dir)
subprocess.run([os.path.join(build, "tests", "comptoir_hostile_files"), files_dir], check=True,
               stdout=subprocess.DEVNULL)
hostile = sorted(os.listdir(files_dir))
bill = open(os.path.join(source, "demo", "edf-facture-demo.png"), "rb").read()
TYPES = {".pdf": "application/pdf", ".png": "image/png", ".tif": "image/tiff"}

settings = {"data.dir": "data", "ocr.engines": 2, "site.city": "Lorient", "accounts.demo": "mediateur:comptoir-demo"}
if args.decode_memory_mb:
    settings["limits.decode_memory_mb"] = args.decode_memory_mb
server, port = start_server(build, work, settings)


samples = []
stop = threading.Event()


def sample():
    while not stop.is_set():
        samples.append((time.time(), tree_pss_kb(server.pid), len(tree(server.pid)) - 1))
        time.sleep(0.2)


def read(client, name, content, results):
    """Uploads `content` in a case of its own and waits for its reading's end."""
    status, case = client.json("POST", "/api/v1/cases")
    started = time.time()
    status, uploaded = client.upload(case["id"], name, content, TYPES.get(os.path.splitext(name)[1], "image/png"))
    if status != 202:
        results[name] = ("refusé", status, time.time() - started)
        return
    uri = f"/api/v1/cases/{case['id']}/documents/{uploaded['id']}"
    while time.time() - started < args.timeout:
        _, document = client.json("GET", uri)
        if document["state"] in ("done", "failed"):
            error = (document.get("error") or {}).get("code", "") if isinstance(document.get("error"), dict) else ""
            results[name] = (document["state"], error, time.time() - started)
            return
        time.sleep(0.25)
    results[name] = ("trop long", "", time.time() - started)


try:
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    alone = {}
    read(Client(port), "facture-seule.png", bill, alone)  # starts the OCR engines
    read(Client(port), "facture-seule.png", bill, alone)  # one reading's time
    results = {}
    threads = [threading.Thread(target=read, args=(Client(port), name, open(os.path.join(files_dir, name), "rb").read(),
                                                   results)) for name in hostile]
    for t in threads:
        t.start()
    time.sleep(0.5)  # the hostile files queued first
    bill_thread = threading.Thread(target=read, args=(Client(port), "facture.png", bill, results))
    bill_thread.start()
    for t in threads + [bill_thread]:
        t.join()
    stop.set()
    sampler.join()
finally:
    server.terminate()
    server.wait(30)

peak = max(samples, key=lambda s: s[1])
print(f"{'fichier':32} {'taille':>9}  {'issue':24} {'temps':>7}")
for name in hostile:
    state, error, seconds = results[name]
    size = os.path.getsize(os.path.join(files_dir, name))
    print(f"{name:32} {size:>9}  {state + ' ' + str(error):24} {seconds:6.1f}s")
own = alone["facture-seule.png"][2]
behind = results["facture.png"][2]
print(f"facture seule : {alone['facture-seule.png'][0]} en {own:.1f} s ; "
      f"derrière les fichiers lourds : {results['facture.png'][0]} en {behind:.1f} s "
      f"(attente {behind - own:.1f} s ; cible : au plus une lecture, {own:.1f} s) "
      f"{'atteinte' if behind - own <= own else 'MANQUÉE'}")
print(f"PSS du serveur et de ses enfants : crête {peak[1] / 1024:.0f} Mo ({peak[2]} enfants alors) ; "
      f"cible 1024 Mo : {'atteinte' if peak[1] <= 1024 * 1024 else 'MANQUÉE'}")
