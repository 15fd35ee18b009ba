import re
from calendar import timegm
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from io import StringIO
from zoneinfo import ZoneInfo

import feedparser
import pytest
import time_machine
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.urls import reverse

from blog.models import Post, SiteIdentity
from tests.factories import PostFactory, TagFactory, UserFactory, bulk_posts

pytestmark = pytest.mark.django_db

SITE = "https://blog.example.com"
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

# (route, feedparser's name for the format, needs a tag)
FEEDS = [
    ("blog:feed_rss", "rss20", False),
    ("blog:feed_atom", "atom10", False),
    ("blog:tag_feed_rss", "rss20", True),
    ("blog:tag_feed_atom", "atom10", True),
]

# A post with footnote references and back-links, a heading permalink, an
# uploaded image, a relative image, and links that must be left alone.
BODY = (
    "## Setup\n\n"
    "Text[^1] and [out](https://example.org/) or [mail](mailto:ada@example.com).\n\n"
    "![A chart](/media/2026/11/x.png) ![Local](local.png)\n\n"
    "[^1]: Note."
)


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver"]
    identity = SiteIdentity.load()
    identity.title = "Ada's Notes"
    identity.tagline = "Compilers, by hand."
    identity.author_name = "Ada Example"
    identity.save()
    return identity


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tag():
    return TagFactory(name="Compilers", slug="compilers")


def feed_url(route, tag=None):
    return reverse(route, kwargs={"slug": tag.slug} if tag else None)


def fetch(client, route, tag=None, **headers):
    response = client.get(feed_url(route, tag), headers=headers)
    assert response.status_code == 200, response.status_code
    # feedparser would resolve relative URLs itself and hide our mistakes.
    parsed = feedparser.parse(
        response.content, resolve_relative_uris=False, sanitize_html=False
    )
    return response, parsed


def utc(struct_time):
    return datetime.fromtimestamp(timegm(struct_time), tz=UTC)


@pytest.mark.parametrize(("route", "version", "tagged"), FEEDS)
def test_every_feed_parses_cleanly_in_its_format(
    client, frozen, tag, route, version, tagged
):
    PostFactory(tags=[tag])

    response, parsed = fetch(client, route, tag if tagged else None)

    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    assert len(parsed.entries) == 1


@pytest.mark.parametrize(("route", "version", "tagged"), FEEDS)
def test_every_item_carries_every_field(client, frozen, tag, route, version, tagged):
    author = UserFactory(first_name="Grace", last_name="Hopper")
    other = TagFactory(name="C & assembly", slug="c")
    post = PostFactory(
        title="Registers & <stacks>",
        slug="registers",
        author=author,
        body="Intro.\n\n<!--more-->\n\nThe rest.",
        published_at=NOW - timedelta(days=2),
        tags=[tag, other],
    )
    frozen.shift(timedelta(hours=1))
    post.save()  # an edit: updated_at is now later than published_at

    response, parsed = fetch(client, route, tag if tagged else None)

    [entry] = parsed.entries
    assert entry.title == "Registers & <stacks>"
    assert entry.link == f"{SITE}/posts/registers/"
    assert entry.id == f"tag:blog.example.com,2026-03-10:post-{post.pk}"
    assert entry.guidislink is False
    assert utc(entry.published_parsed) == NOW - timedelta(days=2)
    if version == "atom10":
        assert utc(entry.updated_parsed) == NOW + timedelta(hours=1)
    assert entry.author == "Grace Hopper"
    assert [t.term for t in entry.tags] == ["C & assembly", "Compilers"]
    assert entry.summary == "<p>Intro.</p>"
    assert "<p>Intro.</p>" in entry.content[0].value
    assert "<p>The rest.</p>" in entry.content[0].value


@pytest.mark.parametrize("route", ["blog:feed_rss", "blog:feed_atom"])
def test_a_post_shown_whole_has_its_body_as_summary(client, route):
    PostFactory(body="All of it.")

    response, parsed = fetch(client, route)

    [entry] = parsed.entries
    assert entry.summary == "<p>All of it.</p>"
    assert entry.content[0].value == "<p>All of it.</p>"


