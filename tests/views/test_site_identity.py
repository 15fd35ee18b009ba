"""What every page shares: the site identity, the language, error pages,
robots.txt, the favicon, the skip link."""

import re
from datetime import UTC, datetime

import pytest
from django.db import DatabaseError

from blog import content_version
from blog.models import Post, PostQuerySet, SiteIdentity
from tests.factories import (
    PostFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


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
    monkeypatch.setattr(content_version, "read", broken)
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


# The site's language


def test_another_language_changes_the_page_language_and_its_dates(client, settings):
    settings.LANGUAGE_CODE = "de"
    post = PostFactory(published_at=datetime(2024, 3, 5, 9, 0, tzinfo=UTC))

    page = client.get(post.get_absolute_url()).content.decode()

    assert '<html lang="de">' in page
    assert '<time datetime="2024-03-05T09:00:00+00:00">5. März 2024</time>' in page


def test_the_default_language_is_english_with_day_month_year_dates(client):
    post = PostFactory(published_at=datetime(2024, 3, 5, 9, 0, tzinfo=UTC))

    page = client.get(post.get_absolute_url()).content.decode()

    assert '<html lang="en-us">' in page
    assert '<time datetime="2024-03-05T09:00:00+00:00">5 March 2024</time>' in page


def test_the_feed_language_follows_the_setting(client, settings):
    settings.LANGUAGE_CODE = "fr"
    PostFactory()

    assert "<language>fr</language>" in client.get("/feed/").content.decode()
