from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from blog import content_version
from blog.models import FeaturedSlot, Post, SiteIdentity, Tag
from tests.factories import FeaturedSlotFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_future_posts():
    visible = PostFactory()
    PostFactory(draft=True)
    PostFactory(scheduled=True)
    PostFactory(draft=True, scheduled=True)

    assert list(Post.objects.published()) == [visible]


def test_published_includes_a_post_at_exactly_now():
    moment = timezone.now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        at_now = PostFactory(published_at=moment)
        PostFactory(published_at=moment + timedelta(microseconds=1))

        assert list(Post.objects.published()) == [at_now]


def test_a_scheduled_post_becomes_visible_when_its_time_comes():
    post = PostFactory(scheduled=True)
    assert not Post.objects.published().exists()

    with time_machine.travel(post.published_at + timedelta(seconds=1)):
        assert list(Post.objects.published()) == [post]


def test_publishing_without_a_date_publishes_now():
    post = PostFactory(draft=True, published_at=None)
    assert post.published_at is None

    post.status = Post.Status.PUBLISHED
    post.save()

    assert post.published_at <= timezone.now()
    assert post.state == Post.State.PUBLISHED


@pytest.mark.parametrize(
    ("traits", "state"),
    [({}, "published"), ({"draft": True}, "draft"), ({"scheduled": True}, "scheduled")],
)
def test_state(traits, state):
    assert PostFactory(**traits).state == state


def test_slug_is_made_from_the_title():
    assert PostFactory(title="Hello, World: part 2").slug == "hello-world-part-2"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Привет, мир", "привет-мир"),
        ("日本語のタイトル", "日本語のタイトル"),
        ("Ελληνικά γράμματα", "ελληνικά-γράμματα"),
        ("!!! ???", "post"),
    ],
)
def test_a_title_in_any_language_gets_a_usable_slug(title, slug, client):
    post = PostFactory(title=title)

    assert post.slug == slug
    assert client.get(post.get_absolute_url()).status_code == 200


def test_a_second_post_with_the_same_title_gets_a_numbered_slug():
    first = PostFactory(title="Same title")
    second = PostFactory(title="Same title")

    assert (first.slug, second.slug) == ("same-title", "same-title-2")


def test_titles_and_slugs_take_200_characters():
    title = "a" * 200
    post = PostFactory(title=title)
    post.full_clean()

    assert (len(post.title), len(post.slug)) == (200, 200)
    assert len(PostFactory(title=title).slug) == 200


def test_a_duplicate_slug_is_refused_with_a_clear_message():
    PostFactory(slug="taken")
    post = PostFactory.build(slug="taken")

    with pytest.raises(ValidationError) as error:
        post.full_clean()

    assert error.value.message_dict["slug"] == [
        "Another post already uses this slug. Choose a different one."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        post.save()


def test_a_duplicate_tag_slug_is_refused():
    TagFactory(name="C", slug="c")
    tag = Tag(name="C language", slug="c")

    with pytest.raises(ValidationError) as error:
        tag.full_clean()

    assert "slug" in error.value.message_dict


def test_saving_a_post_stores_its_rendered_html_and_counts():
    post = PostFactory(body="One *two* three.\n\n<!--more-->\n\nFour five.")

    assert "<em>two</em>" in post.body_html
    assert "Four" not in post.excerpt_html
    assert post.word_count == 5
    assert post.reading_minutes == 1


def test_featured_slot_position_starts_at_one():
    slot = FeaturedSlotFactory.build(position=0, post=PostFactory())

    with pytest.raises(ValidationError) as error:
        slot.full_clean()

    assert error.value.message_dict["position"] == [
        "Positions start at 1. Choose 1 or more."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        slot.save()


def test_featured_slot_positions_are_unique():
    FeaturedSlotFactory(position=1)
    slot = FeaturedSlot(position=1, post=PostFactory())

    with pytest.raises(ValidationError) as error:
        slot.full_clean()

    assert error.value.message_dict["position"] == [
        "Another post already holds this position. Choose a free position, "
        "or move that post first."
    ]


def test_a_post_holds_at_most_one_slot():
    slot = FeaturedSlotFactory(position=1)
    second = FeaturedSlot(position=2, post=slot.post)

    with pytest.raises(ValidationError) as error:
        second.full_clean()

    assert error.value.message_dict["post"] == [
        "This post is already featured in another slot. A post holds at most one slot."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_only_a_published_post_can_be_featured():
    slot = FeaturedSlot(position=1, post=PostFactory(draft=True))

    with pytest.raises(ValidationError) as error:
        slot.full_clean()

    assert error.value.message_dict["post"] == [
        "Only a published post can be featured. Publish it first, or choose "
        "another post (in the post's own form, tick “Delete” on its featured slot)."
    ]
    FeaturedSlot(position=1, post=PostFactory()).full_clean()


def test_featured_slot_label_defaults_to_featured_post():
    assert FeaturedSlotFactory().display_label == "Featured post"
    assert FeaturedSlotFactory(label="Start here").display_label == "Start here"


def test_site_identity_is_one_cached_row(django_assert_num_queries):
    identity = SiteIdentity.load()
    identity.title = "My blog"
    identity.save()

    # Within one request: the content version (read once), the row.
    with content_version.request_scope(), django_assert_num_queries(2):
        assert SiteIdentity.load().title == "My blog"
        assert SiteIdentity.load().title == "My blog"
    assert SiteIdentity.objects.count() == 1
