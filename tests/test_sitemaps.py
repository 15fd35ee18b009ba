import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache

from blog.models import Tag
from tests.factories import PostFactory, TagFactory, bulk_posts

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_entries(client):
    """Return {location: lastmod} from /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://blog.example.com"


def test_the_sitemap_lists_visible_posts_with_lastmod(client):
    visible = PostFactory(title="Visible")
    draft = PostFactory(title="Draft", draft=True)
    scheduled = PostFactory(title="Scheduled", scheduled=True)

    entries = sitemap_entries(client)

    url = f"https://blog.example.com/posts/{visible.slug}/"
    assert entries[url] == visible.updated_at.date().isoformat()
    assert not any(draft.slug in loc or scheduled.slug in loc for loc in entries)


def test_the_sitemap_lists_tags_with_visible_posts_only(client):
    used, unused, hidden = TagFactory(), TagFactory(), TagFactory()
    PostFactory(tags=[used])
    PostFactory(tags=[hidden], draft=True)

    entries = sitemap_entries(client)

    assert f"https://blog.example.com/tags/{used.slug}/" in entries
    assert not any(
        f"/tags/{tag.slug}/" in loc for tag in (unused, hidden) for loc in entries
    )


def test_the_sitemap_lists_the_year_and_month_archives(client):
    PostFactory(published_at=datetime(2023, 5, 1, tzinfo=UTC))
    PostFactory(published_at=datetime(2024, 2, 1, tzinfo=UTC))
    PostFactory(published_at=datetime(2022, 1, 1, tzinfo=UTC), draft=True)

    archives = {
        loc.removeprefix("https://blog.example.com")
        for loc in sitemap_entries(client)
        if "/archive/" in loc
    }

    assert archives == {
        "/archive/",
        "/archive/2023/",
        "/archive/2023/05/",
        "/archive/2024/",
        "/archive/2024/02/",
    }


def test_every_sitemap_entry_has_a_lastmod_and_resolves(client, demo_blog):
    entries = sitemap_entries(client)

    assert len(entries) > 30
    for location, lastmod in entries.items():
        assert lastmod, location
        path = location.removeprefix("https://blog.example.com")
        assert path != location
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("posts_count, tags_count", [(3, 2), (300, 50)])
def test_the_sitemap_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, posts_count, tags_count
):
    tags = Tag.objects.bulk_create(
        Tag(name=f"Tag {n}", slug=f"tag-{n}") for n in range(tags_count)
    )
    bulk_posts(posts_count, tags=tags)
    cache.clear()
    # The sitemap framework's current Site, cached as on any warm server.
    Site.objects.get_current()

    # The content version; pages: the newest change; posts: count and page;
    # tags: count and page; archives: the months; standalone pages: the
    # published ones.
    with django_assert_num_queries(8):
        assert client.get("/sitemap.xml").status_code == 200
