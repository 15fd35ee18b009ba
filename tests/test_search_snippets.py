"""Search snippets quote the text where the query's words are, however far
into a long post, with the matched words highlighted: on SQLite (FTS5's
snippet()) and on PostgreSQL (ts_headline over the window blog.search_passage
finds), as DATABASE_URL says; CI runs the file on both.
"""

import re

import pytest

from tests.factories import PageFactory, PostFactory

pytestmark = pytest.mark.django_db

# Some 6,000 characters of words that are none of the searched ones.
FILLER = " ".join(["alpha beta gamma delta epsilon zeta eta theta"] * 120)


def snippet(client, query):
    """Return the only hit's snippet, as the page has it."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    (hit,) = response.context["hits"]
    return str(hit.snippet)


def words_of(snippet_html):
    text = re.sub(r"</?mark>", "", snippet_html).replace("…", " ")
    return set(re.findall(r"\w+", text))


def test_a_word_deep_in_a_long_post_is_quoted_and_highlighted(client):
    PostFactory(title="Long", body=f"{FILLER}\n\nThe needle is here.\n\n{FILLER}")

    quoted = snippet(client, "needle")

    assert "<mark>needle</mark> is here" in quoted


def test_a_phrase_is_quoted_where_its_words_are_together(client):
    PostFactory(
        title="Conventions",
        body=f"Calling home. {FILLER}\n\nEvery calling convention differs.",
    )

    quoted = snippet(client, '"calling convention"')

    # SQLite marks the phrase as one, PostgreSQL each word.
    assert re.search("<mark>calling( |</mark> <mark>)convention</mark> differs", quoted)


def test_a_word_whose_stem_is_not_its_start_is_quoted(client):
    # English stems "memory" and "memories" as "memori".
    PostFactory(title="Barriers", body=f"{FILLER}\n\nA memory barrier orders it.")

    assert "<mark>memory</mark> barrier" in snippet(client, "memories")


def test_a_snippet_holds_whole_words_only(client):
    # Long words, so the quote reaches the window's ends, and a second
    # needle near its far end.
    long_words = "extraordinary circumstances notwithstanding "
    body = f"{long_words * 60}needle {long_words * 14}needle {long_words * 60}"
    PostFactory(title="Edges", body=body)

    quoted = snippet(client, "needle")

    assert "<mark>needle</mark>" in quoted
    assert words_of(quoted) <= set(long_words.split()) | {"needle"}


def test_a_title_only_match_quotes_the_start_of_the_text(client):
    PostFactory(title="Needle", body=f"The opening words. {FILLER}")

    assert snippet(client, "needle").startswith("The opening words.")


def test_an_excluded_word_does_not_move_the_quote(client):
    PostFactory(title="Both", body=f"A haystack first. {FILLER} The needle later.")

    assert "<mark>needle</mark> later" in snippet(client, "needle -straw")


def test_a_page_deep_match_is_quoted_too(client):
    PageFactory(title="About", body=f"{FILLER}\n\nI like needles.")

    assert "<mark>needles</mark>" in snippet(client, "needle")


def test_escaping_holds_in_a_window(client):
    PostFactory(title="Tags", body=f"{FILLER}\n\nNever trust `<script>` needles.")

    quoted = snippet(client, "needles")

    assert "&lt;script&gt; <mark>needles</mark>" in quoted
    assert "<script>" not in quoted


def test_a_phrase_with_punctuation_inside_is_found_and_quoted(client):
    PostFactory(
        title="Conventions",
        body=f"Calling home. {FILLER}\n\nEvery calling convention differs.",
    )

    quoted = snippet(client, '"calling - convention"')

    assert re.search("convention</mark> differs", quoted)
