"""The admin is named after the blog, and staff find an Edit link on the
public post and page views."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Page, SiteIdentity
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_site():
    identity = SiteIdentity.load()
    identity.title = "Low Level Notes"
    identity.save()
    return identity


def title_and_header(html):
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    header = re.search(r'<div id="site-name">(.*?)</div>', html, re.S).group(1)
    return title, header


def test_the_admins_header_and_page_titles_use_the_site_title(
    author_client, named_site
):
    for url in ("/admin/", "/admin/blog/post/", "/admin/blog/post/add/"):
        html = author_client.get(url).text
        title, header = title_and_header(html)

        assert title.endswith("| Low Level Notes"), url
        assert "Low Level Notes" in header
        assert "Django" not in title + header


def test_the_login_page_uses_the_site_title(client, named_site):
    title, header = title_and_header(client.get("/admin/login/").text)

    assert "Low Level Notes" in title and "Low Level Notes" in header


def test_a_new_site_title_shows_at_once(author_client, named_site):
    author_client.get("/admin/")
    named_site.title = "Notes from the garden"
    named_site.save()

    _title, header = title_and_header(author_client.get("/admin/").text)

    assert "Notes from the garden" in header


def test_the_site_title_costs_the_admin_no_query_once_cached(author_client, named_site):
    author_client.get("/admin/")  # the identity is now in the cache

    with CaptureQueriesContext(connection) as queries:
        author_client.get("/admin/")

    # (The admin's "add" permission for the one row still asks whether it
    # exists; that is not the title's.)
    assert not [q for q in queries if '"blog_siteidentity"."title"' in q["sql"]]


def edit_links(html):
    return re.findall(r'<a href="(/admin/blog/[^"]+)">Edit</a>', html)


def test_staff_see_an_edit_link_on_a_post(author_client):
    post = PostFactory()

    html = author_client.get(post.get_absolute_url()).text

    assert edit_links(html) == [f"/admin/blog/post/{post.pk}/change/"]


def test_staff_see_an_edit_link_on_a_draft_they_preview(author_client):
    post = PostFactory(draft=True)

    html = author_client.get(post.get_absolute_url()).text

    assert edit_links(html) == [f"/admin/blog/post/{post.pk}/change/"]


def test_staff_see_an_edit_link_on_a_page(author_client):
    page = Page.objects.create(title="About", body="Me.", status="published")

    html = author_client.get(page.get_absolute_url()).text

    assert edit_links(html) == [f"/admin/blog/page/{page.pk}/change/"]


def test_readers_never_get_the_edit_link(client, django_user_model):
    post = PostFactory()
    page = Page.objects.create(title="About", body="Me.", status="published")
    reader = django_user_model.objects.create_user("reader", password="pw")

    urls = (post.get_absolute_url(), page.get_absolute_url())
    anonymous = [client.get(url).text for url in urls]
    client.force_login(reader)
    logged_in = [client.get(url).text for url in urls]

    for html in anonymous + logged_in:
        assert "/admin/" not in html
        assert ">Edit<" not in html
