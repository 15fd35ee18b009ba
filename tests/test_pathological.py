"""Hostile or accidental input: every case renders, is sanitized, and keeps
the text after it. Small sizes here; bench/bench_render.py times them at the
size limit.

Pure rendering, no database.
"""

import re

import pytest

from blog.rendering import markdown, render_post
from tests.pathological import CASES, TRAILING_TEXT, pathological

SIZE = 3000
DANGEROUS_TAG = re.compile(r"<(?:script|style|math|svg|textarea|iframe)\b", re.I)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_pathological_input_renders_safely_and_keeps_the_text_after_it(name):
    rendered = render_post(
        pathological(name, SIZE),
        post_id=1,
        post_url="/posts/p/",
        site_url="https://blog.example.com",
    )

    assert TRAILING_TEXT in rendered.body_html
    assert TRAILING_TEXT in rendered.feed_body_html
    for html in (rendered.body_html, rendered.excerpt_html):
        assert not DANGEROUS_TAG.search(html)
        assert "<!--" not in html


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_pathological_excerpt_field_renders_too(name):
    rendered = render_post("Body.", excerpt=pathological(name, SIZE), post_id=1)

    assert TRAILING_TEXT in rendered.excerpt_html


def test_blocks_nested_past_the_limit_show_their_text():
    rendered = render_post("> " * 60 + "deep words")

    assert "deep words" in rendered.body_html
    assert rendered.body_html.count("<blockquote>") < 60


def test_raw_html_nested_past_the_limit_loses_the_deeper_tags_not_the_text():
    rendered = render_post("<div>" * 150 + "deep words" + "</div>" * 150)

    assert "deep words" in rendered.body_html
    assert rendered.body_html.count("<div>") == 100


def test_an_unclosed_comment_shows_as_text_and_hides_nothing():
    rendered = render_post("Before <!-- never closed\n\nAfter.")

    assert rendered.body_html == "<p>Before &lt;!-- never closed</p>\n<p>After.</p>"


def test_past_the_bracket_budget_brackets_are_text(monkeypatch):
    monkeypatch.setattr(markdown, "MAX_LINK_BRACKETS", 2)

    html = render_post("[x](/a)\n\n[y](/b)\n\n[z](/c) and [w](/d)").body_html

    assert html == (
        '<p><a href="/a">x</a></p>\n<p><a href="/b">y</a></p>\n'
        "<p>[z](/c) and [w](/d)</p>"
    )
