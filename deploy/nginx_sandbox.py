"""The rendered site file under a private nginx, for the tests and the
benchmark: its own prefix folder holds the main config, pid, logs, temporary
files and cache, so it needs no root and touches nothing of a system nginx.
A production nginx uses the system's main config instead.
"""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

NGINX = "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"
INSTALL_HINT = "Install it with: apt-get install nginx"

MAIN_CONFIG = """\
daemon off;
worker_processes {workers};
{user}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    include {mime_types};
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    access_log {access_log};
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def nginx_missing():
    """Return why nginx cannot run here, or "" if it can."""
    if not os.access(NGINX, os.X_OK):
        return f"nginx is not installed at {NGINX}. {INSTALL_HINT}"
    if not os.path.exists(MIME_TYPES):
        return f"{MIME_TYPES} is missing. {INSTALL_HINT}"
    return ""


def openssl_missing():
    if shutil.which("openssl") is None:
        return "openssl is not installed. Install it with: apt-get install openssl"
    return ""


def self_signed_certificate(folder, host="127.0.0.1"):
    """Write a certificate and key for `host` into folder; return their paths."""
    folder = Path(folder)
    certificate, key = folder / "tls.crt", folder / "tls.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
            "-days",
            "2",
            "-subj",
            f"/CN={host}",
            "-addext",
            f"subjectAltName=IP:{host}",
        ],  # fmt: skip
        check=True,
        capture_output=True,
    )
    return certificate, key


def main_config(prefix, *, workers=1, access_log=False):
    # Started as root, nginx would run its workers as nobody, who cannot
    # read files in a private temporary folder.
    user = ""
    if os.geteuid() == 0:
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};"
    return MAIN_CONFIG.format(
        workers=workers,
        user=user,
        prefix=prefix,
        mime_types=MIME_TYPES,
        access_log=f"{prefix}/access.log" if access_log else "off",
    )


@contextmanager
def running_nginx(site_text, prefix, *, port, workers=1, access_log=False):
    """Run nginx with site_text in prefix until the block ends; yield the
    process. `port` is one it listens on, waited for before yielding.
    """
    prefix = Path(prefix)
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "site.conf").write_text(site_text)
    config = prefix / "nginx.conf"
    config.write_text(main_config(prefix, workers=workers, access_log=access_log))
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        try:
            wait_for_port(port, process)
        except RuntimeError as error:
            log = prefix / "error.log"
            raise RuntimeError(
                f"{error}\n{log.read_text() if log.exists() else ''}"
            ) from None
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_port(port, process, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped at once:\n{process.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on port {port} within {seconds} s.")
