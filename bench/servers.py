"""gunicorn for the serving benchmark: two sync workers on loopback, started
and stopped around a block, with the pids whose CPU time is counted.
"""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from process_stats import process_tree

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


def free_port(start, taken=()):
    """Return the first port from `start` that nothing listens on."""
    for port in range(start, start + 200):
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port from {start} to {start + 199}.")


@contextmanager
def gunicorn(app, *, port, environment, probe_path="/"):
    """Serve `app` (a WSGI path such as config.wsgi:application) on
    127.0.0.1:port until the block ends; yield the master's pid.
    """
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=environment,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}{probe_path}", server)
        wait_for_workers(server.pid)
        yield server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped before it served {url}.")
        try:
            urllib.request.urlopen(url, timeout=30).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds} s.")


def wait_for_workers(master, seconds=30):
    deadline = time.monotonic() + seconds
    while len(process_tree(master)) < WORKERS + 1:
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not start {WORKERS} workers.")
        time.sleep(0.1)


def worker_pids(master):
    return [pid for pid in process_tree(master) if pid != master]
