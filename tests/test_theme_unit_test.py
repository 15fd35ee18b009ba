"""WordPress's own theme unit test export (a real export of every kind of
post; tests.wxr_files.shared_path), imported once for the module: its import
takes seconds, and these tests only read what it wrote (each runs in a
transaction that is rolled back). The module leaves the database empty, as
a test that commits does (Django's flush).
"""

import pytest
from django.core.management import call_command

from blog.models import Post
from tests.test_import_wordpress import (
    assert_every_old_address_redirects_in_one_hop,
    run_import,
)
from tests.wxr_files import shared_path

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def imported_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        run_import(shared_path("theme-unit-test-data.xml"))
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def test_every_old_address_of_the_theme_unit_test_redirects_in_one_hop(client):
    assert_every_old_address_redirects_in_one_hop(client)


def test_wordpress_id_addresses_on_the_front_page_redirect(client):
    post = Post.objects.get(slug="markup-html-tags-and-formatting")
    wp_id = post.origin.rsplit(":", 1)[1]

    response = client.get(f"/?p={wp_id}")

    assert (response.status_code, response["Location"]) == (
        301,
        post.get_absolute_url(),
    )
