"""Search at /search/: on SQLite (FTS5) and on PostgreSQL (tsvector), as
DATABASE_URL says; CI runs the file on both.
"""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from blog import search_index, services
from blog.models import Page, Post, Tag
from blog.search_query import SearchQuery
from tests.factories import PageFactory, PostFactory, TagFactory, bulk_posts

pytestmark = pytest.mark.django_db


def found(client, query, **params):
    """Return the titles /search/ lists for `query`, in order."""
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return [hit.title for hit in response.context.get("hits") or []]


# Ranking, phrases, exclusion, stemming


def test_a_title_match_ranks_before_body_matches(client):
    PostFactory(title="Notes", body="Registers, registers and more registers.")
    PostFactory(title="Registers", body="A short post.")

    assert found(client, "registers") == ["Registers", "Notes"]


def test_a_quoted_phrase_finds_the_words_together_only(client):
    PostFactory(title="One", body="Each call pushes a stack frame.")
    PostFactory(title="Two", body="The frame of the stack is gone.")

    assert found(client, '"stack frame"') == ["One"]
    assert sorted(found(client, "stack frame")) == ["One", "Two"]


def test_a_leading_minus_leaves_out_posts_with_the_word(client):
    PostFactory(title="GCC", body="The compiler gcc inlines it.")
    PostFactory(title="Clang", body="The compiler clang inlines it.")

    assert found(client, "compiler -gcc") == ["Clang"]
    assert found(client, 'compiler -"compiler gcc"') == ["Clang"]


def test_words_are_found_by_their_stem(client):
    PostFactory(title="Loops", body="The loop was running for hours.")

    assert found(client, "runs") == ["Loops"]


def test_tags_and_pages_are_found(client):
    PostFactory(title="Tagged", tags=[TagFactory(name="Assembly")])
    PageFactory(title="About", body="I write about assembly language.")

    assert sorted(found(client, "assembly")) == ["About", "Tagged"]


# Each hit


def test_a_hit_shows_its_date_tags_and_a_highlighted_snippet(client):
    post = PostFactory(
        title="Frames",
        body="Intro words here. Every function call pushes a frame.",
        tags=[TagFactory(name="Stack")],
    )

    html = client.get("/search/", {"q": "function"}).content.decode()

    assert f'href="{post.get_absolute_url()}">Frames</a>' in html
    assert post.published_at.strftime("%Y-%m-%d") in html
    assert 'href="/tags/stack/" rel="tag">Stack</a>' in html
    assert "Every <mark>function</mark> call pushes a frame" in html


def test_snippets_and_queries_are_escaped(client):
    PostFactory(title="Tags", body="Never trust `<script>alert(1)</script>` or <b>.")

    html = client.get("/search/", {"q": "script"}).content.decode()
    assert "Never trust &lt;<mark>script</mark>&gt;alert(1)&lt;/" in html
    assert "<script>" not in html

    html = client.get("/search/", {"q": "<b>"}).content.decode()
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_a_marker_character_in_the_text_cannot_unbalance_the_markup(client):
    PostFactory(title="Odd", body="A \ue000stray\ue001 mark and a \ue001 word.")

    html = client.get("/search/", {"q": "stray"}).content.decode()

    assert html.count("<mark>") == html.count("</mark>")


def test_results_are_paginated_like_the_index(client, settings):
    settings.INKWELL_PAGE_SIZE = 2
    for number in range(5):
        published_at = timezone.now() - timedelta(days=number)
        PostFactory(title=f"Kernel {number}", published_at=published_at)

    first = client.get("/search/", {"q": "kernel"})
    third = client.get("/search/", {"q": "kernel", "page": 3})

    assert [hit.title for hit in first.context["hits"]] == ["Kernel 0", "Kernel 1"]
    assert first.context["next_page_url"] == "/search/?q=kernel&page=2"
    assert [hit.title for hit in third.context["hits"]] == ["Kernel 4"]
    assert third.context["previous_page_url"] == "/search/?q=kernel&page=2"
    assert found(client, "kernel", page="999") == ["Kernel 4"]
    assert found(client, "kernel", page="x") == ["Kernel 0", "Kernel 1"]


def test_a_query_matching_very_many_posts_ranks_the_newest(client, monkeypatch):
    monkeypatch.setattr("blog.search.RANKED_MATCHES", 3)
    for number in range(5):
        PostFactory(title=f"Kernel {number}")

    response = client.get("/search/", {"q": "kernel"})

    assert sorted(hit.title for hit in response.context["hits"]) == [
        "Kernel 2",
        "Kernel 3",
        "Kernel 4",
    ]
    assert "Add a word to narrow it down." in response.content.decode()


