from io import StringIO

import pytest
from django.core.management import call_command

from blog.models import Page, Post
from tests.factories import PageFactory, PostFactory

pytestmark = pytest.mark.django_db


def rerender(*args):
    output = StringIO()
    call_command("rerender_posts", *args, stdout=output)
    return output.getvalue()


def test_rerender_stores_the_current_rendering_of_stale_posts():
    post = PostFactory(body="Some *text*.\n\n<!--more Keep on-->\n\nMore.")
    Post.objects.filter(pk=post.pk).update(
        body_html="<p>stale</p>", excerpt_html="", marker_continue_text="", word_count=0
    )

    output = rerender()

    post.refresh_from_db()
    assert output == "Re-rendered 1 posts: 1 changed.\n"
    assert post.body_html.startswith("<p>Some <em>text</em>.</p>")
    assert post.excerpt_html == "<p>Some <em>text</em>.</p>"
    assert post.marker_continue_text == "Keep on"
    assert post.word_count == 3


def test_rerender_is_idempotent():
    PostFactory.create_batch(3)

    assert rerender() == "Re-rendered 3 posts: 0 changed.\n"
    assert rerender() == "Re-rendered 3 posts: 0 changed.\n"


def test_rerender_does_not_touch_updated_at():
    post = PostFactory()
    Post.objects.filter(pk=post.pk).update(body_html="")
    updated_at = Post.objects.get(pk=post.pk).updated_at

    rerender()

    assert Post.objects.get(pk=post.pk).updated_at == updated_at


def test_rerender_reports_progress_on_large_blogs():
    PostFactory.create_batch(5)

    output = rerender("--progress-every", "2")

    assert output.splitlines() == [
        "2 of 5 posts checked, 0 changed",
        "4 of 5 posts checked, 0 changed",
        "Re-rendered 5 posts: 0 changed.",
    ]


def test_rerender_of_an_empty_blog_says_so():
    assert rerender() == "Re-rendered 0 posts: 0 changed.\n"


def test_rerender_stores_the_current_rendering_of_stale_pages_too():
    page = PageFactory(body="About *me*.")
    Page.objects.filter(pk=page.pk).update(body_html="<p>stale</p>", description="")
    PageFactory(body="Unchanged.")
    updated_at = Page.objects.get(pk=page.pk).updated_at

    output = rerender()

    page.refresh_from_db()
    assert output.splitlines()[-1] == "Re-rendered 2 pages: 1 changed."
    assert page.body_html == "<p>About <em>me</em>.</p>"
    assert page.description == "About me."
    assert page.updated_at == updated_at
    assert rerender().splitlines()[-1] == "Re-rendered 2 pages: 0 changed."
