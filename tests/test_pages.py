"""Standalone pages: About, Now, Uses, at /<path>/ outside the post stream."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils.html import escape

from blog import content_version, site_chrome
from blog.models import Page
from blog.rendering import render_post
from blog.reserved_paths import reserved_first_segments
from tests.factories import PageFactory, PostFactory
from tests.test_editor_preview import preview

pytestmark = pytest.mark.django_db

# A URLconf with one route more than Inkwell's, for the test that reserved
# segments come from the URLconf itself.
urlpatterns = [
    path("shop/", lambda request: HttpResponse("shop"), name="shop"),
    path("", include("config.urls")),
]

BODY = """\
# Who writes this

Ada writes about compilers.[^1]

[^1]: And about assemblers.
"""

NAMED_IN_THE_ISSUE = [
    "tags",
    "archive",
    "feed",
    "page",
    "posts",
    "admin",
    "media",
    "static",
    "search",
    "sitemap.xml",
    "robots.txt",
    "favicon.ico",
    "markdownx",
]


def validation_messages(page):
    with pytest.raises(ValidationError) as raised:
        page.full_clean()
    return raised.value.message_dict


# The model


def test_a_blank_slug_is_made_from_the_title_in_any_script():
    assert PageFactory(title="Über uns").slug == "über-uns"
    assert PageFactory(title="!!!").slug == "untitled"


def test_a_made_slug_avoids_its_siblings_and_inkwells_routes():
    PageFactory(title="Now")

    assert PageFactory(title="Now").slug == "now-2"
    assert PageFactory(title="Archive").slug == "archive-2"


def test_a_top_level_page_answers_at_its_slug():
    page = PageFactory(slug="about")

    assert page.path == "about"
    assert page.get_absolute_url() == "/about/"


def test_a_subpage_answers_under_its_parents_path():
    about = PageFactory(slug="about")
    team = PageFactory(slug="team", parent=about)
    lead = PageFactory(slug="lead", parent=team)

    assert team.get_absolute_url() == "/about/team/"
    assert lead.get_absolute_url() == "/about/team/lead/"


def test_renaming_a_parent_moves_its_subpages_and_their_links():
    about = PageFactory(slug="about")
    team = PageFactory(slug="team", parent=about, body="![Us](us.png)")
    lead = PageFactory(slug="lead", parent=team)

    about.slug = "who"
    about.save()

    team.refresh_from_db()
    lead.refresh_from_db()
    assert team.get_absolute_url() == "/who/team/"
    assert lead.get_absolute_url() == "/who/team/lead/"
    # Relative addresses are resolved against the page's new address.
    assert 'src="/who/team/us.png"' in team.body_html


def test_the_same_slug_may_sit_under_different_parents():
    about, now = PageFactory(slug="about"), PageFactory(slug="now")
    PageFactory(slug="history", parent=about)

    PageFactory.build(slug="history", parent=now).full_clean()


def test_two_siblings_may_not_share_a_slug():
    about = PageFactory(slug="about")
    PageFactory(slug="team", parent=about)

    top_level = validation_messages(PageFactory.build(slug="about"))
    nested = validation_messages(PageFactory.build(slug="team", parent=about))

    for messages in (top_level, nested):
        assert messages["slug"] == [
            "Another page under the same parent already uses this slug. "
            "Choose a different one."
        ]


@pytest.mark.parametrize("slug", NAMED_IN_THE_ISSUE)
def test_a_top_level_page_may_not_take_an_address_of_inkwells_own(slug):
    page = PageFactory.build(slug=slug)

    # Slugs have no dots; sitemap.xml and the like fail that rule first.
    messages = validation_messages(page)["slug"]

    assert slug in reserved_first_segments()
    if "." not in slug:
        assert messages == [
            f"The address /{slug}/ belongs to Inkwell's own pages, so a "
            f"top-level page cannot use “{slug}” as its slug. Choose another "
            "slug, or put the page under a parent page."
        ]


def test_reserved_slugs_are_refused_whatever_their_letter_case():
    assert "slug" in validation_messages(PageFactory.build(slug="Tags"))


def test_a_new_route_reserves_its_first_segment_by_itself(settings):
    assert "shop" not in reserved_first_segments()
    PageFactory.build(slug="shop").full_clean()

    settings.ROOT_URLCONF = "tests.test_pages"

    assert "shop" in reserved_first_segments()
    assert "slug" in validation_messages(PageFactory.build(slug="shop"))


def test_the_media_and_static_prefixes_are_reserved_from_settings(settings):
    settings.MEDIA_URL = "/uploads/"
    settings.STATIC_URL = "/assets/"

    assert {"uploads", "assets"} <= reserved_first_segments()


def test_a_subpage_may_use_a_slug_that_is_reserved_at_the_top():
    about = PageFactory(slug="about")

    PageFactory.build(slug="feed", parent=about).full_clean()


def test_a_page_cannot_be_moved_inside_itself():
    about = PageFactory(slug="about")
    team = PageFactory(slug="team", parent=about)

    about.parent = team

    assert validation_messages(about)["parent"] == [
        "A page cannot be inside itself or one of its own subpages. Choose "
        "another parent."
    ]


def test_a_page_with_subpages_cannot_be_deleted():
    about = PageFactory(slug="about")
    PageFactory(slug="team", parent=about)

    with pytest.raises(ProtectedError):
        about.delete()


def test_saving_renders_the_body_with_the_pages_own_ids():
    page = PageFactory(body=BODY)

    assert f'id="fn-page-{page.pk}-1"' in page.body_html
    assert f'id="h-page-{page.pk}-who-writes-this"' in page.body_html
    assert page.word_count == render_post(BODY).word_count > 0
    # Without the heading's # link and the footnotes.
    assert page.description == "Who writes this Ada writes about compilers."


def test_published_pages_are_the_visible_ones():
    visible = PageFactory()
    PageFactory(draft=True)

    assert list(Page.objects.published()) == [visible]


# The public page


def test_a_published_page_shows_its_title_and_body_without_post_trimmings(
    client, settings
):
    settings.SITE_URL = "https://blog.example.com"
    page = PageFactory(title="About me", slug="about", body=BODY)

    response = client.get("/about/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="post-title">About me</h1>' in html
    assert page.body_html in html
    assert '<link rel="canonical" href="https://blog.example.com/about/">' in html
    assert (
        '<meta name="description" content="Who writes this Ada writes about '
        'compilers.">' in html
    )
    for trimming in ("Published", "min read", "Tags:", "Older post", "noindex"):
        assert trimming not in html


def test_a_subpage_answers_at_its_nested_address(client):
    about = PageFactory(slug="about")
    PageFactory(title="The team", slug="team", parent=about)

    response = client.get("/about/team/")

    assert response.status_code == 200
    assert "The team" in response.content.decode()


def test_a_pages_address_without_its_final_slash_redirects(client):
    PageFactory(slug="about")

    response = client.get("/about")

    assert response.status_code == 301
    assert response["Location"] == "/about/"


@pytest.mark.parametrize(
    "url", ["/nothing-here/", "/about/nothing-here/", "/team/", "/about/team/x/"]
)
def test_an_address_no_page_has_is_a_404(client, url):
    about = PageFactory(slug="about")
    PageFactory(slug="team", parent=about)

    assert client.get(url).status_code == 404


def test_a_draft_page_is_a_404_for_readers(client):
    PageFactory(slug="now", draft=True)

    assert client.get("/now/").status_code == 404


def test_a_published_page_under_a_draft_parent_is_visible(client):
    drafts = PageFactory(slug="drafts", draft=True)
    PageFactory(slug="done", parent=drafts)

    assert client.get("/drafts/").status_code == 404
    assert client.get("/drafts/done/").status_code == 200


def test_staff_see_a_draft_page_under_the_not_published_banner(admin_client):
    PageFactory(title="Now", slug="now", draft=True)

    response = admin_client.get("/now/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Not published." in html
    assert "This page is a draft" in html
    assert '<meta name="robots" content="noindex">' in html


def test_inkwells_own_routes_win_over_a_page_that_slipped_past_validation(client):
    # save() without full_clean(), as a careless script might.
    PageFactory(title="Shadow", slug="tags")
    PostFactory()

    assert "Shadow" not in client.get("/tags/").content.decode()


def test_pages_are_neither_in_the_stream_nor_in_the_feeds(client):
    PostFactory(title="A post")
    PageFactory(title="Standalone About", slug="about", body="Standalone words.")

    for url in ("/", "/feed/", "/feed/atom/"):
        content = client.get(url).content.decode()
        assert "A post" in content, url
        assert "Standalone" not in content, url


def test_a_page_runs_a_fixed_number_of_queries(
    client, site_identity, django_assert_num_queries
):
    PageFactory(slug="about")

    # The content version, the site identity with the navigation pages
    # (blog.site_chrome; the cache starts empty), the page.
    with django_assert_num_queries(3):
        assert client.get("/about/").status_code == 200


# The navigation


def navigation_links(client):
    html = client.get("/").content.decode()
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return nav


def test_the_header_lists_published_pages_marked_for_it_in_their_order(client):
    PageFactory(title="Uses", slug="uses", show_in_navigation=True, navigation_order=2)
    PageFactory(title="About", slug="about", show_in_navigation=True)
    PageFactory(title="Now", slug="now", show_in_navigation=True, navigation_order=1)
    PageFactory(title="Colophon", slug="colophon")
    PageFactory(title="Secret", slug="secret", show_in_navigation=True, draft=True)

    nav = navigation_links(client)

    assert nav.index('href="/about/"') < nav.index('href="/now/"')
    assert nav.index('href="/now/"') < nav.index('href="/uses/"')
    assert "Colophon" not in nav
    assert "Secret" not in nav


def test_the_header_marks_the_page_the_reader_is_on(client):
    PageFactory(title="About", slug="about", show_in_navigation=True)

    html = client.get("/about/").content.decode()

    assert '<a href="/about/" aria-current="page">About</a>' in html


def test_the_navigation_is_cached_until_a_page_changes(
    site_identity, django_assert_num_queries
):
    page = PageFactory(title="About", slug="about", show_in_navigation=True)

    # Within one request: the content version (read once), the site
    # identity with the pages (blog.site_chrome).
    with content_version.request_scope(), django_assert_num_queries(2):
        assert site_chrome.load().navigation == [("About", "/about/")]
        assert site_chrome.load().navigation == [("About", "/about/")]

    page.title = "About me"
    page.save()
    assert site_chrome.load().navigation == [("About me", "/about/")]

    Page.objects.filter(pk=page.pk).delete()
    assert site_chrome.load().navigation == []


def test_an_empty_navigation_is_cached_too(site_identity, django_assert_num_queries):
    site_chrome.load()

    # Only the content version, which a request reads anyway.
    with django_assert_num_queries(1):
        assert site_chrome.load().navigation == []


# The sitemap


def test_the_sitemap_lists_published_pages_with_lastmod(client, settings):
    settings.SITE_URL = "https://blog.example.com"
    about = PageFactory(slug="about")
    team = PageFactory(slug="team", parent=about)
    PageFactory(slug="draft", draft=True)

    root = ET.fromstring(client.get("/sitemap.xml").content)

    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        url.findtext("sm:loc", namespaces=ns): url.findtext("sm:lastmod", namespaces=ns)
        for url in root.findall("sm:url", ns)
    }
    assert entries["https://blog.example.com/about/"] == (
        about.updated_at.date().isoformat()
    )
    assert "https://blog.example.com/about/team/" in entries
    assert (
        team.updated_at.date().isoformat()
        == entries["https://blog.example.com/about/team/"]
    )
    assert "https://blog.example.com/draft/" not in entries


# The admin

ADD_PAGE = reverse("admin:blog_page_add")


def page_form(**fields):
    data = {
        "title": "About",
        "slug": "about",
        "parent": "",
        "body": BODY,
        "status": Page.Status.PUBLISHED,
        "navigation_order": "0",
    }
    data.update(fields)
    return data


def test_the_admin_adds_a_page_in_the_navigation(admin_client):
    response = admin_client.post(
        ADD_PAGE, page_form(show_in_navigation="on", navigation_order="3")
    )

    assert response.status_code == 302
    page = Page.objects.get()
    assert page.get_absolute_url() == "/about/"
    assert (page.show_in_navigation, page.navigation_order) == (True, 3)
    assert f'id="fn-page-{page.pk}-1"' in page.body_html


def test_the_admin_adds_a_subpage(admin_client):
    about = PageFactory(slug="about")

    admin_client.post(ADD_PAGE, page_form(slug="team", parent=about.pk))

    assert Page.objects.get(slug="team").get_absolute_url() == "/about/team/"


def test_the_admin_says_why_a_reserved_slug_is_refused(admin_client):
    response = admin_client.post(ADD_PAGE, page_form(slug="archive"))

    assert response.status_code == 200
    assert escape("The address /archive/ belongs to Inkwell's own pages") in (
        response.content.decode()
    )
    assert not Page.objects.exists()


def test_the_admin_changes_a_page(admin_client):
    page = PageFactory(slug="about")
    url = reverse("admin:blog_page_change", args=[page.pk])

    response = admin_client.post(url, page_form(slug="about-me", title="Me"))

    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.title, page.get_absolute_url()) == ("Me", "/about-me/")


def test_the_admin_lists_pages_with_their_address_and_navigation(admin_client):
    about = PageFactory(title="About", slug="about", show_in_navigation=True)
    PageFactory(title="Team", slug="team", parent=about, draft=True)

    html = admin_client.get(reverse("admin:blog_page_changelist")).content.decode()

    assert '<a href="/about/team/">/about/team/</a>' in html
    columns = ("title", "address", "status", "show_in_navigation", "navigation_order")
    for column in columns:
        assert f'<td class="field-{column}">' in html or column == "title"
        assert f" column-{column}" in html


def test_the_admin_searches_pages(admin_client):
    PageFactory(title="About", slug="about")
    PageFactory(title="Uses", slug="uses")

    url = reverse("admin:blog_page_changelist")
    html = admin_client.get(url, {"q": "uses"}).content.decode()

    assert "/uses/" in html
    assert "/about/" not in html


def test_the_page_editor_previews_as_a_page(admin_client):
    page = PageFactory(slug="about")

    response = admin_client.get(reverse("admin:blog_page_change", args=[page.pk]))

    html = response.content.decode()
    assert 'data-inkwell-preview-model="page"' in html
    assert 'data-inkwell-preview-field="body"' in html
    assert "js/editor.js" in html


# The editor's preview


def test_a_saved_pages_preview_is_its_stored_body_html(author_client):
    about = PageFactory(slug="about")
    page = PageFactory(slug="team", parent=about, body=BODY)

    html = preview(author_client, BODY, page=page.pk, field="body")

    assert html == page.body_html
    assert f'id="fn-page-{page.pk}-1"' in html


def test_a_new_pages_preview_has_preview_ids(author_client):
    html = preview(author_client, BODY, field="body")

    assert 'id="fn-preview-1"' in html


@pytest.mark.parametrize("bogus", ["abc", "999999", ""])
def test_a_page_id_that_names_no_page_previews_a_new_page(author_client, bogus):
    assert 'id="fn-preview-1"' in preview(author_client, BODY, page=bogus)


def test_staff_who_may_not_see_the_page_get_the_new_page_preview(
    client, django_user_model
):
    page = PageFactory(body=BODY)
    writer = django_user_model.objects.create_user("w", password="pw", is_staff=True)
    writer.user_permissions.add(Permission.objects.get(codename="change_post"))
    client.force_login(writer)

    html = preview(client, BODY, page=page.pk)

    assert 'id="fn-preview-1"' in html
