from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.html import escape

from blog import site_chrome
from blog.models import FeaturedSlot, Page, Post, Tag

pytestmark = pytest.mark.django_db


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_loads_a_blog_that_shows_every_feature():
    load_demo()
    visible = Post.objects.published()
    slots = list(FeaturedSlot.objects.select_related("post"))

    assert [slot.position for slot in slots] == [1, 2, 3, 4]
    assert all(slot.post.excerpt_html for slot in slots)
    assert {slot.post.continue_link_text for slot in slots} >= {
        "Keep reading",
        "Continue the tour",
        "Continue reading",
    }
    assert visible.filter(featured_slot__isnull=True, excerpt_html="").count() >= 8
    assert 8 <= Tag.objects.count() <= 12
    years = {post.published_at.year for post in visible}
    assert len(years) >= 3
    bodies = "\n".join(post.body for post in visible)
    for feature in ("```c", "```asm", "[^", "> ", "\n## ", "\n---\n", "\n1. ", "\n- "):
        assert feature in bodies, feature
    footnote_above_cut = [
        slot.post for slot in slots if "[^" in slot.post.body.split("<!--more")[0]
    ]
    assert footnote_above_cut


def test_demo_has_a_draft_and_a_scheduled_post_readers_cannot_see():
    load_demo()

    assert Post.objects.drafts().count() == 1
    assert Post.objects.scheduled().count() == 1
    assert Post.objects.count() - Post.objects.published().count() == 2


def test_loading_the_demo_twice_changes_nothing_and_says_so():
    load_demo()
    before = list(Post.objects.values_list("id", "updated_at"))

    message = load_demo()

    assert list(Post.objects.values_list("id", "updated_at")) == before
    assert "set up before" in message
    assert "nothing was changed" in message


def test_the_index_lists_the_demo_posts(client):
    load_demo()

    page = client.get("/").content.decode()

    for post in Post.objects.published():
        assert escape(post.title) in page
    for post in Post.objects.exclude(pk__in=Post.objects.published()):
        assert escape(post.title) not in page


def test_the_demo_has_an_about_page_in_the_navigation(client):
    load_demo()

    about = Page.objects.published().get()
    html = client.get("/").content.decode()

    assert (about.title, about.get_absolute_url()) == ("About", "/about/")
    assert site_chrome.load().navigation == [("About", "/about/")]
    assert '<a href="/about/">About</a>' in html
    assert 'class="footnote"' in client.get("/about/").content.decode()


def test_the_demo_shows_an_image_it_drew_and_stored(client, media_root):
    load_demo()

    post = Post.objects.get(body__contains="](/media/images/demo/")
    name = post.body.split("](/media/")[1].split(")")[0]

    assert (media_root / name).is_file()
    assert f'src="/media/{name}"' in client.get(post.get_absolute_url()).text
    assert (post.first_image_width, post.first_image_height) == (1200, 630)