@pytest.mark.parametrize("route", ["blog:feed_rss", "blog:feed_atom"])
def test_an_author_without_a_full_name_signs_with_the_site_author(client, route):
    PostFactory(author=UserFactory(first_name="", last_name=""))
    PostFactory(author=None)

    response, parsed = fetch(client, route)

    assert [entry.author for entry in parsed.entries] == ["Ada Example"] * 2
    assert "author0" not in response.content.decode()


@pytest.mark.parametrize("route", ["blog:feed_rss", "blog:feed_atom"])
def test_dates_are_given_in_utc_whatever_the_time_zone(client, settings, route):
    settings.TIME_ZONE = "Asia/Kolkata"
    published = datetime(2026, 1, 5, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    PostFactory(published_at=published)

    response, parsed = fetch(client, route)

    [entry] = parsed.entries
    assert utc(entry.published_parsed) == datetime(2026, 1, 6, 4, 30, tzinfo=UTC)
    content = response.content.decode()
    assert ("Tue, 06 Jan 2026 04:30:00 +0000" in content) == (route == "blog:feed_rss")
    assert ("2026-01-06T04:30:00+00:00" in content) == (route == "blog:feed_atom")


@pytest.mark.parametrize(("route", "version", "tagged"), FEEDS)
def test_urls_inside_content_are_absolute(client, tag, route, version, tagged):
    post = PostFactory(slug="a-post", tags=[tag], body=BODY)

    response, parsed = fetch(client, route, tag if tagged else None)

    page, key = f"{SITE}/posts/a-post/", post.pk
    for html in (parsed.entries[0].content[0].value, parsed.entries[0].summary):
        assert f'href="{page}#h-{key}-setup"' in html
        assert f'href="{page}#fn-{key}-1"' in html
        assert f'href="{page}#fnref-{key}-1"' in html
        assert f'src="{SITE}/media/2026/11/x.png"' in html
        assert f'src="{page}local.png"' in html
        assert 'href="https://example.org/"' in html
        assert 'href="mailto:ada@example.com"' in html
        assert 'href="#' not in html and 'src="/' not in html


@pytest.mark.parametrize("route", ["blog:feed_rss", "blog:feed_atom"])
def test_site_feed_describes_the_site(client, frozen, route):
    PostFactory(published_at=NOW - timedelta(days=3))
    frozen.shift(timedelta(days=1))

    response, parsed = fetch(client, route)

    assert parsed.feed.title == "Ada's Notes"
    assert parsed.feed.subtitle == "Compilers, by hand."
    assert parsed.feed.link == f"{SITE}/"
    assert {"rel": "self", "href": f"{SITE}{feed_url(route)}"}.items() <= next(
        link for link in parsed.feed.links if link.rel == "self"
    ).items()
    assert parsed.feed.language == "en-us"
    # The newest change among the items (the post was saved at NOW), not the
    # time of the request.
    assert utc(parsed.feed.updated_parsed) == NOW


@pytest.mark.parametrize("route", ["blog:tag_feed_rss", "blog:tag_feed_atom"])
def test_tag_feed_describes_the_tag(client, tag, route):
    PostFactory(tags=[tag])

    response, parsed = fetch(client, route, tag)

    assert parsed.feed.title == "Ada's Notes: Compilers"
    assert parsed.feed.link == f"{SITE}/tags/compilers/"
    self_link = next(link for link in parsed.feed.links if link.rel == "self")
    assert self_link.href == f"{SITE}{feed_url(route, tag)}"


@pytest.mark.parametrize("route", ["blog:tag_feed_rss", "blog:tag_feed_atom"])
def test_tag_feed_lists_only_the_tags_posts(client, tag, route):
    tagged = PostFactory(tags=[tag])
    PostFactory(tags=[TagFactory()])
    PostFactory()

    response, parsed = fetch(client, route, tag)

    assert [entry.title for entry in parsed.entries] == [tagged.title]


def test_a_unicode_tag_has_feeds(client):
    tag = TagFactory(name="Компиляторы", slug="компиляторы")
    PostFactory(tags=[tag])

    response, parsed = fetch(client, "blog:tag_feed_atom", tag)

    assert not parsed.bozo
    assert len(parsed.entries) == 1


@pytest.mark.parametrize("route", ["blog:tag_feed_rss", "blog:tag_feed_atom"])
def test_an_unknown_tags_feed_is_not_found(client, route):
    PostFactory()

    response = client.get(reverse(route, kwargs={"slug": "nothing-here"}))

    assert response.status_code == 404


@pytest.mark.parametrize(("route", "version", "tagged"), FEEDS)
def test_drafts_and_scheduled_posts_never_appear(client, tag, route, version, tagged):
    visible = PostFactory(tags=[tag])
    PostFactory(draft=True, tags=[tag])
    PostFactory(scheduled=True, tags=[tag])
    PostFactory(draft=True, scheduled=True, tags=[tag])

    response, parsed = fetch(client, route, tag if tagged else None)

    assert [entry.title for entry in parsed.entries] == [visible.title]


@pytest.mark.parametrize(("route", "version", "tagged"), FEEDS)
def test_a_scheduled_post_appears_once_its_time_has_passed(
    client, frozen, tag, route, version, tagged
):
    scheduled = PostFactory(published_at=NOW + timedelta(hours=2), tags=[tag])
    url_tag = tag if tagged else None

    if tagged:
        # A tag with no visible post yet has no feed, as it has no page.
        assert client.get(feed_url(route, url_tag)).status_code == 404
    else:
        assert fetch(client, route, url_tag)[1].entries == []

    frozen.move_to(NOW + timedelta(hours=2, seconds=1))
    response, parsed = fetch(client, route, url_tag)

    assert [entry.title for entry in parsed.entries] == [scheduled.title]


def test_the_feed_lists_the_newest_posts_up_to_the_setting(client, settings):
    settings.INKWELL_FEED_SIZE = 2
    for days in (3, 1, 2):
        PostFactory(title=f"{days} days ago", published_at=NOW - timedelta(days=days))

    response, parsed = fetch(client, "blog:feed_rss")

    assert [entry.title for entry in parsed.entries] == ["1 days ago", "2 days ago"]


@pytest.mark.parametrize("route", ["blog:feed_rss", "blog:feed_atom"])
def test_the_guid_survives_edits_of_title_slug_and_date(client, route):
    post = PostFactory(title="First title", slug="first-slug")
    before = fetch(client, route)[1].entries[0]

    post.title = "A better title"
    post.slug = "a-better-slug"
    post.published_at -= timedelta(days=30)
    post.save()
    after = fetch(client, route)[1].entries[0]

    assert after.title == "A better title"
    assert after.link.endswith("/posts/a-better-slug/")
    assert after.id == before.id


# Conditional GET.


@pytest.mark.parametrize(("route", "version", "tagged"), FEEDS)
def test_feeds_carry_validators_and_may_be_cached(client, tag, route, version, tagged):
    PostFactory(tags=[tag])

    response, parsed = fetch(client, route, tag if tagged else None)

    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"].endswith("GMT")
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=300" in response.headers["Cache-Control"]


@pytest.mark.parametrize(
    ("validator", "header"),
    [("ETag", "If-None-Match"), ("Last-Modified", "If-Modified-Since")],
)
@pytest.mark.parametrize(("route", "version", "tagged"), FEEDS)
def test_an_unchanged_validator_gets_304_with_an_empty_body(
    client, tag, route, version, tagged, validator, header
):
    PostFactory(tags=[tag])
    url = feed_url(route, tag if tagged else None)
    first = client.get(url)

    response = client.get(url, headers={header: first.headers[validator]})

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == first.headers["ETag"]
    assert "max-age=300" in response.headers["Cache-Control"]


def test_last_modified_is_the_newest_change_among_the_items(client, frozen):
    PostFactory(published_at=NOW - timedelta(days=5))
    frozen.shift(timedelta(days=1))

    response = client.get(reverse("blog:feed_rss"))

    assert response.headers["Last-Modified"] == format_datetime(NOW, usegmt=True)


def test_editing_a_post_changes_both_validators(client, frozen):
    post = PostFactory()
    first = client.get(reverse("blog:feed_rss"))

    frozen.shift(timedelta(minutes=5))
    post.title = "Edited"
    post.save()
    response = client.get(
        reverse("blog:feed_rss"),
        headers={
            "If-None-Match": first.headers["ETag"],
            "If-Modified-Since": first.headers["Last-Modified"],
        },
    )

    assert response.status_code == 200
    assert response.headers["ETag"] != first.headers["ETag"]
    assert response.headers["Last-Modified"] != first.headers["Last-Modified"]


def test_publishing_a_post_changes_both_validators(client, frozen):
    PostFactory()
    draft = PostFactory(draft=True)
    first = client.get(reverse("blog:feed_atom"))

    frozen.shift(timedelta(minutes=5))
    draft.status = Post.Status.PUBLISHED
    draft.save()
    response = client.get(
        reverse("blog:feed_atom"),
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )

    assert response.status_code == 200
    assert response.headers["ETag"] != first.headers["ETag"]
    assert response.headers["Last-Modified"] != first.headers["Last-Modified"]


def test_a_scheduled_post_coming_due_changes_both_validators(client, frozen):
    PostFactory(published_at=NOW - timedelta(days=1))
    PostFactory(published_at=NOW + timedelta(hours=1))
    first = client.get(reverse("blog:feed_rss"))

    frozen.move_to(NOW + timedelta(hours=1))
    response = client.get(
        reverse("blog:feed_rss"),
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )

    assert response.status_code == 200
    assert response.headers["ETag"] != first.headers["ETag"]
    assert response.headers["Last-Modified"] == format_datetime(
        NOW + timedelta(hours=1), usegmt=True
    )


def test_re_rendering_a_post_changes_both_validators(client, frozen):
    post = PostFactory(published_at=NOW - timedelta(days=2))
    before = client.get(reverse("blog:feed_rss"))
    Post.objects.filter(pk=post.pk).update(body_html="<p>An older rendering.</p>")
    frozen.shift(timedelta(hours=1))

    call_command("rerender_posts", stdout=StringIO())

    after = client.get(reverse("blog:feed_atom"))
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] == format_datetime(NOW + timedelta(hours=1), True)
    stale = client.get(
        reverse("blog:feed_rss"), headers={"If-None-Match": before["ETag"]}
    )
    assert stale.status_code == 200
    entry = feedparser.parse(after.content).entries[0]
    assert utc(entry.updated_parsed) == NOW + timedelta(hours=1)


