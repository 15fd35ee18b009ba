"""export_markdown and import_markdown: the Markdown folder, and the round
trip export, import into an empty database, export again.
"""

import shutil
from dataclasses import replace
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from blog import services
from blog.importers import markdown_files as files
from blog.models import FeaturedSlot, Page, Post, SlugRedirect, Tag
from blog.uploads import store_image
from tests.factories import PageFactory, PostFactory
from tests.images import image_bytes, upload
from tests.wxr_files import fixture_path

# Pure checks of the format

TRICKY_TEXTS = [
    "yes",
    "null",
    "2024",
    "1.10",
    "Colons: in: a title",
    "# not a comment",
    "- not a list",
    "'quoted' and \"double\"",
    "  leading and trailing spaces  ",
    "Ünïcödé — “quotes” and 日本語",
    "",
]
TRICKY_BODIES = [
    "No newline at the end",
    "One newline at the end\n",
    "Blank lines at the end\n\n\n",
    "Windows line ends\r\nkept as stored\r\n",
    "---\nA rule first, and front-matter look-alikes\n---\n",
    "Trailing spaces  \n\tand a tab\n",
    "",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
@pytest.mark.parametrize("body", TRICKY_BODIES)
def test_a_post_file_reads_back_exactly_what_was_written(tmp_path, text, body):
    written = files.PostFile(
        title=text or "Untitled",
        slug="a-post",
        body=body,
        date=datetime(2024, 3, 5, 10, 30, tzinfo=UTC),
        updated=datetime(2024, 3, 6, 8, 0, tzinfo=UTC),
        tags=("b tag", text or "a tag"),
        excerpt=f"{text}\n\nSecond paragraph.  \n" if text else "",
        continue_text=text,
        featured_position=2,
        featured_label=text,
        aliases=("/posts/old/",),
    )
    files.write_post(tmp_path, written)

    [read] = files.read_folder(tmp_path).posts

    sorted_tags = tuple(sorted(written.tags))
    assert read == replace(written, tags=sorted_tags, source=read.source)
    assert read.source == "_posts/2024-03-05-a-post.md"


def test_front_matter_keys_come_in_a_fixed_order_with_dates_in_iso_8601(tmp_path):
    files.write_post(
        tmp_path,
        files.PostFile(
            title="Hello",
            slug="hello",
            body="Body.",
            date=datetime(2024, 3, 5, 10, 30, 15, 999, tzinfo=UTC),
            updated=datetime(2024, 3, 6, 8, 0, tzinfo=UTC),
            tags=("Zeta", "Alpha"),
            excerpt="Two\nlines.",
            continue_text="Keep reading",
            featured_position=1,
            featured_label="Start here",
            aliases=("/posts/older/", "/posts/old/"),
        ),
    )

    assert (tmp_path / "_posts/2024-03-05-hello.md").read_bytes() == (
        b"---\n"
        b"title: Hello\n"
        b"slug: hello\n"
        b"date: 2024-03-05T10:30:15+00:00\n"
        b"updated: 2024-03-06T08:00:00+00:00\n"
        b"status: published\n"
        b"tags:\n  - Alpha\n  - Zeta\n"
        b"excerpt: |-\n  Two\n  lines.\n"
        b"continue_text: Keep reading\n"
        b"featured:\n  position: 1\n  label: Start here\n"
        b"aliases:\n  - /posts/old/\n  - /posts/older/\n"
        b"---\n"
        b"Body."
    )


def test_dates_are_written_in_the_sites_time_zone_and_name_the_file_by_its_day(
    tmp_path, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    post = files.PostFile(
        title="Late",
        slug="late",
        body="",
        date=datetime(2024, 3, 5, 23, 30, tzinfo=UTC),
    )

    files.write_post(tmp_path, post)

    text = (tmp_path / "_posts/2024-03-06-late.md").read_text()
    assert "date: 2024-03-06T00:30:00+01:00\n" in text
    assert files.read_folder(tmp_path).posts[0].date == post.date


def test_drafts_are_written_to_drafts_by_slug_alone(tmp_path):
    files.write_post(
        tmp_path, files.PostFile(title="Draft", slug="draft", body="", status="draft")
    )

    [read] = files.read_folder(tmp_path).posts
    assert (read.source, read.status, read.date) == ("_drafts/draft.md", "draft", None)


def test_a_jekyll_post_without_slug_date_or_status_takes_them_from_its_place(tmp_path):
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts/2020-01-02-from-jekyll.md").write_text(
        "---\ntitle: From Jekyll\n---\nHi.\n"
    )

    [read] = files.read_folder(tmp_path).posts

    assert (read.slug, read.status, read.body) == ("from-jekyll", "published", "Hi.\n")
    assert read.date == timezone.make_aware(datetime(2020, 1, 2))


def test_nested_pages_are_written_by_path_and_read_back_with_their_parent(tmp_path):
    page = files.PageFile(
        title="Team",
        slug="team",
        body="We.\n",
        parent="about",
        show_in_navigation=True,
        navigation_order=3,
    )
    files.write_page(tmp_path, page)

    assert (tmp_path / "pages/about/team.md").read_text() == (
        "---\ntitle: Team\nslug: team\nparent: about\nstatus: published\n"
        "show_in_navigation: true\nnavigation_order: 3\n---\nWe.\n"
    )
    [read] = files.read_folder(tmp_path).pages
    assert read == replace(page, source="pages/about/team.md")
    assert read.path == "about/team"


def test_media_references_are_the_sites_own_media_addresses():
    markdown = (
        "![a](/media/images/2024/03/a.png) ![b](/media/images/b%20c.png 'Title')\n"
        '<img src="/media/d.gif"> see /media/e.webp. '
        "[x](/media/f.png?v=2#top) ![](https://elsewhere.example/media/g.png)\n"
        "![](/media/../secret.txt) [ref]: /media/h.jpg"
    )

    assert files.media_references(markdown) == [
        "d.gif",
        "e.webp",
        "f.png",
        "h.jpg",
        "images/2024/03/a.png",
        "images/b c.png",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Just text.\n", "_posts/2024-01-01-x.md, line 1: the file does not start"),
        ("---\ntitle: x\n", "_posts/2024-01-01-x.md, line 1: the file does not start"),
        (
            "---\ntitle: Fine\ntags: [a, b\nslug: x\n---\n",
            "_posts/2024-01-01-x.md, line 4: this is not valid YAML",
        ),
        ("---\nslug: x\n---\n", "line 2: `title` is missing or empty"),
        ("---\ntitle: x\n\n\nstatus: gone\n---\n", "line 5: `status` should be one"),
        ("---\ntitle: x\ndate: soon\n---\n", "line 3: `date` should be a date"),
        ("---\ntitle: 2024\n---\n", "line 2: `title` should be text; put it in"),
        (
            "---\ntitle: x\nfeatured:\n  label: L\n---\n",
            "line 3: `featured: position` should be a whole number",
        ),
        ("---\n- a list\n---\n", "line 2: The front matter should be keys"),
    ],
)
def test_broken_front_matter_is_refused_naming_the_file_and_line(
    tmp_path, content, message
):
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts/2024-01-01-x.md").write_text(content)

    with pytest.raises(files.FolderError, match=message) as error:
        files.read_folder(tmp_path)
    assert str(error.value).endswith("and import again.")


