import pytest
from django.test import Client
from django.urls import reverse

from blog.models import FeaturedSlot, Post
from tests.factories import FeaturedSlotFactory, PostFactory
from tests.test_admin import post_form as admin_post_form

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:blog_featuredslot_changelist")
ADD_SLOT = reverse("admin:blog_featuredslot_add")
ADD_POST = reverse("admin:blog_post_add")


def move_url(slot, direction):
    return reverse("admin:blog_featuredslot_move", args=[slot.pk, direction])


def titles_in_order():
    return list(FeaturedSlot.objects.values_list("post__title", flat=True))


@pytest.fixture
def three_slots():
    """Slots at 1, 2 and 4 (a gap, as removing a slot leaves)."""
    return [
        FeaturedSlotFactory(position=position, post=PostFactory(title=title))
        for position, title in ((1, "First"), (2, "Second"), (4, "Third"))
    ]


def index_order(client, titles):
    html = client.get("/").content.decode()
    return sorted(titles, key=html.index)


# Reordering.


def test_moving_a_slot_up_swaps_it_with_the_one_before(
    three_slots, author_client, client
):
    response = author_client.post(move_url(three_slots[2], "up"), follow=True)

    assert titles_in_order() == ["First", "Third", "Second"]
    # Positions are swapped, never renumbered: the gap stays where it was.
    assert list(FeaturedSlot.objects.values_list("position", flat=True)) == [1, 2, 4]
    assert "“Third” moved to position 2." in response.content.decode()
    assert index_order(client, ["First", "Second", "Third"]) == [
        "First",
        "Third",
        "Second",
    ]


def test_moving_a_slot_down_and_to_the_top(three_slots, author_client):
    author_client.post(move_url(three_slots[0], "down"))
    assert titles_in_order() == ["Second", "First", "Third"]

    author_client.post(move_url(three_slots[2], "up"))
    author_client.post(move_url(three_slots[2], "up"))

    assert titles_in_order() == ["Third", "Second", "First"]


def test_the_first_slot_cannot_move_up_and_says_so(three_slots, author_client):
    response = author_client.post(move_url(three_slots[0], "up"), follow=True)

    assert titles_in_order() == ["First", "Second", "Third"]
    assert "“First” is already first." in response.content.decode()


