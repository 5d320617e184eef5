#!/usr/bin/env python3
"""Where a page's CPU time goes (issue 33, item 1): each page read by `comptoir process --json`
under `perf record -e cpu-clock` (no hardware counters needed), the samples grouped by what
spent them, beside the CPU time of `tesseract PAGE - -l fra` on the same page (one OpenMP
thread, as Comptoir runs it). Every process counts: the decoding child, the plugin workers.

    bench/profile_pages.py [--build build] [--config FILE] [--runs 3] PAGE...

Prints, per page: CPU seconds (user + system, median of --runs, every child included) of
Comptoir and of the Tesseract command, their ratio, and the share of Comptoir's samples by part:
  tesseract   libtesseract (layout analysis and recognition)
  leptonica   liblept (page preparation, Tesseract's own thresholding)
  kernel      the kernel (page faults of fresh memory, pipes, process starts)
  libc        memset / memcpy / malloc and the dynamic loader
  decode      the decoding child (`comptoir-worker`: libpng, libjpeg, zlib)
  plugins     the plugin workers (`comptoir-plugin-worker`) and the plugins
  other       the rest (Comptoir itself, libstdc++, OpenMP…)
The configuration should say `ocr.engines = 1` so that one page is one engine's work.
"""
import argparse
import collections
import os
import resource
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cpu_of(cmd, env=None):
    """User + system seconds of `cmd` and every child it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def part_of(comm, dso):
    if comm.startswith("comptoir-worke"):  # comm is cut at 15 characters
        return "decode"
    if comm.startswith("comptoir-plugin"):
        return "plugins"
    if "tesseract" in dso:
        return "tesseract"
    if "lept" in dso:
        return "leptonica"
    if "kernel" in dso:
        return "kernel"
    if dso.startswith("libc.") or dso.startswith("ld-linux"):
        return "libc"
    return "other"


def profile(comptoir, config, page, folder):
    data = os.path.join(folder, "perf.data")
    subprocess.run(["perf", "record", "-q", "-F", "999", "-e", "cpu-clock", "-o", data, "--", comptoir, "process",
                    "--config", config, "--json", page], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    report = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "comm,dso", "--stdio", "-g",
                             "none", "--field-separator", "\t"], capture_output=True, text=True, check=False).stdout
    shares = collections.Counter()
    for line in report.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) < 3 or not fields[0].endswith("%"):
            continue
        shares[part_of(fields[1], fields[2])] += float(fields[0].rstrip("%"))
    return shares


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--config", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("pages", nargs="+")
    args = ap.parse_args()
    comptoir = os.path.join(args.build, "comptoir")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    parts = ["tesseract", "leptonica", "kernel", "libc", "decode", "plugins", "other"]
    print("| page | Comptoir CPU s | tesseract CPU s | ratio | " + " | ".join(parts) + " |")
    print("|---" * (4 + len(parts)) + "|")
    with tempfile.TemporaryDirectory() as folder:
        for page in args.pages:
            ours, theirs = [], []
            for _ in range(args.runs):  # alternated, so that a busy moment weighs on both
                ours.append(cpu_of([comptoir, "process", "--config", args.config, "--json", page]))
                theirs.append(cpu_of(["tesseract", page, "-", "-l", "fra"], env))
            a, b = statistics.median(ours), statistics.median(theirs)
            shares = profile(comptoir, args.config, page, folder)
            print(f"| {os.path.basename(page)} | {a:.2f} | {b:.2f} | {a / b:.2f}× | " +
                  " | ".join(f"{shares[p]:.0f} %" for p in parts) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
