#!/usr/bin/env python3
"""Peak proportional set size (PSS) of a command's whole process tree (issue 33, item 4): the
command and every process it starts (Comptoir's decoding child, its plugin workers), sampled
from /proc/PID/smaps_rollup every 20 ms; shared pages count once, split among their sharers.

    bench/pss_peak.py -- COMMAND [ARG...]

Prints the peak PSS of the tree in MiB, the peak of the command's own process, and the
command's exit status. A sampler, not a counter: a spike shorter than 20 ms may be missed.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from proc_tree import pss_kb, tree_pss_kb  # noqa: E402


def main():
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        sys.exit(__doc__)
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    tree_peak = own_peak = 0
    while process.poll() is None:
        tree_peak = max(tree_peak, tree_pss_kb(process.pid))
        own_peak = max(own_peak, pss_kb(process.pid))
        time.sleep(0.02)
    print(f"peak PSS of the tree {tree_peak / 1024:.0f} MiB, of the command's process {own_peak / 1024:.0f} MiB, "
          f"status {process.returncode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
