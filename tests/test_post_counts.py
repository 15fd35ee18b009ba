"""blog.post_counts: the counts the database keeps, exact after every kind
of write.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from blog import post_count_triggers
from blog.models import Post, PostCount, Tag
from blog.post_counts import MonthCounts, Timeline
from blog.services import post_publish, post_unpublish
from tests.factories import PostFactory, TagFactory, bulk_posts

pytestmark = pytest.mark.django_db


def counts():
    rows = PostCount.objects.filter(count__gt=0)
    return {(row.kind, row.key): row.count for row in rows}


def recounted():
    """Return the counts made from scratch, as the triggers must keep them."""
    with connection.cursor() as cursor:
        for statement in post_count_triggers.recount_statements(connection.vendor):
            cursor.execute(statement)
    return counts()


def assert_exact():
    kept = counts()
    assert kept == recounted()
    return kept


def test_saving_publishing_and_deleting_keep_the_counts_exact():
    c, asm = TagFactory(name="C"), TagFactory(name="Asm")
    post = PostFactory(published_at=datetime(2024, 3, 5, tzinfo=UTC), tags=[c, asm])
    PostFactory(draft=True, tags=[c])
    PostFactory(scheduled=True, tags=[asm])

    kept = assert_exact()
    assert kept[("tag", str(c.pk))] == 1
    assert kept[("month", "2024-03")] == 1

    post.published_at = datetime(2023, 12, 31, 23, 30, tzinfo=UTC)
    post.save()
    assert assert_exact()[("month", "2023-12")] == 1
    assert assert_exact()[("tagmonth", f"{c.pk}:2023-12")] == 1
    post_unpublish(posts=Post.objects.filter(pk=post.pk))
    assert ("tag", str(c.pk)) not in assert_exact()
    post_publish(posts=Post.objects.all())
    assert assert_exact()[("tag", str(c.pk))] == 2
    post.tags.remove(c)
    assert_exact()
    Post.objects.filter(pk=post.pk).delete()
    assert_exact()
    Tag.objects.filter(pk=asm.pk).delete()
    assert_exact()


def test_bulk_writes_are_counted():
    tags = Tag.objects.bulk_create(Tag(name=f"T{n}", slug=f"t{n}") for n in range(3))
    posts = bulk_posts(20, tags=tags, drafts=4)

    # Per month, per tag, per tag and month.
    assert sum(assert_exact().values()) == 15 + 2 * 15 + 2 * 15
    Post.objects.filter(pk__in=[post.pk for post in posts[:6]]).update(
        published_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    assert_exact()
    Post.tags.through.objects.filter(tag=tags[0]).delete()
    assert_exact()


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="only SQLite drops triggers in migrations"
)
def test_migrating_puts_the_triggers_back_and_recounts():
    march = datetime(2024, 3, 5, tzinfo=UTC)
    PostFactory(published_at=march)
    post_count_triggers.uninstall(connection)
    PostFactory(published_at=march)
    PostCount.objects.all().delete()

    post_count_triggers.install_after_migrate(using="default")

    PostFactory(published_at=march)
    assert assert_exact() == {("month", "2024-03"): 3}


def test_the_timeline_counts_posts_before_any_moment():
    for day in [(2023, 12, 31, 23), (2024, 1, 1, 1), (2024, 1, 15, 0), (2024, 2, 1, 0)]:
        PostFactory(published_at=datetime(*day, tzinfo=UTC))
    timeline = Timeline(Post.objects, timezone.now())

    moments = [
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2023, 12, 31, 23, tzinfo=UTC),
        datetime(2024, 1, 1, 2, tzinfo=UTC),
        datetime(2024, 1, 31, 23, tzinfo=UTC),
        datetime(2024, 2, 1, tzinfo=UTC) + timedelta(microseconds=1),
    ]
    expected = dict(zip(moments, [1, 0, 2, 3, 4], strict=True))
    assert timeline.before_all(moments) == expected


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL keeps its triggers"
)
def test_migrating_on_postgresql_leaves_the_triggers_and_counts_alone():
    # Its triggers outlive every migration; creating them again inside a
    # transaction that wrote posts would fail ("pending trigger events").
    march = datetime(2024, 3, 5, tzinfo=UTC)
    tag = TagFactory(name="C")
    PostFactory(published_at=march).tags.add(tag)

    post_count_triggers.install_after_migrate(using="default")

    PostFactory(published_at=march).tags.add(tag)
    assert assert_exact() == {
        ("month", "2024-03"): 2,
        ("tag", str(tag.pk)): 2,
        ("tagmonth", f"{tag.pk}:2024-03"): 2,
    }


@pytest.mark.parametrize("prefix", ["", "12:"])
def test_month_counts_are_worked_out_from_the_rows_once(prefix):
    # What the version cache keeps for a list: months oldest first, and the
    # counted posts before each, from the site's or a tag's rows.
    rows = [
        (f"{prefix}2024-03", 5),
        ("scheduled", 2),
        (f"{prefix}2023-12", 7),
        (f"{prefix}2024-01", 1),
    ]

    counts = MonthCounts.of(rows)

    march, december, january = (
        datetime(2024, 3, 1, tzinfo=UTC),
        datetime(2023, 12, 1, tzinfo=UTC),
        datetime(2024, 1, 1, tzinfo=UTC),
    )
    assert counts.months == [(december, 7), (january, 1), (march, 5)]
    assert counts.before == {december: 0, january: 7, march: 8}
    assert (counts.total, counts.scheduled) == (13, 2)
    assert MonthCounts.of([]) == (0, [], {}, 0)
