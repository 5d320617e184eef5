#!/usr/bin/env python3
"""Hostile connections from one address against another client's health (issue 31, item 2).

50 hostile connections from 127.0.0.1, in three kinds, each reconnecting as soon as it is let
go or refused: kept alive, asking /api/v1/health every 4 s; heads sent a byte every 5 s; bodies
of POST /api/v1/login declaring 1 MiB and sent a byte every 5 s (the probes of the issue: 8 of
either stopped the server). Meanwhile another client, at 127.0.0.2 (another peer for the cap
per address), asks /api/v1/health --requests times, one after the other, each on a connection
of its own; its latencies' p50, p99 and worst are printed. Target: p99 ≤ 200 ms.

    python3 bench/hostile_connections.py [--build build] [--hostile 50] [--requests 200] [--set KEY=VALUE]

Starts its own `comptoir serve` (free port, fresh data folder, the default server settings:
8 threads, server.max_connections_per_address 8, server.request_timeout_s 10). Loopback only;
bounded: the run stops after --timeout seconds whatever happens."""

import argparse
import http.client
import os
import socket
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desk_client import start_server  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--hostile", type=int, default=50)
ap.add_argument("--requests", type=int, default=200)
ap.add_argument("--timeout", type=float, default=300)
ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                help="a configuration key of the server, e.g. server.max_connections_per_address=0 (no cap)")
args = ap.parse_args()
build = os.path.abspath(args.build)

work = tempfile.mkdtemp(prefix="comptoir-hostile-")
settings = {"data.dir": "data", "ocr.engines": 1}
settings.update(item.split("=", 1) for item in args.set)
server, port = start_server(build, work, settings)
stop = threading.Event()
tally = {"connections": 0, "refused": 0, "let_go": 0}
lock = threading.Lock()


def count(key):
    with lock:
        tally[key] += 1


def closed(sock, wait):
    """Waits up to `wait` seconds; True when the server closed (or answered 503)."""
    sock.settimeout(wait)
    try:
        data = sock.recv(4096)
    except socket.timeout:
        return False
    except OSError:
        return True
    if not data or data.startswith(b"HTTP/1.1 503"):
        return True
    return False


def hostile(kind):
    while not stop.is_set():
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=("127.0.0.1", 0))
        except OSError:
            time.sleep(0.1)
            continue
        count("connections")
        try:
            if kind == "keepalive":
                while not stop.is_set():
                    sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
                    sock.settimeout(10)
                    data = sock.recv(65536)
                    if not data:
                        break
                    if data.startswith(b"HTTP/1.1 503"):
                        count("refused")
                        break
                    if closed(sock, 4):
                        break
            else:
                head = (b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Lent: " if kind == "head" else
                        b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 1048576\r\n\r\n")
                sock.sendall(head)
                while not stop.is_set():
                    if closed(sock, 5):
                        break
                    sock.sendall(b"a")
                count("let_go")
        except OSError:
            count("let_go")
        finally:
            sock.close()
        time.sleep(0.05)  # the attacker's pace between two connections


kinds = ["keepalive", "head", "body"]
threads = [threading.Thread(target=hostile, args=(kinds[i % 3],), daemon=True) for i in range(args.hostile)]
for t in threads:
    t.start()
time.sleep(2)  # the hostile connections in place before the measure

latencies, failures = [], 0
deadline = time.monotonic() + args.timeout
for _ in range(args.requests):
    if time.monotonic() > deadline:
        break
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=("127.0.0.2", 0))
        connection.request("GET", "/api/v1/health")
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status != 200:
            failures += 1
    except OSError:
        failures += 1
    latencies.append(1000 * (time.perf_counter() - started))
    time.sleep(0.02)

stop.set()
server.terminate()
server.wait(timeout=60)
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
print(f"{args.hostile} hostile connections from 127.0.0.1 (kept alive / slow heads / slow bodies): "
      f"{tally['connections']} opened, {tally['refused']} kept-alive ones refused 503, {tally['let_go']} let go or refused")
print(f"health from 127.0.0.2: {len(latencies)} requests, {failures} failed; "
      f"p50 {statistics.median(latencies):.1f} ms, p99 {p(0.99):.1f} ms, worst {latencies[-1]:.1f} ms "
      f"(target p99 ≤ 200 ms: {'met' if p(0.99) <= 200 and failures == 0 else 'NOT met'})")
sys.exit(0 if failures == 0 else 1)
