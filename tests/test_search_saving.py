"""Saving a post or page indexes it again only when the text the index is
made from changed (blog.search_index.needs_indexing): on SQLite and on
PostgreSQL, as DATABASE_URL says; CI runs the file on both.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog import services
from blog.models import Page, Post
from tests.factories import PageFactory, PostFactory

pytestmark = pytest.mark.django_db


def found(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return [hit.title for hit in response.context.get("hits") or []]


def index_writes(save):
    """Return the statements of `save()` that write the search index."""
    with CaptureQueriesContext(connection) as context:
        save()
    marks = ("search_vector =", "_search (", "DELETE FROM blog_post_search")
    writes = [query["sql"] for query in context.captured_queries]
    return [sql for sql in writes if any(mark in sql for mark in marks)]


def test_saving_an_unchanged_post_leaves_the_index_alone(client):
    post = PostFactory(title="Sparrow", body="Small brown birds.")
    post = Post.objects.get(pk=post.pk)

    assert index_writes(lambda: services.post_save(post=post)) == []
    assert found(client, "birds") == ["Sparrow"]


def test_an_edit_of_the_body_title_or_excerpt_indexes_the_post(client):
    post = PostFactory(title="Sparrow", body="Small brown birds.")

    post.body = "Small grey birds."
    assert index_writes(lambda: services.post_save(post=post)) != []
    assert found(client, "grey") == ["Sparrow"]
    assert found(client, "brown") == []

    post.title = "Finch"
    services.post_save(post=post)
    assert found(client, "finch") == ["Finch"]

    # The excerpt is the description the index weighs with the tags.
    post.excerpt = "Seed eaters."
    services.post_save(post=post)
    assert found(client, "seed") == ["Finch"]


def test_the_index_is_compared_with_the_row_not_with_what_was_loaded(client):
    post = PostFactory(title="Sparrow", body="Small brown birds.")
    stale = Post.objects.get(pk=post.pk)
    # Someone else renames it meanwhile.
    post.title = "Finch"
    services.post_save(post=post)

    # The stale copy writes its old title back: the index follows the row.
    services.post_save(post=stale)

    assert Post.objects.get(pk=post.pk).title == "Sparrow"
    assert found(client, "sparrow") == ["Sparrow"]
    assert found(client, "finch") == []


def test_a_page_is_indexed_again_only_when_its_text_changed(client):
    page = PageFactory(title="Colophon", body="Set in Garamond.")
    page = Page.objects.get(pk=page.pk)

    assert index_writes(page.save) == []

    page.body = "Set in Helvetica."
    assert index_writes(page.save) != []
    assert found(client, "helvetica") == ["Colophon"]
    assert found(client, "garamond") == []


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_full_text_tables(client):
    # SQLite's full-text tables are no model's: a flush must empty them too,
    # or their rows wait for the next posts with the same ids. (PostgreSQL
    # keeps the index in the posts' rows.)
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 tables only")
    PostFactory(title="Heron", body="Grey herons wade.")
    PageFactory(title="About herons")
    assert found(client, "herons") == ["Heron", "About herons"]

    call_command("flush", interactive=False, verbosity=0)

    with connection.cursor() as cursor:
        for table in ("blog_post_search", "blog_page_search"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            assert cursor.fetchone() == (0,), table
