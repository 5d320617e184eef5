"""What the benchmarks that drive a real `comptoir serve` share: starting it on a free port with a
configuration of their own, a signed-in client (session cookie and CSRF token), a multipart
upload, and the server's memory and open files read from /proc. Standard library only."""

import http.client
import json
import os
import re
import subprocess
import threading
import uuid


def start_server(build, work, settings):
    """Starts `comptoir serve` in `work` with `settings` (key = value lines, server.port = 0
    added) and returns (process, port). Its output is drained in the background, so that a
    chatty server never blocks on a full pipe; the lines are kept in process.log_lines."""
    config = os.path.join(work, "comptoir.properties")
    with open(config, "w") as f:
        f.write("server.port = 0\n" + "".join(f"{key} = {value}\n" for key, value in settings.items()))
    server = subprocess.Popen([os.path.join(build, "comptoir"), "serve", "--config", config],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server.log_lines = []
    port = None
    for line in server.stdout:
        server.log_lines.append(line)
        m = re.search(r"prêt : http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
    if not port:
        server.kill()
        raise SystemExit("le serveur n'a pas démarré :\n" + "".join(server.log_lines[-20:]))
    threading.Thread(target=lambda: server.log_lines.extend(server.stdout), daemon=True).start()
    return server, port


def process_status(pid):
    """(VmRSS in KiB, open file descriptors) of a running process."""
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


class Client:
    """One mediator's connection: signs in, then sends the session cookie on every request and
    the CSRF token on every request that changes something."""

    def __init__(self, port, login="mediateur", password="comptoir-demo", timeout=120):
        self.port = port
        self.timeout = timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        status, reply, response = self.request("POST", "/api/v1/login",
                                               json.dumps({"login": login, "password": password}),
                                               {"Content-Type": "application/json"}, signed_in=False)
        if status != 200:
            raise RuntimeError(f"connexion refusée : {status}")
        self.cookie = re.search(r"comptoir_session=([0-9a-f]+)", response.getheader("Set-Cookie", "")).group(1)
        self.csrf = json.loads(reply)["csrf"]

    def headers(self, method, extra=None):
        headers = dict(extra or {})
        headers["Cookie"] = f"comptoir_session={self.cookie}"
        if method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        return headers

    def request(self, method, path, body=None, headers=None, signed_in=True):
        """(status, body bytes, response); the connection is opened again once if the server
        closed a kept-alive one."""
        if signed_in:
            headers = self.headers(method, headers)
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response.status, response.read(), response
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                if attempt == 2:
                    raise

    def json(self, method, path, payload=None):
        body = None if payload is None else json.dumps(payload)
        status, data, _ = self.request(method, path, body,
                                       {"Content-Type": "application/json"} if body is not None else None)
        return status, (json.loads(data) if data and data[:1] in (b"{", b"[") else data)

    def upload(self, case, name, content, content_type):
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: {content_type}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        status, data, _ = self.request("POST", f"/api/v1/cases/{case}/uploads", body,
                                       {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return status, json.loads(data) if data[:1] == b"{" else data
