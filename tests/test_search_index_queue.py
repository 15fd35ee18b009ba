"""Inside a request the search index is written after the response, at
request_finished (blog.search_index_queue); outside one, with the save. On
SQLite and on PostgreSQL, as DATABASE_URL says; CI runs the file on both.
"""

import logging

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog import content_version, search, search_index, services
from blog.models import Post
from blog.search_query import SearchQuery
from tests.factories import PageFactory, PostFactory, TagFactory
from tests.test_admin import post_form
from tests.test_search import search_rows

pytestmark = pytest.mark.django_db


def found(text):
    """Return the titles a search for `text` finds, asked in-process: the
    test client's request would open and finish a request of its own."""
    return [hit.title for hit in search.search(SearchQuery.parse(text))[0:10]]


def index_writes(captured):
    """Return the captured statements that write the search index."""
    marks = ("search_vector =", "_search (", "DELETE FROM blog_post_search")
    sql = [query["sql"] for query in captured.captured_queries]
    return [each for each in sql if any(mark in each for mark in marks)]


class ServerRequest:
    """A request as a server makes it: request_started, then
    request_finished from the response's close(), once its body is sent."""

    is_open = False

    def start(self):
        request_started.send(sender=None)
        self.is_open = True

    def finish(self):
        self.is_open = False
        request_finished.send(sender=None)