def test_moving_needs_post_and_a_csrf_token(three_slots, author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    assert client.get(move_url(three_slots[1], "up")).status_code == 405
    assert client.post(move_url(three_slots[1], "up")).status_code == 403
    assert titles_in_order() == ["First", "Second", "Third"]


def test_moving_a_slot_that_is_gone_says_so(three_slots, author_client):
    url = move_url(three_slots[1], "up")
    three_slots[1].delete()

    response = author_client.post(url, follow=True)

    assert response.status_code == 200
    assert "That slot no longer exists" in response.content.decode()


def test_an_unknown_direction_moves_nothing(three_slots, author_client):
    response = author_client.post(move_url(three_slots[1], "sideways"), follow=True)

    assert response.status_code == 200
    assert titles_in_order() == ["First", "Second", "Third"]


def test_the_change_list_has_up_and_down_buttons_in_its_own_form(
    three_slots, author_client
):
    html = author_client.get(CHANGELIST).content.decode()

    form = html[html.index('<form id="changelist-form"') :]
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'formaction="{move_url(three_slots[1], "up")}"' in form
    assert 'aria-label="Move “Second” down">' in form
    # The ends show they lead nowhere.
    assert 'aria-label="Move “First” up" disabled>' in form
    assert 'aria-label="Move “Third” down" disabled>' in form
    assert 'aria-label="Move “Third” up">' in form


# A new slot goes to the end.


def test_a_new_slot_is_offered_the_position_after_the_last(three_slots, author_client):
    response = author_client.get(ADD_SLOT)

    assert response.context["adminform"].form.initial["position"] == 5


def test_the_first_slot_is_offered_position_1(author_client):
    response = author_client.get(ADD_SLOT)

    assert response.context["adminform"].form.initial["position"] == 1


def test_the_post_forms_slot_row_names_its_fields_for_screen_readers(author_client):
    html = author_client.get(ADD_POST).content.decode()

    assert 'aria-label="Position"' in html
    assert 'aria-label="Feature this post"' in html


def test_the_post_forms_slot_row_shows_the_position_after_the_last(
    three_slots, author_client
):
    response = author_client.get(ADD_POST)
    html = response.content.decode()

    assert 'placeholder="5"' in html
    assert "Blank: after the last slot." in html
    # A tabular row: no "#1" heading for a slot that holds no position yet.
    assert "#1</" not in html


def test_saving_a_post_without_touching_its_slot_row_features_nothing(
    three_slots, author_client
):
    author_client.post(ADD_POST, post_form())

    assert Post.objects.filter(title="Plain").exists()
    assert FeaturedSlot.objects.count() == 3


@pytest.mark.parametrize(
    "row",
    [{"featured_slot-0-feature": "on"}, {"featured_slot-0-label": "Start here"}],
    ids=["ticked", "labelled"],
)
def test_a_post_featured_from_its_form_without_a_position_goes_last(
    three_slots, author_client, row
):
    author_client.post(ADD_POST, post_form(**row))

    assert titles_in_order() == ["First", "Second", "Third", "Plain"]
    assert FeaturedSlot.objects.get(post__title="Plain").position == 5


def test_a_featured_posts_form_has_no_feature_box(three_slots, author_client):
    post = three_slots[0].post

    html = author_client.get(
        reverse("admin:blog_post_change", args=[post.pk])
    ).content.decode()

    assert 'value="1"' in html
    assert "Feature this post" not in html


# Errors, beside the field and at the top.


def top_errors(response):
    return " ".join(response.context["adminform"].form.non_field_errors())


def test_a_taken_position_is_explained_beside_the_field_and_at_the_top(
    three_slots, author_client
):
    response = author_client.post(
        ADD_SLOT, {"post": PostFactory().pk, "position": 2, "label": ""}
    )

    form = response.context["adminform"].form
    assert "Another post already holds this position" in str(form.errors["position"])
    assert "Position: Another post already holds this position" in top_errors(response)


def test_an_unpublished_post_is_explained_beside_the_field_and_at_the_top(
    author_client,
):
    draft = PostFactory(draft=True)

    response = author_client.post(ADD_SLOT, {"post": draft.pk, "position": 1})

    form = response.context["adminform"].form
    assert "Only a published post can be featured" in str(form.errors["post"])
    assert "Post: Only a published post can be featured" in top_errors(response)
    assert not FeaturedSlot.objects.exists()


def post_form(**fields):
    """The admin's post form data for a published post, no slot chosen."""
    return admin_post_form(
        **{
            "title": "Plain",
            "slug": "plain",
            "body": "Text.",
            "status": Post.Status.PUBLISHED,
            "published_at_0": "2026-01-05",
            "published_at_1": "10:00:00",
            **fields,
        }
    )


def test_the_post_forms_slot_errors_are_repeated_at_the_top(three_slots, author_client):
    response = author_client.post(
        ADD_POST, post_form(**{"featured_slot-0-position": "1"})
    )

    assert "Featured slot, Position: Another post already holds" in top_errors(response)
    assert not Post.objects.filter(title="Plain").exists()


def test_featuring_a_draft_from_its_form_is_explained_at_the_top(author_client):
    response = author_client.post(
        ADD_POST,
        post_form(status=Post.Status.DRAFT, **{"featured_slot-0-label": "Pick"}),
    )

    top = top_errors(response)
    assert "Featured slot: Only a published post can be featured" in top
    # Said once: not again for the row's hidden post field.
    assert top.count("Only a published post can be featured") == 1


def test_a_move_that_races_another_change_moves_nothing_and_says_so(
    three_slots, author_client, monkeypatch
):
    # Another writer takes the free position between the read and the write:
    # the database refuses the duplicate, and the move is rolled back whole.
    from blog.featured_slots import FeaturedSlotQuerySet

    monkeypatch.setattr(FeaturedSlotQuerySet, "free_position", lambda self: 1)

    response = author_client.post(move_url(three_slots[2], "up"), follow=True)

    assert response.status_code == 200
    assert "The slots changed while moving; nothing moved" in response.content.decode()
    assert titles_in_order() == ["First", "Second", "Third"]


def test_the_delete_action_still_frees_selected_slots(three_slots, author_client):
    author_client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "_selected_action": [three_slots[0].pk, three_slots[2].pk],
            "post": "yes",
        },
    )

    assert titles_in_order() == ["Second"]
