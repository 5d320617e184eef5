#!/usr/bin/env python3
"""Soak (issue 16): thousands of documents through `comptoir process` and through the REST API
of `comptoir serve`, watching the process's memory (VmRSS) and open file descriptors.

    python3 bench/soak.py --build build [--documents 2000] [--mode process|api|both] [--clients 4]

The documents are made first (tools/docgen, seeded: bills, CAF attestation and overpayment,
tax notice, a letter and a blank page, each as a PDF with a text layer, a 200 dpi scan and a
phone photo, the bills and notices with a signed 2D-Doc), with the demo bill, what
`process --ocr-out` saved of each, and bad inputs (an empty file, a truncated PNG, a PDF that
is not one, text named .jpg). The documents are then taken in turn, over and over, until
`--documents` have gone through:

- process: one `comptoir process --json` on the whole list (2 OCR engines); memory and
  descriptors read each time a result line comes out;
- api: one `comptoir serve` (2 OCR engines, SQLite, encrypted spool), `--clients` mediators
  at once, each visit: a case, an upload, waiting for the reading (by polling, or on the case's
  event stream every other visit), the fields, the page image, the letters offered, a letter
  written and downloaded for the bills, then the visit closed (or forgotten, one in five).
  The first 10 % are the warm-up; the server is then left idle a few seconds and measured, and
  again after the last document.

Memory is compared as medians over a window of documents (each window covers the list of
inputs several times, so that the kind of page read last does not decide): the window after the
warm-up against the last one. The target is growth ≤ 5 % and no descriptor leaked. Exit 1 when
a target is missed or a good document fails. Also printed (issue 33): the PSS of the whole
process tree (the decoding children and plugin workers counted, shared pages split among their
sharers) at each sample and when the server is idle (target ≤ 400 MiB after the soak), and the
CPU time of the server and its children."""

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desk_client import Client, process_status, start_server  # noqa: E402
from proc_tree import tree_pss_kb  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--documents", type=int, default=2000)
ap.add_argument("--mode", choices=["process", "api", "both"], default="both")
ap.add_argument("--clients", type=int, default=4)
ap.add_argument("--work", help="folder to keep the inputs and the runs in (default: a temporary one, removed)")
args = ap.parse_args()
build = os.path.abspath(args.build)
source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
comptoir = os.path.join(build, "comptoir")
work = os.path.abspath(args.work) if args.work else tempfile.mkdtemp(prefix="comptoir-soak-")
os.makedirs(work, exist_ok=True)
warmup = max(1, args.documents // 10)
window = max(1, args.documents // 10)


def make_inputs():
    corpus = os.path.join(work, "corpus")
    if not os.path.isdir(corpus):
        print("documents : génération (docgen)…", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, os.path.join(source, "tools/docgen/docgen.py"), "--out", corpus + ".part",
                        "--seed", "16", "--per-kind", "1", "--jobs", "2",
                        "--kinds", "edf.facture,caf.attestation_paiement,caf.indu,impots.avis_ir,autre.lettre,autre.blanc",
                        "--renditions", "pdf,scan200,photo",
                        "--twoddoc-key", os.path.join(source, "tests/data/2ddoc/test_key.pem"),
                        "--twoddoc-encoder", os.path.join(build, "comptoir-2ddoc-encode")],
                       check=True, stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(source, "demo/edf-facture-demo.png"), corpus + ".part")
        os.rename(corpus + ".part", corpus)
    good = sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith((".pdf", ".png", ".jpg")))
    saved = os.path.join(work, "ocr")
    if not os.path.isdir(saved):
        os.makedirs(saved + ".part")
        subprocess.run([comptoir, "process", "--ocr-out", saved + ".part", *good], check=True, stdout=subprocess.DEVNULL)
        os.rename(saved + ".part", saved)
    ocr = sorted(os.path.join(saved, f) for f in os.listdir(saved))
    bad_dir = os.path.join(work, "bad")
    os.makedirs(bad_dir, exist_ok=True)
    demo = open(os.path.join(source, "demo/edf-facture-demo.png"), "rb").read()
    bad = {"vide.png": b"", "tronque.png": demo[:3000], "faux.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 8,
           "texte.jpg": "Ceci n'est pas une image.\n".encode()}
    for name, content in bad.items():
        with open(os.path.join(bad_dir, name), "wb") as f:
            f.write(content)
    return good, ocr, sorted(os.path.join(bad_dir, name) for name in bad)


def in_turn(inputs, count):
    order = list(inputs)
    random.Random(16).shuffle(order)
    return [order[i % len(order)] for i in range(count)]


def median_of(samples, first, last, column=1):
    values = [sample[column] for sample in samples if first <= sample[0] < last]
    return statistics.median(values) if values else 0


