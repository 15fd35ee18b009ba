"""Two app servers, one blog: gunicorn on two loopback ports sharing one
PostgreSQL database, one Redis and one object store, with production
settings. An author publishes, edits and unpublishes posts and uploads an
image through server A; server B serves each change on its very next
request, serves the image, and never serves a draft.

B fetches every page before each change too, so that a page cache (when
there is one) is warm and must be invalidated, not merely empty.

Runs on the PostgreSQL run with Redis (CI's second run); skipped on SQLite.
"""

import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from contextlib import ExitStack, contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.images import image_bytes
from tests.load.clients import Client
from tests.load.server import PASSWORD, ROOT, is_postgresql, load_database
from tests.object_store import create_bucket, free_port, media_environment, moto_server
from tests.test_serve import PORTS, wait_for

pytestmark = pytest.mark.servers

# The servers' own Redis database, emptied before and after: a page cached
# by an earlier run (whose fresh database had the same ids) must not count.
REDIS_DATABASE = 13
BUCKET = "two-servers-media"
# Pages B fetches before and after every change.
PUBLIC_PAGES = ["/", "/feed/", "/archive/", "/tags/"]


def why_not_here():
    """Return why the test cannot run here, or "" when it can."""
    if not is_postgresql(os.environ.get("DATABASE_URL", "")):
        return "DATABASE_URL does not name PostgreSQL: two app servers need one."
    if not os.environ.get("REDIS_URL", "").strip():
        return "REDIS_URL is not set: two app servers share one Redis."
    return ""


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Yield (A, B): the base URLs of two app servers over one blog."""
    why_not = why_not_here()
    if why_not:
        # The PostgreSQL run in CI has both; only the SQLite run skips.
        if os.environ.get("CI") and is_postgresql(os.environ.get("DATABASE_URL", "")):
            pytest.fail(why_not)
        pytest.skip(why_not)
    tmp_path = tmp_path_factory.mktemp("two_servers")
    redis_url = own_redis_database(os.environ["REDIS_URL"])
    with ExitStack() as stack:
        database_url = stack.enter_context(load_database(tmp_path))
        endpoint = stack.enter_context(moto_server())
        create_bucket(endpoint, BUCKET)
        stack.enter_context(flushed(redis_url))
        environment = {
            **media_environment(endpoint, BUCKET),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
        }
        ports = [free_port(PORTS)]
        ports.append(free_port(range(ports[0] + 1, PORTS.stop)))
        started = [stack.enter_context(gunicorn(port, environment)) for port in ports]
        for base, server in started:
            wait_for(base + "/robots.txt", server)
        yield [base for base, _ in started]


def own_redis_database(url):
    return urlunsplit(urlsplit(url)._replace(path=f"/{REDIS_DATABASE}"))


@contextmanager
def flushed(redis_url):
    import redis

    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()
    try:
        yield
    finally:
        connection.flushdb()
        connection.close()


@contextmanager
def gunicorn(port, environment):
    """Start one app server as `make serve` runs it (config/gunicorn.py);
    yield (base URL, process).
    """
    env = {
        **os.environ,
        **environment,
        # The project's settings with the test suite's static files (no
        # collectstatic) and quick password hashing; debug off.
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DJANGO_DEBUG": "",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py"]
        + ["--access-logfile", "/dev/null", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}", server
    finally:
        # The test is over: gunicorn's quick shutdown, not the graceful one.
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


class Author:
    """A staff member in server A's admin, logged in through its form."""

    def __init__(self, base):
        self.client = Client(base, "author", [])
        self.client.request("/admin/login/")
        status, _ = self.client.request(
            "/admin/login/?next=/admin/",
            {
                "username": "editor",
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.csrf_token(),
                "next": "/admin/",
            },
        )
        assert status == 302, f"The admin login answered {status}."

    def save_post(self, title, slug, body, status, post_id=None):
        """Save a post through the admin's form; return its id."""
        path = (
            f"/admin/blog/post/{post_id}/change/"
            if post_id
            else "/admin/blog/post/add/"
        )
        answer, location = self.client.request(
            path,
            {
                "csrfmiddlewaretoken": self.client.csrf_token(),
                "title": title,
                "slug": slug,
                "body": body,
                "excerpt": "",
                "continue_text": "",
                "status": status,
                "published_at_0": "",
                "published_at_1": "",
                "featured_slot-TOTAL_FORMS": "0",
                "featured_slot-INITIAL_FORMS": "0",
                "_continue": "Save and continue editing",
            },
        )
        saved = re.search(r"/admin/blog/post/(\d+)/change/", location or "")
        assert answer == 302 and saved, f"The admin did not save {title!r}: {answer}"
        return int(saved.group(1))

    def upload_image(self, content):
        """Upload an image through the editor's endpoint; return its URL."""
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="image"; '
                f'filename="photo.png"\r\nContent-Type: image/png\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            self.client.base + "/markdownx/upload/",
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-CSRFToken": self.client.csrf_token(),
                "X-Requested-With": "XMLHttpRequest",
            },
        )
        with self.client.opener.open(request, timeout=20) as response:
            code = json.loads(response.read())["image_code"]
        return re.fullmatch(r"!\[\]\((.+)\)", code).group(1)


