"""Work budgets per document: past one, the rest shows as plain text.

The budgets are made small here so that small inputs pass them; the real
ones are timed at the size limit by bench/bench_render.py. Pure rendering,
no database.
"""

import pytest

from bench.bench_render import long_post
from blog.rendering import budget, markdown, render_post
from tests.pathological import CASES, TRAILING_TEXT, pathological
from tests.test_pathological import DANGEROUS_TAG


@pytest.fixture
def small_budgets(monkeypatch):
    monkeypatch.setattr(budget, "MAX_BLOCKS", 20)
    monkeypatch.setattr(budget, "MAX_TABLE_CELLS", 20)
    monkeypatch.setattr(budget, "MAX_INLINE_MARKS", 50)
    monkeypatch.setattr(budget, "MAX_RAW_HTML_TAGS", 10)
    monkeypatch.setattr(budget, "MAX_WORK", 200)


def test_past_the_block_budget_the_rest_is_escaped_text_in_paragraphs(monkeypatch):
    monkeypatch.setattr(budget, "MAX_BLOCKS", 2)

    rendered = render_post("a\n\n*b*\n\n# c <b>\n- d & e\n\n\n> f")

    assert rendered.body_html == (
        "<p>a</p>\n<p><em>b</em></p>\n<p># c &lt;b&gt;\n- d &amp; e</p>\n<p>&gt; f</p>"
    )
    assert rendered.is_over_budget


def test_a_table_past_the_cell_budget_and_all_after_it_are_text(monkeypatch):
    # Each table below counts as 3 lines of 4 columns (its pipes, plus one).
    monkeypatch.setattr(budget, "MAX_TABLE_CELLS", 12)
    table = "|a|b|\n|-|-|\n|c|d|"

    rendered = render_post(f"{table}\n\n{table}\n\n*After.*")

    assert rendered.body_html.count("<table>") == 1
    assert rendered.body_html.endswith("<p>|a|b|\n|-|-|\n|c|d|</p>\n<p>*After.*</p>")
    assert rendered.is_over_budget


def test_past_the_inline_budget_paragraphs_show_their_text_as_written(monkeypatch):
    monkeypatch.setattr(budget, "MAX_INLINE_MARKS", 2)
    monkeypatch.setattr(budget, "MAX_RAW_HTML_TAGS", 5)

    rendered = render_post('*a*\n\n*b* "c" www.example.com <i>\n\n# [d](/e)')

    assert rendered.body_html == (
        "<p><em>a</em></p>\n"
        "<p>*b* &quot;c&quot; www.example.com &lt;i&gt;</p>\n"
        '<h1 id="h-preview-de">[d](/e) <a aria-label="Link to this section: '
        '[d](/e)" class="heading-permalink" href="#h-preview-de">#</a></h1>'
    )
    assert rendered.is_over_budget


def test_a_post_within_every_budget_is_not_marked():
    assert not render_post("# Title\n\n*Words* and `code`.").is_over_budget


def test_past_the_work_budget_a_mix_under_every_other_budget_is_text(monkeypatch):
    # Each paragraph holds a little of every kind: a block (4), six marks,
    # a bare URL (10). The second passes 30 and is shown as written, with
    # all after it, although no budget of one kind is reached.
    monkeypatch.setattr(budget, "MAX_WORK", 30)
    paragraph = "*a* `b` www.example.com"

    rendered = render_post(f"{paragraph}\n\n{paragraph}\n\n*c*")

    assert rendered.body_html.startswith("<p><em>a</em> <code>b</code> <a ")
    assert rendered.body_html.endswith("<p>*a* `b` www.example.com</p>\n<p>*c*</p>")
    assert rendered.is_over_budget


def test_the_work_budget_stops_block_parsing_too(monkeypatch):
    monkeypatch.setattr(budget, "MAX_WORK", 8)

    rendered = render_post("a\n\nb\n\n# c\n\n- d")

    assert rendered.body_html == "<p>a</p>\n<p>b</p>\n<p># c</p>\n<p>- d</p>"
    assert rendered.is_over_budget


def test_three_quarters_of_a_megabyte_of_real_writing_passes_no_budget():
    # A 5,000-word post with code, footnotes, lists and quotes, repeated to
    # 768 KB (about 110,000 words; a megabyte of it passes the work budget
    # near its end). Parsing is where the budgets are spent.
    post = long_post()
    body = "\n\n".join([post] * (768 * 1024 // len(post.encode())))

    _tokens, env = markdown.parse(body, key="1")

    assert not budget.is_over_budget(env)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_pathological_input_past_small_budgets_keeps_its_text(name, small_budgets):
    rendered = render_post(pathological(name, 3000), post_id=1)

    assert TRAILING_TEXT in rendered.body_html
    assert not DANGEROUS_TAG.search(rendered.body_html)
    assert "<!--" not in rendered.body_html


def test_text_past_a_budget_is_outside_the_raw_html_left_open_before_it(
    monkeypatch,
):
    monkeypatch.setattr(budget, "MAX_BLOCKS", 1)

    html = render_post('<div>\n\na < b &amp; "c"').body_html

    assert html == "<div></div>\n<p>a &lt; b &amp;amp; &quot;c&quot;</p>"


def test_plain_paragraphs_past_their_limit_are_one(monkeypatch):
    monkeypatch.setattr(budget, "MAX_BLOCKS", 1)
    monkeypatch.setattr(budget, "MAX_PLAIN_PARAGRAPHS", 2)

    html = render_post("a\n\nb\n\nc\n\nd").body_html

    assert html == "<p>a</p>\n<p>b</p>\n<p>c\n\nd</p>"


def test_raw_html_blocks_past_the_tag_budget_show_as_text(monkeypatch):
    monkeypatch.setattr(budget, "MAX_RAW_HTML_TAGS", 2)

    html = render_post("<div>a</div>\n\n<div>b</div>").body_html

    assert html == "<div>a</div>\n<p>&lt;div&gt;b&lt;/div&gt;</p>"


def test_past_the_tag_budget_paragraphs_show_their_text_as_written(monkeypatch):
    monkeypatch.setattr(budget, "MAX_RAW_HTML_TAGS", 2)

    html = render_post("a <b>b</b>\n\n*c* <i>d</i>").body_html

    assert html == "<p>a <b>b</b></p>\n<p>*c* &lt;i&gt;d&lt;/i&gt;</p>"
