"""The same number of queries for a small and a large blog."""

import pytest

from blog.models import FeaturedSlot, Tag
from tests.factories import (
    bulk_posts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[(3, 2), (300, 50)], ids=["3 posts", "300 posts"])
def sized_blog(request, site_identity):
    posts_count, tags_count = request.param
    tags = Tag.objects.bulk_create(
        Tag(name=f"Tag {n}", slug=f"tag-{n}") for n in range(tags_count)
    )
    posts = bulk_posts(posts_count, tags=tags)
    FeaturedSlot.objects.bulk_create(
        FeaturedSlot(position=n + 1, post=post) for n, post in enumerate(posts[:2])
    )
    return posts


def middle_post(posts):
    return posts[len(posts) // 2].get_absolute_url()


def newest_year(posts):
    return f"/archive/{posts[0].published_at:%Y}/"


def newest_month(posts):
    return f"/archive/{posts[0].published_at:%Y/%m}/"


# (page, its URL from the blog's posts, the queries it may run). Every page
# starts with the content version, the site identity and the navigation
# pages: the cache starts empty.
BUDGETS = [
    # Featured posts with their slots, stream count, stream page, its tags.
    ("index", lambda posts: "/", 7),
    # The post, its tags, the older post, the newer post.
    ("post", middle_post, 7),
    # The tag, its post count, the page's posts, their tags.
    ("tag", lambda posts: "/tags/tag-0/", 7),
    # The tags with their counts.
    ("tag list", lambda posts: "/tags/", 4),
    # Months with counts.
    ("archive", lambda posts: "/archive/", 4),
    # The year's months, post count, page, tags.
    ("year", newest_year, 7),
    # Post count, page, tags.
    ("month", newest_month, 6),
]


@pytest.mark.parametrize(
    ("url_of", "queries"),
    [(url_of, queries) for _page, url_of, queries in BUDGETS],
    ids=[page for page, _url_of, _queries in BUDGETS],
)
def test_every_page_runs_a_fixed_number_of_queries(
    client, settings, sized_blog, django_assert_num_queries, url_of, queries
):
    # What the view asks: the page cache would answer a second request.
    settings.INKWELL_PAGE_CACHE = False
    url = url_of(sized_blog)

    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url_of", [url_of for _page, url_of, _queries in BUDGETS])
def test_every_kept_page_costs_one_query(
    client, sized_blog, django_assert_num_queries, url_of
):
    url = url_of(sized_blog)
    first = client.get(url)

    # The content version, and nothing else: the page comes from the cache.
    with django_assert_num_queries(1):
        again = client.get(url)

    assert again.status_code == 200
    assert again.content == first.content
