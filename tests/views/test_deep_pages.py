"""Every page of every list, and every count, is exactly what counting and
OFFSET would give, though no page counts the posts or walks the posts before
it (blog.post_counts, blog.pagination).
"""

import re
from datetime import UTC, datetime, timedelta

import pytest

from blog.models import FeaturedSlot, Post, Tag
from tests.factories import PostFactory, bulk_posts
from tests.html import titles

pytestmark = pytest.mark.django_db

PAGE_SIZE = 12
ZONES = ["UTC", "America/New_York", "Asia/Kathmandu"]


@pytest.fixture(params=ZONES)
def long_blog(request, settings):
    """About four months of posts every 19 hours, around month ends in
    every zone, with drafts, two scheduled posts and two featured ones in
    the middle of the stream.
    """
    settings.TIME_ZONE = request.param
    settings.INKWELL_PAGE_SIZE = PAGE_SIZE
    tags = Tag.objects.bulk_create(
        Tag(name=f"Tag {n}", slug=f"tag-{n}") for n in range(3)
    )
    posts = bulk_posts(
        130,
        tags=tags,
        tags_per_post=1,
        start=datetime(2024, 5, 3, 23, 30, tzinfo=UTC),
        step=timedelta(hours=19),
        drafts=9,
    )
    PostFactory.create_batch(2, scheduled=True, tags=tags[:1])
    visible = [post for post in posts if post.status == Post.Status.PUBLISHED]
    for position, post in enumerate(visible[50:52], start=1):
        FeaturedSlot.objects.create(position=position, post=post)
    return visible


def every_page(client, url):
    """Return the titles of every page of a list, page by page."""
    pages, number = [], 1
    while True:
        response = client.get(url if number == 1 else f"{url}page/{number}/")
        if response.status_code == 404 and number > 1:
            return pages
        assert response.status_code == 200
        pages.append(titles(response))
        number += 1


def in_pages(posts):
    names = [post.title for post in posts]
    return [names[n : n + PAGE_SIZE] for n in range(0, len(names), PAGE_SIZE)]


def test_every_index_page_holds_the_stream_in_order(client, long_blog):
    featured = [slot.post.title for slot in FeaturedSlot.objects.order_by("position")]
    expected = in_pages(Post.objects.published().not_featured())

    pages = every_page(client, "/")

    assert pages[0][: len(featured)] == featured
    assert [pages[0][len(featured) :], *pages[1:]] == expected


def test_every_archive_page_and_count_is_exact(client, long_blog):
    months = list(Post.objects.published().archive_months())
    archive = client.get("/archive/").content.decode()

    assert len(months) >= 4
    shown = re.findall(
        r'href="/archive/(\d{4})/(\d\d)/">[^<]*</a> <span class="count">\((\d+)\)',
        archive,
    )
    assert shown == [
        (f"{row['month']:%Y}", f"{row['month']:%m}", str(row["count"]))
        for row in months
    ]
    for row in months:
        year, month = row["month"].year, row["month"].month
        expected = in_pages(Post.objects.published().in_archive(year, month))
        assert every_page(client, f"/archive/{year}/{month:02d}/") == expected
    for year in {row["month"].year for row in months}:
        expected = in_pages(Post.objects.published().in_archive(year))
        assert every_page(client, f"/archive/{year}/") == expected


def test_every_tag_page_and_count_is_exact(client, long_blog):
    tag_list = client.get("/tags/").content.decode()

    for tag in Tag.objects.with_visible_posts():
        assert (
            f'{tag.name}</a> <span class="count">({tag.post_count} posts)' in tag_list
        )
        expected = in_pages(Post.objects.published().filter(tags=tag))
        assert every_page(client, f"/tags/{tag.slug}/") == expected


def test_a_scheduled_post_joins_every_list_when_its_time_comes(client, long_blog):
    post = Post.objects.scheduled().first()
    Post.objects.filter(pk=post.pk).update(published_at=datetime.now(UTC))

    assert client.get("/").content.decode().count(post.title) == 1
    assert post.title in client.get(f"/archive/{datetime.now(UTC):%Y}/").text
    assert every_page(client, "/tags/tag-0/")[0][0] == post.title
