"""Reading WordPress exports (blog/importers/wxr.py). No database."""

from datetime import UTC, datetime

import pytest

from blog.importers.wxr import WXRError, iter_items, read_export
from blog.importers.wxr_export import STATUS_STATES
from tests.wxr_files import fixture_path, shared_path


@pytest.fixture(scope="module")
def blog():
    return read_export(fixture_path("blog.xml"))


def item(export, wp_id):
    return next(entry for entry in export.items if entry.wp_id == wp_id)


# (file, WXR version, {(post type, status): count})
REAL_EXPORTS = [
    (
        "theme-unit-test-data.xml",
        "1.2",
        {
            ("post", "publish"): 56,
            ("post", "future"): 1,
            ("post", "draft"): 1,
            ("page", "publish"): 21,
            ("attachment", "inherit"): 37,
            ("nav_menu_item", "publish"): 70,
        },
    ),
    (
        "small-export.xml",
        "1.1",
        {
            ("post", "publish"): 5,
            ("post", "private"): 1,
            ("page", "publish"): 4,
            ("page", "draft"): 1,
        },
    ),
    ("valid-wxr-1.0.xml", "1.0", {("post", "publish"): 3, ("page", "publish"): 3}),
    ("valid-wxr-1.1.xml", "1.1", {("post", "publish"): 1, ("page", "publish"): 1}),
    ("wxr-simple.xml", "1.2", {("post", "publish"): 1}),
    ("wxr-utf-8-challenges.xml", "1.2", {("post", "publish"): 1}),
    ("cdata-edge.xml", "1.2", {("post", "publish"): 1}),
    ("slashes.xml", "1.1", {("post", "publish"): 1}),
    ("post-content-blank-lines.xml", "1.1", {("post", "publish"): 1}),
    ("term-formats.xml", "1.2", {}),
]


@pytest.mark.parametrize(("name", "version", "counts"), REAL_EXPORTS)
def test_real_exports_are_read_with_their_counts_by_type_and_status(
    name, version, counts
):
    export = read_export(shared_path(name))

    assert export.site.wxr_version == version
    assert dict(export.counts()) == counts


def test_the_fixture_has_every_type_and_status(blog):
    assert dict(blog.counts()) == {
        ("post", "publish"): 2,
        ("post", "future"): 1,
        ("post", "draft"): 1,
        ("post", "pending"): 1,
        ("post", "private"): 1,
        ("page", "publish"): 2,
        ("page", "draft"): 1,
        ("attachment", "inherit"): 1,
        ("nav_menu_item", "publish"): 1,
        ("revision", "inherit"): 1,
    }


def test_the_site_and_its_authors_are_read(blog):
    assert blog.site.title == "Low Level Notes"
    assert blog.site.base_site_url == "https://old.example.com"
    assert blog.site.base_blog_url == "https://old.example.com/blog"
    assert blog.site.language == "en-GB"
    ada = blog.authors[0]
    assert (ada.login, ada.display_name, ada.first_name, ada.last_name) == (
        "ada",
        "Ada L.",
        "Ada",
        "Lovelace",
    )
    assert ada.email == "ada@example.com"
    assert [author.login for author in blog.authors] == ["ada", "guest"]


def test_terms_are_read_with_their_taxonomy_slug_and_name(blog):
    terms = {(term.taxonomy, term.slug): term for term in blog.terms}

    assert terms["category", "compilers"].name == "Compilers"
    assert terms["category", "compilers"].description == (
        "How code becomes instructions."
    )
    assert terms["post_tag", "x86-asm"].name == "x86 & assembly"
    assert terms["nav_menu", "main"].name == "Main"


def test_an_items_tags_and_categories_come_from_its_category_elements(blog):
    post = item(blog, 101)

    assert post.tags == ["C", "x86 & assembly"]
    assert post.categories == ["Compilers"]


def test_wxr_1_0_tags_are_read_once_each():
    # WXR 1.0 lists each term twice (bare and with a nicename) and calls
    # tags "tag".
    export = read_export(shared_path("valid-wxr-1.0.xml"))
    alpha = next(entry for entry in export.items if entry.slug == "alpha-post")

    assert alpha.tags == ["news", "roar"]
    assert alpha.categories == ["alpha"]


def test_dates_come_from_the_gmt_fields(blog):
    post = item(blog, 101)

    assert post.published_at == datetime(2024, 5, 20, 8, 30, tzinfo=UTC)
    assert post.modified_at == datetime(2024, 5, 22, 9, 0, tzinfo=UTC)
    assert not post.is_date_local


def test_a_date_without_gmt_falls_back_to_the_local_date_at_the_sites_offset(
    blog,
):
    # The draft has only its local date (11:15); the site's other items say
    # the site is one hour ahead of UTC.
    draft = item(blog, 44)

    assert draft.is_date_local
    assert draft.local_date == datetime(2024, 6, 2, 11, 15)
    assert draft.published_at == datetime(2024, 6, 2, 10, 15, tzinfo=UTC)


def test_a_missing_date_is_none():
    edge = read_export(shared_path("cdata-edge.xml")).items[0]

    assert edge.published_at is None
    assert edge.modified_at is None


def test_sticky_posts_are_listed_newest_first(blog):
    assert [post.wp_id for post in blog.sticky_posts()] == [101, 42]
    assert not item(blog, 43).is_sticky


def test_the_theme_unit_tests_sticky_post():
    export = read_export(shared_path("theme-unit-test-data.xml"))

    assert [post.slug for post in export.sticky_posts()] == ["template-sticky"]


def test_slugs_are_percent_decoded_and_kept_exactly(blog):
    assert item(blog, 43).slug == "日本語のスタック"
    assert item(blog, 101).slug == "reading-gcc-s"
    assert item(blog, 44).slug == ""