def test_renaming_a_tag_makes_conditional_gets_fetch_the_feed_again(
    client, frozen, tag
):
    PostFactory(published_at=NOW - timedelta(days=2), tags=[tag])
    before = client.get(reverse("blog:feed_rss"))
    frozen.shift(timedelta(hours=1))

    tag.name = "Code generation"
    tag.save()

    for headers in (
        {"If-None-Match": before["ETag"]},
        {"If-Modified-Since": before["Last-Modified"]},
    ):
        response = client.get(reverse("blog:feed_rss"), headers=headers)
        assert response.status_code == 200, headers
        assert "Code generation" in response.content.decode()


def test_urls_in_a_real_posts_content_are_absolute(client):
    post = PostFactory(
        slug="real",
        body=(
            "## Setup\n\nText[^1] and ![chart](/media/chart.png) and "
            "[local](notes/).\n\n<!--more-->\n\nMore.\n\n[^1]: A note."
        ),
    )

    for route in ("blog:feed_rss", "blog:feed_atom"):
        _response, parsed = fetch(client, route)
        entry = parsed.entries[0]
        content = entry.content[0].value
        hrefs = re.findall(r'(?:href|src)="([^"]+)"', content)
        assert hrefs, content
        assert all(url.startswith(("https://", "mailto:")) for url in hrefs), hrefs
        assert f"{SITE}/posts/real/#fn-{post.pk}-1" in hrefs
        assert f"{SITE}/posts/real/#fnref-{post.pk}-1" in hrefs
        assert f"{SITE}/media/chart.png" in hrefs


