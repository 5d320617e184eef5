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


def children_of():
    """{parent pid: [child pids]} of every process now."""
    tree = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            tree.setdefault(int(fields[1]), []).append(int(entry))
        except OSError:
            continue
    return tree


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        sys.exit(__doc__)
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    tree_peak = own_peak = 0
    while process.poll() is None:
        tree = children_of()
        pids, todo = [], [process.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            todo.extend(tree.get(pid, []))
        own = pss_kib(process.pid)
        total = own + sum(pss_kib(pid) for pid in pids[1:])
        tree_peak, own_peak = max(tree_peak, total), max(own_peak, own)
        time.sleep(0.02)
    print(f"peak PSS of the tree {tree_peak / 1024:.0f} MiB, of the command's process {own_peak / 1024:.0f} MiB, "
          f"status {process.returncode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
