"""`manage.py import_wordpress`: a WordPress export into the database, old
addresses included, all or nothing, safe to repeat.
"""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command

from blog import old_addresses, services, site_chrome
from blog.importers import wp_content
from blog.importers.wordpress import import_export
from blog.importers.wxr import read_export
from blog.models import FeaturedSlot, Page, Post, Tag
from blog.redirect_targets import is_hidden_from_readers
from tests.factories import PostFactory
from tests.images import image_bytes
from tests.visible_text import visible_text, wordpress_html
from tests.wxr_files import fixture_path, shared_path

pytestmark = pytest.mark.django_db

BLOG = fixture_path("blog.xml")
ORIGIN = "wordpress:https://old.example.com/blog:"


def run_import(path=BLOG, *args):
    """Run the command; return what it printed on stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def imported(wp_id):
    return Post.objects.get(origin=f"{ORIGIN}{wp_id}")


def database_counts():
    return {
        "posts": Post.objects.count(),
        "pages": Page.objects.count(),
        "tags": Tag.objects.count(),
        "slots": FeaturedSlot.objects.count(),
        "redirects": Redirect.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_posts_and_pages_come_in_by_status():
    run_import()

    assert Post.objects.published().count() == 2
    assert Post.objects.scheduled().count() == 1
    assert Post.objects.drafts().count() == 3
    assert set(Page.objects.published().values_list("path", flat=True)) == {
        "about",
        "about/team",
    }
    assert Page.objects.get(path="uses").status == Page.Status.DRAFT


def test_the_summary_counts_by_type_and_status_and_says_why_things_were_skipped():
    out, _err = run_import()

    assert "Posts: 6 imported, 0 updated (2 published, 1 scheduled, 3 draft)." in out
    assert "Pages: 3 imported, 0 updated (2 published, 1 draft)." in out
    assert "Kept from readers as drafts: 1 pending, 1 private." in out
    assert "1 attachment (not a post or page)" in out
    assert "1 revision (not a post or page)" in out
    assert "Comments: 2 counted, not imported" in out
    assert "Featured slots: 2 added for sticky posts, at positions 1-2." in out
    assert "3 images still load from other sites" in out


def test_private_pending_and_password_protected_posts_are_drafts(tmp_path):
    protected = BLOG.read_text().replace(
        "<wp:post_password><![CDATA[]]></wp:post_password>\n"
        "\t\t<wp:is_sticky>1</wp:is_sticky>",
        "<wp:post_password><![CDATA[secret]]></wp:post_password>\n"
        "\t\t<wp:is_sticky>1</wp:is_sticky>",
        1,
    )
    path = tmp_path / "protected.xml"
    path.write_text(protected)

    out, _err = run_import(path)

    assert imported(101).status == Post.Status.DRAFT
    assert imported(46).status == Post.Status.DRAFT  # private
    assert imported(45).status == Post.Status.DRAFT  # pending
    assert "1 password-protected, 1 pending, 1 private" in out
    assert "1 sticky but not published, so not featured" in out


def test_sticky_posts_become_featured_slots_newest_first_after_existing_ones():
    earlier = PostFactory()
    FeaturedSlot.objects.create(position=1, post=earlier)

    run_import()

    slots = FeaturedSlot.objects.order_by("position")
    assert [(slot.position, slot.post.origin) for slot in slots] == [
        (1, None),
        (2, f"{ORIGIN}101"),
        (3, f"{ORIGIN}42"),
    ]


def test_the_cut_keeps_its_link_text_and_the_manual_excerpt_comes_in():
    run_import()

    block = imported(101)
    assert block.marker_continue_text == "Read the listing"
    assert "handful of instructions" in block.excerpt_html
    assert "The listing" not in block.excerpt_html
    classic = imported(42)
    assert "<!--more-->" in classic.body
    assert (
        classic.excerpt == "How a call frame is built, *instruction by instruction*.\n"
    )
    assert "instruction by instruction" in classic.excerpt_html


def test_tags_and_categories_become_tags_without_uncategorized():
    run_import()

    assert set(imported(101).tags.values_list("name", "slug")) == {
        ("C", "c"),
        ("x86 & assembly", "x86-asm"),
        ("Compilers", "compilers"),
    }
    assert list(imported(42).tags.values_list("name", flat=True)) == ["x86 & assembly"]
    assert not Tag.objects.filter(name="Uncategorized").exists()


def test_existing_tags_are_used_by_slug():
    Tag.objects.create(name="The C language", slug="c")

    run_import()

    assert Tag.objects.filter(slug="c").count() == 1
    assert imported(101).tags.filter(name="The C language").exists()


def test_dates_come_from_wordpress():
    run_import()

    post = imported(101)
    assert post.published_at == datetime(2024, 5, 20, 8, 30, tzinfo=UTC)
    assert post.created_at == post.published_at
    assert post.updated_at == datetime(2024, 5, 22, 9, 0, tzinfo=UTC)
    # A draft with only a local date, at the site's offset (UTC+1).
    assert imported(44).published_at == datetime(2024, 6, 2, 10, 15, tzinfo=UTC)
    page = Page.objects.get(path="about")
    assert page.created_at == datetime(2015, 3, 1, 10, 0, tzinfo=UTC)


def test_slugs_are_kept_exactly_and_a_draft_without_one_gets_one_from_its_title():
    run_import()

    assert imported(101).slug == "reading-gcc-s"
    assert imported(43).slug == "日本語のスタック"
    assert imported(44).slug == "draft-linkers"


def test_a_slug_another_post_has_gets_a_suffix():
    PostFactory(slug="reading-gcc-s")

    run_import()

    assert imported(101).slug == "reading-gcc-s-2"


def test_footnotes_and_code_languages_come_through():
    run_import()

    block = imported(101)
    assert f'href="#fn-{block.pk}-1"' in block.body_html
    assert f'href="#fn-{block.pk}-2"' in block.body_html
    assert "```c\n" in block.body
    classic = imported(42)
    assert "```c\n" in classic.body and "```asm\n" in classic.body
    assert classic.body_html.count('<div class="codehilite">') >= 2
    assert f'id="fn-{classic.pk}-1"' in classic.body_html


def test_each_imported_post_and_page_shows_the_text_wordpress_showed():
    run_import()

    export = read_export(BLOG)
    mismatches = {}
    for item in export.items:
        model = {"post": Post, "page": Page}.get(item.post_type)
        row = model and model.objects.filter(origin=f"{ORIGIN}{item.wp_id}").first()
        if row is None:
            continue
        shown = visible_text(row.body_html)
        expected = visible_text(wordpress_html(item.content, item.footnotes))
        if shown != expected:
            mismatches[item.wp_id] = (shown, expected)
    assert len(Post.objects.all()) + len(Page.objects.all()) == 9
    assert mismatches == {}


def test_authors_are_matched_by_login_or_created_inactive_without_a_password():
    User = get_user_model()
    ada = User.objects.create_user("ada", password="pw")

    out, _err = run_import()

    assert imported(101).author == ada
    guest = imported(43).author
    assert guest.username == "guest"
    assert guest.get_full_name() == "A Guest"
    assert not guest.is_active and not guest.has_usable_password()
    assert "matched existing users ada" in out
    assert "created inactive users" in out and "guest" in out


def test_author_option_gives_everything_to_one_user():
    User = get_user_model()
    editor = User.objects.create_user("editor")

    out, _err = run_import(BLOG, "--author", "editor")

    assert set(Post.objects.values_list("author", flat=True)) == {editor.pk}
    assert User.objects.count() == 1
    assert "every post and page is editor's" in out


def test_an_unknown_author_is_refused_before_anything_is_imported():
    with pytest.raises(CommandError, match="No user is called nobody"):
        run_import(BLOG, "--author", "nobody")

    assert Post.objects.count() == 0


def test_pages_keep_their_parents_and_the_menu_decides_the_navigation():
    run_import()

    team = Page.objects.get(path="about/team")
    assert team.parent.path == "about"
    assert site_chrome.load().navigation == [("About", "/about/")]


OLD_ADDRESSES = [
    ("/blog/2024/05/20/reading-gcc-s/", "/posts/reading-gcc-s/"),
    ("/blog/2016/12/11/the-stack-by-hand/", "/posts/the-stack-by-hand/"),
    ("/blog/2016/12/11/the-stack-by-hand", "/posts/the-stack-by-hand/"),
    ("/blog/?p=101", "/posts/reading-gcc-s/"),
    ("/blog/about/", "/about/"),
    ("/blog/about/team/", "/about/team/"),
    ("/blog/?page_id=3", "/about/team/"),
    ("/blog/tag/c/", "/tags/c/"),
    ("/blog/tag/c/feed/", "/tags/c/feed/"),
    ("/blog/tag/x86-asm/feed/atom/", "/tags/x86-asm/feed/atom/"),
    ("/blog/category/compilers/", "/tags/compilers/"),
    ("/blog/2016/", "/archive/2016/"),
    ("/blog/2016/12/", "/archive/2016/12/"),
    ("/blog/2016/12/11/", "/archive/2016/12/"),
    ("/blog/", "/"),
    ("/blog/feed/", "/feed/"),
    ("/blog/feed/rss2/", "/feed/"),
    ("/blog/feed/atom/", "/feed/atom/"),
]


def test_old_addresses_answer_301_in_one_hop_to_a_page_that_answers(client):
    run_import()

    for old, new in OLD_ADDRESSES:
        response = client.get(old)
        assert (old, response.status_code, response["Location"]) == (old, 301, new)
        assert client.get(new).status_code == 200, new


def test_a_posts_old_addresses_are_the_redirects_to_its_url():
    run_import()

    assert old_addresses.old_paths(imported(42).get_absolute_url()) == [
        "/blog/2016/12/11/the-stack-by-hand/",
        "/blog/?p=42",
    ]


def test_the_old_comments_feed_is_gone(client):
    run_import()

    assert client.get("/blog/comments/feed/").status_code == 410


def test_an_old_address_without_its_slash_still_takes_one_hop(client, tmp_path):
    path = tmp_path / "archives.xml"
    path.write_text(
        BLOG.read_text().replace(
            "https://old.example.com/blog/2024/05/20/reading-gcc-s/",
            "https://old.example.com/blog/archives/101",
        )
    )
    run_import(path)

    response = client.get("/blog/archives/101")

    assert (response.status_code, response["Location"]) == (
        301,
        "/posts/reading-gcc-s/",
    )


def test_every_old_address_of_a_real_export_redirects_in_one_hop(client):
    # WordPress's own theme unit test export: tests/test_theme_unit_test.py.
    run_import(shared_path("small-export.xml"))

    assert_every_old_address_redirects_in_one_hop(client)


def assert_every_old_address_redirects_in_one_hop(client):
    """Check every old address the import kept: one 301 to a page that
    answers, or for a hidden post no redirect yet; then every visible post
    and page answers.
    """
    visible = {post.get_absolute_url() for post in Post.objects.published()}
    visible |= {page.get_absolute_url() for page in Page.objects.published()}
    # One theme test post's link has `//` after the host: a path no client
    # sends as such.
    rows = Redirect.objects.exclude(new_path="").exclude(old_path__startswith="//")
    for row in rows:
        response = client.get(row.old_path)
        if is_hidden_from_readers(row.new_path):
            # A draft's old address waits until it is published: a 404, or
            # the index for a /?p=ID address.
            assert (row.old_path, "Location" in response) == (row.old_path, False)
            continue
        assert (row.old_path, response.status_code) == (row.old_path, 301)
        assert response["Location"] == row.new_path
    for url in visible:
        assert client.get(url).status_code == 200, url


def test_an_unknown_wordpress_id_on_the_front_page_shows_the_index(client):
    run_import()

    assert client.get("/?p=999999").status_code == 200


def test_a_renamed_post_takes_its_old_addresses_along():
    run_import()
    post = imported(101)

    post.slug = "reading-gcc"
    services.post_save(post=post)

    assert (
        Redirect.objects.get(old_path="/blog/?p=101").new_path == "/posts/reading-gcc/"
    )
    assert not Redirect.objects.filter(new_path="/posts/reading-gcc-s/").exists()


def test_a_moved_page_takes_its_old_addresses_along_with_its_subpages():
    run_import()
    about = Page.objects.get(path="about")

    about.slug = "me"
    about.save()

    assert Redirect.objects.get(old_path="/blog/about/").new_path == "/me/"
    assert Redirect.objects.get(old_path="/blog/about/team/").new_path == "/me/team/"


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        (fixture_path("truncated.xml"), "unclosed CDATA section at line 114"),
        ("malformed.xml", "mismatched tag at line 90"),
        ("malformed-simple.xml", "at line 14"),
    ],
)
def test_a_malformed_export_is_refused_and_nothing_is_imported(path, problem):
    if isinstance(path, str):
        path = shared_path(path)

    with pytest.raises(CommandError, match=problem) as refusal:
        run_import(path)

    assert "Nothing was imported." in str(refusal.value)
    assert set(database_counts().values()) == {0}


def test_a_failure_midway_rolls_everything_back(monkeypatch):
    def fail(self, posts):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(
        "blog.importers.wordpress.WordPressImport._featured_slots", fail
    )

    with pytest.raises(RuntimeError):
        run_import()

    assert set(database_counts().values()) == {0}


def test_importing_again_updates_and_creates_nothing_new():
    first, _err = run_import()
    counts = database_counts()
    post = imported(101)
    post.body = "Changed in Inkwell."
    services.post_save(post=post)

    second, _err = run_import()

    assert database_counts() == counts
    assert "handful of instructions" in imported(101).body
    assert "Posts: 0 imported, 6 updated" in second
    assert "Pages: 0 imported, 3 updated" in second
    assert "Featured slots: none added." in second
    assert "(0 new or changed)" in second


def test_a_dry_run_prints_the_summary_and_saves_nothing():
    out, _err = run_import(BLOG, "--dry-run")

    assert out.startswith("Dry run, nothing was saved.")
    assert "Posts: 6 imported" in out
    assert set(database_counts().values()) == {0}


@pytest.fixture
def media_dir(tmp_path):
    """A copy of wp-content/uploads: one good image, one that is not."""
    uploads = tmp_path / "uploads"
    (uploads / "2024" / "05").mkdir(parents=True)
    (uploads / "2016" / "12").mkdir(parents=True)
    (uploads / "2024" / "05" / "stack.png").write_bytes(image_bytes("PNG"))
    (uploads / "2016" / "12" / "frame.png").write_bytes(b"not an image at all")
    return uploads


def test_images_in_the_media_folder_are_imported_once_and_their_urls_rewritten(
    media_dir, media_root
):
    out, _err = run_import(BLOG, "--media-dir", str(media_dir))

    body = imported(101).body
    # The resized variant the post showed maps to the original file.
    assert "/media/images/wordpress/2024/05/stack.png" in body
    assert "stack-300x200.png" not in body
    assert (media_root / "images/wordpress/2024/05/stack.png").is_file()
    # The file that is not an image is refused, and its URL left as it was.
    assert "wp-content/uploads/2016/12/frame" in imported(42).body
    assert "1 imported, 0 already there, 1 refused" in out
    assert "Refused https://old.example.com/wp-content/uploads/2016/12/frame" in out


def test_importing_again_reuses_the_images_already_imported(media_dir, media_root):
    run_import(BLOG, "--media-dir", str(media_dir))

    out, _err = run_import(BLOG, "--media-dir", str(media_dir))

    assert "0 imported, 1 already there" in out
    assert len(list((media_root / "images/wordpress").rglob("*.png"))) == 1


def test_a_dry_run_leaves_no_image_files(media_dir, media_root):
    run_import(BLOG, "--media-dir", str(media_dir), "--dry-run")

    assert not list(media_root.rglob("*.png"))


def test_a_missing_media_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run_import(BLOG, "--media-dir", str(tmp_path / "nowhere"))


def test_progress_is_reported_on_stderr():
    _out, err = run_import(BLOG, "--progress-every", "3")

    assert "3 of 9 items converted to Markdown." in err
    assert "6 of 6 items rendered." in err


def test_worker_processes_give_the_same_posts_as_one_process(monkeypatch):
    export = read_export(BLOG)
    import_export(export, processes=1)
    alone = dict(Post.objects.values_list("origin", "body"))
    Post.objects.all().delete()
    monkeypatch.setattr(wp_content, "POOL_MIN_ITEMS", 1)

    import_export(export, processes=2)

    assert dict(Post.objects.values_list("origin", "body")) == alone
    for post in Post.objects.all():
        stored = post.rendered_fields()
        post.render()
        assert post.rendered_fields() == stored