def status_with_pss(pid):
    """VmRSS of the process, its open descriptors, and the PSS of its whole tree (the decoding
    child and the plugin workers included), in KiB."""
    rss, fds = process_status(pid)
    return rss, fds, tree_pss_kb(pid)


def report(name, samples, extra):
    n = len(samples)
    after_warmup = median_of(samples, warmup, warmup + window)
    at_end = median_of(samples, n - window, n + 1)
    growth = 100.0 * (at_end - after_warmup) / after_warmup if after_warmup else 0.0
    fds_after = [s[2] for s in samples if s[0] >= warmup]
    peak = max(s[1] for s in samples)
    pss_after, pss_end = median_of(samples, warmup, warmup + window, 3), median_of(samples, n - window, n + 1, 3)
    lines = [f"{name}: {n} documents",
             f"  VmRSS median, documents {warmup}–{warmup + window}: {after_warmup / 1024:.1f} MiB; "
             f"last {window}: {at_end / 1024:.1f} MiB; growth {growth:+.2f} % (target ≤ 5 %); peak {peak / 1024:.1f} MiB",
             f"  PSS of the process tree, median, documents {warmup}–{warmup + window}: {pss_after / 1024:.1f} MiB; "
             f"last {window}: {pss_end / 1024:.1f} MiB; peak {max(s[3] for s in samples) / 1024:.1f} MiB",
             f"  descriptors after warm-up: min {min(fds_after)}, max {max(fds_after)}"] + extra
    print("\n".join(lines), flush=True)
    return growth


def soak_process(good, ocr, bad):
    inputs = in_turn(good + ocr + bad, args.documents)
    config = os.path.join(work, "process.properties")
    with open(config, "w") as f:
        f.write(f"ocr.engines = 2\ndata.dir = {work}/process-data\n")
    started = time.time()
    run = subprocess.Popen([comptoir, "process", "--json", "--config", config, *inputs],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    samples, failures, refused = [], [], 0
    for n, line in enumerate(run.stdout, 1):
        result = json.loads(line)
        expected_bad = result["file"] in bad
        if "error" in result:
            refused += expected_bad
            if not expected_bad:
                failures.append(f"{result['file']}: {result['error']['code']}")
        elif expected_bad:
            failures.append(f"{result['file']}: lu alors qu'il est invalide")
        rss, fds, pss = status_with_pss(run.pid)
        samples.append((n, rss, fds, pss))
        if n % 100 == 0:
            print(f"process : {n}/{len(inputs)} ({time.time() - started:.0f} s, {rss // 1024} MiB, {fds} fd)",
                  file=sys.stderr, flush=True)
    status = run.wait()
    wall = time.time() - started
    if len(samples) != len(inputs):
        failures.append(f"{len(samples)} lignes pour {len(inputs)} documents")
    growth = report("comptoir process", samples, [
        f"  {wall:.0f} s ({len(inputs) / wall:.2f} documents/s); bad inputs refused with their error: {refused}; "
        f"exit status {status}; unexpected: {len(failures)}"] + [f"    {f}" for f in failures[:10]])
    return growth <= 5.0 and not failures


TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".pdf": "application/pdf"}


def visit(client, number, path):
    """One mediator's visit around one document: (the document's final state, whether a letter
    was written and downloaded)."""
    case = client.json("POST", "/api/v1/cases")[1]["id"]
    stream = None
    if number % 2:  # wait on the event stream, opened before the upload as the desk does
        stream = http.client.HTTPConnection("127.0.0.1", client.port, timeout=300)
        stream.request("GET", f"/api/v1/cases/{case}/events", headers=client.headers("GET"))
        events = stream.getresponse()
    content = open(path, "rb").read()
    status, reply = client.upload(case, os.path.basename(path), content, TYPES[os.path.splitext(path)[1]])
    state, wrote = "refused", False
    if status == 202:
        document = reply["id"]
        base = f"/api/v1/cases/{case}/documents/{document}"
        if stream:
            while True:
                line = events.fp.readline()
                if not line:
                    raise RuntimeError("flux d'événements fermé avant la fin de la lecture")
                if line.startswith(b"event: document"):
                    break
            stream.close()
            stream = None
        while True:
            _, doc = client.json("GET", base)
            if doc["state"] in ("done", "failed"):
                break
            time.sleep(0.3)
        state = doc["state"]
        if state == "done":
            client.json("GET", f"{base}/fields")
            client.request("GET", f"{base}/pages/1")
            client.json("GET", f"{base}/letters")
            kind = (doc.get("document") or {}).get("kind")
            if kind == "edf.facture":
                answers = {"nombre_mois": "6", "expediteur_nom": "Personne Soak",
                           "expediteur_adresse": "1 rue X\n56100 Lorient"}
                status, letter = client.json("POST", f"{base}/letters",
                                             {"letter": "edf.delai_paiement", "answers": answers})
                if status == 201:
                    status, pdf, _ = client.request("GET", letter["url"])
                    wrote = status == 200 and pdf.startswith(b"%PDF")
    if stream:
        stream.close()
    if number % 5 == 4:
        client.request("DELETE", f"/api/v1/cases/{case}")
    else:
        client.request("POST", f"/api/v1/cases/{case}/close")
    return state, wrote