@pytest.fixture
def server_request():
    """Return a ServerRequest to start and finish, finished at the end.

    As the test client does, Django's closing of connections is left out:
    the test's transaction outlives the request. That transaction never
    commits, so the commit callbacks of what the test does inside the
    request run when a `django_capture_on_commit_callbacks` block ends.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request = ServerRequest()
    yield request
    if request.is_open:
        request.finish()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def save_inside(server_request, capture_on_commit_callbacks, post, body):
    """Start a request and save `post` with `body` in it, committed (the
    response would be sent next)."""
    server_request.start()
    with capture_on_commit_callbacks(execute=True):
        post.body = body
        services.post_save(post=post)


def test_inside_a_request_the_index_is_written_after_the_response(
    server_request, django_capture_on_commit_callbacks
):
    post = PostFactory(title="Sparrow", body="Small brown birds.")

    save_inside(
        server_request, django_capture_on_commit_callbacks, post, "Small grey birds."
    )
    # Saved and committed; the response is made and sent: the index still
    # holds the old text.
    assert Post.objects.get(pk=post.pk).search_text == "Small grey birds."
    assert found("grey") == []
    assert found("brown") == ["Sparrow"]

    server_request.finish()

    assert found("grey") == ["Sparrow"]
    assert found("brown") == []


def test_the_write_after_the_response_bumps_the_content_version(
    server_request, django_capture_on_commit_callbacks
):
    # A search page made between the save's commit and the index's write
    # holds the old results under the save's version: it must not outlive
    # the write.
    post = PostFactory(title="Sparrow", body="Small brown birds.")
    save_inside(
        server_request, django_capture_on_commit_callbacks, post, "Small grey birds."
    )
    saved = content_version.read()

    server_request.finish()

    assert content_version.read().version == saved.version + 1


def test_a_request_writes_each_post_once_however_often_it_changed(
    server_request, django_capture_on_commit_callbacks
):
    post = PostFactory(title="Sparrow", body="Small brown birds.")
    tag = TagFactory(name="Passerines")

    server_request.start()
    with django_capture_on_commit_callbacks(execute=True):
        for colour in ("grey", "speckled"):
            post.body = f"Small {colour} birds."
            services.post_save(post=post)
        post.tags.add(tag)
    with CaptureQueriesContext(connection) as at_the_end:
        server_request.finish()

    # One write of the one post, named once: SQLite deletes its row and
    # inserts it again, PostgreSQL updates it.
    writes = index_writes(at_the_end)
    assert len(writes) == {"sqlite": 2}.get(connection.vendor, 1)
    assert all(f"IN ({post.pk})" in sql for sql in writes)
    assert found("speckled passerines") == ["Sparrow"]
    assert found("grey") == []


def test_pages_and_deletions_inside_a_request_are_indexed_at_its_end(
    server_request, django_capture_on_commit_callbacks
):
    page = PageFactory(title="Colophon", body="Set in Garamond.")
    post = PostFactory(title="Heron", body="Grey herons wade.")

    server_request.start()
    with django_capture_on_commit_callbacks(execute=True):
        page.body = "Set in Helvetica."
        page.save()
        post.delete()
    assert found("garamond") == ["Colophon"]

    server_request.finish()

    assert found("garamond") == []
    assert found("helvetica") == ["Colophon"]
    assert found("herons") == []
    assert search_rows("post") == []  # SQLite's table holds no deleted post


def test_a_rolled_back_save_queues_nothing(
    server_request, django_capture_on_commit_callbacks
):
    post = PostFactory(title="Sparrow", body="Small brown birds.")

    server_request.start()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            post.body = "Small grey birds."
            services.post_save(post=post)
            raise RuntimeError("A later step of the request failed.")
    with CaptureQueriesContext(connection) as at_the_end:
        server_request.finish()

    assert callbacks == []
    assert at_the_end.captured_queries == []
    assert found("brown") == ["Sparrow"]


def test_a_failing_write_after_the_response_is_logged_not_raised(
    server_request, django_capture_on_commit_callbacks, caplog
):
    post = PostFactory(title="Sparrow", body="Small brown birds.")
    server_request.start()
    with django_capture_on_commit_callbacks(execute=True):
        post.body = "Small grey birds."
        services.post_save(post=post)
    # The index's storage is gone when the write comes (rolled back with
    # the test).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Its foreign keys' checks first: no table changes with them due.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in search_index.DROP_SQL[connection.vendor]:
            cursor.execute(statement)

    with caplog.at_level(logging.ERROR, logger="blog.search_index_queue"):
        server_request.finish()

    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert f"posts [{post.pk}]" in record.getMessage()
    assert "rerender_posts" in record.getMessage()
    assert Post.objects.get(pk=post.pk).body == "Small grey birds."


def test_outside_a_request_a_save_indexes_with_its_row():
    post = PostFactory(title="Sparrow", body="Small brown birds.")

    with transaction.atomic():
        post.body = "Small grey birds."
        services.post_save(post=post)
        # In the save's own transaction, before it commits.
        assert found("grey") == ["Sparrow"]


# Committed, as a server's requests are: the admin's transaction commits,
# then the response is closed.
@pytest.mark.django_db(transaction=True)
def test_a_post_edited_in_the_admin_is_found_on_the_next_request(admin_client):
    post = PostFactory(title="Sparrow", body="Small brown birds.")
    published_at = timezone.localtime(post.published_at)

    response = admin_client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_form(
            title="Sparrow",
            slug=post.slug,
            body="Small grey birds.",
            status=Post.Status.PUBLISHED,
            published_at_0=published_at.strftime("%Y-%m-%d"),
            published_at_1=published_at.strftime("%H:%M:%S"),
        ),
    )

    assert response.status_code == 302
    response = admin_client.get("/search/", {"q": "grey"})
    assert [hit.title for hit in response.context["hits"]] == ["Sparrow"]
    assert found("brown") == []


def test_inside_a_request_a_save_reads_no_old_text_and_asks_for_a_write(
    server_request, django_capture_on_commit_callbacks
):
    # Comparing with the old text would cost the save a read of it; the
    # write it spares comes after the response anyway.
    post = PostFactory(title="Sparrow", body="Small brown birds.")
    server_request.start()
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as saving,
    ):
        services.post_save(post=post)  # nothing changed
    with CaptureQueriesContext(connection) as at_the_end:
        server_request.finish()

    assert not [
        q
        for q in saving.captured_queries
        if "search_text" in q["sql"] and q["sql"].lstrip().startswith("SELECT")
    ]
    assert index_writes(at_the_end)
    assert found("brown") == ["Sparrow"]


def test_outside_a_request_an_unchanged_save_writes_no_index(
    django_capture_on_commit_callbacks,
):
    post = PostFactory(title="Sparrow", body="Small brown birds.")

    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as saving,
    ):
        services.post_save(post=post)

    assert index_writes(saving) == []
