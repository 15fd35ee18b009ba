"""The first run: the demo loads only into a brand-new database, and
remove_demo takes away exactly what the demo made."""

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from blog import demo_content
from blog.models import FeaturedSlot, FirstRun, Page, Post, SiteIdentity, Tag
from tests.factories import PostFactory, TagFactory
from tests.images import image_bytes

pytestmark = pytest.mark.django_db


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def demo_post_count():
    entries = demo_content.FEATURED + demo_content.STREAM + demo_content.HIDDEN
    return len(entries)


def test_the_demo_loads_into_a_brand_new_database_and_is_recorded():
    message = run("load_demo")

    record = FirstRun.load()
    assert "Loaded the demo blog" in message
    assert Post.objects.count() == demo_post_count()
    assert record.demo_loaded
    tag_ids = Tag.objects.values_list("pk", flat=True)
    assert sorted(record.demo_tag_ids) == sorted(tag_ids)
    assert Post.objects.exclude(origin__startswith="demo:").count() == 0


def test_after_the_demo_posts_are_deleted_loading_again_neither_reloads_nor_crashes():
    run("load_demo")
    identity_title = "My own blog"
    SiteIdentity.objects.filter(pk=1).update(title=identity_title)
    Post.objects.all().delete()  # tags, pages and the record remain

    message = run("load_demo")
    again = run("load_demo")

    assert Post.objects.count() == 0
    assert Tag.objects.count() == len(demo_content.TAGS)
    assert SiteIdentity.load().title == identity_title
    assert "set up before" in message and "set up before" in again


def test_a_blog_with_content_but_no_record_is_never_given_the_demo():
    PostFactory(title="Mine")

    message = run("load_demo")

    assert list(Post.objects.values_list("title", flat=True)) == ["Mine"]
    assert "already has posts" in message
    assert FirstRun.load() is not None


def test_a_blog_whose_only_content_is_a_tag_is_not_new():
    TagFactory(name="C")

    run("load_demo")

    assert Post.objects.count() == 0
    assert Tag.objects.count() == 1


def test_an_empty_first_run_stays_empty_on_the_next_runs():
    message = run("load_demo", "--empty")
    again = run("load_demo")

    assert "empty blog" in message
    assert "set up before" in again
    assert Post.objects.count() == Page.objects.count() == Tag.objects.count() == 0


def test_remove_demo_removes_exactly_the_demo_and_keeps_the_authors_content(
    media_root, django_capture_on_commit_callbacks
):
    run("load_demo")
    demo_files = list(FirstRun.load().demo_files)
    shared = Tag.objects.get(name="C")
    own_tag = TagFactory(name="Gardening")
    own_upload = default_storage.save(
        "images/2026/01/mine.png", ContentFile(image_bytes())
    )
    mine = PostFactory(
        title="My first post",
        body=f"![my photo](/media/{own_upload})",
        tags=[shared, own_tag],
    )
    own_page = Page.objects.create(title="Now", body="Reading.", status="published")

    # Files go once the removal is committed.
    with django_capture_on_commit_callbacks(execute=True):
        message = run("remove_demo")

    assert list(Post.objects.all()) == [mine]
    assert list(Page.objects.all()) == [own_page]
    assert set(Tag.objects.values_list("name", flat=True)) == {"C", "Gardening"}
    assert FeaturedSlot.objects.count() == 0
    assert (media_root / own_upload).is_file()
    assert demo_files and not any((media_root / name).exists() for name in demo_files)
    assert "Kept tags your posts use: C." in message
    # The blog stays set up: the demo does not come back.
    assert "set up before" in run("load_demo")
    assert Post.objects.count() == 1


def test_remove_demo_resets_the_site_identity_texts_the_author_kept():
    run("load_demo")
    identity = SiteIdentity.load()
    identity.title = "Notes from the garden"
    identity.save()

    run("remove_demo")

    identity = SiteIdentity.load()
    assert identity.title == "Notes from the garden"
    assert identity.author_name == ""
    assert identity.tagline == ""


def test_remove_demo_keeps_a_demo_image_the_author_now_shows(
    media_root, django_capture_on_commit_callbacks
):
    run("load_demo")
    [image] = FirstRun.load().demo_files
    PostFactory(body=f"Look: ![cache lines](/media/{image})")

    with django_capture_on_commit_callbacks(execute=True):
        message = run("remove_demo")

    assert (media_root / image).is_file()
    assert "Kept images your posts or pages show" in message


def test_remove_demo_keeps_a_demo_page_that_holds_the_authors_subpage():
    run("load_demo")
    about = Page.objects.get(slug="about")
    team = Page.objects.create(title="Team", body="Us.", parent=about)

    message = run("remove_demo")

    assert set(Page.objects.all()) == {about, team}
    assert "Kept pages with your subpages: About." in message


def test_remove_demo_on_a_blog_without_the_demo_removes_nothing():
    post = PostFactory(tags=[TagFactory()])

    message = run("remove_demo")

    assert list(Post.objects.all()) == [post]
    assert Tag.objects.count() == 1
    assert "Removed the demo: 0 posts, 0 pages, 0 tags, 0 images." in message


def test_remove_demo_twice_removes_nothing_the_second_time():
    run("load_demo")
    run("remove_demo")
    identity = SiteIdentity.load()
    identity.author_name = demo_content.SITE["author_name"]  # the author's choice
    identity.save()

    message = run("remove_demo")

    assert "Removed the demo: 0 posts, 0 pages, 0 tags, 0 images." in message
    assert SiteIdentity.load().author_name == demo_content.SITE["author_name"]