def test_unknown_keys_are_reported_with_their_line_and_not_fatal(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages/now.md").write_text(
        "---\ntitle: Now\nlayout: page\nshow_in_navigation: false\n---\n"
    )

    folder = files.read_folder(tmp_path)

    assert [page.title for page in folder.pages] == ["Now"]
    assert folder.warnings == [
        "pages/now.md, line 3: the key `layout` is not one Inkwell knows; it was "
        "ignored."
    ]


# The round trip, on real content


@pytest.fixture
def folder(tmp_path):
    """Where a test's Markdown folders go: beside MEDIA_ROOT, not in it."""
    return tmp_path / "folders"


def demo_blog_with_extras():
    """The demo blog, plus what the demo lacks: an uploaded image, a draft
    never published, a scheduled post, a featured label, renamed posts,
    unicode slugs, nested pages, an excerpt and continue text.
    """
    call_command("load_demo", stdout=StringIO())
    image_url = store_image(upload(image_bytes("PNG")))
    unicode_tag = Tag.objects.create(
        name="Ünïcödé", description="Tags keep\ntheir descriptions."
    )
    Tag.objects.create(name="Unused")
    PostFactory(
        title="Ein Bild",
        body=f"![A teal square]({image_url})\r\n\r\nCRLF kept.\r\n",
        excerpt="A *short* excerpt.\n\nIn two paragraphs.",
        continue_text="Weiterlesen",
        tags=[unicode_tag],
    )
    PostFactory(title="Never published", status=Post.Status.DRAFT, published_at=None)
    PostFactory(title="Coming soon", scheduled=True, body="Soon.\n\n\n")
    featured = PostFactory(title="yes", body="A title YAML would read as true.")
    FeaturedSlot.objects.create(position=7, post=featured, label="Start here")
    renamed = PostFactory(title="Привет, мир", slug="старый")
    for slug in ["привет", "привет-мир"]:
        renamed.slug = slug
        services.post_save(post=renamed)
    about = Page.objects.get(path="about")
    team = PageFactory(title="Team", parent=about, body=f"![Us]({image_url})")
    PageFactory(title="Alumni", slug="alumni", parent=team, draft=True, body="")


