"""Drive one URL with wrk and read its report: requests per second, the
latency percentiles of --latency, and what failed.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass

WRK = "/usr/bin/wrk"
INSTALL_HINT = "Install it with: apt-get install wrk"
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Load:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    # Non-2xx/3xx answers plus socket errors (connect, read, write, timeout).
    errors: int


def wrk_missing():
    """Return why wrk cannot run here, or "" if it can."""
    if shutil.which(WRK) is None:
        return f"wrk is not installed at {WRK}. {INSTALL_HINT}"
    return ""


def run_wrk(url, *, seconds, connections=16, threads=2):
    """Load url for `seconds` with wrk; return its figures as a Load.

    A request counts as failed after 30 s: 16 connections queue behind two
    sync workers, so a slow page on a busy machine waits many seconds.
    """
    done = subprocess.run(
        [
            WRK,
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=30s",
            "--latency",
            url,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_wrk(done.stdout)


def parse_wrk(report):
    """Return the Load in wrk's --latency report."""
    requests = int(re.search(r"(\d+) requests in", report).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
        report,
    )
    if sockets:
        errors += sum(int(count) for count in sockets.groups())
    return Load(
        requests=requests,
        requests_per_second=rate,
        p50_ms=percentile(report, "50%"),
        p99_ms=percentile(report, "99%"),
        errors=errors,
    )


def percentile(report, label):
    pattern = rf"^\s*{re.escape(label)}\s+([\d.]+)(us|ms|s|m)\s*$"
    match = re.search(pattern, report, re.M)
    return float(match.group(1)) * UNITS_MS[match.group(2)]
