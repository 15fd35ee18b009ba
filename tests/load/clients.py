"""The load test's clients: readers and an author in the admin, each in a
thread, each request recorded with its start and end.
"""

import re
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.parse import urlencode

READER_PATHS = ["/", "/feed/", "/feed/atom/", "/archive/", "/tags/"]


@dataclass(frozen=True)
class Request:
    who: str
    path: str
    started: float
    ended: float
    status: int  # 0 when no answer came
    detail: str = ""

    @property
    def failed(self):
        return self.status == 0 or self.status >= 500


class Client:
    """One HTTP client with its cookies, recording every request."""

    def __init__(self, base, who, log):
        self.base, self.who, self.log = base, who, log
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(self, path, data=None):
        started = time.monotonic()
        body = urlencode(data).encode() if data is not None else None
        status, location, detail = 0, "", ""
        try:
            with self.opener.open(self.base + path, body, timeout=20) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location", "")
            detail = error.read()[-300:].decode(errors="replace")
        except OSError as error:
            detail = repr(error)
        self.log.append(
            Request(self.who, path, started, time.monotonic(), status, detail)
        )
        return status, location

    def csrf_token(self):
        return next(c.value for c in self.cookies if c.name == "csrftoken")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as it is (the admin answers a save with one)."""

    def redirect_request(self, *args, **kwargs):
        return None


def reader(base, log, stop, number):
    client = Client(base, f"reader {number}", log)
    while not stop.is_set():
        for path in READER_PATHS:
            client.request(path)


class AdminAuthor:
    """Publishes posts and edits each one once, through the admin's forms."""

    def __init__(self, base, log, password):
        self.client = Client(base, "admin author", log)
        self.password = password
        self.saved = {}  # post id -> the title the admin confirmed
        self.refused = []

    def run(self, stop):
        self.log_in()
        number = 0
        while not stop.is_set():
            post_id = self.save("/admin/blog/post/add/", f"Admin {number}")
            if post_id and number % 2 == 0:
                self.save(
                    f"/admin/blog/post/{post_id}/change/", f"Admin {number} edited"
                )
            number += 1

    def log_in(self):
        self.client.request("/admin/login/")
        status, _ = self.client.request(
            "/admin/login/?next=/admin/",
            {
                "username": "editor",
                "password": self.password,
                "csrfmiddlewaretoken": self.client.csrf_token(),
                "next": "/admin/",
            },
        )
        assert status == 302, f"The admin login answered {status}."

    def save(self, path, title):
        """Post the form; return the post's id when the admin saved it."""
        status, location = self.client.request(
            path,
            {
                "csrfmiddlewaretoken": self.client.csrf_token(),
                "title": title,
                "slug": "",
                "body": f"{title}, written in the admin.",
                "excerpt": "",
                "continue_text": "",
                "status": "published",
                "published_at_0": "",
                "published_at_1": "",
                "featured_slot-TOTAL_FORMS": "0",
                "featured_slot-INITIAL_FORMS": "0",
                "_continue": "Save and continue editing",
            },
        )
        saved = re.search(r"/admin/blog/post/(\d+)/change/", location or "")
        if status != 302 or not saved:
            self.refused.append((path, status))
            return None
        self.saved[int(saved.group(1))] = title
        return int(saved.group(1))


def run_load(base, *, seconds, readers=3, password, during=None):
    """Hammer `base` for `seconds`; return (requests, admin author).

    `during(log)` runs in the middle of the run (a database restart).
    """
    log, stop = [], threading.Event()
    author = AdminAuthor(base, log, password)
    threads = [
        threading.Thread(target=reader, args=(base, log, stop, n))
        for n in range(readers)
    ]
    threads.append(threading.Thread(target=author.run, args=(stop,)))
    for thread in threads:
        thread.start()
    time.sleep(seconds / 2)
    if during:
        during(log)
    time.sleep(seconds / 2)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return log, author
