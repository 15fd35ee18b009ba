from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from blog.models import FeaturedSlot, Post, Tag
from tests.factories import FeaturedSlotFactory, PostFactory, TagFactory, bulk_posts

pytestmark = pytest.mark.django_db

ADD_POST = reverse("admin:blog_post_add")
CHANGELIST = reverse("admin:blog_post_changelist")
ADD_SLOT = reverse("admin:blog_featuredslot_add")


def post_form(**fields):
    """Return the admin's add/change form data for a post, with its slot."""
    slot = fields.pop("slot", {})
    data = {
        "title": "A post",
        "slug": "a-post",
        "body": "Some text.",
        "excerpt": "",
        "continue_text": "",
        "status": Post.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "featured_slot-TOTAL_FORMS": "1",
        "featured_slot-INITIAL_FORMS": "0",
        "featured_slot-MIN_NUM_FORMS": "0",
        "featured_slot-MAX_NUM_FORMS": "1",
        "featured_slot-0-position": slot.get("position", ""),
        "featured_slot-0-label": slot.get("label", ""),
    }
    data.update(fields)
    return data


def errors_of(response):
    """Return every error message on an admin form page, as one string."""
    context = response.context
    messages = [str(e) for e in context["adminform"].form.errors.values()]
    for formset in context.get("inline_admin_formsets", []):
        messages += [str(e) for e in formset.formset.errors]
        messages += [str(e) for e in formset.formset.non_form_errors()]
    return " ".join(messages)


# The form.


def test_the_post_form_puts_writing_first_and_uses_the_editor(admin_client):
    response = admin_client.get(ADD_POST)

    html = response.content.decode()
    fieldsets = response.context["adminform"].form.fields
    assert list(fieldsets)[:3] == ["title", "slug", "body"]
    assert html.index('name="body"') < html.index('name="status"')
    assert 'class="markdownx"' in html
    assert "markdownx-editor" in html
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in html
    assert "/static/css/site.css" in html  # the preview frame's stylesheets
    assert "/static/js/editor.js" in html
    assert "/static/css/editor.css" in html
    # Help about the cut marker shows the marker, not an HTML comment.
    assert "&lt;!--more--&gt;" in html
    assert "<!--more-->" not in html


def test_the_slug_is_prefilled_from_the_title(admin_client):
    response = admin_client.get(ADD_POST)

    [prepopulated] = response.context["prepopulated_fields"]
    assert prepopulated["field"].name == "slug"
    assert [field.name for field in prepopulated["dependencies"]] == ["title"]


def test_tags_use_autocomplete_with_an_add_button(admin_client):
    html = admin_client.get(ADD_POST).content.decode()

    assert "admin-autocomplete" in html
    assert 'id="add_id_tags"' in html


def test_tag_autocomplete_finds_tags_by_name(admin_client):
    TagFactory(name="Assembly")
    TagFactory(name="Python")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "blog",
            "model_name": "post",
            "field_name": "tags",
            "term": "asse",
        },
    )

    assert [r["text"] for r in response.json()["results"]] == ["Assembly"]


def test_a_new_post_belongs_to_whoever_wrote_it(admin_client, admin_user):
    admin_client.post(ADD_POST, post_form())

    assert Post.objects.get().author == admin_user


def test_saving_as_draft_keeps_the_post_from_readers(admin_client, client):
    admin_client.post(ADD_POST, post_form(status="draft"))

    post = Post.objects.get()
    assert post.state == "draft"
    assert client.get(post.get_absolute_url()).status_code == 404


@time_machine.travel("2025-05-01 09:00Z", tick=False)
def test_publishing_without_a_date_publishes_now(admin_client):
    admin_client.post(ADD_POST, post_form(status="published"))

    post = Post.objects.get()
    assert post.published_at == timezone.now()
    assert post.state == "published"


def test_publishing_with_a_future_date_schedules(admin_client):
    admin_client.post(
        ADD_POST,
        post_form(
            status="published",
            published_at_0="2999-01-01",
            published_at_1="08:00:00",
        ),
    )

    assert Post.objects.get().state == "scheduled"


def test_a_post_and_its_featured_slot_are_saved_together(admin_client):
    response = admin_client.post(
        ADD_POST,
        post_form(status="published", slot={"position": "1", "label": "Start here"}),
    )

    assert response.status_code == 302
    slot = FeaturedSlot.objects.get()
    assert (slot.position, slot.label, slot.post.title) == (1, "Start here", "A post")


def test_featuring_a_draft_from_its_form_is_refused_with_a_message(admin_client):
    response = admin_client.post(
        ADD_POST, post_form(status="draft", slot={"position": "1"})
    )

    assert response.status_code == 200
    assert "Only a published post can be featured" in errors_of(response)
    assert "Only a published post can be featured" in response.content.decode()
    assert not Post.objects.exists()


