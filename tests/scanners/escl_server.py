#!/usr/bin/env python3
"""A minimal eSCL (AirScan) scanner, for tests: one flatbed whose "scan" is an image file.

Enough of the protocol for sane-airscan to take it for a network scanner and scan a page:

  GET    /eSCL/ScannerCapabilities          the flatbed: Grayscale8 and RGB24, 75/150/300 dpi,
                                            image/png and image/jpeg, A4
  GET    /eSCL/ScannerStatus                Idle, always
  POST   /eSCL/ScanJobs                     201 Created, Location: /eSCL/ScanJobs/<id>
  GET    /eSCL/ScanJobs/<id>/NextDocument   the page once, then 404 (no more pages)
  DELETE /eSCL/ScanJobs/<id>                200

The page is the file given with --image, sent as is: PNG, or the JPEG given with --jpeg when
the client asks for image/jpeg (only the formats given are advertised). It is not scaled to the
resolution asked: the test draws it at the size the request expects.

--fail-after-bytes N: the scanner is switched off in the middle of the first page: N bytes of
it are sent (with the full Content-Length announced), the connection is cut, and the process
exits (status 0), so that nothing answers any more.
--hang-after-bytes N: the scanner hangs in the middle of the first page: N bytes are sent, then
nothing more, the connection left open, until the process is killed.

Usage: escl_server.py --port 0 --image page.png [--jpeg page.jpg]
                      [--fail-after-bytes N | --hang-after-bytes N]
The first line on stdout is the port listened on (127.0.0.1 only).
"""

import argparse
import itertools
import os
import re
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PWG = "http://www.pwg.org/schemas/2010/12/sm"
SCAN = "http://schemas.hp.com/imaging/escl/2011/05/03"

# A4 in the unit of eSCL regions, 1/300 inch.
A4_WIDTH_300 = 2480
A4_HEIGHT_300 = 3508


def capabilities_xml(formats):
    formats_xml = "".join(
        f"<pwg:DocumentFormat>{mime}</pwg:DocumentFormat>"
        f"<scan:DocumentFormatExt>{mime}</scan:DocumentFormatExt>" for mime in formats)
    resolutions_xml = "".join(
        f"<scan:DiscreteResolution><scan:XResolution>{dpi}</scan:XResolution>"
        f"<scan:YResolution>{dpi}</scan:YResolution></scan:DiscreteResolution>" for dpi in (75, 150, 300))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities xmlns:pwg="{PWG}" xmlns:scan="{SCAN}">
  <pwg:Version>2.63</pwg:Version>
  <pwg:MakeAndModel>Comptoir Emulated eSCL Scanner</pwg:MakeAndModel>
  <pwg:SerialNumber>COMPTOIR-0001</pwg:SerialNumber>
  <scan:UUID>4509a320-00a0-008f-00b6-002507510eca</scan:UUID>
  <scan:Platen>
    <scan:PlatenInputCaps>
      <scan:MinWidth>16</scan:MinWidth>
      <scan:MaxWidth>{A4_WIDTH_300}</scan:MaxWidth>
      <scan:MinHeight>16</scan:MinHeight>
      <scan:MaxHeight>{A4_HEIGHT_300}</scan:MaxHeight>
      <scan:MaxScanRegions>1</scan:MaxScanRegions>
      <scan:SettingProfiles>
        <scan:SettingProfile>
          <scan:ColorModes>
            <scan:ColorMode>Grayscale8</scan:ColorMode>
            <scan:ColorMode>RGB24</scan:ColorMode>
          </scan:ColorModes>
          <scan:DocumentFormats>{formats_xml}</scan:DocumentFormats>
          <scan:SupportedResolutions>
            <scan:DiscreteResolutions>{resolutions_xml}</scan:DiscreteResolutions>
          </scan:SupportedResolutions>
        </scan:SettingProfile>
      </scan:SettingProfiles>
      <scan:SupportedIntents>
        <scan:Intent>Document</scan:Intent>
        <scan:Intent>Photo</scan:Intent>
      </scan:SupportedIntents>
      <scan:MaxOpticalXResolution>300</scan:MaxOpticalXResolution>
      <scan:MaxOpticalYResolution>300</scan:MaxOpticalYResolution>
    </scan:PlatenInputCaps>
  </scan:Platen>
</scan:ScannerCapabilities>
"""


def status_xml(state):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerStatus xmlns:pwg="{PWG}" xmlns:scan="{SCAN}">
  <pwg:Version>2.63</pwg:Version>
  <pwg:State>{state}</pwg:State>
</scan:ScannerStatus>
"""


