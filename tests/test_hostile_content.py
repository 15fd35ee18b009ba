"""The hostile-content corpus (tests/hostile/xss_payloads.txt) through every
author-controlled field: nothing executable is stored or served, on the
reader's pages, in the feeds, or in the admin.

tests/test_hostile_identity.py does the same for the site identity's fields
(a file of its own, so that the two long tests run side by side under
xdist); tests/browser/test_hostile_content.py loads the same pages in
Chromium.
"""

import feedparser
import pytest
from django.contrib.auth import get_user_model

from blog.models import Page, Post
from tests.hostile import payloads
from tests.hostile.blog import build_hostile_blog, import_payloads
from tests.hostile.executable import executable_constructs, served_findings

pytestmark = pytest.mark.django_db

STORED_HTML = ("body_html", "excerpt_html", "feed_body_html", "feed_excerpt_html")


def stored_findings(posts, pages):
    findings = {}
    for row in [*posts, *pages]:
        row.refresh_from_db()
        for name in STORED_HTML if isinstance(row, Post) else ("body_html",):
            found = executable_constructs(getattr(row, name))
            if found:
                findings[f"{row!r}.{name}"] = found
    return findings


def test_the_corpus_has_at_least_150_payloads_each_with_its_source():
    corpus = payloads()

    assert len(corpus) >= 150
    assert all(payload.source for payload in corpus)
    assert len({payload.text for payload in corpus}) == len(corpus)


@pytest.mark.parametrize(
    "construct",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href=" &#14; jav&#x09;ascript:alert(1)">x</a>',
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
        "<svg><animate attributeName=href values=javascript:alert(1) />",
        '<iframe srcdoc="x"></iframe>',
        '<img srcset="x 1x, data:text/html,x 2x">',
        '<form><button formaction="vbscript:x">x</button></form>',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        "<base href=//evil.example/>",
        "<style>*{}</style>",
        '<div style="width:expression(alert(1))">',
        '<script type="application/ld+json">alert(1)</script>',
    ],
)
def test_the_check_finds_each_kind_of_executable_construct(construct):
    assert executable_constructs(construct)


def test_the_check_passes_the_admins_own_scripts_and_json_data():
    html = (
        '<script src="/static/admin/js/core.js"></script>'
        '<script type="application/ld+json">{"@type": "BlogPosting"}</script>'
        '<form action="/admin/"><input name="q"></form>'
    )

    assert executable_constructs(html, admin=True) == []
    assert executable_constructs(html) == [
        "<script> {'src': '/static/admin/js/core.js'}",
        "<form> element outside the admin",
        "<input> element outside the admin",
    ]


def test_the_check_passes_the_site_search_box_once_and_nothing_else():
    search_box = (
        '<form class="site-search" role="search" action="/search/" method="get">'
        '<input type="search" id="q" name="q"><button type="submit">Search</button>'
        "</form>"
    )
    forged = '<form class="site-search" action="/search/" method="get"><input name="x">'

    assert executable_constructs(search_box) == []
    assert executable_constructs(search_box + search_box) == [
        "<form> element outside the admin",
        "<input> element outside the admin",
        "<button> element outside the admin",
    ]
    assert executable_constructs(forged) == ["<input> element outside the admin"]


# Each request costs 10 to 30 ms (an admin change form 130 ms), so the
# pages whose contexts repeat are sampled: a tag's page and feeds show its
# name and description as a post page shows its tags and the site feed its
# title; a page's page shows a title and HTML as a post's does; every change
# form uses the same widgets. Every post's page is requested (title, meta,
# JSON-LD, tags, neighbours), and every list, holding every payload.
SAMPLE_EVERY = 10
FORM_SAMPLE_EVERY = 20


def test_every_payload_in_every_field_is_stored_and_served_inert(client, settings):
    # Every post on the index and in the feeds, in one request each.
    settings.INKWELL_PAGE_SIZE = settings.INKWELL_FEED_SIZE = 1000
    blog = build_hostile_blog()
    staff = get_user_model().objects.create_superuser("editor", password="pw")

    assert stored_findings(blog.posts, blog.pages) == {}
    reader_urls = blog.reader_urls(every_tag=SAMPLE_EVERY, every_page=5)
    reader_urls += blog.tag_feed_urls(every=SAMPLE_EVERY)
    assert served_findings(client, reader_urls) == {}
    # Not vacuous: the feed the check read holds every post.
    feed = feedparser.parse(client.get("/feed/atom/").content)
    assert len(feed.entries) == len(blog.posts)
    client.force_login(staff)
    admin_urls = blog.admin_urls(every=FORM_SAMPLE_EVERY)
    assert served_findings(client, admin_urls, admin=True) == {}
    # Every field took every payload it can hold: none but the Markdown
    # ones holds the few past 100 or 200 characters.
    corpus = len(payloads())
    per_object = {k: v for k, v in blog.fields.items() if not k.startswith("site ")}
    assert per_object["post body"] == per_object["image alt text"] == corpus
    assert min(per_object.values()) >= corpus - 15


def test_an_imported_export_full_of_payloads_is_stored_and_served_inert(
    client, tmp_path
):
    posts = import_payloads(tmp_path)

    assert len(posts) == len(payloads())
    assert stored_findings(posts, Page.objects.none()) == {}
    # The stored check read every post; the served one reads the lists and
    # every fifth post's page (their contexts are those of any post).
    urls = ["/", "/feed/", "/feed/atom/"]
    urls += [post.get_absolute_url() for post in posts[::5]]
    assert served_findings(client, urls) == {}
