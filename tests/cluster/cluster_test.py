#!/usr/bin/env python3
"""Several instances and crash safety (issue 14), with real `comptoir serve` processes.

  cluster_test.py takeover BUILD_DIR    two instances on one PostgreSQL (the ctest fixture's,
                                        $COMPTOIR_TEST_POSTGRES_DIR/conninfo) and one spool:
                                        the one reading a document is killed (kill -9), the
                                        other finishes the reading, exactly once; one that is
                                        frozen (SIGSTOP) past its lease and woken writes nothing
  cluster_test.py sqlite-crash BUILD_DIR  SQLite: kill -9 during writes, restart: every
                                        acknowledged case and upload is there and read, no
                                        file is left that no row owns; a second server on the
                                        same folder is refused
"""
import contextlib
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

FAILURES = []
# One OCR thread per engine, as the binary sets for itself; glibc's malloc on transparent huge
# pages: far fewer page faults on the pages' images (some 15 % of the reading's CPU time).
SERVER_ENV = {"OMP_THREAD_LIMIT": "1", "GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}
SERVERS = []  # every server started, stopped at the end of its scenario whatever happens


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("ÉCHEC :", message, flush=True)
    return condition


class Server:
    """A `comptoir serve` on a free port; its output kept in a file."""

    def __init__(self, build, config, name):
        self.log_path = config + "." + name + ".log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen([os.path.join(build, "comptoir"), "serve", "--config", config],
                                        stdout=self.log, stderr=subprocess.STDOUT, env=dict(os.environ, **SERVER_ENV))
        SERVERS.append(self)
        self.url = None
        deadline = time.time() + 60
        while time.time() < deadline:
            found = re.search(r"prêt : (http://[0-9.]+:[0-9]+)/", self.output())
            if found:
                self.url = found.group(1)
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"{name} not ready:\n{self.output()}")

    def output(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def kill(self, sig=signal.SIGKILL):
        self.process.send_signal(sig)
        if sig == signal.SIGKILL:
            self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Client:
    """A mediator's browser: the session cookie and the CSRF token."""

    def __init__(self, url):
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""

    def call(self, method, path, body=None, content_type="application/json", url=None, timeout=30):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        request = urllib.request.Request((url or self.url) + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        if self.csrf:
            request.add_header("X-CSRF-Token", self.csrf)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def login(self):
        status, body = self.call("POST", "/api/v1/login", {"login": "mediateur", "password": "comptoir-demo"})
        assert status == 200, (status, body)
        self.csrf = body["csrf"]

    def upload(self, case_id, name, content, url=None):
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.call("POST", f"/api/v1/cases/{case_id}/uploads", body,
                         f"multipart/form-data; boundary={boundary}", url=url)

    def document(self, case_id, document_id, url=None):
        return self.call("GET", f"/api/v1/cases/{case_id}/documents/{document_id}", url=url)[1]


def wait_for(what, predicate, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


@contextlib.contextmanager
def work_folder(prefix):
    """The scenario's temporary folder (data, spool, logs), removed at the end with every server
    stopped; when the scenario failed, the end of each server's log is printed first."""
    work = tempfile.mkdtemp(prefix=prefix)
    failed = True
    try:
        yield work
        failed = bool(FAILURES)
    finally:
        for server in SERVERS:
            server.stop()
        SERVERS.clear()
        if failed:
            for name in sorted(f for f in os.listdir(work) if f.endswith(".log")):
                with open(os.path.join(work, name), "rb") as f:
                    tail = f.read().decode("utf-8", "replace").splitlines()[-40:]
                print(f"--- fin de {name} ---", *tail, sep="\n", flush=True)
        shutil.rmtree(work, ignore_errors=True)


def image(build, work, pages, name):
    """The demo's EDF bill (invented values, made by tools/docgen), `pages` times in one TIFF."""
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "demo", "edf-facture-demo.png")
    if pages == 1:
        with open(source, "rb") as f:
            return f.read()
    out = os.path.join(work, name)
    subprocess.run(["convert"] + [source] * pages + ["-compress", "lzw", out],
                   check=True)
    with open(out, "rb") as f:
        return f.read()


def write_config(work, lines):
    path = os.path.join(work, "comptoir.properties")
    with open(path, "w") as f:
        f.write("\n".join(["server.port = 0", "data.dir = " + os.path.join(work, "data"), "ocr.engines = 1",
                           "accounts.demo = mediateur:comptoir-demo", "log.level = information"] + lines) + "\n")
    return path


# ---- Two instances on PostgreSQL ----------------------------------------------------------

class EventStream(threading.Thread):
    """The events of a case as one instance's page receives them."""

    def __init__(self, client, url, case_id):
        super().__init__(daemon=True)
        self.client, self.url, self.case_id = client, url, case_id
        self.events = []

    def following(self):
        """Whether the stream is open: the server sends the case's state first."""
        return any(kind == "state" for kind, _ in self.events)

    def run(self):
        request = urllib.request.Request(f"{self.url}/api/v1/cases/{self.case_id}/events")
        try:
            with self.client.opener.open(request, timeout=300) as response:
                kind = None
                for raw in response:
                    line = raw.decode().rstrip("\n")
                    if line.startswith("event:"):
                        kind = line[6:].strip()
                    elif line.startswith("data:"):
                        self.events.append((kind, json.loads(line[5:])))
        except Exception:
            pass


def psql(conninfo, sql):
    out = subprocess.run(["psql", conninfo, "-At", "-c", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def takeover(build, work):
    conninfo = open(os.path.join(os.environ["COMPTOIR_TEST_POSTGRES_DIR"], "conninfo")).read().strip()
    psql(conninfo, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    config = write_config(work, ["database.engine = postgresql", f"database.connection = {conninfo}",
                                 "cluster.heartbeat_seconds = 1", "cluster.lease_seconds = 3", "cluster.poll_ms = 200"])
    # Three pages: the kill comes on the second, the freeze on the first, so that each reading is
    # cut in its middle; every page more is read three times more (by the one stopped, by the one
    # taking over, by the frozen one once woken), at some 2 s a page on one engine.
    tiff = image(build, work, 3, "three-pages.tif")
    servers = {}
    try:
        for name in ("a", "b"):
            servers[name] = Server(build, config, name)
        client = Client(servers["a"].url)
        client.login()
        by_pid = {str(s.process.pid): name for name, s in servers.items()}

        def owner_of(document_id):
            row = psql(conninfo, f"SELECT state, owner FROM jobs WHERE document_id = {document_id}")
            state, owner = row.split("|")
            return state, by_pid.get(owner.split(":")[1]) if owner else None

        # 1. kill -9 in the middle of a reading.
        status, case = client.call("POST", "/api/v1/cases")
        check(status == 201, f"case opened ({status})")
        streams = {name: EventStream(client, s.url, case["id"]) for name, s in servers.items()}
        for stream in streams.values():
            stream.start()
        wait_for("both pages following the case", lambda: all(s.following() for s in streams.values()), 30)
        status, document = client.upload(case["id"], "facture.tif", tiff)
        check(status == 202, f"upload acknowledged ({status})")
        doc = document["id"]
        victim = wait_for("a claim", lambda: owner_of(doc)[1] if owner_of(doc)[0] == "running" else None, 30)
        survivor = "b" if victim == "a" else "a"
        wait_for("the reading under way", lambda: client.document(case["id"], doc)["progress"]["page"] >= 2, 60)
        before = client.document(case["id"], doc)["progress"]
        print(f"{victim} lit le document (page {before['page']}/{before['pages']}) : kill -9", flush=True)
        servers[victim].kill()
        killed_at = time.time()
        wait_for("the survivor's claim", lambda: owner_of(doc) == ("running", survivor) or owner_of(doc)[0] == "done", 60)
        print(f"repris par {survivor} {time.time() - killed_at:.1f} s après le kill -9 "
              f"(cluster.lease_seconds = 3, cluster.poll_ms = 200)", flush=True)
        check(any(kind == "progress" and data.get("document") == doc for kind, data in streams[survivor].events),
              "the other instance's page saw the reading's progress (LISTEN/NOTIFY)")
        # The session signed in on one instance is known to the other.
        done = wait_for("the reading finished by the survivor", lambda: (
            lambda d: d if d["state"] in ("done", "failed") else None)(
                client.document(case["id"], doc, url=servers[survivor].url)), 120)
        check(done["state"] == "done", f"read by {survivor}: {done['state']} {done.get('error')}")
        check(done.get("document", {}).get("plugin") == "edf" or "edf" in json.dumps(done),
              "recognised as EDF's")
        attempts, claim, state = psql(conninfo, f"SELECT attempts, claim, state FROM jobs WHERE document_id = {doc}").split("|")
        check((attempts, claim, state) == ("2", "2", "done"), f"claimed twice, finished once ({attempts}, {claim}, {state})")
        check(psql(conninfo, "SELECT COUNT(*) FROM activity WHERE event = 'document'") == "1", "counted once")
        check("repris (essai 2)" in servers[survivor].output(), "the survivor says it took the job over")
        check(any(kind == "document" and data.get("state") == "done" for kind, data in streams[survivor].events),
              "the page on the survivor was told the document is read")

        # 2. An instance frozen past its lease (SIGSTOP), then woken: it writes nothing.
        servers[victim] = Server(build, config, victim + "2")
        by_pid[str(servers[victim].process.pid)] = victim
        status, document = client.upload(case["id"], "facture.tif", tiff, url=servers[survivor].url)
        check(status == 202, f"second upload acknowledged ({status})")
        doc2 = document["id"]
        frozen = wait_for("a claim", lambda: owner_of(doc2)[1] if owner_of(doc2)[0] == "running" else None, 30)
        other = "b" if frozen == "a" else "a"
        wait_for("the reading under way", lambda: client.document(case["id"], doc2, url=servers[other].url)
                 ["progress"]["page"] >= 1, 60)
        servers[frozen].kill(signal.SIGSTOP)
        print(f"{frozen} gelé (SIGSTOP) au milieu de la lecture", flush=True)
        done = wait_for("the reading finished by the other", lambda: (
            lambda d: d if d["state"] in ("done", "failed") else None)(
                client.document(case["id"], doc2, url=servers[other].url)), 120)
        check(done["state"] == "done", f"second document read: {done['state']}")
        result = psql(conninfo, f"SELECT md5(result) FROM documents WHERE id = {doc2}")
        servers[frozen].kill(signal.SIGCONT)
        wait_for("the frozen one to give up its result",
                 lambda: "repris par une autre instance, résultat écarté" in servers[frozen].output(), 120)
        check(psql(conninfo, f"SELECT md5(result) FROM documents WHERE id = {doc2}") == result, "result unchanged")
        check(psql(conninfo, "SELECT COUNT(*) FROM activity WHERE event = 'document'") == "2", "each counted once")
        check(client.document(case["id"], doc2, url=servers[frozen].url)["state"] == "done", "still done")
        for name, server in servers.items():
            check("comptoir-demo" not in server.output(), f"{name}: no password in the log")
    finally:
        for server in servers.values():
            server.stop()


# ---- SQLite: kill -9 during writes ---------------------------------------------------------

def sqlite_crash(build, work):
    config = write_config(work, [])
    bill = image(build, work, 1, "facture.png")
    # A strip of the bill: read (and found to be no known document) in a fraction of a second,
    # so that the many uploads of the test are all read again quickly after the restart.
    strip = os.path.join(work, "strip.png")
    subprocess.run(["convert", "-", "-crop", "900x250+0+0", "+repage", strip], input=bill, check=True)
    with open(strip, "rb") as f:
        png = f.read()
    server = Server(build, config, "first")
    client = Client(server.url)
    client.login()
    # A bill read before the crash, whose amount the mediator corrects again and again meanwhile.
    status, case = client.call("POST", "/api/v1/cases")
    bill_case = case["id"]
    status, document = client.upload(bill_case, "facture.png", bill)
    bill_document = document["id"]
    read = wait_for("the bill read", lambda: (lambda d: d if d["state"] in ("done", "failed") else None)(
        client.document(bill_case, bill_document)), 120)
    check(read["state"] == "done", f"the bill read before the crash ({read['state']})")
    acknowledged_cases, acknowledged_documents, acknowledged_values, closed = [bill_case], [], [], []
    stop = threading.Event()
    # Uploads begun and not yet answered: the kill waits for one (under this condition's lock).
    uploading = threading.Condition()
    sending = [0]

    def writer(seed):
        rng = random.Random(seed)  # which cases get closed: the same each run
        while not stop.is_set():
            try:
                status, case = client.call("POST", "/api/v1/cases", timeout=10)
                if status != 201:
                    continue
                acknowledged_cases.append(case["id"])
                with uploading:
                    sending[0] += 1
                    uploading.notify_all()
                try:
                    status, document = client.upload(case["id"], "bande.png", png)
                finally:
                    with uploading:
                        sending[0] -= 1
                if status == 202:
                    acknowledged_documents.append((case["id"], document["id"]))
                if rng.random() < 0.3 and client.call("POST", f"/api/v1/cases/{case['id']}/close")[0] in (200, 204):
                    closed.append(case["id"])
                stop.wait(0.05)  # a pace, not a synchronisation: a mediator does not upload in a loop
            except (urllib.error.URLError, ConnectionError, OSError):
                return  # the server is gone

    def corrector():
        n = 0
        while not stop.is_set():
            n += 1
            value = f"{100 + n},{n % 100:02d}"
            try:
                status, _ = client.call("PUT", f"/api/v1/cases/{bill_case}/documents/{bill_document}/fields/montant_ttc",
                                        {"value": value, "confirm": True}, timeout=10)  # read from the 2D-Doc
                if status == 200:
                    acknowledged_values.append(value.replace(",", "."))
            except (urllib.error.URLError, ConnectionError, OSError):
                return

    writers = [threading.Thread(target=writer, args=(i,)) for i in range(2)] + [threading.Thread(target=corrector)]
    for w in writers:
        w.start()
    # The kill comes once writes of each sort have been acknowledged, while an upload is under way
    # (its request begun, its answer not yet received), corrections going on beside it.
    with uploading:
        ready = uploading.wait_for(lambda: len(acknowledged_documents) >= 5 and len(acknowledged_values) >= 5
                                   and sending[0] > 0, timeout=120)
        check(ready, "five uploads and five corrections acknowledged within 120 s, then an upload under way")
        server.kill()  # in the middle of requests
    stop.set()
    for w in writers:
        w.join()
    print(f"kill -9 après {len(acknowledged_cases)} dossiers, {len(acknowledged_documents)} dépôts et "
          f"{len(acknowledged_values)} corrections acquittés", flush=True)
    check(len(acknowledged_documents) >= 3 and len(acknowledged_values) >= 3, "writes acknowledged before the kill")

    spool = os.path.join(work, "data", "spool")
    # Files no row owns, as a stop between a row and its file leaves them.
    planted = [os.path.join(spool, "case-999999", "document-1", "input.png"),
               os.path.join(spool, f"case-{acknowledged_cases[0]}", "document-999999", "input.png"),
               os.path.join(spool, f"case-{acknowledged_documents[0][0]}",
                            f"document-{acknowledged_documents[0][1]}", "input.png.part"),
               os.path.join(spool, f"case-{acknowledged_documents[0][0]}",
                            f"document-{acknowledged_documents[0][1]}", "letter-999999.pdf")]
    for path in planted:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(b"orphan")

    server = Server(build, config, "second")
    try:
        # One server per SQLite folder: a second one is refused, in French.
        second = subprocess.run([os.path.join(build, "comptoir"), "serve", "--config", config],
                                capture_output=True, text=True, timeout=60)
        check(second.returncode != 0 and "un seul serveur par dossier" in second.stdout + second.stderr,
              f"a second server on the same folder is refused ({second.returncode})")
        client = Client(server.url)
        client.login()
        for path in planted:
            check(not os.path.exists(path), f"orphan removed: {os.path.relpath(path, spool)}")
        for case_id in set(acknowledged_cases):
            status, _ = client.call("GET", f"/api/v1/cases/{case_id}")
            check(status == 200, f"acknowledged case {case_id} kept ({status})")
        for case_id in closed:
            check(client.call("GET", f"/api/v1/cases/{case_id}")[1].get("closed_at"), f"case {case_id} still closed")
        for case_id, document_id in acknowledged_documents:
            final = wait_for(f"document {document_id} read", lambda: (
                lambda d: d if d["state"] in ("done", "failed") else None)(client.document(case_id, document_id)), 180)
            # Read to its end: recognised or not, never lost, never "interrupted".
            check(final["state"] == "done" or final["error"]["code"] == "unrecognised",
                  f"acknowledged upload {document_id} read after the restart: {final['state']} {final.get('error')}")
        status, field = client.call("GET", f"/api/v1/cases/{bill_case}/documents/{bill_document}/fields")
        history = [step["to"] for step in field["fields"].get("montant_ttc", {}).get("history", [])]
        check(all(value in history for value in acknowledged_values),
              f"every acknowledged correction kept ({len(acknowledged_values)} acknowledged, {len(history)} kept)")
        # Every file of the spool belongs to a row.
        db = sqlite3.connect(os.path.join(work, "data", "comptoir.sqlite"))
        owned = {row[0] for row in db.execute("SELECT input_path FROM documents WHERE input_path <> ''")}
        owned |= {row[0] for row in db.execute("SELECT path FROM letters WHERE path <> ''")}
        for root, _, files in os.walk(spool):
            for name in files:
                check(os.path.join(root, name) in owned, f"file without a row: {os.path.relpath(os.path.join(root, name), spool)}")
        states = dict(db.execute("SELECT state, COUNT(*) FROM documents GROUP BY state").fetchall())
        print("documents après redémarrage :", states, flush=True)
        check(db.execute("SELECT COUNT(*) FROM jobs WHERE state IN ('held', 'queued', 'running')").fetchone()[0] == 0,
              "no job left behind")
    finally:
        server.stop()


if __name__ == "__main__":
    scenario, build = sys.argv[1], os.path.realpath(sys.argv[2])
    run, prefix = {"takeover": (takeover, "comptoir-cluster-"), "sqlite-crash": (sqlite_crash, "comptoir-crash-")}[scenario]
    with work_folder(prefix) as work:
        run(build, work)
    if FAILURES:
        print(f"{len(FAILURES)} échec(s)", flush=True)
        sys.exit(1)
    print("ok", flush=True)