def demo_blog_with_a_wordpress_import():
    """The demo blog with the project's WordPress fixture imported into it:
    sticky posts as slots, every status, footnotes, code, pages under a
    parent, and old WordPress addresses as aliases.
    """
    call_command("load_demo", stdout=StringIO())
    call_command("import_wordpress", str(fixture_path("blog.xml")), stdout=StringIO())
    assert Post.objects.exclude(origin=None).count() > 5
    assert Page.objects.exclude(origin=None).filter(parent__isnull=False).exists()


ROUND_TRIP_CONTENT = {
    "demo blog with extras": demo_blog_with_extras,
    "demo blog with a WordPress import": demo_blog_with_a_wordpress_import,
}


def empty_the_blog(media_root):
    FeaturedSlot.objects.all().delete()
    Post.objects.all().delete()
    # A parent is protected while it has subpages: the deepest go first.
    for page in sorted(Page.objects.all(), key=lambda page: -len(page.path)):
        page.delete()
    Tag.objects.all().delete()
    apps.get_model("redirects", "Redirect").objects.all().delete()
    shutil.rmtree(media_root, ignore_errors=True)
    assert not SlugRedirect.objects.exists()


def folder_contents(root):
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(Path(root).rglob("*"))
        if path.is_file()
    }


def export(folder):
    output = StringIO()
    call_command("export_markdown", str(folder), stdout=output, stderr=output)
    return output.getvalue()


def import_folder(folder, *args):
    output = StringIO()
    call_command("import_markdown", str(folder), *args, stdout=output, stderr=output)
    return output.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_content", ROUND_TRIP_CONTENT.values(), ids=list(ROUND_TRIP_CONTENT)
)
def test_export_import_into_an_empty_blog_and_export_again_gives_identical_folders(
    folder, media_root, make_content
):
    make_content()
    export(folder / "first")
    empty_the_blog(media_root)

    import_folder(folder / "first")
    export(folder / "second")

    first = folder_contents(folder / "first")
    assert first == folder_contents(folder / "second")
    assert len([name for name in first if name.endswith(".md")]) == (
        Post.objects.count() + Page.objects.count()
    )


def posts_as_authors_see_them():
    return {
        post.slug: (
            post.title,
            post.body,
            post.excerpt,
            post.continue_text,
            post.state,
            post.published_at.replace(microsecond=0) if post.published_at else None,
            sorted(tag.name for tag in post.tags.all()),
        )
        for post in Post.objects.prefetch_related("tags")
    }


@pytest.mark.django_db
def test_the_round_trip_keeps_what_readers_and_authors_see(folder, media_root, client):
    demo_blog_with_extras()
    posts = posts_as_authors_see_them()
    slots = list(FeaturedSlot.objects.values_list("position", "post__slug", "label"))
    pages = list(Page.objects.values_list("path", "status", "show_in_navigation"))
    image = next(Path(media_root, "images").rglob("*.png"))
    image_content = image.read_bytes()
    export(folder)
    empty_the_blog(media_root)

    output = import_folder(folder)

    assert (
        "created 20 posts, 3 pages, 12 tags, 5 featured slots, 2 old addresses, "
        "2 media files;" in output
    )
    assert posts_as_authors_see_them() == posts
    assert slots == list(
        FeaturedSlot.objects.values_list("position", "post__slug", "label")
    )
    assert pages == list(
        Page.objects.values_list("path", "status", "show_in_navigation")
    )
    assert image.read_bytes() == image_content
    renamed = Post.objects.get(slug="привет-мир")
    for old in ["/posts/старый/", "/posts/привет/"]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (
            301,
            renamed.get_absolute_url(),
        )
    assert (
        Tag.objects.get(name="Ünïcödé").description == "Tags keep\ntheir descriptions."
    )


# Import: updating, refusing, reporting