@pytest.mark.parametrize("factor", [0, 10**12], ids=["walk", "index"])
def test_both_ways_to_the_newest_matches_find_the_same(client, monkeypatch, factor):
    # PostgreSQL walks the newest posts or asks the GIN index, by estimate;
    # force each way (SQLite has one).
    monkeypatch.setattr("blog.search.PostgresSearch.WALK_FACTOR", factor)
    monkeypatch.setattr("blog.search.PostgresSearch.PHRASE_WALK_FACTOR", factor)
    monkeypatch.setattr("blog.search.RANKED_MATCHES", 3)
    now = timezone.now()
    for number in range(5):
        PostFactory(
            title=f"Kernel {number}",
            body="A stack frame." if number % 2 else "The frame of the stack.",
            published_at=now - timedelta(days=10 - number),
        )
    PostFactory(title="Draft kernel", body="A stack frame.", draft=True)
    PostFactory(title="Later kernel", published_at=now + timedelta(hours=2))
    PostFactory(title="Notes", body="A kernel stack frame.", published_at=now)

    newest = found(client, "kernel")
    assert sorted(newest[:2]) == ["Kernel 3", "Kernel 4"]  # title matches first
    assert newest[2:] == ["Notes"]
    assert sorted(found(client, '"stack frame"')) == ["Kernel 1", "Kernel 3", "Notes"]
    assert sorted(found(client, "kernel -notes")) == [
        "Kernel 2",
        "Kernel 3",
        "Kernel 4",
    ]
    assert sorted(found(client, 'frame -"stack frame"')) == [
        "Kernel 0",
        "Kernel 2",
        "Kernel 4",
    ]


def test_the_planner_estimates_choose_the_way_on_postgresql(monkeypatch):
    from django.db import connection

    from blog.search import PostgresSearch

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one way")
    PostFactory(title="Kernel")
    search = PostgresSearch(SearchQuery.parse("kernel"), now=timezone.now())

    # The estimates (one plan, two members) are read: with no weight on the
    # walk it is chosen, with an enormous one the index is.
    with connection.cursor() as cursor:
        monkeypatch.setattr(PostgresSearch, "WALK_FACTOR", 0)
        assert search._walks(cursor) is True
        monkeypatch.setattr(PostgresSearch, "WALK_FACTOR", 10**12)
        assert search._walks(cursor) is False


# Visibility


def test_drafts_and_scheduled_posts_are_not_found_until_their_time(client):
    now = timezone.now()
    PostFactory(title="Draft words", draft=True)
    PostFactory(title="Scheduled words", published_at=now + timedelta(hours=2))
    PageFactory(title="Draft page words", draft=True)

    assert found(client, "words") == []
    with time_machine.travel(now + timedelta(hours=3)):
        assert found(client, "words") == ["Scheduled words"]


# The index follows every write


def test_the_index_follows_edits_publishing_and_deletion(client):
    post = PostFactory(title="Sparrow", body="Old body.", draft=True)
    assert found(client, "sparrow") == []

    services.post_publish(posts=Post.objects.filter(pk=post.pk))
    assert found(client, "sparrow") == ["Sparrow"]

    post.refresh_from_db()
    post.title, post.body = "Falcon", "Fresh text."
    services.post_save(post=post)
    assert found(client, "sparrow") == []
    assert found(client, "fresh") == ["Falcon"]

    services.post_unpublish(posts=Post.objects.filter(pk=post.pk))
    assert found(client, "falcon") == []
    services.post_publish(posts=Post.objects.filter(pk=post.pk))

    Post.objects.filter(pk=post.pk).delete()
    assert found(client, "falcon") == []
    assert search_rows("post") == []


def test_the_index_follows_tags_added_renamed_and_deleted(client):
    post = PostFactory(title="Plain")
    tag = TagFactory(name="Compilers")

    post.tags.add(tag)
    assert found(client, "compilers") == ["Plain"]

    tag.name = "Linkers"
    tag.save()
    assert found(client, "compilers") == []
    assert found(client, "linkers") == ["Plain"]

    tag.posts.clear()
    assert found(client, "linkers") == []
    post.tags.add(tag)
    tag.delete()
    assert found(client, "linkers") == []


def test_the_index_follows_pages_saved_and_deleted(client):
    page = PageFactory(title="Colophon", body="Set in Garamond.")
    assert found(client, "garamond") == ["Colophon"]

    page.body = "Set in Helvetica."
    page.save()
    assert found(client, "garamond") == []

    page.delete()
    assert found(client, "helvetica") == []


def test_rerender_posts_indexes_the_new_text(client):
    post = PostFactory(title="Stale", body="Ancient words.")
    Page.objects.create(title="Page", slug="page", body="Old page.")
    # A pipeline change, seen as a stored text that differs from the body's.
    Post.objects.filter(pk=post.pk).update(body="Renewed words.")

    call_command("rerender_posts", stdout=StringIO())

    assert found(client, "renewed") == ["Stale"]
    assert found(client, "ancient") == []


def test_a_wordpress_import_is_indexed(client):
    from tests.wxr_files import fixture_path

    call_command("import_wordpress", str(fixture_path("blog.xml")), stdout=StringIO())

    visible = Post.objects.published()
    assert visible.exists()
    for post in visible:
        assert post.title in found(client, f'"{post.title}"')


def test_a_bulk_created_post_is_found_once_indexed(client):
    [post] = bulk_posts(1)
    Post.objects.filter(pk=post.pk).update(search_text="Bulk words.")

    search_index.index_posts([post.pk])

    assert found(client, "bulk") == ["Bulk post 0"]


