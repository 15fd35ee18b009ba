"""Migration 0009 records a blog that already has content as set up, and
marks a demo loaded before demos were marked, so remove_demo finds it."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from blog import demo_content

BEFORE = [("blog", "0008_rerender_decoded_url_check")]
AFTER = [("blog", "0009_first_run_and_social_images")]


def old_demo_body(entry):
    # The demo's text before it showed an image.
    return re.sub(r"\n!\[[^\]]*\]\(demo-image:[^)]*\)\n", "", entry["body"])


@pytest.mark.django_db(transaction=True)
def test_an_existing_blog_is_set_up_and_its_old_demo_is_marked():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Post, Tag = old.get_model("blog", "Post"), old.get_model("blog", "Tag")
    demo_entry = demo_content.FEATURED[2]  # the one that has an image now
    demo_post = Post.objects.create(
        title=demo_entry["title"], slug="demo", body=old_demo_body(demo_entry)
    )
    edited = Post.objects.create(
        title=demo_content.STREAM[0]["title"], slug="edited", body="My own words."
    )
    name, description = demo_content.TAGS["c"]
    demo_tag = Tag.objects.create(name=name, slug="c", description=description)
    own_tag = Tag.objects.create(name="Gardening", slug="gardening")

    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)

        new = executor.loader.project_state(AFTER).apps
        Post = new.get_model("blog", "Post")
        FirstRun = new.get_model("blog", "FirstRun")
        record = FirstRun.objects.get()
        assert Post.objects.get(pk=demo_post.pk).origin.startswith("demo:")
        assert Post.objects.get(pk=edited.pk).origin is None
        assert record.demo_loaded
        assert record.demo_tag_ids == [demo_tag.pk]
        assert own_tag.pk not in record.demo_tag_ids
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_new_database_is_not_set_up_by_migrating():
    from blog.models import FirstRun

    assert FirstRun.load() is None
