"""CPU time and peak memory of a server's processes, from /proc (Linux)."""

import os
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def process_tree(pid):
    """Return pid and the pids of all its descendants that are alive."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int(stat_fields(entry.name)[1])
        except (OSError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    tree, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        tree.append(current)
        waiting.extend(children.get(current, []))
    return tree


def stat_fields(pid):
    """Return /proc/<pid>/stat's fields from the state on (field 3 is [0])."""
    text = Path(f"/proc/{pid}/stat").read_text()
    # The command name may hold spaces and parentheses: split after its end.
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pids):
    """Return {pid: user plus system CPU seconds used} for the processes
    still alive.
    """
    used = {}
    for pid in pids:
        try:
            fields = stat_fields(pid)
        except OSError:
            continue
        # utime and stime are fields 14 and 15 of the whole line.
        used[pid] = (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND
    return used


def cpu_used_between(before, after):
    """Return the CPU seconds used between two cpu_seconds() readings.

    A process that ended in between (gunicorn replaces a worker it timed
    out) is left out rather than subtracting its whole life; one that
    started counts from zero.
    """
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def peak_rss_mb(pid):
    """Return the process's peak resident memory (VmHWM) in megabytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
