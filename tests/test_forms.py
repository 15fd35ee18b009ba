"""The admin's post form: the size limit and render failures, shown beside
the field with the author's text kept; the preview refuses the same way.
"""

import pytest
from django.urls import reverse

from blog import forms
from blog.models import Page, Post
from tests.test_admin import ADD_POST, post_form

pytestmark = pytest.mark.django_db

TOO_LARGE = "This text is 2 KB; the limit is 1 KB. Shorten it, or split it"


@pytest.fixture
def one_kb_limit(settings):
    settings.INKWELL_MAX_BODY_KB = 1


@pytest.mark.parametrize("field", ["body", "excerpt"])
def test_text_over_the_limit_is_refused_beside_its_field_and_kept(
    admin_client, one_kb_limit, field
):
    text = "x" * 1025

    response = admin_client.post(ADD_POST, post_form(**{field: text}))

    form = response.context["adminform"].form
    assert TOO_LARGE in " ".join(form.errors[field])
    assert form[field].value() == text
    assert not Post.objects.exists()


def test_the_limit_counts_utf8_bytes_not_characters(admin_client, one_kb_limit):
    response = admin_client.post(ADD_POST, post_form(body="é" * 600))

    assert TOO_LARGE in " ".join(response.context["adminform"].form.errors["body"])


def test_text_at_the_limit_is_saved(admin_client, one_kb_limit):
    response = admin_client.post(ADD_POST, post_form(body="x" * 1024))

    assert response.status_code == 302
    assert Post.objects.get().body == "x" * 1024


def test_a_render_failure_is_shown_beside_the_field_and_the_text_kept(
    admin_client, monkeypatch
):
    def failing_render(*args, **kwargs):
        raise RecursionError("a bug in the pipeline")

    # The one stand-in: no real input is known to fail, which is the point.
    monkeypatch.setattr(forms, "render_post", failing_render)

    response = admin_client.post(ADD_POST, post_form(body="Some *text*."))

    form = response.context["adminform"].form
    assert "could not be turned into HTML" in " ".join(form.errors["body"])
    assert form["body"].value() == "Some *text*."
    assert not Post.objects.exists()


def test_the_preview_refuses_text_over_the_limit_with_the_same_message(
    author_client, one_kb_limit
):
    response = author_client.post(
        reverse("markdownx_markdownify"), {"content": "x" * 2048}
    )

    assert response.status_code == 400
    assert TOO_LARGE in response.content.decode()


def test_a_page_body_over_the_limit_is_refused_beside_its_field_and_kept(
    admin_client, one_kb_limit
):
    text = "x" * 1025

    response = admin_client.post(
        reverse("admin:blog_page_add"),
        {"title": "About", "slug": "about", "body": text, "status": "draft",
         "navigation_order": 0},
    )  # fmt: skip

    form = response.context["adminform"].form
    assert TOO_LARGE in " ".join(form.errors["body"])
    assert form["body"].value() == text
    assert not Page.objects.exists()