def soak_api(good, bad):
    inputs = in_turn(good + bad, args.documents)
    server_work = os.path.join(work, "api")
    shutil.rmtree(server_work, ignore_errors=True)
    os.makedirs(server_work)
    server, port = start_server(build, server_work, {
        "data.dir": "data", "ocr.engines": 2, "server.threads": 16, "site.city": "Lorient",
        "accounts.demo": "mediateur:comptoir-demo",
        "server.max_connections_per_address": 0})  # every mediator here is 127.0.0.1
    lock = threading.Lock()
    samples, failures = [], []
    tally = {"done": 0, "failed": 0, "refused": 0, "letters": 0}
    next_input = [0]
    started = time.time()

    def mediator(limit):
        client = Client(port)
        try:
            while True:
                with lock:
                    n = next_input[0]
                    if n >= limit:
                        return
                    next_input[0] += 1
                path = inputs[n]
                expected_bad = path in bad
                try:
                    state, wrote = visit(client, n, path)
                except Exception as error:  # noqa: BLE001 — counted; the other visits go on
                    state, wrote = f"erreur {error}", False
                with lock:
                    tally[state] = tally.get(state, 0) + 1
                    tally["letters"] += wrote
                    if state not in ("done", "failed", "refused") or (state == "done") == expected_bad:
                        failures.append(f"{os.path.basename(path)}: {state}")
                    rss, fds, pss = status_with_pss(server.pid)
                    samples.append((len(samples) + 1, rss, fds, pss))
                    if len(samples) % 100 == 0:
                        print(f"api : {len(samples)}/{len(inputs)} ({time.time() - started:.0f} s, "
                              f"{rss // 1024} MiB, {fds} fd)", file=sys.stderr, flush=True)
        finally:
            client.conn.close()

    def run_until(limit):
        threads = [threading.Thread(target=mediator, args=(limit,)) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def idle():
        time.sleep(7)  # kept-alive connections closed by the server (5 s at most)
        return status_with_pss(server.pid)

    first_idle = status_with_pss(server.pid)
    run_until(warmup)
    warm_idle = idle()
    run_until(len(inputs))
    end_idle = idle()
    wall = time.time() - started
    server.terminate()
    # The server's CPU time with its children's (the decoding children and plugin workers it
    # waited for when it stopped).
    _, wait_status, usage = os.wait4(server.pid, 0)
    server.returncode = status = os.waitstatus_to_exitcode(wait_status)
    cpu = usage.ru_utime + usage.ru_stime
    errors = [line.rstrip() for line in server.log_lines if " Error " in line or " Critical " in line][:5]
    growth = report("comptoir serve (API)", samples, [
        f"  {wall:.0f} s with {args.clients} mediators; read {tally['done']}, unreadable {tally['failed']}, "
        f"refused at upload {tally['refused']}, letters written and downloaded {tally['letters']}; "
        f"server stopped with status {status}; CPU time of the server and its children {cpu:.0f} s",
        f"  idle: at start {first_idle[1]} fd, {first_idle[0] / 1024:.1f} MiB; after warm-up {warm_idle[1]} fd, "
        f"{warm_idle[0] / 1024:.1f} MiB; at the end {end_idle[1]} fd, {end_idle[0] / 1024:.1f} MiB",
        f"  idle, PSS of the process tree (target ≤ 400 MiB at the end): at start {first_idle[2] / 1024:.1f} MiB; "
        f"after warm-up {warm_idle[2] / 1024:.1f} MiB; at the end {end_idle[2] / 1024:.1f} MiB",
        f"  unexpected: {len(failures)}"] + [f"    {f}" for f in failures[:10]] + [f"    log: {e}" for e in errors])
    return growth <= 5.0 and not failures and end_idle[1] <= warm_idle[1] and status == 0


good, ocr, bad = make_inputs()
print(f"inputs: {len(good)} documents, {len(ocr)} saved OCR results, {len(bad)} bad files; "
      f"warm-up {warmup}, window {window}", flush=True)
ok = True
if args.mode in ("process", "both"):
    ok &= soak_process(good, ocr, bad)
if args.mode in ("api", "both"):
    ok &= soak_api(good, bad)
if not args.work:
    shutil.rmtree(work, ignore_errors=True)
sys.exit(0 if ok else 1)