def test_making_a_featured_post_a_draft_in_its_form_says_to_free_its_slot(
    admin_client,
):
    slot = FeaturedSlotFactory(position=3)
    form = post_form(status="draft", title=slot.post.title, slug=slot.post.slug)
    form.update(
        {
            "featured_slot-TOTAL_FORMS": "1",
            "featured_slot-INITIAL_FORMS": "1",
            "featured_slot-0-id": str(slot.pk),
            "featured_slot-0-post": str(slot.post.pk),
            "featured_slot-0-position": "3",
            "featured_slot-0-label": "",
        }
    )

    response = admin_client.post(f"/admin/blog/post/{slot.post.pk}/change/", form)

    assert response.status_code == 200
    assert "tick “Delete” on its featured slot" in response.content.decode()
    assert Post.objects.get(pk=slot.post.pk).status == Post.Status.PUBLISHED

    form["featured_slot-0-DELETE"] = "on"
    response = admin_client.post(f"/admin/blog/post/{slot.post.pk}/change/", form)

    assert response.status_code == 302
    assert Post.objects.get(pk=slot.post.pk).status == Post.Status.DRAFT
    assert not FeaturedSlot.objects.exists()


def test_a_taken_position_in_the_post_form_is_refused_with_a_message(admin_client):
    FeaturedSlotFactory(position=1)

    response = admin_client.post(
        ADD_POST, post_form(status="published", slot={"position": "1"})
    )

    assert "Another post already holds this position" in errors_of(response)


def test_changing_the_slug_in_the_admin_leaves_a_redirect(admin_client, client):
    post = PostFactory(title="A post", slug="a-post")

    admin_client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_form(
            slug="a-better-slug",
            status="published",
            published_at_0=post.published_at.strftime("%Y-%m-%d"),
            published_at_1=post.published_at.strftime("%H:%M:%S"),
        ),
    )

    assert client.get("/posts/a-post/")["Location"] == "/posts/a-better-slug/"


def test_view_on_site_for_a_draft_leads_to_its_own_address(admin_client):
    post = PostFactory(draft=True, slug="secret")
    content_type = ContentType.objects.get_for_model(Post)

    response = admin_client.get(
        reverse("admin:view_on_site", args=[content_type.pk, post.pk])
    )

    assert response["Location"].endswith("/posts/secret/")


def test_view_on_site_for_a_draft_opens_the_staff_preview(admin_client):
    post = PostFactory(draft=True, slug="secret")

    assert admin_client.get(post.get_absolute_url()).status_code == 200


# The list.


def row_of(html, title):
    [row] = [row for row in html.split("<tr") if f">{title}</a>" in row]
    return row


def test_the_list_shows_computed_status_featured_position_and_tags(admin_client):
    python = TagFactory(name="Python")
    PostFactory(title="Drafted", draft=True)
    PostFactory(title="Coming", scheduled=True)
    featured = PostFactory(title="Out", tags=[python, TagFactory(name="C")])
    FeaturedSlotFactory(post=featured, position=2)

    html = admin_client.get(CHANGELIST).content.decode()

    rows = {title: row_of(html, title) for title in ["Drafted", "Coming", "Out"]}
    assert ">Draft<" in rows["Drafted"]
    assert ">Scheduled<" in rows["Coming"]
    assert ">Published<" in rows["Out"]
    assert 'class="field-featured_position">2<' in rows["Out"]
    assert "C, Python" in rows["Out"]
    drafted = Post.objects.get(title="Drafted")
    assert f'<a href="/posts/{drafted.slug}/">Preview</a>' in rows["Drafted"]
    assert f'<a href="/posts/{featured.slug}/">View</a>' in rows["Out"]


@pytest.mark.parametrize(
    ("state", "titles"),
    [
        ("draft", {"Drafted"}),
        ("scheduled", {"Coming"}),
        ("published", {"Out"}),
    ],
)
def test_the_list_filters_by_computed_status(admin_client, state, titles):
    PostFactory(title="Drafted", draft=True)
    PostFactory(title="Coming", scheduled=True)
    PostFactory(title="Out")

    response = admin_client.get(CHANGELIST, {"state": state})

    shown = {post.title for post in response.context["cl"].result_list}
    assert shown == titles


def test_the_list_searches_titles_and_bodies(admin_client):
    PostFactory(title="About registers", body="The x86 has few.")
    PostFactory(title="About gardens")

    response = admin_client.get(CHANGELIST, {"q": "x86"})

    assert [p.title for p in response.context["cl"].result_list] == ["About registers"]


def test_the_list_has_a_date_hierarchy(admin_client):
    PostFactory(published_at=timezone.now().replace(year=2021))
    PostFactory(published_at=timezone.now().replace(year=2023))

    html = admin_client.get(CHANGELIST).content.decode()

    assert 'class="toplinks"' in html
    assert "?published_at__year=2021" in html
    assert "?published_at__year=2023" in html


