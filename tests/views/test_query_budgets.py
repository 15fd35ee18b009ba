"""The same number of queries for a small and a large blog."""

import pytest
from django.core.management import call_command

from blog.models import FeaturedSlot, Tag
from tests.factories import SiteIdentityFactory, bulk_posts

pytestmark = pytest.mark.django_db


@pytest.fixture(
    scope="module", params=[(3, 2), (300, 50)], ids=["3 posts", "300 posts"]
)
def written_once(request, django_db_setup, django_db_blocker):
    """A blog of each size, written once for the module's tests of that size
    instead of once each: every test runs in a transaction that is rolled
    back, so none changes it. Each size leaves the database empty, as a test
    that commits does (Django's flush).
    """
    posts_count, tags_count = request.param
    with django_db_blocker.unblock():
        SiteIdentityFactory()
        tags = Tag.objects.bulk_create(
            Tag(name=f"Tag {n}", slug=f"tag-{n}") for n in range(tags_count)
        )
        posts = bulk_posts(posts_count, tags=tags)
        FeaturedSlot.objects.bulk_create(
            FeaturedSlot(position=n + 1, post=post) for n, post in enumerate(posts[:2])
        )
    yield posts
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def sized_blog(written_once, db):
    return written_once


def middle_post(posts):
    return posts[len(posts) // 2].get_absolute_url()


def newest_year(posts):
    return f"/archive/{posts[0].published_at:%Y}/"


def newest_month(posts):
    return f"/archive/{posts[0].published_at:%Y/%m}/"


def deep_page(posts):
    # The last page but one: deep in a large blog (the first of a small one).
    number = (len(posts) - 2) // 10 - 1
    return f"/page/{number}/" if number > 1 else "/"


def tag_last_page(posts):
    # A tag holds about one in 25 posts of the large blog: two pages.
    return "/tags/tag-1/page/2/" if len(posts) > 100 else "/tags/tag-1/"


# (page, its URL from the blog's posts, the queries it may run). Every page
# starts with the content version and the site identity with the navigation
# pages (blog.site_chrome, one query): the cache starts empty. Once they are
# cached for the version (blog.version_cache: also the featured posts, the
# month counts and the tags), a list page costs the version and its posts.
# No count is a COUNT(*) over the posts: the counts per month and per tag
# are kept by the database (blog.post_counts).
BUDGETS = [
    # Featured posts from their slots, month counts with the scheduled
    # posts' count, the stream page with its tags' ids, the tags.
    ("index", lambda posts: "/", 6),
    # The same, the page bounded by a month start.
    ("index deep page", deep_page, 6),
    # The post with its tags' ids and its older and newer posts' titles and
    # slugs, the tags.
    ("post", middle_post, 4),
    # The tags (the page's one among them), its month counts with its
    # scheduled posts' count, the page's posts with their tags' ids.
    ("tag", lambda posts: "/tags/tag-0/", 5),
    # The same, the page bounded by a month start.
    ("tag deep page", tag_last_page, 5),
    # The tags with their counts.
    ("tag list", lambda posts: "/tags/", 3),
    # Month counts with the scheduled posts' count.
    ("archive", lambda posts: "/archive/", 3),
    # Month counts, the page with its tags' ids, the tags.
    ("year", newest_year, 5),
    # Month counts, the page with its tags' ids, the tags.
    ("month", newest_month, 5),
    # The feed's validators (its posts' and the tags' newest change, in one
    # aggregate), the site identity, the site (django.contrib.sites, cached
    # once), the posts with their authors, their tags.
    ("feed", lambda posts: "/feed/", 6),
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


def test_archive_months_in_another_time_zone_take_one_query_more(
    client, sized_blog, settings, django_assert_num_queries
):
    # The posts between each month's start there and the UTC month's.
    settings.TIME_ZONE = "Europe/Berlin"

    with django_assert_num_queries(6):
        assert client.get(newest_year(sized_blog)).status_code == 200


@pytest.mark.parametrize(
    "url_of", [lambda posts: "/", lambda posts: "/tags/tag-0/", newest_month]
)
def test_a_list_page_costs_two_queries_once_its_kept_values_are(
    client, settings, sized_blog, django_assert_num_queries, url_of
):
    # Uncached pages: the site identity, navigation, featured posts, month
    # counts and tags are kept for the content version (blog.version_cache).
    settings.INKWELL_PAGE_CACHE = False
    url = url_of(sized_blog)
    client.get(url)

    # The content version, the page's posts with their tags' ids.
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