def write(root, name, text):
    path = Path(root, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.mark.django_db
def test_import_updates_posts_by_slug_and_pages_by_path_and_leaves_others_alone(
    folder,
):
    post = PostFactory(slug="kept", title="Old title")
    other = PostFactory(slug="other", title="Not in the folder")
    page = PageFactory(slug="now", title="Old now")
    write(folder, "_posts/2024-01-01-kept.md", "---\ntitle: New title\n---\nNew.")
    write(folder, "pages/now.md", "---\ntitle: New now\n---\nNow.")
    write(folder, "_drafts/fresh.md", "---\ntitle: Fresh\n---\n")

    output = import_folder(folder)

    assert "created 1 post, 0 pages" in output
    assert "updated 1 post, 1 page, 0 tags" in output
    post.refresh_from_db()
    page.refresh_from_db()
    assert (post.title, post.body, post.pk) == ("New title", "New.", post.pk)
    assert (page.title, page.body_html) == ("New now", "<p>Now.</p>")
    assert Post.objects.get(pk=other.pk).title == "Not in the folder"
    assert Post.objects.get(slug="fresh").state == Post.State.DRAFT


@pytest.mark.django_db
def test_the_folder_decides_the_featured_slots_of_its_posts(folder):
    holder = PostFactory(slug="holder")
    FeaturedSlot.objects.create(position=1, post=holder)
    was_featured = PostFactory(slug="was-featured")
    FeaturedSlot.objects.create(position=2, post=was_featured)
    write(
        folder,
        "_posts/2024-01-01-new.md",
        "---\ntitle: New\ndate: 2024-01-01T00:00:00Z\n"
        "featured:\n  position: 1\n  label: Read this\n---\n",
    )
    write(folder, "_posts/2024-01-01-was-featured.md", "---\ntitle: W\n---\n")

    output = import_folder(folder)

    assert list(
        FeaturedSlot.objects.values_list("position", "post__slug", "label")
    ) == [(1, "new", "Read this")]
    assert f"“{holder.title}” lost featured position 1 to a post of the folder." in (
        output
    )


@pytest.mark.django_db
def test_a_refused_file_imports_nothing_even_after_others_were_saved(folder):
    write(folder, "_posts/2024-01-01-fine.md", "---\ntitle: Fine\n---\n")
    write(
        folder,
        "_drafts/featured-draft.md",
        "---\ntitle: Draft\nfeatured:\n  position: 1\n---\n",
    )

    with pytest.raises(CommandError) as error:
        import_folder(folder)

    assert str(error.value).startswith(
        "_drafts/featured-draft.md: post: Only a published post can be featured."
    )
    assert str(error.value).endswith("Nothing was imported.")
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_broken_yaml_is_refused_by_the_command_naming_file_and_line(folder):
    write(folder, "_posts/2024-01-01-ok.md", "---\ntitle: OK\n---\n")
    write(folder, "pages/bad.md", "---\ntitle: Bad\nslug: [unclosed\n---\n")

    with pytest.raises(CommandError, match=r"^pages/bad.md, line 4: this is not"):
        import_folder(folder)
    assert not Post.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "pages/tags.md",
            "---\ntitle: Tags\n---\n",
            "pages/tags.md: slug: The address /tags/ belongs to Inkwell",
        ),
        (
            "pages/lost/child.md",
            "---\ntitle: Child\n---\n",
            "pages/lost/child.md: its parent page /lost/ is neither in the folder",
        ),
        (
            "_posts/2024-01-01-x.md",
            "---\ntitle: X\nslug: not a slug\n---\n",
            "_posts/2024-01-01-x.md: slug: Enter a valid “slug”",
        ),
    ],
)
def test_content_the_blog_cannot_hold_is_refused_naming_the_file(
    folder, name, text, message
):
    write(folder, name, text)

    with pytest.raises(CommandError, match=message):
        import_folder(folder)


@pytest.mark.django_db
def test_two_files_for_one_post_are_refused(folder):
    write(folder, "_drafts/same.md", "---\ntitle: Draft\n---\n")
    write(folder, "_posts/2024-01-01-x.md", "---\ntitle: X\nslug: same\n---\n")

    with pytest.raises(CommandError) as error:
        import_folder(folder)

    assert str(error.value) == (
        "_posts/2024-01-01-x.md and _drafts/same.md have the same slug, same. "
        "Change or remove one of them and import again. Nothing was imported."
    )
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_checks_everything_and_saves_nothing(folder, media_root):
    write(folder, "_posts/2024-01-01-x.md", "---\ntitle: X\ntags: [T]\n---\n")
    write(folder, "pages/about.md", "---\ntitle: About\n---\n")
    Path(folder, "media/images").mkdir(parents=True)
    Path(folder, "media/images/a.png").write_bytes(image_bytes("PNG"))

    output = import_folder(folder, "--dry-run")

    assert output.startswith(
        "Would import (dry run, nothing was saved) from "
        f"{folder}: created 1 post, 1 page, 1 tag, 0 featured slots, "
        "0 old addresses, 1 media file;"
    )
    assert not (Post.objects.exists() or Page.objects.exists() or Tag.objects.exists())
    assert not Path(media_root, "images/a.png").exists()