def test_the_list_of_10000_posts_runs_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    tags = TagFactory.create_batch(5)
    posts = bulk_posts(10_000, tags=tags, step=timedelta(hours=1), drafts=3)
    FeaturedSlot.objects.bulk_create(
        FeaturedSlot(post=post, position=n + 1) for n, post in enumerate(posts[1:30:3])
    )
    admin_client.get(CHANGELIST)  # the session and content types, cached

    # Session, user, the tag filter's choices, the count (twice: the page's
    # and the unfiltered total), whether the site identity exists (the nav
    # sidebar's "add" link), the page of posts with their slots, the tags
    # of that page, the content version (the key of the cached site
    # identity, whose title heads the admin), the date hierarchy's first and
    # last dates, its years.
    with django_assert_max_num_queries(11):
        response = admin_client.get(CHANGELIST)

    assert response.context["cl"].result_count == 10_000
    assert len(response.context["cl"].result_list) == 100
    # The page does not carry every post's Markdown and HTML.
    assert "body" in response.context["cl"].result_list[0].get_deferred_fields()


# The actions.


def run_action(admin_client, action, posts):
    return admin_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [post.pk for post in posts]},
        follow=True,
    )


@time_machine.travel("2025-05-01 09:00Z", tick=False)
def test_the_publish_action_publishes_now_or_schedules(admin_client):
    undated = PostFactory(draft=True, published_at=None)
    dated = PostFactory(draft=True, scheduled=True)

    response = run_action(admin_client, "publish", [undated, dated])

    undated.refresh_from_db()
    dated.refresh_from_db()
    assert undated.state == "published"
    assert undated.published_at == timezone.now()
    assert dated.state == "scheduled"
    assert "2 posts were published" in response.content.decode()


def test_the_unpublish_action_makes_drafts_and_frees_their_slots(admin_client):
    slot = FeaturedSlotFactory(position=1)
    other = PostFactory()

    response = run_action(admin_client, "unpublish", [slot.post, other])

    assert set(Post.objects.values_list("status", flat=True)) == {"draft"}
    assert not FeaturedSlot.objects.exists()
    html = response.content.decode()
    assert "2 posts are drafts again" in html
    assert "1 featured slot was freed" in html


def test_publishing_what_is_published_says_nothing_changed(admin_client):
    response = run_action(admin_client, "publish", [PostFactory()])

    assert "already published; nothing changed" in response.content.decode()


# Featured slots.


def slot_form(post, position, label=""):
    return {"post": post.pk, "position": position, "label": label}


def test_featured_slots_are_listed_by_position(admin_client):
    for position in [3, 1, 2]:
        FeaturedSlotFactory(position=position)

    response = admin_client.get(reverse("admin:blog_featuredslot_changelist"))

    positions = [slot.position for slot in response.context["cl"].result_list]
    assert positions == [1, 2, 3]


def test_a_taken_position_is_refused_with_a_message(admin_client):
    FeaturedSlotFactory(position=1)

    response = admin_client.post(ADD_SLOT, slot_form(PostFactory(), 1))

    assert "Another post already holds this position. Choose a free" in errors_of(
        response
    )


def test_featuring_a_draft_is_refused_with_a_message(admin_client):
    response = admin_client.post(ADD_SLOT, slot_form(PostFactory(draft=True), 1))

    assert "Only a published post can be featured. Publish it first" in errors_of(
        response
    )
    assert not FeaturedSlot.objects.exists()


def test_featuring_a_post_twice_is_refused_with_a_message(admin_client):
    slot = FeaturedSlotFactory(position=1)

    response = admin_client.post(ADD_SLOT, slot_form(slot.post, 2))

    assert "This post is already featured in another slot" in errors_of(response)


def test_position_zero_is_refused_with_a_message(admin_client):
    response = admin_client.post(ADD_SLOT, slot_form(PostFactory(), 0))

    assert "Positions start at 1" in errors_of(response)


def test_removing_a_slot_leaves_the_others_in_order_where_they_were(
    admin_client, client
):
    slots = [
        FeaturedSlotFactory(position=n, post=PostFactory(title=f"Featured {n}"))
        for n in (1, 2, 3)
    ]

    admin_client.post(
        reverse("admin:blog_featuredslot_delete", args=[slots[1].pk]), {"post": "yes"}
    )

    # Positions stay as the author set them: a gap is left for the next slot.
    assert list(FeaturedSlot.objects.values_list("position", flat=True)) == [1, 3]
    html = client.get("/").content.decode()
    assert html.index("Featured 1") < html.index("Featured 3")


def test_the_slot_post_picker_offers_only_published_posts(admin_client):
    PostFactory(title="Ready to feature")
    PostFactory(title="Ready? Not yet", draft=True)

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "blog",
            "model_name": "featuredslot",
            "field_name": "post",
            "term": "Ready",
        },
    )

    assert [r["text"] for r in response.json()["results"]] == ["Ready to feature"]


def test_the_tag_admin_still_lists_tags(admin_client):
    Tag.objects.create(name="Rust")

    response = admin_client.get(reverse("admin:blog_tag_changelist"))

    assert "Rust" in response.content.decode()
