"""content_version.one_bump(): a batch of writes in one transaction that
counts as one change readers could see, as imports write.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from blog import content_version
from blog.models import ContentVersion, Post, Tag
from tests.factories import PostFactory
from tests.wxr_files import fixture_path

pytestmark = pytest.mark.django_db


def version():
    return ContentVersion.objects.get().version


@pytest.fixture
def before(db):
    content_version.bump()  # the row exists, whatever ran before
    return version()


def test_many_saves_in_a_batch_bump_once_at_its_end(before):
    with content_version.one_bump():
        posts = PostFactory.create_batch(3)
        Tag.objects.create(name="batched")
        assert version() == before

    assert version() == before + 1
    assert Post.objects.filter(pk__in=[post.pk for post in posts]).count() == 3


def test_the_batchs_bump_reckons_the_next_publication_after_its_writes(before):
    with content_version.one_bump():
        scheduled = PostFactory(status=Post.Status.PUBLISHED)
        Post.objects.filter(pk=scheduled.pk).update(
            published_at=ContentVersion.objects.get().changed_at.replace(year=2999)
        )

    assert ContentVersion.objects.get().next_publication_at.year == 2999


def test_a_batch_without_a_write_bumps_nothing(before):
    with content_version.one_bump():
        Post.objects.count()

    assert version() == before


def test_a_batch_inside_a_batch_leaves_the_bump_to_the_outer_one(before):
    with content_version.one_bump():
        with content_version.one_bump():
            PostFactory()
        assert version() == before
        PostFactory()

    assert version() == before + 1


def test_a_failed_batch_leaves_neither_its_writes_nor_a_bump(before):
    with pytest.raises(RuntimeError), content_version.one_bump():
        PostFactory(title="Lost")
        raise RuntimeError("midway")

    assert version() == before
    assert not Post.objects.filter(title="Lost").exists()
    # Outside the batch, a write bumps at once again.
    PostFactory()
    assert version() > before


def test_a_batch_marked_for_rollback_ends_quietly_without_a_bump(before):
    with content_version.one_bump():
        PostFactory(title="Dry")
        transaction.set_rollback(True)

    assert version() == before
    assert not Post.objects.filter(title="Dry").exists()


def test_a_wordpress_import_is_one_change(before):
    call_command("import_wordpress", str(fixture_path("blog.xml")), stdout=StringIO())

    assert Post.objects.exists()
    assert version() == before + 1


def test_a_markdown_folder_import_is_one_change(before, tmp_path):
    posts = tmp_path / "export" / "_posts"
    posts.mkdir(parents=True)
    for number in (1, 2):
        (posts / f"2024-03-0{number}-post-{number}.md").write_text(
            f"---\ntitle: Post {number}\nslug: post-{number}\n"
            f"date: 2024-03-0{number}T10:00:00+00:00\nstatus: published\n---\nHi.\n"
        )

    call_command("import_markdown", str(tmp_path / "export"), stdout=StringIO())

    assert Post.objects.count() == 2
    assert version() == before + 1