def test_unpublishing_a_post_changes_the_etag(client, frozen):
    PostFactory(published_at=NOW - timedelta(days=1))
    older = PostFactory(published_at=NOW - timedelta(days=2))
    first = client.get(reverse("blog:feed_rss"))

    older.delete()
    response = client.get(
        reverse("blog:feed_rss"), headers={"If-None-Match": first.headers["ETag"]}
    )

    assert response.status_code == 200
    assert response.headers["ETag"] != first.headers["ETag"]


# Query budget: the same with 3 and 300 posts.


@pytest.mark.parametrize("count", [3, 300])
@pytest.mark.parametrize(("route", "version", "tagged"), FEEDS)
def test_a_feed_runs_a_fixed_number_of_queries(
    client, settings, django_assert_num_queries, tag, count, route, version, tagged
):
    # What the view asks, so without the page cache (its budget: 1 query).
    settings.INKWELL_PAGE_CACHE = False
    bulk_posts(count, tags=[tag], tags_per_post=1, author=UserFactory())
    url = feed_url(route, tag if tagged else None)
    SiteIdentity.load()  # cached, as on any warm server
    Site.objects.get_current()  # the syndication framework's; cached too

    # The content version, one aggregate of the posts and tags for the
    # validators, [the tag,] posts with their authors and their tags' ids,
    # the tags' names.
    with django_assert_num_queries(5 if tagged else 4):
        response = client.get(url)
    # The content version: the aggregates are kept for it (blog.version_cache).
    with django_assert_num_queries(1):
        client.get(url, headers={"If-None-Match": response.headers["ETag"]})

    assert response.status_code == 200
    assert len(feedparser.parse(response.content).entries) == min(count, 20)


