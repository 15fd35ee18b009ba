"""The site identity and the header's pages, read in one query."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_script_prefix
from django.urls import reverse

from blog import content_version, site_chrome
from blog.models import SiteIdentity
from tests.factories import PageFactory, SiteIdentityFactory
from tests.html import parse
from tests.images import image_bytes

pytestmark = pytest.mark.django_db


def test_the_identity_holds_every_field_the_orm_reads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    identity = SiteIdentityFactory(
        title="Ada's <Notes>",
        tagline="Tagline",
        author_name="Ada",
        author_bio="Bio\nin two lines",
        footer_text="Footer",
        default_social_image=SimpleUploadedFile(
            "share.png", image_bytes(size=(120, 63))
        ),
    )

    chrome = site_chrome.read()

    expected = SiteIdentity.objects.get(pk=identity.pk)
    for field in SiteIdentity._meta.concrete_fields:
        assert getattr(chrome.identity, field.attname) == getattr(
            expected, field.attname
        ), field.name
    assert chrome.identity.default_social_image.url == (
        expected.default_social_image.url
    )
    assert chrome.identity._state.adding is False


def test_the_navigation_lists_published_pages_in_their_order(site_identity):
    PageFactory(title="Uses", slug="uses", show_in_navigation=True, navigation_order=2)
    PageFactory(title="Now", slug="now", show_in_navigation=True, navigation_order=1)
    PageFactory(
        title="About", slug="about", show_in_navigation=True, navigation_order=2
    )
    PageFactory(title="Hidden", slug="hidden", show_in_navigation=False)
    PageFactory(title="Draft", slug="draft", show_in_navigation=True, draft=True)

    chrome = site_chrome.read()

    assert chrome.navigation == [
        ("Now", "/now/"),
        ("About", "/about/"),
        ("Uses", "/uses/"),
    ]
    assert chrome.identity.title == site_identity.title


def test_a_blog_without_pages_has_an_empty_navigation(site_identity):
    assert site_chrome.read().navigation == []


def test_a_database_without_the_identity_row_gets_one(db):
    SiteIdentity.objects.all().delete()

    chrome = site_chrome.read()

    assert chrome.identity.title == "Inkwell"
    assert SiteIdentity.objects.filter(pk=1).exists()


def test_both_come_from_one_query_kept_for_the_content_version(
    site_identity, django_assert_num_queries
):
    PageFactory(title="About", slug="about", show_in_navigation=True)

    # The content version (read once in a request), then both in one query.
    with content_version.request_scope(), django_assert_num_queries(2):
        site_chrome.load()
        assert SiteIdentity.load().title == site_identity.title
        assert site_chrome.load().navigation == [("About", "/about/")]

    site_identity.title = "Renamed"
    site_identity.save()
    assert SiteIdentity.load().title == "Renamed"


def chrome_links(response):
    """Return the addresses of the header's and footer's links, the search
    form and the head's feed links of a page.
    """
    page = parse(response)
    search = re.search(
        r'<form class="site-search"[^>]* action="([^"]*)"', page_text(response)
    )
    return {
        "links": [href for href in page.links if href in EVERY_PAGE_LINKS],
        "search": search and search.group(1),
        "feeds": page.head_links.get("alternate"),
    }


def page_text(response):
    return response.content.decode()


EVERY_PAGE_LINKS = set()


@pytest.mark.parametrize("script_name", ["", "/blog"])
def test_every_page_links_the_sites_addresses_under_its_prefix(
    client, site_identity, script_name
):
    with override_script_prefix(f"{script_name}/"):
        index, tags, archive, rss, atom = (
            reverse(f"blog:{name}")
            for name in ("index", "tag_list", "archive", "feed_rss", "feed_atom")
        )
        search = reverse("blog:search")
    EVERY_PAGE_LINKS.update({index, tags, archive, rss, atom})
    expected = {
        # The site title, the header's three links, the footer's feed.
        "links": [rss, atom, index, index, tags, archive, rss],
        "search": search,
        "feeds": [rss, atom],
    }

    for path in ("/", "/tags/", "/archive/"):
        # As a WSGI server sets it for a site mounted under SCRIPT_NAME.
        with override_script_prefix(f"{script_name}/"):
            response = client.get(path)
        assert chrome_links(response) == expected, path
    assert index == f"{script_name}/"