class Scanner:
    """The state shared by the request threads: the page's bytes and the jobs."""

    def __init__(self, pages, fail_after_bytes, hang_after_bytes):
        self.pages = pages  # mime type -> bytes
        self.fail_after_bytes = fail_after_bytes
        self.hang_after_bytes = hang_after_bytes
        self.lock = threading.Lock()
        self.jobs = {}  # id -> {"mime": ..., "delivered": bool}
        self.ids = itertools.count(1)

    def log(self, message):
        print(f"escl_server: {message}", file=sys.stderr, flush=True)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ComptoirEscl/1.0"

    @property
    def scanner(self):
        return self.server.scanner

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        self.scanner.log("%s %s" % (self.address_string(), format % args))

    def reply(self, code, body=b"", content_type=None, headers=()):
        self.send_response(code)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/eSCL/ScannerCapabilities":
            self.reply(200, capabilities_xml(list(self.scanner.pages)).encode(), "text/xml")
            return
        if path == "/eSCL/ScannerStatus":
            self.reply(200, status_xml("Idle").encode(), "text/xml")
            return
        match = re.fullmatch(r"/eSCL/ScanJobs/(\d+)/NextDocument/?", path)
        if match:
            self.next_document(match.group(1))
            return
        self.reply(404)

    def next_document(self, job_id):
        with self.scanner.lock:
            job = self.scanner.jobs.get(job_id)
            if job is None or job["delivered"]:
                page = None
            else:
                job["delivered"] = True
                page = self.scanner.pages[job["mime"]]
                mime = job["mime"]
        if page is None:
            self.reply(404)  # no more pages: the end of the job
            return
        cut = self.scanner.fail_after_bytes
        if cut is None:
            cut = self.scanner.hang_after_bytes
        if cut is None:
            self.reply(200, page, mime)
            return
        # The page starts, and stops: all of it announced, only the first bytes sent.
        self.send_response(200)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page[:max(0, min(cut, len(page) - 1))])
        self.wfile.flush()
        if self.scanner.hang_after_bytes is not None:
            self.scanner.log(f"job {job_id}: hanging after {cut} bytes")
            threading.Event().wait()  # the connection stays open, silent, until the process is killed
        self.scanner.log(f"job {job_id}: connection cut after {cut} bytes; switching off")
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.connection.close()
        os._exit(0)  # nothing answers any more, as a scanner switched off

    def do_POST(self):
        path = self.path.split("?", 1)[0]
        body = self.read_body().decode("utf-8", "replace")
        if path.rstrip("/") != "/eSCL/ScanJobs":
            self.reply(404)
            return
        requested = re.search(r"<(?:pwg:DocumentFormat|scan:DocumentFormatExt)>\s*([^<\s]+)\s*<", body)
        mime = requested.group(1).lower() if requested else next(iter(self.scanner.pages))
        if mime not in self.scanner.pages:
            self.scanner.log(f"format {mime} asked, not offered")
            self.reply(409)  # the request asks for what the capabilities never offered
            return
        with self.scanner.lock:
            job_id = str(next(self.scanner.ids))
            self.scanner.jobs[job_id] = {"mime": mime, "delivered": False}
        self.scanner.log(f"job {job_id}: {mime}; request {' '.join(body.split())}")
        host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
        self.reply(201, headers=[("Location", f"http://{host}/eSCL/ScanJobs/{job_id}")])

    def do_DELETE(self):
        path = self.path.split("?", 1)[0]
        match = re.fullmatch(r"/eSCL/ScanJobs/(\d+)/?", path)
        with self.scanner.lock:
            found = match is not None and self.scanner.jobs.pop(match.group(1), None) is not None
        self.reply(200 if found else 404)


def main():
    parser = argparse.ArgumentParser(description="A minimal eSCL scanner for tests.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one, printed)")
    parser.add_argument("--image", required=True, help="the page, a PNG file")
    parser.add_argument("--jpeg", help="the same page as JPEG, offered too when given")
    parser.add_argument("--fail-after-bytes", type=int, default=None,
                        help="cut the connection after N bytes of the first page, then exit")
    parser.add_argument("--hang-after-bytes", type=int, default=None,
                        help="stop sending after N bytes of the first page, the connection kept open")
    args = parser.parse_args()
    if args.fail_after_bytes is not None and args.hang_after_bytes is not None:
        parser.error("--fail-after-bytes and --hang-after-bytes exclude each other")

    pages = {}
    with open(args.image, "rb") as f:
        pages["image/png"] = f.read()
    if not pages["image/png"].startswith(b"\x89PNG\r\n\x1a\n"):
        parser.error(f"{args.image} is not a PNG file")
    if args.jpeg:
        with open(args.jpeg, "rb") as f:
            pages["image/jpeg"] = f.read()

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.scanner = Scanner(pages, args.fail_after_bytes, args.hang_after_bytes)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