# Autodiscovery.


def test_every_page_links_to_the_site_feeds(client):
    post = PostFactory()

    for url in (reverse("blog:index"), post.get_absolute_url()):
        page = client.get(url).content.decode()
        rss, atom = reverse("blog:feed_rss"), reverse("blog:feed_atom")
        assert f'rss+xml" title="Ada&#x27;s Notes" href="{rss}"' in page
        assert f'atom+xml" title="Ada&#x27;s Notes (Atom)" href="{atom}"' in page
        assert "/tags/" not in page.split("</head>")[0]


def test_a_tag_page_links_to_the_tags_feeds_too(client, tag):
    PostFactory(tags=[tag])

    page = client.get(tag.get_absolute_url()).content.decode()

    assert f'href="{reverse("blog:feed_rss")}"' in page
    assert f'href="{feed_url("blog:tag_feed_rss", tag)}"' in page
    assert f'href="{feed_url("blog:tag_feed_atom", tag)}"' in page


# Each post's summary and content are escaped once and kept by the text's
# digest (blog.escaped_xml); the validators are kept per content version.


@pytest.mark.parametrize("route", ["blog:feed_rss", "blog:feed_atom"])
def test_an_edited_post_shows_its_new_text_in_the_feed(client, settings, route):
    settings.INKWELL_PAGE_CACHE = False
    post = PostFactory(title="Post", body="Old <b>&</b> text.\n\n<!--more-->\n\nTail.")
    client.get(reverse(route))

    post.body = "New <i>1 < 2</i> text.\n\n<!--more-->\n\nEnd."
    post.save()
    entry = feedparser.parse(client.get(reverse(route)).content).entries[0]

    assert "New <i>1 &lt; 2</i> text." in entry.summary
    assert "End." in entry.content[0].value
    assert "Old" not in entry.content[0].value


def test_stored_html_written_around_rendering_is_escaped_and_xml_safe(client, settings):
    settings.INKWELL_PAGE_CACHE = False
    post = PostFactory(title="Post")
    Post.objects.filter(pk=post.pk).update(
        feed_body_html="<p>bell\x07 & <b>bold</b></p>", feed_excerpt_html=""
    )

    response = client.get(reverse("blog:feed_rss"))
    parsed = feedparser.parse(response.content)

    assert not parsed.bozo
    assert parsed.entries[0].content[0].value == "<p>bell & <b>bold</b></p>"
    assert parsed.entries[0].summary == "<p>bell & <b>bold</b></p>"


def test_a_renamed_tag_is_the_feeds_new_category(client, settings):
    settings.INKWELL_PAGE_CACHE = False
    tag = TagFactory(name="Old name")
    PostFactory(tags=[tag])
    client.get(reverse("blog:feed_rss"))

    tag.name = "New name"
    tag.save()
    entry = feedparser.parse(client.get(reverse("blog:feed_rss")).content).entries[0]

    assert [category.term for category in entry.tags] == ["New name"]
