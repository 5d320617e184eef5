#!/usr/bin/env python3
"""20 mediators at once on loopback (issue 11): each starts a visit, uploads the demo bill,
polls its document until read, corrects a field, asks for the letters offered, writes a letter
and downloads it. Measures the latency of every call that is not OCR (all of them: reading
happens in the background) while readings run, counts failed requests, and samples the
desk's job queue (/api/v1/health) and the server's memory (VmRSS) every half second.

    python3 bench/desk_load.py [--build build] [--mediators 20] [--poll 0.5]

Starts its own `comptoir serve` (free port, fresh data folder, 2 OCR engines). Bounded: each
mediator does one visit; the run stops after --timeout seconds whatever happens."""

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desk_client import Client, process_status, start_server  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--mediators", type=int, default=20)
ap.add_argument("--poll", type=float, default=0.5)
ap.add_argument("--timeout", type=float, default=600)
args = ap.parse_args()
build = os.path.abspath(args.build)
source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bill = open(os.path.join(source, "demo", "edf-facture-demo.png"), "rb").read()

work = tempfile.mkdtemp(prefix="comptoir-load-")
# Every mediator here is 127.0.0.1: no cap per address (it would take them for one host).
server, port = start_server(build, work, {"server.threads": 32, "data.dir": "data", "ocr.engines": 2,
                                          "site.city": "Lorient", "accounts.demo": "mediateur:comptoir-demo",
                                          "server.max_connections_per_address": 0})

lock = threading.Lock()
calls = []       # (kind, ms, status, jobs_running_at_start)
failures = []
logins = []
samples = []     # (t, queued, running, rss_kb)
running_jobs = [0]


clients = {}  # each mediator's signed-in client, by thread


def request(method, path, body=None, headers=None, kind=None):
    started = time.perf_counter()
    busy = running_jobs[0] > 0
    status, data, _ = clients[threading.get_ident()].request(method, path, body, headers)
    ms = 1000 * (time.perf_counter() - started)
    with lock:
        calls.append((kind or method, ms, status, busy))
        if status >= 400:
            failures.append(f"{kind} {status} {data[:120]!r}")
    return status, data


def mediator(number):
    json_type = {"Content-Type": "application/json"}
    try:
        signing_in = time.perf_counter()
        client = clients[threading.get_ident()] = Client(port)
        with lock:  # Argon2id on purpose: reported apart, not among the calls the target is about
            logins.append(1000 * (time.perf_counter() - signing_in))
        _, data = request("POST", "/api/v1/cases", kind="create_case")
        case = json.loads(data)["id"]
        started = time.perf_counter()
        busy = running_jobs[0] > 0
        status, reply = client.upload(case, "facture.png", bill, "image/png")
        with lock:
            calls.append(("upload", 1000 * (time.perf_counter() - started), status, busy))
            if status != 202:
                failures.append(f"upload {status}")
        document = reply["id"]
        while True:
            _, data = request("GET", f"/api/v1/cases/{case}/documents/{document}", kind="poll")
            state = json.loads(data)["state"]
            if state in ("done", "failed"):
                break
            time.sleep(args.poll)
        base = f"/api/v1/cases/{case}/documents/{document}"
        request("PUT", f"{base}/fields/montant_ttc", json.dumps({"value": f"{100 + number},50", "confirm": True}), json_type,
                kind="correct")
        request("GET", f"{base}/letters", kind="letters")
        answers = {"nombre_mois": "6", "expediteur_nom": f"Personne {number}", "expediteur_adresse": "1 rue X\n56100 Lorient"}
        status, data = request("POST", f"{base}/letters", json.dumps({"letter": "edf.delai_paiement", "answers": answers}),
                               json_type, kind="write_letter")
        if status == 201:
            request("GET", json.loads(data)["url"], kind="download")
        request("POST", f"/api/v1/cases/{case}/close", kind="close_case")
    except Exception as error:  # noqa: BLE001 — a failed visit is counted, the others go on
        with lock:
            failures.append(f"mediator {number}: {error}")


def monitor(stop):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.time()
    while not stop.is_set():
        conn.request("GET", "/api/v1/health")
        health = json.loads(conn.getresponse().read())
        jobs = health.get("jobs", {})
        running_jobs[0] = jobs.get("running", 0) + jobs.get("queued", 0)
        rss, _ = process_status(server.pid)
        samples.append((time.time() - start, jobs.get("queued", 0), jobs.get("running", 0), rss))
        stop.wait(0.5)


stop = threading.Event()
watcher = threading.Thread(target=monitor, args=(stop,))
watcher.start()
started = time.time()
threads = [threading.Thread(target=mediator, args=(i,)) for i in range(args.mediators)]
for t in threads:
    t.start()
for t in threads:
    t.join(max(1, args.timeout - (time.time() - started)))
wall = time.time() - started
stop.set()
watcher.join()
server.terminate()
server.wait(30)


def centile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0


print(f"{args.mediators} mediators, {len(calls)} requests in {wall:.1f} s; failed requests: {len(failures)}")
for failure in failures[:10]:
    print("  ", failure)
print("| call | count | p50 ms | p99 ms | max ms |")
print("|---|---|---|---|---|")
for kind in ["create_case", "upload", "poll", "correct", "letters", "write_letter", "download", "close_case"]:
    values = [ms for k, ms, _, _ in calls if k == kind]
    print(f"| {kind} | {len(values)} | {centile(values, .5):.1f} | {centile(values, .99):.1f} | {max(values or [0]):.1f} |")
print(f"sign-in (Argon2id, two at once at most): {len(logins)}, p50 {centile(logins, .5):.0f} ms, "
      f"worst {max(logins or [0]):.0f} ms")
busy = [ms for _, ms, _, during in calls if during]
print(f"all calls made while readings ran: {len(busy)}, p99 {centile(busy, .99):.1f} ms, max {max(busy or [0]):.1f} ms")
print(f"job queue: most waiting {max(s[1] for s in samples)}, running {max(s[2] for s in samples)}; "
      f"server memory (VmRSS): start {samples[0][3] // 1024} MB, peak {max(s[3] for s in samples) // 1024} MB")
