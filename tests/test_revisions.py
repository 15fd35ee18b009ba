import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from blog.models import Page, Post, Tag
from blog.revisions import text_diff
from tests.factories import PageFactory, PostFactory, TagFactory
from tests.test_admin import post_form as admin_post_form

pytestmark = pytest.mark.django_db

ADD_POST = reverse("admin:blog_post_add")
ADD_PAGE = reverse("admin:blog_page_add")


def post_form(**fields):
    """The admin's post form data, without a featured slot."""
    return admin_post_form(
        **{
            "title": "Revisions",
            "slug": "revisions",
            "body": "First line.\nSecond line.\n",
            "status": Post.Status.PUBLISHED,
            "published_at_0": "2026-01-05",
            "published_at_1": "10:00:00",
            **fields,
        }
    )


def page_form(**fields):
    data = {
        "title": "About",
        "slug": "about",
        "parent": "",
        "body": "About me.",
        "status": Page.Status.PUBLISHED,
        "navigation_order": "0",
    }
    data.update(fields)
    return data


def change_url(obj):
    return reverse(f"admin:blog_{obj._meta.model_name}_change", args=[obj.pk])


def history_url(obj):
    return reverse(f"admin:blog_{obj._meta.model_name}_history", args=[obj.pk])


def restore_url(obj, version):
    name = f"admin:blog_{obj._meta.model_name}_restore"
    return reverse(name, args=[obj.pk, version.pk])


def versions(obj):
    """The versions of obj, oldest first."""
    return list(Version.objects.get_for_object(obj).order_by("pk"))


@pytest.fixture
def edited_post(author_client):
    """A post added and then edited in the admin: two versions."""
    author_client.post(ADD_POST, post_form())
    post = Post.objects.get(slug="revisions")
    author_client.post(
        change_url(post),
        post_form(title="Revisions, edited", body="First line.\nA new line.\n"),
    )
    post.refresh_from_db()
    return post


# Versions are kept.


def test_every_admin_save_keeps_a_version_with_its_author_and_time(edited_post, author):
    kept = versions(edited_post)

    assert [v.field_dict["title"] for v in kept] == ["Revisions", "Revisions, edited"]
    assert all(v.revision.user == author for v in kept)
    assert all(v.revision.date_created is not None for v in kept)
    # What the author wrote, not the HTML made from it.
    assert "body_html" not in kept[0].field_dict


def test_a_post_made_elsewhere_keeps_its_text_before_its_first_admin_edit(
    author_client,
):
    post = PostFactory(title="Imported", slug="imported", body="Original text.")

    author_client.post(change_url(post), post_form(title="Edited", slug="imported"))

    kept = versions(post)
    assert [v.field_dict["title"] for v in kept] == ["Imported", "Edited"]
    assert kept[0].field_dict["body"] == "Original text."


def test_a_refused_save_keeps_no_version(author_client):
    author_client.post(ADD_POST, post_form(title=""))

    assert not Version.objects.exists()


def test_a_page_save_keeps_a_version(author_client, author):
    author_client.post(ADD_PAGE, page_form())

    page = Page.objects.get(slug="about")
    (version,) = versions(page)
    assert version.field_dict["body"] == "About me."
    assert version.revision.user == author


# The history and its diff.


def test_the_history_lists_each_version_with_author_time_and_diff(
    edited_post, author_client
):
    response = author_client.get(history_url(edited_post))
    html = response.content.decode()

    entries = response.context["versions"]
    assert len(entries) == 2
    # Newest first; the newest is the current text.
    assert entries[0].same_as_current
    assert not entries[1].same_as_current
    assert html.count(", by author</h3>") == 2
    # The current text needs no restoring.
    assert html.count("Restore this version") == 1
    # The older version against the current text: its lines marked −, the
    # current ones +, by sign and element, not by colour alone.
    assert '<del class="diff-line">' in html
    assert '<span class="diff-sign" aria-hidden="true">−</span> Second line.' in html
    assert '<span class="diff-sign" aria-hidden="true">+</span> A new line.' in html
    assert "Only in this version:" in html


