"""A blog served by gunicorn over a database of its own, for the load test.

SQLite: a file under the test's temporary folder (WAL, busy timeout, as in
production). PostgreSQL (when DATABASE_URL names it): a database created
beside the configured one and dropped afterwards. Every process (gunicorn,
the ORM author, the final count) reaches it through DATABASE_URL, as
separate app servers would.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "load-test-pw"
# Migrate and seed in one Python start (a start costs about a second).
MIGRATE_AND_SEED = f"""
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from blog.models import Post
get_user_model().objects.create_superuser("editor", password={PASSWORD!r})
for number in range(15):
    Post.objects.create(title=f"Seed {{number}}", body="Seed *text*.",
                        status="published")
"""


def is_postgresql(url):
    return urlsplit(url).scheme.startswith("postgres")


@contextmanager
def load_database(tmp_path):
    """Yield the DATABASE_URL of a fresh, migrated, seeded database."""
    configured = os.environ.get("DATABASE_URL", "")
    if not is_postgresql(configured):
        url = f"sqlite:///{tmp_path / 'load.sqlite3'}"
        prepare(url)
        yield url
        return
    name = f"inkwell_load_{os.getpid()}"
    admin_url = configured
    postgres_sql(admin_url, f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(configured)._replace(path=f"/{name}"))
    try:
        prepare(url)
        yield url
    finally:
        postgres_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_sql(url, statement):
    import psycopg

    with psycopg.connect(
        url.replace("postgres://", "postgresql://"), autocommit=True
    ) as db:
        db.execute(statement)


def environment(database_url, port=8000):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }


def manage(database_url, *args, timeout=120):
    """Run manage.py against the load database; return its stdout."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(url):
    manage(url, "shell", "--no-imports", "-c", MIGRATE_AND_SEED)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url):
    """Yield the base URL of gunicorn serving the blog: two workers of four
    threads, as a small production box would run it.
    """
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=environment(database_url, port),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_up(base, server, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped before it served a request.")
        try:
            urllib.request.urlopen(f"{base}/robots.txt", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {seconds} s.")


# Written by the ORM author process: create and edit posts until the
# deadline, then print what it saved.
ORM_AUTHOR = """
import json, time
from django.db import close_old_connections
from blog.models import Post
deadline = time.monotonic() + {seconds}
created, errors, number = [], [], 0
while time.monotonic() < deadline:
    # What a worker does between requests: drop a broken connection.
    close_old_connections()
    try:
        post = Post.objects.create(title=f"ORM {{number}}", body="By the ORM.",
                                   status="published")
        created.append(post.title)
        if number % 2:
            earlier = Post.objects.get(title=created[-2])
            earlier.title = created[-2] = f"{{created[-2]}} edited"
            earlier.save()
        number += 1
    except Exception as error:
        errors.append(repr(error))
print(json.dumps({{"created": created, "errors": errors}}))
"""


def orm_author(database_url, seconds):
    """Start the ORM author; return its process (stdout: a JSON summary)."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            ORM_AUTHOR.format(seconds=seconds),
        ],
        cwd=ROOT,
        env=environment(database_url),
        stdout=subprocess.PIPE,
        text=True,
    )


def stored_titles(database_url):
    """Return {post id: title} from the load database, read by another
    process.
    """
    script = (
        "import json; from blog.models import Post; "
        "print(json.dumps(dict(Post.objects.values_list('pk', 'title'))))"
    )
    titles = json.loads(manage(database_url, "shell", "--no-imports", "-c", script))
    return {int(pk): title for pk, title in titles.items()}
