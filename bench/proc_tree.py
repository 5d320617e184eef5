"""A process and its descendants, and their memory, from /proc (used by heavy_files.py and
pss_peak.py)."""
import os


def tree(pid):
    """The process and its descendants."""
    pids = [pid]
    for p in pids:
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    pids.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return pids


def pss_kb(pid):
    """The proportional set size of one process in KiB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kb(pid):
    """The proportional set size of the process and its descendants in KiB: shared pages count
    once, split among their sharers."""
    return sum(pss_kb(p) for p in tree(pid))