@pytest.mark.django_db
def test_only_images_the_editor_accepts_are_copied_back_to_media(folder, media_root):
    Path(folder, "media/images").mkdir(parents=True)
    Path(folder, "media/images/a.png").write_bytes(image_bytes("PNG"))
    Path(folder, "media/images/page.svg").write_text("<svg><script/></svg>")

    output = import_folder(folder)

    assert Path(media_root, "images/a.png").read_bytes() == image_bytes("PNG")
    assert not Path(media_root, "images/page.svg").exists()
    assert "media/images/page.svg was not copied: This file is not a JPEG" in output
    assert "1 media file;" in output


@pytest.mark.django_db
def test_tags_keep_their_slug_and_description_and_unlisted_ones_are_created(
    folder,
):
    write(
        folder,
        "tags.yaml",
        "- name: C\n  slug: c-lang\n  description: |-\n    The language.\n    Old.\n",
    )
    write(folder, "_posts/2024-01-01-x.md", "---\ntitle: X\ntags: [C, New]\n---\n")

    import_folder(folder)

    assert list(Tag.objects.values_list("name", "slug", "description")) == [
        ("C", "c-lang", "The language.\nOld."),
        ("New", "new", ""),
    ]
    assert sorted(Post.objects.get().tags.values_list("name", flat=True)) == [
        "C",
        "New",
    ]


@pytest.mark.django_db
def test_imported_dates_are_kept(folder):
    write(
        folder,
        "_posts/2024-01-01-x.md",
        "---\ntitle: X\ndate: 2024-01-01T09:00:00+02:00\n"
        "updated: 2024-02-01T10:00:00+00:00\n---\n",
    )

    import_folder(folder)

    post = Post.objects.get()
    assert post.published_at == datetime(2024, 1, 1, 7, tzinfo=UTC)
    assert post.updated_at == datetime(2024, 2, 1, 10, tzinfo=UTC)


# Export


@pytest.mark.django_db
def test_export_refuses_a_folder_that_is_not_empty(folder):
    write(folder, "left-over.md", "")

    with pytest.raises(CommandError, match="is not an empty folder. Export into"):
        export(folder)


@pytest.mark.django_db
def test_export_copies_the_media_a_post_uses_and_reports_missing_files(
    folder, media_root
):
    image_url = store_image(upload(image_bytes("GIF")))
    PostFactory(
        slug="pics",
        published_at=datetime(2024, 1, 1, tzinfo=UTC),
        body=f"![a]({image_url}) ![b](/media/images/gone.png)",
    )
    name = image_url.removeprefix("/media/")

    output = export(folder / "out")

    assert (
        Path(folder, "out/media", name).read_bytes()
        == Path(media_root, name).read_bytes()
    )
    assert not Path(folder, "out/media/images/gone.png").exists()
    assert (
        "_posts/2024-01-01-pics.md uses /media/images/gone.png, which is not in the "
        "media folder" in output
    )


@pytest.mark.django_db
def test_export_writes_old_slugs_as_aliases_hugo_reads(folder):
    post = PostFactory(slug="first", published_at=datetime(2024, 1, 1, tzinfo=UTC))
    post.slug = "second"
    services.post_save(post=post)

    export(folder)

    text = Path(folder, "_posts/2024-01-01-second.md").read_text()
    assert "aliases:\n  - /posts/first/\n" in text


# Old addresses other than a post's old slugs: django.contrib.redirects rows.


@pytest.mark.django_db
def test_other_old_addresses_travel_as_contrib_redirects(folder, client):
    redirect_model = apps.get_model("redirects", "Redirect")
    write(
        folder / "in",
        "_posts/2016-12-11-hello.md",
        "---\ntitle: Hello\ndate: 2016-12-11T10:00:00Z\n"
        "aliases: [/2016/12/11/hello/, /posts/hallo/]\n---\n",
    )

    import_folder(folder / "in")
    export(folder / "out")

    assert list(redirect_model.objects.values_list("old_path", "new_path")) == [
        ("/2016/12/11/hello/", "/posts/hello/")
    ]
    assert SlugRedirect.objects.get().old_slug == "hallo"
    response = client.get("/2016/12/11/hello/")
    assert (response.status_code, response["Location"]) == (301, "/posts/hello/")
    exported = Path(folder, "out/_posts/2016-12-11-hello.md").read_text()
    assert "aliases:\n  - /2016/12/11/hello/\n  - /posts/hallo/\n" in exported
