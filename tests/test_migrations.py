"""Migration 0005 stores descriptions and feed HTML and re-renders posts and
pages."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("blog", "0004_page")]
AFTER = [("blog", "0005_post_description_and_feed_html")]


@pytest.fixture
def latest_schema_after():
    yield
    # Transactional tests that run later (pytest-django runs them last) need
    # every table, the ones of migrations after AFTER included.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_posts_are_re_rendered_with_description_and_feed_html(
    settings, latest_schema_after
):
    settings.SITE_URL = "https://blog.example.com"
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_post = executor.loader.project_state(BEFORE).apps.get_model("blog", "Post")
    post = old_post.objects.create(
        title="Old",
        slug="old",
        body="Old *words*.[^1]\n\n[^1]: A note.",
        body_html="<p>Python-Markdown's HTML</p>",
    )
    old_page = executor.loader.project_state(BEFORE).apps.get_model("blog", "Page")
    page = old_page.objects.create(
        title="About", slug="about", path="about", body="About *me*."
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    new_post = executor.loader.project_state(AFTER).apps.get_model("blog", "Post")
    migrated = new_post.objects.get(pk=post.pk)
    assert migrated.body_html.startswith("<p>Old <em>words</em>.<sup")
    assert migrated.description == "Old words."
    assert f'href="https://blog.example.com/posts/old/#fn-{post.pk}-1"' in (
        migrated.feed_body_html
    )
    assert migrated.rendered_at is not None
    new_page = executor.loader.project_state(AFTER).apps.get_model("blog", "Page")
    migrated_page = new_page.objects.get(pk=page.pk)
    assert migrated_page.body_html == "<p>About <em>me</em>.</p>"
    assert migrated_page.description == "About me."
