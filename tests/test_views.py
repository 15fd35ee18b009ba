import html
import json
import re
from collections import deque
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.db import DatabaseError

from blog.models import FeaturedSlot, Post, PostQuerySet, SiteIdentity, Tag
from tests.factories import (
    FeaturedSlotFactory,
    PostFactory,
    TagFactory,
    bulk_posts,
)

pytestmark = pytest.mark.django_db

CUT_BODY = "Above the cut.\n\n<!--more-->\n\nBelow the cut."


class PageParser(HTMLParser):
    """Collect a page's links and the text of elements with given classes."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.head_links = {}
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "link" and attrs.get("rel") and attrs.get("href"):
            self.head_links.setdefault(attrs["rel"], []).append(attrs["href"])
            self.links.append(attrs["href"])


def parse(response):
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


def titles(response):
    """Return the post titles of a list page, in order."""
    found = re.findall(
        r'<h2 class="post-title"><a href="[^"]*">([^<]*)</a></h2>',
        response.content.decode(),
    )
    return [html.unescape(title) for title in found]


def cut_post(**kwargs):
    return PostFactory(body=CUT_BODY, **kwargs)


def days_ago(days):
    return datetime.now(UTC) - timedelta(days=days)


# The index


def test_featured_slots_come_first_in_position_order_under_their_labels(client):
    second = FeaturedSlotFactory(position=2, post=cut_post(title="Second"))
    first = FeaturedSlotFactory(
        position=1, post=cut_post(title="First"), label="Start here"
    )
    PostFactory(title="Stream post", published_at=days_ago(0))

    response = client.get("/")

    labels = re.findall(r'<p class="featured-label">([^<]*)</p>', response.text)
    assert titles(response) == ["First", "Second", "Stream post"]
    assert labels == ["Start here", "Featured post"]
    assert first.display_label == "Start here"
    assert second.display_label == "Featured post"


def test_a_featured_post_is_not_repeated_in_the_stream(client, settings):
    settings.INKWELL_PAGE_SIZE = 2
    featured = cut_post(title="The featured one", published_at=days_ago(0))
    FeaturedSlotFactory(post=featured)
    for n in range(3):
        PostFactory(title=f"Stream {n}", published_at=days_ago(n + 1))

    first_page = client.get("/")
    second_page = client.get("/page/2/")

    assert titles(first_page) == ["The featured one", "Stream 0", "Stream 1"]
    assert titles(second_page) == ["Stream 2"]


def test_featured_posts_show_their_excerpt_and_continue_link(client):
    post = cut_post(title="Cut", more_text="Keep reading")
    FeaturedSlotFactory(post=post)

    page = client.get("/").content.decode()

    assert "Above the cut." in page
    assert "Below the cut." not in page
    assert f'<a href="{post.continue_url}">Keep reading' in page
    assert post.continue_url == f"/posts/{post.slug}/#more-{post.pk}"


def test_a_featured_post_without_a_cut_shows_its_opening_and_a_continue_link(client):
    words = " ".join(f"word{n}" for n in range(200))
    post = PostFactory(title="Uncut", body=f"{words}\n\nThe closing paragraph.")
    FeaturedSlotFactory(post=post)

    page = client.get("/").content.decode()

    assert "word0 word1" in page
    assert "word199" not in page
    assert "The closing paragraph." not in page
    assert f'<a href="/posts/{post.slug}/">Continue reading' in page


def test_stream_posts_with_a_cut_show_the_excerpt_and_default_continue_text(client):
    post = cut_post(title="Cut")

    page = client.get("/").content.decode()

    assert "Above the cut." in page
    assert "Below the cut." not in page
    assert f'<a href="{post.continue_url}">Continue reading' in page


def test_stream_posts_without_a_cut_are_shown_whole(client):
    PostFactory(body="First paragraph.\n\nSecond paragraph.\n\n## A heading")

    page = client.get("/").content.decode()

    assert "First paragraph." in page
    assert "Second paragraph." in page
    assert "A heading" in page
    assert "Continue reading" not in page


def test_stream_posts_show_their_tags_and_date(client):
    tag = TagFactory(name="Compilers")
    post = PostFactory(tags=[tag])

    page = client.get("/").content.decode()

    assert f'<a href="/tags/{tag.slug}/" rel="tag">Compilers</a>' in page
    assert f'<time datetime="{post.published_at.isoformat()}">' in page


def test_the_index_shows_neither_drafts_nor_scheduled_posts(client):
    PostFactory(title="Visible")
    PostFactory(title="A draft", draft=True)
    scheduled = cut_post(title="Scheduled", scheduled=True)
    FeaturedSlotFactory(post=scheduled)

    response = client.get("/")

    assert titles(response) == ["Visible"]


def test_the_index_of_an_empty_blog_says_so(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "Nothing published yet." in response.content.decode()


def test_the_stream_is_newest_first_and_paginated_by_the_page_size(client, settings):
    settings.INKWELL_PAGE_SIZE = 3
    for n in range(7):
        PostFactory(title=f"Post {n}", published_at=days_ago(n))

    pages = [titles(client.get(url)) for url in ("/", "/page/2/", "/page/3/")]

    assert pages == [
        ["Post 0", "Post 1", "Post 2"],
        ["Post 3", "Post 4", "Post 5"],
        ["Post 6"],
    ]


def test_pages_link_to_their_neighbours_in_the_body_and_head(client, settings):
    settings.INKWELL_PAGE_SIZE = 1
    PostFactory.create_batch(3)

    first, middle, last = (
        parse(client.get(url)) for url in ("/", "/page/2/", "/page/3/")
    )

    assert "prev" not in first.head_links
    assert first.head_links["next"] == ["/page/2/"]
    assert middle.head_links["prev"] == ["/"]
    assert middle.head_links["next"] == ["/page/3/"]
    assert last.head_links["prev"] == ["/page/2/"]
    assert "next" not in last.head_links
    assert {"/", "/page/3/"} <= set(middle.links)


def test_page_one_redirects_to_the_index(client):
    response = client.get("/page/1/")

    assert response.status_code == 301
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "url", ["/page/0/", "/page/3/", "/page/99999999999999999999/", "/page/abc/"]
)
def test_a_bad_page_number_is_a_404(client, settings, url):
    settings.INKWELL_PAGE_SIZE = 1
    PostFactory.create_batch(2)

    assert client.get(url).status_code == 404


def test_a_page_number_in_the_query_string_is_ignored(client, settings):
    settings.INKWELL_PAGE_SIZE = 1
    PostFactory(title="Newest", published_at=days_ago(0))
    PostFactory(title="Older", published_at=days_ago(1))

    assert titles(client.get("/?page=2")) == ["Newest"]


def test_featured_slots_are_only_on_the_first_page(client, settings):
    settings.INKWELL_PAGE_SIZE = 1
    FeaturedSlotFactory(post=cut_post(title="Featured"))
    PostFactory.create_batch(2)

    assert "Featured" not in titles(client.get("/page/2/"))


def test_the_demo_index_shows_its_slots_in_order_with_their_labels(client, demo_blog):
    slots = list(FeaturedSlot.objects.select_related("post"))

    response = client.get("/")

    page = response.content.decode()
    shown = titles(response)
    assert [slot.position for slot in slots] == [1, 2, 3, 4]
    assert shown[:4] == [slot.post.title for slot in slots]
    for slot in slots:
        assert f'<a href="{slot.post.continue_url}">{slot.post.continue_text}' in page
    labels = re.findall(r'<p class="featured-label">([^<]*)</p>', page)
    assert labels == [slot.display_label for slot in slots]
    assert "Start here" in labels
    assert len(shown) == len(set(shown)), "a featured post is shown twice"


def test_the_demo_stream_shows_uncut_posts_whole(client, demo_blog):
    page = client.get("/").content.decode()

    for post in Post.objects.published().not_featured().filter(excerpt_html=""):
        assert post.body_html in page


# The post page


def test_the_post_page_shows_the_whole_post_with_its_details(client):
    tag = TagFactory(name="Assembly")
    post = cut_post(title="A post", tags=[tag])

    response = client.get(post.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="post-title">A post</h1>' in page
    assert "Above the cut." in page and "Below the cut." in page
    assert f'<time datetime="{post.published_at.isoformat()}">' in page
    assert "1 min read" in page
    assert f'<a href="{tag.get_absolute_url()}" rel="tag">Assembly</a>' in page
    assert "Updated" not in page


def test_the_post_page_says_updated_when_edited_days_after_publication(client):
    with time_machine.travel(datetime(2024, 3, 1, 12, tzinfo=UTC), tick=False):
        post = PostFactory(published_at=datetime(2024, 3, 1, 12, tzinfo=UTC))
    with time_machine.travel(datetime(2024, 3, 1, 18, tzinfo=UTC), tick=False):
        post.save()
    same_day = client.get(post.get_absolute_url()).content.decode()
    with time_machine.travel(datetime(2024, 3, 5, 9, tzinfo=UTC), tick=False):
        post.save()
    later = client.get(post.get_absolute_url()).content.decode()

    assert "Updated" not in same_day
    assert 'Updated <time datetime="2024-03-05T09:00:00+00:00">5 March 2024' in later


def test_the_post_page_links_to_the_nearest_visible_posts(client):
    oldest = PostFactory(title="Oldest", published_at=days_ago(10))
    PostFactory(title="Old draft", published_at=days_ago(8), draft=True)
    post = PostFactory(title="Middle", published_at=days_ago(5))
    PostFactory(title="Newer draft", published_at=days_ago(3), draft=True)
    newest = PostFactory(title="Newest", published_at=days_ago(1))
    PostFactory(title="Scheduled", scheduled=True)

    page = client.get(post.get_absolute_url()).content.decode()

    assert f'<a href="{oldest.get_absolute_url()}">Oldest</a>' in page
    assert f'<a href="{newest.get_absolute_url()}">Newest</a>' in page
    assert "draft" not in page and "Scheduled" not in page


def test_posts_published_at_the_same_time_still_have_neighbours(client):
    moment = days_ago(1)
    first, second, third = PostFactory.create_batch(3, published_at=moment)

    page = client.get(second.get_absolute_url()).content.decode()

    assert first.get_absolute_url() in page
    assert third.get_absolute_url() in page


def test_the_post_page_has_canonical_url_description_and_social_meta(client, settings):
    settings.SITE_URL = "https://blog.example.com"
    post = PostFactory(
        title="Meta & more",
        body="First words of the post.[^1]\n\n[^1]: A footnote.",
    )

    page = client.get(post.get_absolute_url()).content.decode()

    url = f"https://blog.example.com/posts/{post.slug}/"
    assert f'<link rel="canonical" href="{url}">' in page
    assert '<meta name="description" content="First words of the post.">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:title" content="Meta &amp; more">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta name="twitter:card" content="summary">' in page


def test_the_post_page_describes_itself_in_json_ld(client, settings, site_identity):
    settings.SITE_URL = "https://blog.example.com"
    post = PostFactory(title="</script><script>alert(1)</script> & co")

    page = client.get(post.get_absolute_url()).content.decode()

    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL
    )
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == post.title
    assert data["url"] == f"https://blog.example.com/posts/{post.slug}/"
    assert data["author"] == {"@type": "Person", "name": "Tess Author"}
    published_at = post.published_at.replace(microsecond=0)
    assert datetime.fromisoformat(data["datePublished"]) == published_at
    assert "<script>alert" not in page


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_unpublished_posts_are_a_404_for_readers(client, django_user_model, trait):
    post = PostFactory(**{trait: True})
    reader = django_user_model.objects.create_user("reader", password="pw")

    anonymous = client.get(post.get_absolute_url())
    client.force_login(reader)
    logged_in = client.get(post.get_absolute_url())

    assert anonymous.status_code == 404
    assert logged_in.status_code == 404


@pytest.mark.parametrize(
    "trait, message", [("draft", "is a draft"), ("scheduled", "is scheduled for")]
)
def test_staff_preview_unpublished_posts_under_a_banner(
    client, admin_user, trait, message
):
    post = PostFactory(title="Work in progress", **{trait: True})
    client.force_login(admin_user)

    response = client.get(post.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Not published." in page
    assert message in page
    assert '<meta name="robots" content="noindex">' in page
    assert "application/ld+json" not in page


def test_staff_see_published_posts_without_a_banner(client, admin_user):
    post = PostFactory()
    client.force_login(admin_user)

    assert "Not published." not in client.get(post.get_absolute_url()).content.decode()


def test_an_unknown_slug_is_a_404(client):
    assert client.get("/posts/no-such-post/").status_code == 404


def test_a_post_with_a_slug_in_any_script_has_a_page(client):
    post = PostFactory(title="Привет, мир")

    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    assert "Привет, мир" in response.content.decode()


# Tags


def test_the_tag_list_counts_only_visible_posts(client):
    c, asm = TagFactory(name="C"), TagFactory(name="Assembly")
    TagFactory(name="Unused")
    hidden = TagFactory(name="Hidden")
    PostFactory.create_batch(2, tags=[c])
    PostFactory(tags=[c, asm])
    PostFactory(tags=[c, hidden], draft=True)
    PostFactory(tags=[hidden], scheduled=True)

    page = client.get("/tags/").content.decode()

    assert re.findall(r'rel="tag">([^<]*)</a> <span class="count">\((\d+)', page) == [
        ("Assembly", "1"),
        ("C", "3"),
    ]
    assert "Unused" not in page and "Hidden" not in page


def test_a_tag_page_lists_its_visible_posts_with_the_tag_description(client):
    tag = TagFactory(name="Linux", description="The kernel and around it.")
    PostFactory(title="Tagged", tags=[tag])
    PostFactory(title="Untagged")
    PostFactory(title="Tagged draft", tags=[tag], draft=True)

    response = client.get(tag.get_absolute_url())

    assert titles(response) == ["Tagged"]
    assert "The kernel and around it." in response.content.decode()


def test_a_tag_page_is_paginated(client, settings):
    settings.INKWELL_PAGE_SIZE = 2
    tag = TagFactory()
    for n in range(3):
        PostFactory(title=f"Post {n}", tags=[tag], published_at=days_ago(n))

    second = client.get(f"/tags/{tag.slug}/page/2/")

    assert titles(second) == ["Post 2"]
    assert parse(second).head_links["prev"] == [f"/tags/{tag.slug}/"]
    assert client.get(f"/tags/{tag.slug}/page/1/")["Location"] == f"/tags/{tag.slug}/"
    assert client.get(f"/tags/{tag.slug}/page/3/").status_code == 404


def test_a_tag_without_visible_posts_or_unknown_is_a_404(client):
    tag = TagFactory()
    PostFactory(tags=[tag], draft=True)

    assert client.get(tag.get_absolute_url()).status_code == 404
    assert client.get("/tags/no-such-tag/").status_code == 404


# Archives


@pytest.fixture
def dated_posts():
    dates = [
        datetime(2023, 11, 2, tzinfo=UTC),
        datetime(2024, 1, 5, tzinfo=UTC),
        datetime(2024, 1, 20, tzinfo=UTC),
        datetime(2024, 3, 9, tzinfo=UTC),
    ]
    posts = [PostFactory(title=f"On {at:%Y-%m-%d}", published_at=at) for at in dates]
    PostFactory(title="Draft in 2024", published_at=dates[1], draft=True)
    return posts


def test_the_archive_lists_years_and_months_with_counts(client, dated_posts):
    page = client.get("/archive/").content.decode()

    text = re.sub(r"<[^>]+>", "", page)
    text = " ".join(text.split())
    assert "2024 (3 posts) March (1) January (2) 2023 (1 post) November (1)" in text
    assert '<a href="/archive/2024/01/">January</a>' in page
    assert '<a href="/archive/2023/">2023</a>' in page


def test_a_year_archive_lists_that_years_posts_and_months(client, dated_posts):
    response = client.get("/archive/2024/")

    assert titles(response) == ["On 2024-03-09", "On 2024-01-20", "On 2024-01-05"]
    assert '<a href="/archive/2024/03/">March</a>' in response.content.decode()


def test_a_month_archive_lists_that_months_posts(client, dated_posts):
    response = client.get("/archive/2024/01/")

    assert titles(response) == ["On 2024-01-20", "On 2024-01-05"]


def test_archive_months_follow_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    PostFactory(
        title="New Year's Eve in UTC",
        published_at=datetime(2023, 12, 31, 23, 30, tzinfo=UTC),
    )

    assert titles(client.get("/archive/2024/01/")) == ["New Year's Eve in UTC"]
    assert client.get("/archive/2023/").status_code == 404


def test_a_year_archive_is_paginated(client, settings, dated_posts):
    settings.INKWELL_PAGE_SIZE = 2

    assert titles(client.get("/archive/2024/page/2/")) == ["On 2024-01-05"]
    assert client.get("/archive/2024/page/3/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2022/",
        "/archive/2024/02/",
        "/archive/0000/",
        "/archive/9999/",
        "/archive/9999/12/",
        "/archive/2024/13/",
        "/archive/2024/00/",
        "/archive/2024/1/",
        "/archive/24/",
        "/archive/abcd/",
        "/archive/20245/",
    ],
)
def test_an_archive_without_posts_or_with_a_bad_date_is_a_404(client, dated_posts, url):
    assert client.get(url).status_code == 404


# Site identity and the rest of the site


def test_site_identity_from_the_admin_appears_on_every_page(client):
    identity = SiteIdentity.load()
    identity.title = "Edited Title"
    identity.tagline = "Edited tagline"
    identity.author_name = "Edited Author"
    identity.author_bio = "Edited bio."
    identity.footer_text = "Edited footer"
    identity.save()
    post = PostFactory(tags=[TagFactory()])

    for url in ("/", post.get_absolute_url(), "/tags/", "/archive/", "/nowhere/"):
        page = client.get(url).content.decode()
        for text in (
            "Edited Title",
            "Edited tagline",
            "Edited Author",
            "Edited bio.",
            "Edited footer",
        ):
            assert text in page, (url, text)


def test_the_author_bio_keeps_its_line_breaks_and_stays_escaped(client):
    identity = SiteIdentity.load()
    identity.author_bio = "First line.\n<b>Second</b> line."
    identity.save()

    page = client.get("/").content.decode()

    assert "First line.<br>&lt;b&gt;Second&lt;/b&gt; line." in page


def test_the_404_page_is_in_the_sites_style(client, site_identity):
    response = client.get("/no/such/page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert "Test Blog" in page
    assert '<nav class="site-nav"' in page
    assert 'rel="canonical"' not in page


def test_the_500_page_needs_neither_the_database_nor_the_site_identity(
    client, monkeypatch, django_assert_num_queries
):
    def broken(*args, **kwargs):
        raise DatabaseError("The database is down.")

    monkeypatch.setattr(PostQuerySet, "published", broken)
    monkeypatch.setattr(SiteIdentity, "load", broken)
    client.raise_request_exception = False

    with django_assert_num_queries(0):
        response = client.get("/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "/static/css/site.css" in page


def test_robots_txt_points_at_the_absolute_sitemap(client, settings):
    settings.SITE_URL = "https://blog.example.com"

    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: https://blog.example.com/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_pages_link_a_real_favicon(client):
    page = client.get("/").content.decode()
    favicon = client.get("/favicon.ico")

    assert 'href="data:,"' not in page
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert favicon.status_code == 301
    assert favicon["Location"] == "/static/favicon.ico"


def test_public_pages_have_a_skip_link_and_no_scripts_or_third_party_urls(
    client, demo_blog
):
    post = Post.objects.published().first()
    for url in ("/", post.get_absolute_url(), "/tags/", "/archive/"):
        page = client.get(url).content.decode()
        assert '<a class="skip-link" href="#content">' in page
        assert '<main id="content"' in page
        scripts = re.findall(r"<script[^>]*>", page)
        assert all('type="application/ld+json"' in tag for tag in scripts), url
        sources = re.findall(r'(?:src|href)="(https?:[^"]*)"', page)
        assert all(s.startswith("http://127.0.0.1:8000/") for s in sources), sources


# Every link resolves


def crawl(client, start_urls, limit=150):
    """Follow internal links breadth first; return {url: status} seen."""
    seen = {}
    queue = deque(start_urls)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        if response.get("Content-Type", "").startswith("text/html"):
            for link in parse(response).links:
                link = internal_path(link)
                if link and link not in seen:
                    queue.append(link)
    return seen


def internal_path(link):
    link, _fragment = urldefrag(link)
    parts = urlsplit(link)
    if parts.scheme and parts.netloc != "127.0.0.1:8000":
        return None
    if link == "" or parts.scheme == "mailto":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_every_link_from_the_index_and_a_post_page_resolves(client, demo_blog):
    post = Post.objects.published().featured().first()

    seen = crawl(client, ["/", post.get_absolute_url()])

    broken = {url: status for url, status in seen.items() if status >= 400}
    assert broken == {}
    assert len(seen) > 30
    assert {"/tags/", "/archive/", post.get_absolute_url()} <= set(seen)
    assert any(url.startswith("/archive/") and url.count("/") == 4 for url in seen)


# Query budgets: the same number of queries for a small and a large blog.


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


def test_the_index_runs_a_fixed_number_of_queries(
    client, sized_blog, django_assert_num_queries
):
    # Site identity and navigation pages (the cache starts empty), featured
    # posts with their slots, stream count, stream page, the page's tags.
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200


def test_a_post_page_runs_a_fixed_number_of_queries(
    client, sized_blog, django_assert_num_queries
):
    post = sized_blog[len(sized_blog) // 2]
    # Site identity, navigation pages, the post, its tags, the older post,
    # the newer post.
    with django_assert_num_queries(6):
        assert client.get(post.get_absolute_url()).status_code == 200


def test_a_tag_page_runs_a_fixed_number_of_queries(
    client, sized_blog, django_assert_num_queries
):
    # Site identity, navigation pages, the tag, its post count, the page's
    # posts, their tags.
    with django_assert_num_queries(6):
        assert client.get("/tags/tag-0/").status_code == 200


def test_the_tag_list_runs_a_fixed_number_of_queries(
    client, sized_blog, django_assert_num_queries
):
    # Site identity, navigation pages, the tags with their counts.
    with django_assert_num_queries(3):
        assert client.get("/tags/").status_code == 200


def test_archive_pages_run_a_fixed_number_of_queries(
    client, sized_blog, django_assert_num_queries
):
    newest = sized_blog[0].published_at
    year = f"/archive/{newest:%Y}/"
    # Site identity, navigation pages, months with counts.
    with django_assert_num_queries(3):
        assert client.get("/archive/").status_code == 200
    cache.clear()
    # Site identity, navigation pages, the year's months, post count, page,
    # tags.
    with django_assert_num_queries(6):
        assert client.get(year).status_code == 200
    cache.clear()
    # Site identity, navigation pages, post count, page, tags.
    with django_assert_num_queries(5):
        assert client.get(f"{year}{newest:%m}/").status_code == 200


def test_the_large_blog_pages_all_the_way_to_the_last(client, settings):
    bulk_posts(25)
    settings.INKWELL_PAGE_SIZE = 10

    assert len(titles(client.get("/page/3/"))) == 5
    assert client.get("/page/4/").status_code == 404


# Two posts' footnotes on one page


class IdsAndFragments(HTMLParser):
    """Collect every id on a page, repeats included, and every `#` link."""

    def __init__(self):
        super().__init__()
        self.ids, self.fragments = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if (attrs.get("href") or "").startswith("#"):
            self.fragments.append(attrs["href"][1:])


def test_two_whole_posts_with_footnote_1_on_the_index_share_no_id(client):
    body = "## Notes\n\nA claim.[^1]\n\n[^1]: The note."
    first = PostFactory(title="First", body=body, published_at=days_ago(1))
    second = PostFactory(title="Second", body=body, published_at=days_ago(2))

    page = IdsAndFragments()
    page.feed(client.get("/").content.decode())

    assert {f"fn-{first.pk}-1", f"fn-{second.pk}-1"} <= set(page.ids)
    assert {f"fnref-{first.pk}-1", f"fnref-{second.pk}-1"} <= set(page.fragments)
    assert len(page.ids) == len(set(page.ids))
    assert set(page.fragments) <= set(page.ids)
