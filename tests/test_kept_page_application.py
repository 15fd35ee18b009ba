"""The WSGI application around Django's (config/wsgi.py): a reader's request
for a kept page is answered before Django's request handling, with the very
page Django made, and exactly as fresh (README, "Caching").
"""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection, connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from blog import content_version, page_cache, services
from blog.page_cache import KeptPageApplication
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def identity(site_identity):
    return site_identity


@pytest.fixture(autouse=True)
def no_recent_pages():
    # Each test starts with an empty cache (tests/conftest.py) and so with
    # no page this process remembers.
    page_cache.recent_pages.pages.clear()
    page_cache.recent_pages.size = 0
    yield
    page_cache.recent_pages.pages.clear()
    page_cache.recent_pages.size = 0


@pytest.fixture
def application():
    return KeptPageApplication(WSGIHandler())


@pytest.fixture
def post(db):
    return PostFactory(title="First light", slug="first-light")


class Answer:
    def __init__(self, status, headers, body, handled_by_django):
        self.status = status
        self.headers = dict(headers)
        self.body = body
        self.handled_by_django = handled_by_django


def fetch(application, path="/", **headers):
    """Call the WSGI application as a server would; return its Answer."""
    environ = RequestFactory().get(path, headers=headers).environ
    started = []
    got = {}

    def start_response(status, response_headers, exc_info=None):
        got["status"], got["headers"] = status, response_headers

    def note_start(**kwargs):
        started.append(True)

    # As the test client does: the test's transaction must outlive the
    # request (Django closes a connection that is not in autocommit mode).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.connect(note_start)
    try:
        chunks = application(environ, start_response)
        body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
    finally:
        request_started.disconnect(note_start)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(got["status"], got["headers"], body, bool(started))


@contextmanager
def queries():
    with CaptureQueriesContext(connection) as captured:
        yield captured


def test_a_kept_page_is_answered_before_django_with_one_query(application, post):
    made = fetch(application)
    assert made.handled_by_django
    assert made.status == "200 OK"

    with queries() as asked:
        again = fetch(application)

    assert not again.handled_by_django
    assert len(asked) == 1, [query["sql"] for query in asked]
    assert again.status == "200 OK"
    assert again.body == made.body
    assert again.headers == made.headers
    assert "First light" in again.body.decode()


def test_a_page_remembered_by_the_process_needs_no_cache_read(application, post):
    fetch(application)
    fetch(application)
    cache.clear()

    again = fetch(application)

    assert not again.handled_by_django
    assert "First light" in again.body.decode()


def test_a_change_shows_on_the_very_next_request(application, post):
    fetch(application)
    assert not fetch(application).handled_by_django

    post.title = "Second light"
    services.post_save(post=post)
    after = fetch(application)

    assert after.handled_by_django
    assert "Second light" in after.body.decode()
    assert "First light" not in after.body.decode()


def test_a_current_copy_gets_a_304_before_django(application, post):
    made = fetch(application)

    again = fetch(application, **{"If-None-Match": made.headers["ETag"]})

    assert not again.handled_by_django
    assert again.status == "304 Not Modified"
    assert again.body == b""
    assert again.headers["ETag"] == made.headers["ETag"]
    assert "s-maxage" in again.headers["Cache-Control"]


def test_a_request_with_a_session_cookie_goes_to_django(application, post, settings):
    fetch(application)

    again = fetch(application, Cookie=f"{settings.SESSION_COOKIE_NAME}=abc")

    assert again.handled_by_django
    assert again.status == "200 OK"
    assert "no-store" in again.headers["Cache-Control"]


def test_other_cookies_still_get_the_kept_page(application, post):
    fetch(application)

    again = fetch(application, Cookie="theme=dark")

    assert not again.handled_by_django
    assert again.status == "200 OK"


def test_a_host_not_allowed_is_refused_by_django(application, post, settings):
    settings.ALLOWED_HOSTS = ["blog.example.com"]

    answer = fetch(application, Host="evil.example.net")

    assert answer.handled_by_django
    assert answer.status.startswith("400")


def test_writes_and_the_admin_go_to_django(application, post):
    for path in ("/admin/login/", "/static/css/site.css"):
        fetch(application, path)
        assert fetch(application, path).handled_by_django, path


def test_recent_pages_stay_within_their_bytes():
    recent = page_cache.RecentPages(max_bytes=10)

    class Page:
        def __init__(self, size):
            self.body = b"x" * size

    recent.add("a", Page(4))
    recent.add("b", Page(4))
    recent.get("a")
    recent.add("c", Page(4))
    recent.add("huge", Page(11))

    assert recent.get("b") is None
    assert recent.get("a") is not None
    assert recent.get("c") is not None
    assert recent.get("huge") is None
    assert recent.size == 8


def stamps_around(statement):
    """Return the stamps read before and after `statement` runs (PostgreSQL,
    where the read is a statement prepared once per connection).
    """
    if connection.vendor != "postgresql":
        pytest.skip("the prepared statement is PostgreSQL's")
    before = content_version.read()
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return before, content_version.read()


@pytest.mark.django_db(transaction=True)
def test_the_version_read_survives_a_lost_prepared_statement():
    # A pooler may lose the statement (or it may be deallocated).
    # Autocommit, as requests run, so the failed call leaves no aborted
    # transaction; the next read prepares it again.
    before, after = stamps_around("DEALLOCATE inkwell_content_version")

    assert after == before
    assert content_version.read() == before


def test_the_version_read_inside_a_transaction_survives_a_dropped_statement():
    # psycopg drops every prepared statement of the connection after a
    # rollback once it prepares its own (DATABASE_PREPARED_STATEMENTS):
    # inside a transaction the read must not fail on it, which would abort
    # the transaction.
    before, after = stamps_around("DEALLOCATE ALL")

    assert after == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_the_version_read_is_the_connections_health_check(monkeypatch):
    # CONN_HEALTH_CHECKS: a connection kept from an earlier request is
    # checked before the request's first query. That query is the version
    # read, which checks it: no `SELECT 1` round trip of its own.
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)
    content_version.read()
    assert connection.health_check_enabled
    connection.health_check_done = False  # as a new request finds it

    content_version.read()

    assert checks == []
    assert connection.health_check_done


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_between_requests_is_replaced_by_the_version_read():
    # The database restarted (or dropped the connection) since the last
    # request: the read fails on the kept connection, and is asked again on
    # a new one, as Django's health check would have done.
    if connection.vendor != "postgresql":
        pytest.skip("an in-memory SQLite database is never closed")
    first = content_version.read()
    lost = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    connection.health_check_done = False

    assert content_version.read() == first
    assert connection.connection is not lost