class Reader:
    """An anonymous reader of server B: no cookies, every answer kept."""

    def __init__(self, base):
        self.base = base

    def get(self, path_or_url):
        url = path_or_url if "://" in path_or_url else self.base + path_or_url
        try:
            with urllib.request.urlopen(url, timeout=20) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def warm(self, *paths):
        """Fetch each page, twice, as readers would before a change."""
        for path in (*PUBLIC_PAGES, *paths) * 2:
            self.get(path)

    def everything(self, *paths):
        """Return {path: (status, text)} for the public pages and `paths`."""
        return {path: self.get(path) for path in (*PUBLIC_PAGES, *paths)}


def test_server_b_serves_every_change_made_through_server_a_at_once(servers):
    a, b = servers
    author, reader = Author(a), Reader(b)
    post = "/posts/shared-post/"
    draft = "/posts/secret-draft/"

    def never_the_draft(pages):
        for path, (_, text) in pages.items():
            assert "Secret draft" not in text, f"B served the draft at {path}."
        assert pages[draft][0] == 404

    # A draft, saved first, is never served by B.
    reader.warm(post, draft)
    author.save_post("Secret draft", "secret-draft", "Not yet.", "draft")
    never_the_draft(reader.everything(draft))

    # Published through A: B lists and serves it on its next request.
    reader.warm(post, draft)
    post_id = author.save_post(
        "Shared post", "shared-post", "First words.", "published"
    )
    pages = reader.everything(post, draft)
    assert pages[post][0] == 200 and "First words." in pages[post][1]
    assert "Shared post" in pages["/"][1] and "Shared post" in pages["/feed/"][1]
    never_the_draft(pages)

    # Edited, with an image uploaded to the object store through A.
    image_url = author.upload_image(image_bytes("PNG"))
    assert image_url.startswith("http://127.0.0.1:")
    reader.warm(post, draft)
    author.save_post(
        "Shared post",
        "shared-post",
        f"Edited words.\n\n![A photo]({image_url})",
        "published",
        post_id,
    )
    pages = reader.everything(post, draft)
    assert "Edited words." in pages[post][1] and "First words." not in pages[post][1]
    assert "Edited words." in pages["/"][1]
    [shown] = re.findall(r'<img[^>]* src="([^"]+)"', pages[post][1])
    with urllib.request.urlopen(shown, timeout=20) as image:
        assert image.headers["Content-Type"] == "image/png"
        assert image.read().startswith(b"\x89PNG")
    never_the_draft(pages)

    # Unpublished through A: B answers 404 and lists it nowhere.
    reader.warm(post, draft)
    author.save_post("Shared post", "shared-post", "Edited words.", "draft", post_id)
    pages = reader.everything(post, draft)
    assert pages[post][0] == 404
    for path in PUBLIC_PAGES:
        assert "Shared post" not in pages[path][1], f"B still lists it at {path}."
    never_the_draft(pages)
