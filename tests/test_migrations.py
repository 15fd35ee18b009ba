"""Migration 0003 stores descriptions and feed HTML and re-renders posts."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("blog", "0002_rendered_at_and_tag_updated_at")]
AFTER = [("blog", "0003_post_description_and_feed_html")]


@pytest.mark.django_db(transaction=True)
def test_existing_posts_are_re_rendered_with_description_and_feed_html(settings):
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
