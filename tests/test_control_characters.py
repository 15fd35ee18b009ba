"""Control characters: refused where plain text is typed, stripped where
text is written to the feeds' XML.
"""

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blog.admin import AuthorChangeForm
from blog.control_characters import validate_no_control_characters, xml_safe
from blog.models import FeaturedSlot, Page, Post, SiteIdentity, Tag
from tests.factories import PostFactory, TagFactory, UserFactory

# Every plain-text field an author types that readers or feeds see.
PLAIN_TEXT_FIELDS = [
    (Post, "title"),
    (Post, "continue_text"),
    (Tag, "name"),
    (Tag, "description"),
    (FeaturedSlot, "label"),
    (SiteIdentity, "title"),
    (SiteIdentity, "tagline"),
    (SiteIdentity, "author_name"),
    (SiteIdentity, "author_bio"),
    (SiteIdentity, "footer_text"),
    (Page, "title"),
]


def field_errors(model, name, value):
    """Return the messages model's own validation gives field `name`."""
    try:
        model(**{name: value}).clean_fields()
    except ValidationError as error:
        return error.message_dict.get(name, [])
    return []


@pytest.mark.parametrize(("model", "name"), PLAIN_TEXT_FIELDS)
@pytest.mark.parametrize("character", ["\x00", "\x0b", "\x1b", "\x7f", "\x85"])
def test_a_control_character_in_a_plain_text_field_is_refused(model, name, character):
    [message] = field_errors(model, name, f"Cut{character}paste")

    assert message == (
        f"This text contains an invisible control character "
        f"(U+{ord(character):04X}), often left by pasting from a terminal, a "
        f"PDF or another program. Delete it, or retype the text, and save again."
    )


@pytest.mark.parametrize(("model", "name"), PLAIN_TEXT_FIELDS)
def test_tab_newline_and_carriage_return_stay_allowed(model, name):
    assert field_errors(model, name, "Tab\there") == []
    validate_no_control_characters("Two\r\nlines\n")


def test_the_post_form_in_the_admin_shows_the_error_and_saves_nothing(author_client):
    response = author_client.post(
        reverse("admin:blog_post_add"),
        {
            "title": "Pasted\x08 from a terminal",
            "body": "Text.",
            "status": "draft",
            "featured_slot-TOTAL_FORMS": "0",
            "featured_slot-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "invisible control character (U+0008)" in response.content.decode()
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_an_authors_name_with_a_control_character_is_refused_in_the_user_form():
    user = UserFactory()
    data = {
        "username": user.username,
        "first_name": "Grace\x1b[31m",
        "last_name": "Hopper",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "12:00:00",
        "is_active": "on",
    }

    form = AuthorChangeForm(instance=user, data=data)

    assert not form.is_valid()
    assert "control character (U+001B)" in form.errors["first_name"][0]


def test_xml_safe_keeps_tab_newline_and_everything_past_the_c0_controls():
    assert xml_safe("a\x00b\x0bc\td\ne\rf\x7f\x85é\ufffe") == "abc\td\ne\rf\x7f\x85é"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    ["blog:feed_rss", "blog:feed_atom", "blog:tag_feed_rss", "blog:tag_feed_atom"],
)
def test_control_characters_stored_by_the_orm_do_not_break_the_feeds(client, route):
    # Written past every form: an import, the shell, an older version.
    identity = SiteIdentity.load()
    identity.title, identity.tagline = "Site\x0btitle", "Tag\x1bline"
    # PostgreSQL stores no NUL at all, so the ORM case uses another control.
    identity.author_name = "Site\x1fauthor"
    identity.save()
    tag = TagFactory(name="Tag\x01name", slug="tagged", description="About\x02it")
    author = UserFactory(first_name="Grace\x07", last_name="Hop\x08per")
    PostFactory(
        title="Title\x0c with a form feed",
        body="Body\x0b with a vertical tab.",
        excerpt="Ex\x03cerpt",
        author=author,
        tags=[tag],
    )
    kwargs = {"slug": tag.slug} if "tag" in route else {}

    response = client.get(reverse(route, kwargs=kwargs))

    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    [entry] = parsed.entries
    assert entry.title == "Title with a form feed"
    assert entry.author == "Grace Hopper"
    assert [category.term for category in entry.tags] == ["Tagname"]
    assert "Body with a vertical tab." in entry.content[0].value
    assert parsed.feed.title.startswith("Sitetitle")
