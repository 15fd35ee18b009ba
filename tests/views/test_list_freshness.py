"""List pages built from values kept per content version (the featured
posts, the month counts, the tags: blog.version_cache) and each post's
article built in Python (blog.post_summaries): every write that changes
what a list shows shows on the very next uncached request.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache

from blog import version_cache
from blog.models import FeaturedSlot, Post, Tag
from blog.services import post_publish, post_save
from tests.factories import FeaturedSlotFactory, PostFactory, TagFactory, cut_post
from tests.html import titles

pytestmark = pytest.mark.django_db

LISTS = ["/", "/tags/python/", "/archive/2024/", "/archive/2024/03/"]
MARCH = datetime(2024, 3, 10, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def uncached_pages(settings):
    # What the view makes: the page cache would answer the second request.
    settings.INKWELL_PAGE_CACHE = False


@pytest.fixture
def python():
    return TagFactory(name="Python", slug="python")


@pytest.fixture
def post(python):
    return PostFactory(title="First", published_at=MARCH, tags=[python])


def test_a_renamed_tag_shows_its_new_name_on_every_list(client, post, python):
    for url in LISTS:
        assert ">Python</a>" in client.get(url).text

    python.name = "Snakes"
    python.save()

    for url in LISTS:
        page = client.get(url).text
        assert '<a href="/tags/python/" rel="tag">Snakes</a>' in page, url
        assert ">Python</a>" not in page, url


def test_a_tag_with_a_new_slug_is_linked_and_found_there(client, post, python):
    python.slug = "py"
    python.save()

    assert '<a href="/tags/py/" rel="tag">Python</a>' in client.get("/").text
    assert client.get("/tags/py/").status_code == 200
    assert client.get("/tags/python/").status_code == 404


def test_tags_added_and_removed_show_at_once(client, post, python):
    rust = TagFactory(name="Rust", slug="rust")
    client.get("/")

    post.tags.add(rust)
    assert ">Rust</a>" in client.get("/").text

    post.tags.remove(python)
    page = client.get("/").text
    assert ">Rust</a>" in page
    assert ">Python</a>" not in page


def test_a_deleted_tag_leaves_the_lists(client, post, python):
    client.get("/")

    python.delete()

    assert ">Python</a>" not in client.get("/").text
    assert client.get("/tags/python/").status_code == 404


def test_a_posts_tags_are_listed_by_name(client):
    tags = [TagFactory(name=name) for name in ("b", "C", "a")]
    PostFactory(tags=tags)

    page = client.get("/").text

    assert page.index(">C</a>") < page.index(">a</a>") < page.index(">b</a>")


def test_an_edited_post_shows_its_new_title_text_and_continue_link(client, post):
    client.get("/")

    post.title = "Renamed"
    post.body = "New *words*.\n\n<!--more Read on-->\n\nAfter."
    post_save(post=post)

    for url in LISTS:
        page = client.get(url).text
        assert titles(client.get(url)) == ["Renamed"], url
        assert "New <em>words</em>." in page
        assert "After." not in page
        assert f'<a href="/posts/{post.slug}/#more-{post.pk}">Read on' in page


def test_a_post_published_from_a_draft_joins_the_lists_with_its_date(client, post):
    draft = PostFactory(title="Draft", draft=True, published_at=None)
    client.get("/")

    with time_machine.travel(datetime(2024, 3, 20, 9, tzinfo=UTC), tick=False):
        post_publish(posts=Post.objects.filter(pk=draft.pk))
    page = client.get("/").text

    assert titles(client.get("/")) == ["Draft", "First"]
    assert '<time datetime="2024-03-20T09:00:00+00:00">20 March 2024</time>' in page


def test_a_scheduled_post_shows_when_its_time_comes(client, post):
    PostFactory(title="Later", published_at=MARCH + timedelta(days=5))
    with time_machine.travel(MARCH + timedelta(days=1), tick=False):
        assert titles(client.get("/")) == ["First"]
        assert titles(client.get("/archive/2024/03/")) == ["First"]

    with time_machine.travel(MARCH + timedelta(days=6), tick=False):
        assert titles(client.get("/")) == ["Later", "First"]
        assert titles(client.get("/archive/2024/03/")) == ["Later", "First"]


def test_a_featured_slot_shows_its_new_label_and_post_at_once(client, post):
    slot = FeaturedSlotFactory(post=cut_post(title="Featured"), label="Start")
    assert "Start</p>" in client.get("/").text

    slot.label = "Begin here"
    slot.save()
    assert "Begin here</p>" in client.get("/").text

    slot.post = post
    slot.save()
    assert titles(client.get("/")) == ["First", "Featured"]


def test_a_featured_post_edited_shows_its_new_title(client):
    slot = FeaturedSlotFactory(post=cut_post(title="Old"))
    client.get("/")

    slot.post.title = "New"
    post_save(post=slot.post)

    assert titles(client.get("/")) == ["New"]


def test_an_unfeatured_post_returns_to_the_stream(client, post):
    FeaturedSlotFactory(post=post)
    assert "featured-slot" in client.get("/").text

    FeaturedSlot.objects.all().delete()

    page = client.get("/").text
    assert "featured-slot" not in page
    assert titles(client.get("/")) == ["First"]


def test_titles_tags_and_continue_text_are_escaped(client):
    tag = TagFactory(name="<b>bold</b>", slug="bold")
    PostFactory(
        title="<script>x</script>",
        body="Top.\n\n<!--more <i>on</i>-->\n\nRest.",
        tags=[tag],
    )

    page = client.get("/").text

    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;</a>" in page
    assert "<b>bold</b>" not in page


def test_kept_values_are_made_once_per_content_version(django_assert_num_queries):
    calls = []

    def make():
        calls.append(1)
        return ["made"]

    assert version_cache.kept("test", make) == ["made"]
    with django_assert_num_queries(1):  # the content version, read outside a request
        assert version_cache.kept("test", make) == ["made"]
    assert len(calls) == 1

    Tag.objects.create(name="Bump")

    assert version_cache.kept("test", make) == ["made"]
    assert len(calls) == 2
    cache.clear()


def test_a_post_links_its_nearest_visible_neighbours_read_in_its_own_query(
    client, django_assert_max_num_queries
):
    old = PostFactory(title="Old", published_at=MARCH - timedelta(days=2))
    PostFactory(title="Hidden draft", draft=True, published_at=MARCH)
    middle = PostFactory(title="Middle", published_at=MARCH)
    new = PostFactory(title="New", published_at=MARCH + timedelta(days=2))
    PostFactory(title="Scheduled", scheduled=True)

    page = client.get(middle.get_absolute_url()).text
    newest = client.get(new.get_absolute_url()).text

    assert f'<a href="{old.get_absolute_url()}">Old</a>' in page
    assert f'<a href="{new.get_absolute_url()}">New</a>' in page
    assert "Hidden draft" not in page and "Scheduled" not in newest
    assert "Newer post" not in newest
    # The content version and the post with its neighbours and tags' ids.
    with django_assert_max_num_queries(2):
        client.get(middle.get_absolute_url())
