"""An old address (django.contrib.redirects' row) answers its redirect
before the 404 page is drawn (blog.redirect_targets.page_not_found), and an
address no row knows gets the 404 page, with one look at the rows.
"""

import pytest
from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def old_address(old_path, new_path):
    Redirect.objects.create(
        site_id=settings.SITE_ID, old_path=old_path, new_path=new_path
    )


def test_an_old_address_redirects_without_drawing_the_404_page(client):
    post = PostFactory(status="published")
    old_address("/blog/2016/12/11/old/", post.get_absolute_url())

    response = client.get("/blog/2016/12/11/old/")

    assert (response.status_code, response["Location"]) == (
        301,
        post.get_absolute_url(),
    )
    assert response.templates == []


def test_a_gone_address_answers_410_without_drawing_the_404_page(client):
    old_address("/blog/comments/feed/", "")

    response = client.get("/blog/comments/feed/")

    assert response.status_code == 410
    assert response.templates == []


def test_an_old_address_of_a_draft_stays_a_404_page_for_readers(client):
    draft = PostFactory(status="draft")
    old_address("/blog/draft/", draft.get_absolute_url())

    response = client.get("/blog/draft/")

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]


def test_an_unknown_address_gets_the_404_page_with_one_look_at_the_redirects(
    client,
):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/no-such-address/")

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    redirect_queries = [q for q in queries if "django_redirect" in q["sql"]]
    assert len(redirect_queries) == 1
