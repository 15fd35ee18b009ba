"""Images without alt text: the finder, and the admin's warning on publishing."""

import time

import pytest
from django.contrib.messages import WARNING
from django.urls import reverse

from blog.alt_text import images_without_alt, missing_alt_warning
from blog.models import Post
from tests.test_admin import post_form


@pytest.mark.parametrize(
    "markdown, missing",
    [
        ("![](/media/a.png)", ["/media/a.png"]),
        ("![ ](/media/a.png 'A title')", ["/media/a.png"]),
        ("![](</media/a b.png>)", ["/media/a b.png"]),
        ("Text ![][diagram]\n\n[diagram]: /media/d.png", [""]),
        ("![A cat asleep](/media/cat.png)", []),
        ("![](/media/a.png) and ![](/media/b.png)", ["/media/a.png", "/media/b.png"]),
        ('<img src="/media/a.png">', ["/media/a.png"]),
        ("<IMG SRC='/media/a.png' width=3>", ["/media/a.png"]),
        ('<img src="/media/a.png" alt="A chart">', []),
        # An empty alt in HTML marks a decoration on purpose.
        ('<img src="/media/a.png" alt="">', []),
        ("<img>", [""]),
        # Code shows Markdown; it is no image.
        ("```md\n![](/media/a.png)\n```\n", []),
        ("~~~~\n![](/media/a.png)\n~~~\nstill code\n~~~~\n![](/b.png)", ["/b.png"]),
        ("Write `![](/media/a.png)` for an image.", []),
        ("``![](x) ` ``, then ![](/b.png)", ["/b.png"]),
        ("An unclosed ` backtick ![](/b.png)", ["/b.png"]),
        ("```\nnever closed\n![](/media/a.png)", []),
        (r"\![](/media/a.png) is a link", []),
        ("[](/empty-link) and ![alt][] and []", []),
        ("", []),
    ],
)
def test_images_without_alt_text_are_found(markdown, missing):
    assert images_without_alt(markdown) == missing


def test_finding_is_linear_on_hostile_text():
    hostile = "`" * 50_000 + "<img" * 50_000 + "![](" * 50_000 + "\n```\n" * 10_000

    started = time.perf_counter()
    images_without_alt(hostile)

    assert time.perf_counter() - started < 1.0


def test_the_warning_counts_and_names_the_images():
    text = "".join(f"![](/media/{n}.png)\n" for n in range(5))

    warning = missing_alt_warning(text, '<img src="/media/x.png" alt="">')

    assert warning.startswith("5 images in this post have no alt text")
    assert "/media/0.png, /media/1.png, /media/2.png and 2 more." in warning
    assert missing_alt_warning("![Described](/a.png)", "") == ""


ADD_POST = reverse("admin:blog_post_add")


def warnings_of(response):
    return [
        str(message)
        for message in response.context["messages"]
        if message.level == WARNING
    ]


@pytest.mark.django_db
def test_publishing_a_post_with_an_undescribed_image_warns_but_saves(admin_client):
    response = admin_client.post(
        ADD_POST,
        post_form(status=Post.Status.PUBLISHED, body="Look:\n\n![](/media/a.png)"),
        follow=True,
    )

    assert Post.objects.get(slug="a-post").status == Post.Status.PUBLISHED
    (warning,) = warnings_of(response)
    assert "1 image in this post has no alt text" in warning
    assert "/media/a.png" in warning


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, body",
    [
        (Post.Status.DRAFT, "![](/media/a.png)"),
        (Post.Status.PUBLISHED, "![A chart of speeds](/media/a.png)"),
    ],
)
def test_a_draft_or_described_images_bring_no_warning(admin_client, status, body):
    response = admin_client.post(
        ADD_POST, post_form(status=status, body=body), follow=True
    )

    assert Post.objects.filter(slug="a-post").exists()
    assert warnings_of(response) == []


@pytest.mark.django_db
def test_an_undescribed_image_in_the_excerpt_warns_too(admin_client):
    response = admin_client.post(
        ADD_POST,
        post_form(status=Post.Status.PUBLISHED, excerpt="<img src=/media/e.png>"),
        follow=True,
    )

    assert "/media/e.png" in warnings_of(response)[0]