def search_rows(kind):
    """Return the ids the index holds for `kind` (SQLite's own table)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {search_index.TABLES[kind]}_search")
        return [row[0] for row in cursor.fetchall()]


# Odd queries

HOSTILE_QUERIES = [
    "",
    "   ",
    '"',
    '""',
    "*",
    "NEAR(",
    "NEAR(a b",
    "AND OR",
    "OR",
    "-",
    "-words",
    "--words",
    "!!! ??? ...",
    "a:b",
    "title:words",
    "(words",
    "words)",
    "'",
    "\\",
    "words^2",
    "words -",
    '"unclosed phrase',
    "<script>alert(1)</script>",
    "%",
    "\u202e\u200b",
    "w" * 1000,
    "words " * 100,
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_every_odd_query_gets_a_friendly_page(client, query):
    PostFactory(title="Words", body="Some words.")

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert b'<meta name="robots" content="noindex">' in response.content


def test_a_query_with_only_excluded_terms_asks_for_a_word(client):
    PostFactory(title="Words")

    response = client.get("/search/", {"q": "-words"})

    assert "hits" not in response.context
    assert "add a word without a - before it" in response.content.decode()


def test_a_long_query_is_trimmed_to_200_characters():
    query = SearchQuery.parse("x" * 150 + " " + "y" * 150)

    assert len(query.text) == 200
    assert query.included == ("x" * 150, "y" * 49)


def test_fts5_syntax_is_always_quoted():
    query = SearchQuery.parse('NEAR( a* "b c" -OR -"d"')

    assert query.fts5() == '("NEAR(" AND "a*" AND "b c") NOT ("OR" OR "d")'


# The page


def test_the_header_has_a_search_form_that_works_without_javascript(client):
    html = client.get("/").content.decode()

    form = '<form class="site-search" role="search" action="/search/" method="get">'
    assert form in html
    assert '<label for="site-search-query"' in html


def test_search_pages_ask_not_to_be_indexed(client):
    response = client.get("/search/", {"q": "words"})

    assert b'<meta name="robots" content="noindex">' in response.content
    assert b'rel="canonical"' not in response.content


def test_search_is_not_a_page_slug():
    page = Page(title="Search", slug="search")

    assert page.slug_taken("search")


# The search pages (results, none, an empty and a broken query) are
# checked for valid HTML with every other page type in
# tests/test_html_validity.py: one start of Java for all of them.


# Query budget


@pytest.fixture(params=[3, 300], ids=["3 posts", "300 posts"])
def sized_blog(request, site_identity):
    tags = Tag.objects.bulk_create(
        Tag(name=f"Tag {n}", slug=f"tag-{n}") for n in range(5)
    )
    posts = bulk_posts(request.param, tags=tags)
    Post.objects.update(search_text="Common words in every post.")
    search_index.index_posts()
    return posts


def test_search_runs_a_fixed_number_of_queries(
    client, sized_blog, django_assert_num_queries
):
    # The content version (blog.page_cache), site identity with the
    # navigation pages (blog.site_chrome), the ranked matches, the page's
    # titles and snippets, their tags;
    # on PostgreSQL first the planner's estimates of the matches and of all
    # posts (planning only, one EXPLAIN), and the stems of the query's words
    # (where its snippets are quoted from, blog.search_passage).
    from django.db import connection

    with django_assert_num_queries(7 if connection.vendor == "postgresql" else 5):
        response = client.get("/search/", {"q": "common"})
    assert response.status_code == 200
    assert len(response.context["hits"]) == min(len(sized_blog), 10)


# The migration


@pytest.mark.django_db(transaction=True)
def test_the_migration_indexes_the_posts_there_are(client):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("blog", "0008_rerender_decoded_url_check")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_post = executor.loader.project_state(before).apps.get_model("blog", "Post")
    old_post.objects.create(
        title="Migrated",
        slug="migrated",
        body="Words from *before* the index.",
        status="published",
        published_at=timezone.now() - timedelta(days=1),
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("blog"))

    assert Post.objects.get(slug="migrated").search_text == (
        "Words from before the index."
    )
    assert found(client, "index") == ["Migrated"]


# Committed, as a server's request is: the admin's save indexes the post
# after its response (blog.search_index_queue), once its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_a_post_written_in_the_admin_is_found_by_its_tags(admin_client, client):
    from tests.test_admin import ADD_POST, post_form

    tag = TagFactory(name="Linkers")
    response = admin_client.post(
        ADD_POST,
        post_form(
            title="Written",
            body="Admin words.",
            status=Post.Status.PUBLISHED,
            tags=[tag.pk],
        ),
    )

    assert response.status_code == 302
    assert found(client, "linkers") == ["Written"]


def test_a_markdown_import_is_indexed(client, tmp_path):
    from blog.importers.markdown_site import export_site, import_folder

    PostFactory(title="Travelled", body="Words that went away.", tags=[TagFactory()])
    export_site(tmp_path / "export")
    Post.objects.all().delete()
    assert found(client, "travelled") == []

    import_folder(tmp_path / "export")

    assert found(client, "travelled") == ["Travelled"]
