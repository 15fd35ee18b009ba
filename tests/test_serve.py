"""`make serve`: the production server (config/serve.py, config/gunicorn.py)
migrates, collects the static files, and serves pages and compressed, hashed
static files with debug off; with a required setting missing it refuses to
start with one line.
"""

import gzip
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.object_store import free_port

ROOT = Path(__file__).resolve().parent.parent
# This engineer's range of ports for servers the tests start.
PORTS = range(8130, 8150)
SERVE = [sys.executable, "-m", "config.serve"]


def production_environment(tmp_path, port, **changes):
    """Return the environment of a production start on loopback, plain HTTP."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "INKWELL_", "AWS_"))
        and key not in {"SITE_URL", "DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "serve-test-" + "x" * 40,
            "SITE_URL": f"http://127.0.0.1:{port}",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "INKWELL_VAR_DIR": str(tmp_path / "var"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "2",
        }
    )
    env.update(changes)
    return {key: value for key, value in env.items() if value is not None}


def wait_for(url, server, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"The server stopped:\n{server.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:  # refused, reset or timed out while it boots
            time.sleep(0.2)
    raise AssertionError(f"Nothing answered at {url} within {seconds} s.")


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def served(tmp_path):
    """Start the production server; yield (base URL, static root, its log)."""
    port = free_port(PORTS)
    server = subprocess.Popen(
        SERVE,
        cwd=ROOT,
        env=production_environment(tmp_path, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/robots.txt", server)
        yield base, tmp_path / "static", server
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_make_serve_runs_the_production_server():
    dry_run = subprocess.run(
        ["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True
    )

    assert "python -m config.serve" in dry_run.stdout


def test_the_server_serves_pages_and_compressed_hashed_static_files_debug_off(
    served,
):
    base, static_root, server = served

    status, _, page = get(base + "/")
    assert status == 200
    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "The page links no hashed stylesheet."
    status, headers, body = get(
        base + stylesheet.group(1).decode(), **{"Accept-Encoding": "gzip, br"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    collected = static_root / stylesheet.group(1).decode().removeprefix("/static/")
    assert gzip.decompress(body) == collected.read_bytes()
    # Debug is off: a missing page is the site's 404, not Django's debug page.
    status, _, missing = get(base + "/no/such/page/")
    assert status == 404
    assert b"URLconf" not in missing
    # The access log goes to the console.
    server.terminate()
    log = server.communicate(timeout=30)[0]
    assert re.search(r'"GET / HTTP/1\.1" 200 ', log), log


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"DJANGO_SECRET_KEY": None},
            "Inkwell cannot start: DJANGO_SECRET_KEY is not set. Set it to a long "
            "random string (python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or set DJANGO_DEBUG=1 for local "
            "development.",
        ),
        (
            {"SITE_URL": None},
            "Inkwell cannot start: SITE_URL is not set. Set it to the blog's "
            "public address, e.g. https://blog.example.com.",
        ),
        (
            {"DJANGO_ALLOWED_HOSTS": ""},
            "Inkwell cannot start: DJANGO_ALLOWED_HOSTS is not set. Set it to the "
            "host names the blog answers to, comma-separated, e.g. 127.0.0.1.",
        ),
        (
            {"DJANGO_DEBUG": "1"},
            "Inkwell cannot start: make serve runs the production server, with "
            "debug off; unset DJANGO_DEBUG (make run is the development server).",
        ),
        (
            {"GUNICORN_WORKERS": "two"},
            "Inkwell cannot start: GUNICORN_WORKERS must be a whole number, not 'two'.",
        ),
    ],
    ids=["secret key", "site url", "allowed hosts", "debug", "workers"],
)
def test_a_missing_setting_stops_the_server_with_one_line(tmp_path, changes, message):
    refused = subprocess.run(
        SERVE,
        cwd=ROOT,
        env=production_environment(tmp_path, 8149, **changes),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert refused.returncode != 0
    assert refused.stderr.strip() == message
    assert not (tmp_path / "static").exists()
