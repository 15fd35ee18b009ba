"""Nothing leaks: drafts and scheduled posts (and a draft page) never reach
a reader, anonymous or logged in without staff rights, on any address the
site can produce.

Every hidden thing carries the marker "zqx" in its title, slug, body, tags
and label; one walk requests every public address (a crawl from the index,
the sitemap's entries, the feeds, every tag and archive page, old slugs and
old WordPress addresses, the editor's endpoints, media listings, error
pages) and checks that the marker appears nowhere: not in a page, a feed, a
count or a redirect.
"""

import re
from collections import deque
from datetime import timedelta
from urllib.parse import urldefrag, urlsplit

import pytest
from defusedxml import ElementTree
from django.contrib.redirects.models import Redirect
from django.test import RequestFactory
from django.utils import timezone
from django.views.defaults import page_not_found, server_error

from blog.models import FeaturedSlot, Page, Post, SlugRedirect, Tag
from tests.factories import PostFactory, TagFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

MARKER = "zqx"
SITE = "http://127.0.0.1:8000"


@pytest.fixture
def blog_with_secrets():
    """Three visible posts; a draft, a scheduled post and a draft page that
    carry the marker everywhere an author can write it.
    """
    shared = TagFactory(name="Shared", slug="shared")
    visible = [
        PostFactory(title=f"Visible {n}", tags=[shared], published_at=days(-n - 1))
        for n in range(3)
    ]
    hidden_tag = TagFactory(name="Zqx topic", slug="zqx-topic", description="zqx")
    draft = PostFactory(
        draft=True,
        title="Zqx draft",
        slug="zqx-draft",
        body="The zqx draft's body.",
        excerpt="zqx excerpt",
        continue_text="zqx more",
        tags=[shared, hidden_tag],
        published_at=days(-400),  # a year no visible post has
    )
    scheduled = PostFactory(
        title="Zqx scheduled",
        slug="zqx-scheduled",
        body="The zqx scheduled body.",
        tags=[shared, hidden_tag],
        published_at=days(800),
    )
    # A scheduled post may hold a featured slot; readers see it when due.
    FeaturedSlot.objects.create(position=1, post=scheduled, label="Zqx label")
    for post in (draft, scheduled):
        SlugRedirect.objects.create(post=post, old_slug=f"{post.slug}-old")
        Redirect.objects.create(
            site_id=1,
            old_path=f"/2016/01/{post.slug}/",
            new_path=post.get_absolute_url(),
        )
    Redirect.objects.create(
        site_id=1, old_path="/?p=77", new_path=draft.get_absolute_url()
    )
    Page.objects.create(
        title="Zqx page",
        slug="zqx-page",
        body="zqx",
        status=Page.Status.DRAFT,
        show_in_navigation=True,
    )
    return visible, [draft, scheduled]


def days(count):
    return timezone.now() + timedelta(days=count)


def public_addresses(hidden):
    """Every address a reader could ask for, beyond what links lead to."""
    addresses = ["/", "/tags/", "/archive/", "/feed/", "/feed/atom/", "/robots.txt"]
    addresses += ["/sitemap.xml", "/no-such-page/", "/media/", "/media/images/"]
    for tag in Tag.objects.all():
        path = tag.get_absolute_url()
        addresses += [path, f"{path}feed/", f"{path}feed/atom/", f"{path}page/2/"]
    for post in Post.objects.all():
        at = timezone.localtime(post.published_at)
        addresses += [f"/archive/{at:%Y}/", f"/archive/{at:%Y}/{at:%m}/"]
    for post in hidden:
        addresses += [post.get_absolute_url(), f"/posts/{post.slug}-old/"]
        addresses += [f"/2016/01/{post.slug}/", f"/2016/01/{post.slug}"]
        addresses += [f"/markdownx/markdownify/?post={post.pk}&field=body"]
    addresses += ["/?p=77", "/zqx-page/", "/page/2/", "/markdownx/upload/"]
    return addresses


def walk(client, start):
    """Request every address in start and every internal link, redirect and
    sitemap entry found on the way; return {address: response}.
    """
    seen, queue = {}, deque(start)
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen[url] = response = client.get(url)
        if "Location" in response:
            queue.append(internal(response["Location"]))
        kind = response.get("Content-Type", "")
        if kind.startswith("text/html"):
            queue += filter(None, map(internal, parse(response).links))
        elif url == "/sitemap.xml":
            root = ElementTree.fromstring(response.content)
            queue += [
                internal(loc.text) for loc in root.iter() if loc.tag.endswith("loc")
            ]
    # The editor's endpoints answer POST only.
    for url in ("/markdownx/markdownify/", "/markdownx/upload/"):
        seen[f"POST {url}"] = client.post(url, {"content": "x", "post": 1})
    return seen


def internal(link):
    link, _fragment = urldefrag(link)
    parts = urlsplit(link)
    if parts.scheme not in ("", "http", "https") or (
        parts.netloc and f"{parts.scheme}://{parts.netloc}" != SITE
    ):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def leaks(seen):
    """Return the answers that show the marker, in their body or headers."""
    found = {}
    for url, response in seen.items():
        # Adding the final slash to an address the reader typed tells them
        # nothing new.
        headers = " ".join(f"{k}: {v}" for k, v in response.items() if v != f"{url}/")
        body = b"".join(response) if response.streaming else response.content
        text = headers + body.decode(errors="replace")
        if MARKER in text.lower():
            found[url] = [
                m.group() for m in re.finditer(r".{0,40}zqx.{0,40}", text, re.I)
            ]
    return found


@pytest.fixture(params=["anonymous", "reader"])
def reader(request, client, django_user_model):
    if request.param == "reader":
        user = django_user_model.objects.create_user("reader", password="pw")
        client.force_login(user)
    return client


def test_no_draft_or_scheduled_post_leaks_anywhere(reader, blog_with_secrets):
    visible, hidden = blog_with_secrets

    seen = walk(reader, public_addresses(hidden))

    assert leaks(seen) == {}
    for post in hidden:
        assert seen[post.get_absolute_url()].status_code == 404
    # Redirects never lead to a hidden post, whatever the old address.
    hidden_urls = {post.get_absolute_url() for post in hidden}
    assert not {r["Location"] for r in seen.values() if "Location" in r} & hidden_urls
    # The walk reached every visible post and the lists.
    assert {post.get_absolute_url() for post in visible} <= set(seen)
    assert len(seen) > 40


def test_counts_leave_hidden_posts_out(reader, blog_with_secrets):
    tags = reader.get("/tags/").content.decode()
    archive = reader.get("/archive/").content.decode()

    assert re.search(r">Shared</a> <span class=\"count\">\(3 posts\)", tags)
    assert sum(map(int, re.findall(r"\((\d+) posts?\)", archive))) == 3


def test_the_error_pages_show_nothing_hidden(blog_with_secrets):
    request = RequestFactory().get("/zqx-draft/")
    pages = [page_not_found(request, Exception("gone")), server_error(request)]

    assert all(MARKER not in page.content.decode().lower() for page in pages)


def test_staff_still_follow_an_old_address_to_a_draft(author_client, blog_with_secrets):
    _visible, [draft, _scheduled] = blog_with_secrets

    response = author_client.get(f"/2016/01/{draft.slug}/")
    by_id = author_client.get("/?p=77")

    assert response.status_code == by_id.status_code == 301
    assert response["Location"] == by_id["Location"] == draft.get_absolute_url()