def test_slugs_keep_even_invisible_characters():
    export = read_export(shared_path("wxr-utf-8-challenges.xml"))

    assert export.items[0].slug == "hello-w\u202eorld\u202c-utf8-💫-test"


def test_titles_are_read_as_text_with_entities_decoded(blog):
    assert item(blog, 101).title == "Reading gcc -S, one “instruction” at a time"


def test_links_keep_their_path_and_plain_permalink_query(blog):
    assert item(blog, 42).link_path == "/blog/2016/12/11/the-stack-by-hand/"
    assert item(blog, 43).link_path == "/blog/?p=43"
    assert item(blog, 42).guid == "https://old.example.com/blog/?p=42"


def test_content_and_excerpt_are_kept_as_written(blog):
    post = item(blog, 42)

    assert post.content.startswith("Every call pushes a return address.\n")
    assert '[sourcecode language="c"]' in post.content
    assert post.excerpt == (
        "How a call frame is built, <em>instruction by instruction</em>."
    )


def test_core_footnotes_are_read_from_post_meta(blog):
    notes = item(blog, 101).footnotes

    assert [note["id"] for note in notes] == [
        "6c1d4e0a-0b3a-4a47-9c2e-1f2e3d4c5b6a",
        "d2a1b3c4-5e6f-4a8b-9c0d-e1f2a3b4c5d6",
    ]
    assert notes[0]["content"] == "Four, for <code>add</code> at <strong>-O2</strong>."


def test_unreadable_footnotes_meta_means_no_footnotes(blog):
    from dataclasses import replace

    post = replace(item(blog, 101), meta=(("footnotes", "not json"),))

    assert post.footnotes == []


def test_attachments_carry_their_file_url_and_alt_text(blog):
    image = item(blog, 302)

    assert image.attachment_url == (
        "https://old.example.com/wp-content/uploads/2016/12/frame.png"
    )
    assert image.attached_file == "2016/12/frame.png"
    assert image.alt_text == "A stack frame"
    assert image.parent_id == 42


def test_pages_know_their_parent_and_menu_order(blog):
    team = item(blog, 3)

    assert (team.post_type, team.parent_id, team.menu_order) == ("page", 2, 2)
    assert item(blog, 2).parent_id == 0


def test_a_posts_password_is_read_so_that_it_is_not_published_openly():
    export = read_export(shared_path("theme-unit-test-data.xml"))
    protected = [entry.slug for entry in export.items if entry.password]

    assert protected == ["template-password-protected"]


def test_comments_are_counted(blog):
    assert item(blog, 42).comment_count == 2
    assert item(blog, 101).comment_count == 0


def test_comments_of_a_real_export_are_counted():
    export = read_export(shared_path("theme-unit-test-data.xml"))

    assert sum(entry.comment_count for entry in export.items) == 33


def test_wordpress_statuses_map_to_inkwell_states(blog):
    assert STATUS_STATES == {
        "publish": "published",
        "future": "scheduled",
        "draft": "draft",
        "pending": "draft",
        "private": "draft",
    }
    states = {entry.wp_id: entry.state for entry in blog.items}
    assert [states[i] for i in (42, 43, 44, 45, 46)] == [
        "published",
        "scheduled",
        "draft",
        "draft",
        "draft",
    ]
    assert states[302] is None  # an attachment's "inherit"


def test_progress_is_reported_after_each_item():
    calls = []
    path = fixture_path("blog.xml")

    export = read_export(path, progress=lambda done, total: calls.append((done, total)))

    assert len(calls) == len(export.items)
    done = [call[0] for call in calls]
    assert done == sorted(done)
    assert all(total == path.stat().st_size for _, total in calls)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (
            "malformed.xml",
            "The file is not well-formed XML: mismatched tag at line 90.",
        ),
        ("malformed-simple.xml", "is it truncated?) at line 14."),
        ("crazy-cdata.xml", "at line 18."),
    ],
)
def test_broken_real_exports_are_refused_naming_the_line(name, problem):
    with pytest.raises(WXRError) as refusal:
        read_export(shared_path(name))

    assert problem in str(refusal.value)
    assert str(refusal.value).endswith(
        "Export it again from WordPress (Tools → Export)."
    )


def test_a_truncated_export_is_refused_and_nothing_is_returned():
    with pytest.raises(WXRError, match=r"unclosed CDATA section at line 114\."):
        read_export(fixture_path("truncated.xml"))


def test_reading_lazily_yields_items_before_the_break_then_raises():
    # What read_export guards against: a caller acting on each item would
    # have acted on the first post before the file turned out broken.
    seen = []
    with pytest.raises(WXRError):
        for entry in iter_items(fixture_path("truncated.xml")):
            seen.append(entry.wp_id)

    assert seen == [101]


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_entity_declarations_are_refused_without_expanding_anything(name):
    with pytest.raises(WXRError, match="document type or entities at line 4"):
        read_export(fixture_path(name))


def test_an_rss_feed_that_is_not_an_export_is_refused():
    with pytest.raises(WXRError, match=r"no valid WXR version .*found none"):
        read_export(fixture_path("plain-rss.xml"))


def test_an_xml_file_of_another_kind_is_refused(tmp_path):
    path = tmp_path / "page.xml"
    path.write_text("<html><body><p>Hello</p></body></html>")

    with pytest.raises(WXRError, match="its root element is <html>"):
        read_export(path)


def test_a_file_that_is_not_xml_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Just some notes,\nnot an export.\n")

    with pytest.raises(WXRError, match="not well-formed XML: .* at line 1"):
        read_export(path)


def test_a_missing_file_is_refused_with_its_path(tmp_path):
    path = tmp_path / "nowhere.xml"

    with pytest.raises(WXRError, match=f"cannot read {path}"):
        read_export(path)
