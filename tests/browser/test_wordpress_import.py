"""A blog moved in from WordPress, as a reader and its author see it."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from blog.models import Page
from tests.browser.test_authoring import body_preview, log_in, record_previews
from tests.wxr_files import fixture_path

pytestmark = pytest.mark.browser


@pytest.fixture
def imported_blog(transactional_db, django_user_model):
    django_user_model.objects.create_superuser("author", password="pw-author")
    call_command("import_wordpress", str(fixture_path("blog.xml")), stdout=StringIO())


def test_an_old_wordpress_address_leads_to_the_post_in_one_redirect(
    imported_blog, live_server, page
):
    redirects = []
    page.on(
        "response",
        lambda response: (
            300 <= response.status < 400 and redirects.append(response.status)
        ),
    )

    response = page.goto(f"{live_server.url}/blog/2016/12/11/the-stack-by-hand/")

    assert response.status == 200
    assert redirects == [301]
    assert page.url == f"{live_server.url}/posts/the-stack-by-hand/"
    expect(page.locator("h1")).to_have_text("Classic: the stack, by hand")


def test_an_imported_page_is_in_the_navigation_and_previews_in_the_editor(
    imported_blog, live_server, page
):
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation").get_by_role("link", name="About").click()
    expect(page).to_have_url(f"{live_server.url}/about/")
    expect(page.locator("main")).to_contain_text("I write about compilers.")

    about = Page.objects.get(path="about")
    log_in(page, live_server)
    previews = record_previews(page)
    page.goto(f"{live_server.url}/admin/blog/page/{about.pk}/change/")

    expect(body_preview(page).locator("strong")).to_have_text("compilers")
    assert set(previews) == {f"field=body&page={about.pk}"}
