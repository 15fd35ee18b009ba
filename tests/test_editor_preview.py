"""The admin's live preview is what saving stores, byte for byte."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from blog.rendering import render_post
from tests.factories import PostFactory

BODY = """\
# Why registers

Registers are the fastest memory a program has.[^1]

<!--more Keep reading-->

## The smallest program

```c
int main(void)
{
    return 0;
}
```

[^1]: Faster than any cache.
"""

EXCERPT = "Why registers *matter*.[^1]\n\n[^1]: In short.\n"

EDITED_BODY = (
    BODY.replace("return 0;", "return 1;") + "\nA new ending.[^2]\n\n[^2]: New."
)

BOGUS_POST_IDS = ["abc", "999999", "", "-1", "1.5", "١٢", "9" * 30]


def preview(client, content, **params):
    url = reverse("markdownx_markdownify")
    response = client.post(url, {"content": content}, query_params=params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_saved_posts_body_preview_is_its_stored_body_html(author_client):
    post = PostFactory(body=BODY)

    html = preview(author_client, BODY, post=post.pk, field="body")

    assert html == post.body_html
    # The ids carry the post's id, not the unsaved "preview" key.
    assert f'id="fn-{post.pk}-1"' in html
    assert f'id="h-{post.pk}-why-registers"' in html
    assert f'id="more-{post.pk}"' in html
    assert 'class="codehilite"' in html or 'class="highlight"' in html
    assert "preview" not in html


def test_a_saved_posts_excerpt_preview_is_its_stored_excerpt_html(author_client):
    post = PostFactory(body=BODY, excerpt=EXCERPT)

    html = preview(author_client, EXCERPT, post=post.pk, field="excerpt")

    assert html == post.excerpt_html
    # Rendered as the excerpt: its own ids, no cut of its own.
    assert f'id="fn-{post.pk}-excerpt-1"' in html
    assert "more-" not in html
    assert "preview" not in html


def test_the_body_preview_of_a_post_with_an_excerpt_keeps_the_continue_anchor(
    author_client,
):
    # No cut in the body, an excerpt instead: the stored body starts with
    # the anchor the excerpt's "Continue reading" link goes to.
    post = PostFactory(body="Just a body.", excerpt="A teaser.")

    html = preview(author_client, "Just a body.", post=post.pk, field="body")

    assert html == post.body_html
    assert html.startswith(f'<span id="more-{post.pk}"></span>')


def test_a_blank_excerpt_previews_the_cut_the_index_will_show(author_client):
    post = PostFactory(body=BODY, slug="why-registers")

    html = preview(author_client, "", post=post.pk, field="excerpt")

    assert html == post.excerpt_html
    assert "Registers are the fastest memory" in html
    # The footnote is defined after the cut: the link goes to the post page.
    assert f'href="/posts/why-registers/#fn-{post.pk}-1"' in html


@pytest.mark.parametrize("field", ["body", "excerpt"])
def test_an_edited_field_previews_what_saving_it_stores(author_client, field):
    post = PostFactory(body=BODY, excerpt=EXCERPT)
    edited = EDITED_BODY if field == "body" else EXCERPT + "\nMore teaser."

    html = preview(author_client, edited, post=post.pk, field=field)

    setattr(post, field, edited)
    post.save()
    post.refresh_from_db()
    assert html == getattr(post, f"{field}_html")


def test_a_new_posts_body_preview_is_rendered_without_a_post_id(author_client):
    html = preview(author_client, BODY, field="body")

    assert html == render_post(BODY).body_html
    assert 'id="fn-preview-1"' in html


def test_a_new_posts_excerpt_preview_is_rendered_as_an_excerpt(author_client):
    html = preview(author_client, EXCERPT, field="excerpt")

    assert html == render_post("", excerpt=EXCERPT).excerpt_html
    assert html == render_post(BODY, excerpt=EXCERPT).excerpt_html
    assert "more-preview" not in html  # no cut anchor: it is not a body


def test_a_preview_without_a_field_is_a_body_preview(author_client):
    post = PostFactory(body=BODY)

    assert preview(author_client, BODY, post=post.pk) == post.body_html
    assert preview(author_client, BODY) == render_post(BODY).body_html


@pytest.mark.parametrize("bogus", BOGUS_POST_IDS)
def test_a_post_id_that_names_no_post_previews_a_new_post(author_client, bogus):
    PostFactory(body=BODY, excerpt=EXCERPT)

    body = preview(author_client, BODY, post=bogus, field="body")
    excerpt = preview(author_client, EXCERPT, post=bogus, field="excerpt")

    assert body == render_post(BODY).body_html
    assert excerpt == render_post("", excerpt=EXCERPT).excerpt_html


def test_staff_who_may_not_see_the_post_get_the_new_post_preview(
    client, django_user_model
):
    post = PostFactory(body=BODY)
    adder = django_user_model.objects.create_user("adder", is_staff=True)
    adder.user_permissions.add(Permission.objects.get(codename="add_post"))
    client.force_login(adder)

    html = preview(client, "", post=post.pk, field="excerpt")

    # Not the post's stored cut: the stored body is not shown to them.
    assert html == ""


def test_an_anonymous_preview_of_a_saved_post_is_refused(client, db):
    post = PostFactory(body=BODY)

    response = client.post(
        reverse("markdownx_markdownify"),
        {"content": BODY},
        query_params={"post": post.pk, "field": "body"},
    )

    assert response.status_code == 403
    assert b"Registers" not in response.content


def test_each_editor_says_which_field_it_previews(author_client):
    post = PostFactory(body=BODY)

    response = author_client.get(reverse("admin:blog_post_change", args=[post.pk]))

    html = response.content.decode()
    assert 'data-inkwell-preview-field="body"' in html
    assert 'data-inkwell-preview-field="excerpt"' in html