def test_the_diff_escapes_html_in_the_text(author_client):
    author_client.post(ADD_POST, post_form(body="<script>alert(1)</script>\n"))
    post = Post.objects.get(slug="revisions")
    author_client.post(change_url(post), post_form(body="Plain now.\n"))

    html = author_client.get(history_url(post)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_text_diff_shows_changes_with_context_and_gaps():
    old = "\n".join(f"line {n}" for n in range(1, 21))
    new = old.replace("line 10", "line ten")

    lines = text_diff(old, new)

    kinds = [line.kind for line in lines]
    assert kinds[0] == "gap"
    assert ("removed", "line 10") in [(line.kind, line.text) for line in lines]
    assert ("added", "line ten") in [(line.kind, line.text) for line in lines]
    assert kinds.count("same") == 6
    assert text_diff("same", "same") == []


# Restoring.


def test_restore_saves_the_old_text_renders_it_and_keeps_a_new_version(
    edited_post, author_client
):
    first = versions(edited_post)[0]

    response = author_client.post(restore_url(edited_post, first), follow=True)

    edited_post.refresh_from_db()
    assert edited_post.title == "Revisions"
    assert edited_post.body == first.field_dict["body"] == "First line.\nSecond line."
    # Rendered again from the restored Markdown.
    assert "Second line." in edited_post.body_html
    assert "A new line." not in edited_post.body_html
    kept = versions(edited_post)
    assert len(kept) == 3
    assert kept[-1].field_dict["title"] == "Revisions"
    assert kept[-1].revision.get_comment().startswith("Restored the version of")
    assert "Restored the version of" in response.content.decode()


def test_restore_keeps_status_and_date_as_they_are_now(edited_post, author_client):
    first = versions(edited_post)[0]
    Post.objects.filter(pk=edited_post.pk).update(status=Post.Status.DRAFT)

    author_client.post(restore_url(edited_post, first))

    edited_post.refresh_from_db()
    assert edited_post.status == Post.Status.DRAFT
    assert edited_post.title == "Revisions"


def test_restore_answers_only_post(edited_post, author_client):
    first = versions(edited_post)[0]

    response = author_client.get(restore_url(edited_post, first))

    assert response.status_code == 405
    edited_post.refresh_from_db()
    assert edited_post.title == "Revisions, edited"


def test_restore_needs_a_csrf_token(edited_post, author):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    first = versions(edited_post)[0]

    response = client.post(restore_url(edited_post, first))

    assert response.status_code == 403
    edited_post.refresh_from_db()
    assert edited_post.title == "Revisions, edited"


def test_restore_of_a_version_whose_tag_was_deleted_keeps_the_others(author_client):
    kept, gone = TagFactory(name="Kept"), TagFactory(name="Gone")
    author_client.post(ADD_POST, post_form(tags=[kept.pk, gone.pk]))
    post = Post.objects.get(slug="revisions")
    author_client.post(change_url(post), post_form(body="Without tags.", tags=[]))
    gone.delete()

    response = author_client.post(restore_url(post, versions(post)[0]), follow=True)

    assert response.status_code == 200
    assert list(post.tags.all()) == [kept]
    assert "1 tag of that version no longer exists" in response.content.decode()
    assert Tag.objects.filter(name="Gone").count() == 0


def test_restore_of_a_slug_another_post_took_is_refused_with_a_message(
    edited_post, author_client
):
    first = versions(edited_post)[0]
    author_client.post(
        change_url(edited_post), post_form(title="Renamed", slug="renamed")
    )
    PostFactory(slug="revisions", title="The slug's new owner")

    response = author_client.post(restore_url(edited_post, first), follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "This version was not restored, and nothing changed" in html
    assert "Another post already uses this slug" in html
    edited_post.refresh_from_db()
    assert edited_post.slug == "renamed"


def test_restore_of_a_text_over_the_size_limit_is_refused(
    edited_post, author_client, settings
):
    first = versions(edited_post)[0]
    big = "x" * 3000
    Version.objects.filter(pk=first.pk).update(
        serialized_data=first.serialized_data.replace("Second line.", big)
    )
    settings.INKWELL_MAX_BODY_KB = 1

    response = author_client.post(restore_url(edited_post, first), follow=True)

    assert "the limit is 1 KB" in response.content.decode()
    edited_post.refresh_from_db()
    assert edited_post.title == "Revisions, edited"


def test_restore_of_an_unknown_version_says_so(edited_post, author_client):
    other = PostFactory()
    foreign = Version.objects.create(
        revision=versions(edited_post)[0].revision,
        object_id=str(other.pk + 1000),
        content_type=versions(edited_post)[0].content_type,
        db="default",
        format="json",
        serialized_data="[]",
        object_repr="x",
    )

    response = author_client.post(restore_url(edited_post, foreign), follow=True)

    assert "That version no longer exists" in response.content.decode()


def test_restore_of_a_page_renders_it_again(author_client):
    author_client.post(ADD_PAGE, page_form(body="Version *one*."))
    page = Page.objects.get(slug="about")
    author_client.post(change_url(page), page_form(body="Version two."))

    author_client.post(restore_url(page, versions(page)[0]))

    page.refresh_from_db()
    assert page.body == "Version *one*."
    assert "<em>one</em>" in page.body_html
    assert len(versions(page)) == 3


def test_only_staff_who_may_change_posts_can_restore(edited_post, client, db):
    from django.contrib.auth.models import User

    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(viewer)

    response = client.post(restore_url(edited_post, versions(edited_post)[0]))

    assert response.status_code == 403
    edited_post.refresh_from_db()
    assert edited_post.title == "Revisions, edited"


def test_the_history_of_a_page_factory_page_without_versions_says_so(author_client):
    page = PageFactory()

    html = author_client.get(history_url(page)).content.decode()

    assert "No versions yet" in html


def test_a_long_history_compares_only_the_newest_versions(author_client, monkeypatch):
    monkeypatch.setattr("blog.revision_admin.DIFFED_VERSIONS", 2)
    post = PostFactory()
    for number in range(4):
        with reversion.create_revision():
            post.body = f"Version {number}."
            post.save()

    response = author_client.get(history_url(post))

    entries = response.context["versions"]
    assert len(entries) == 4
    assert all(entry.diffs is not None for entry in entries[:2])
    assert all(entry.diffs is None for entry in entries[2:])
    assert "Only the 2 newest versions are compared" in response.content.decode()
