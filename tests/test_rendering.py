"""The rendering pipeline: Markdown features, code, excerpts, footnotes, ids.

Pure functions, no database.
"""

import re
from html.parser import HTMLParser

import pytest

from blog.rendering import render_post


def body_html(markdown_text):
    """Return what a new post's body preview shows: ids say "preview"."""
    return render_post(markdown_text).body_html


ID = re.compile(r'\bid="([^"]*)"')
HREF = re.compile(r'\bhref="([^"]*)"')
VOID_TAGS = {"br", "hr", "img"}


def ids(html):
    return ID.findall(html)


def unclosed_tags(html):
    """Return the tags `html` opens and never closes (or closes unopened)."""

    class Balance(HTMLParser):
        stack, errors = [], []

        def handle_starttag(self, tag, attrs):
            if tag not in VOID_TAGS:
                self.stack.append(tag)

        def handle_endtag(self, tag):
            if self.stack and self.stack[-1] == tag:
                self.stack.pop()
            else:
                self.errors.append(tag)

    parser = Balance()
    parser.stack, parser.errors = [], []
    parser.feed(html)
    parser.close()
    return parser.stack + parser.errors


# Markdown features ---------------------------------------------------------

MARKDOWN_FEATURES = [
    pytest.param("One.\n\nTwo.", "<p>One.</p>\n<p>Two.</p>", id="paragraphs"),
    pytest.param(
        "*em*, _em_, **strong**",
        "<p><em>em</em>, <em>em</em>, <strong>strong</strong></p>",
        id="emphasis",
    ),
    pytest.param(
        "[a link](/posts/a/ 'A title')",
        '<p><a href="/posts/a/" title="A title">a link</a></p>',
        id="link",
    ),
    pytest.param(
        "![A cat](/media/cat.png)",
        '<p><img alt="A cat" src="/media/cat.png"></p>',
        id="image",
    ),
    pytest.param(
        "- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>", id="unordered-list"
    ),
    pytest.param(
        "1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>", id="ordered-list"
    ),
    pytest.param(
        "3. three\n4. four",
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>',
        id="ordered-list-starts-where-numbered",
    ),
    pytest.param(
        "- outer\n    - inner\n- next",
        "<ul>\n<li>outer\n<ul>\n<li>inner</li>\n</ul>\n</li>\n<li>next</li>\n</ul>",
        id="nested-list",
    ),
    pytest.param(
        "> Quoted\n> text.",
        "<blockquote>\n<p>Quoted\ntext.</p>\n</blockquote>",
        id="block-quote",
    ),
    pytest.param("One\n\n---\n\nTwo", "<p>One</p>\n<hr>\n<p>Two</p>", id="rule"),
    pytest.param(
        "| a | b |\n|:--|--:|\n| 1 | 2 |",
        '<div class="table-wrap" role="region" tabindex="0" aria-label="Table">\n'
        '<table>\n<thead>\n<tr>\n<th class="align-left">a</th>\n'
        '<th class="align-right">b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n'
        '<td class="align-left">1</td>\n<td class="align-right">2</td>\n'
        "</tr>\n</tbody>\n</table>\n</div>",
        id="table-aligned-by-class-without-align-or-style",
    ),
    pytest.param(
        "Run `make test` now.",
        "<p>Run <code>make test</code> now.</p>",
        id="inline-code",
    ),
    pytest.param(
        "\"Quotes\" and 'single' -- en --- em... it's",
        "<p>“Quotes” and ‘single’ – en — em… it’s</p>",
        id="smart-quotes-and-dashes",
    ),
    pytest.param(
        "Press <kbd>Ctrl</kbd>, x<sup>2</sup>, H<sub>2</sub>O.",
        "<p>Press <kbd>Ctrl</kbd>, x<sup>2</sup>, H<sub>2</sub>O.</p>",
        id="raw-kbd-sup-sub",
    ),
    pytest.param(
        "<details>\n<summary>Why?</summary>\nBecause.\n</details>",
        "<details>\n<summary>Why?</summary>\nBecause.\n</details>",
        id="raw-details-summary",
    ),
]


@pytest.mark.parametrize(("markdown_text", "expected_html"), MARKDOWN_FEATURES)
def test_markdown_feature_renders_to_html(markdown_text, expected_html):
    assert body_html(markdown_text) == expected_html


def test_heading_gets_a_stable_id_and_a_labelled_permalink():
    html = render_post("## Why *this* matters", post_id=4).body_html

    assert html == (
        '<h2 id="h-4-why-this-matters">Why <em>this</em> matters '
        '<a aria-label="Link to this section: Why this matters" '
        'class="heading-permalink" href="#h-4-why-this-matters">#</a></h2>'
    )


def test_repeated_headings_get_distinct_ids():
    html = render_post("## Notes\n\n## Notes", post_id=4).body_html

    assert ids(html) == ["h-4-notes", "h-4-notes_1"]


def test_heading_in_any_script_gets_an_id():
    assert ids(render_post("# Привет мир", post_id=4).body_html) == ["h-4-привет-мир"]


WRAP = '<div class="table-wrap" role="region" tabindex="0" aria-label="Table">'


def test_every_table_scrolls_in_its_own_focusable_region():
    body = (
        "| a |\n|--|\n| 1 |\n\n<!--more-->\n\n"
        "<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>"
    )
    rendered = render_post(body, post_id=1)

    assert rendered.excerpt_html.startswith(f"{WRAP}\n<table>")
    assert rendered.excerpt_html.endswith("</table>\n</div>")
    assert rendered.body_html.count(WRAP) == 3
    assert unclosed_tags(rendered.body_html) == []


@pytest.mark.parametrize(
    "markdown_text",
    [
        pytest.param("`<table>`", id="code-span"),
        pytest.param("&lt;table&gt; and </table>", id="text"),
        pytest.param('<abbr title="<table>">t</abbr>', id="attribute"),
        pytest.param("<!-- <table> -->", id="comment"),
    ],
)
def test_only_real_tables_are_wrapped(markdown_text):
    assert "table-wrap" not in body_html(markdown_text)


# Code highlighting ----------------------------------------------------------

HIGHLIGHTED_CODE = [
    pytest.param("c", "int main(void) {}", '<span class="kt">int</span>', id="c"),
    pytest.param(
        "gas", "movq %rsp, %rbp", '<span class="nv">%rsp</span>', id="x86-gas"
    ),
    pytest.param("asm", "movq %rsp, %rbp", '<span class="nv">%rsp</span>', id="asm"),
    pytest.param("s", "movq %rsp, %rbp", '<span class="nv">%rsp</span>', id="s"),
    pytest.param("nasm", "mov rax, 1", '<span class="nb">rax</span>', id="nasm-intel"),
    pytest.param(
        "python", "def f():\n    pass", '<span class="k">def</span>', id="python"
    ),
    pytest.param("rust", "fn main() {}", '<span class="k">fn</span>', id="rust"),
    pytest.param("sh", "echo $HOME", '<span class="nb">echo</span>', id="shell-sh"),
    pytest.param("shell", "echo $HOME", '<span class="nv">$HOME</span>', id="shell"),
    pytest.param("diff", "-old\n+new", '<span class="gi">+new</span>', id="diff-added"),
    pytest.param(
        "diff", "-old\n+new", '<span class="gd">-old</span>', id="diff-removed"
    ),
]


@pytest.mark.parametrize(("language", "code", "expected_span"), HIGHLIGHTED_CODE)
def test_fenced_code_is_highlighted_with_css_classes(language, code, expected_span):
    html = body_html(f"```{language}\n{code}\n```")

    assert html.startswith('<div class="codehilite"><div class="code-language">')
    assert '</div><pre tabindex="0"><code>' in html
    assert expected_span in html
    assert "style=" not in html


@pytest.mark.parametrize(
    ("fence", "label"),
    [
        pytest.param("```", "", id="no-language"),
        pytest.param(
            "```klingon",
            '<div class="code-language">klingon</div>',
            id="unknown-language",
        ),
    ],
)
def test_code_without_a_known_language_is_plain_escaped_text(fence, label):
    html = body_html(f'{fence}\nif (a < b && c) puts("<hi>");\n```')

    assert html == (
        f'<div class="codehilite">{label}<pre tabindex="0"><code>'
        'if (a &lt; b &amp;&amp; c) puts("&lt;hi&gt;");\n'
        "</code></pre></div>"
    )


@pytest.mark.parametrize(
    ("fence", "label"),
    [
        pytest.param("```c", "C", id="c"),
        pytest.param("```asm", "GAS", id="alias"),
        pytest.param("```nasm", "NASM", id="nasm"),
        pytest.param("```sh", "Bash", id="shell"),
        pytest.param("```DIFF", "Diff", id="upper-case"),
        pytest.param("```c {.numbered}", "C", id="with-attributes"),
        pytest.param("```<b>x", "&lt;b&gt;x", id="markup-in-name"),
    ],
)
def test_a_block_that_names_its_language_shows_a_label(fence, label):
    html = body_html(f"{fence}\nx\n```")

    assert f'<div class="code-language">{label}</div><pre tabindex="0">' in html


@pytest.mark.parametrize(
    "markdown_text",
    [
        pytest.param("```\nx\n```", id="fenced"),
        pytest.param("    x", id="indented"),
        pytest.param("<pre>x</pre>", id="raw-html"),
        pytest.param('<pre tabindex="-1">x</pre>', id="raw-html-with-tabindex"),
    ],
)
def test_every_code_block_can_be_focused_to_scroll_it(markdown_text):
    html = body_html(markdown_text)

    assert html.count("<pre") == html.count('<pre tabindex="0">') == 1


def test_a_fence_inside_a_longer_fence_is_shown_as_written():
    html = body_html("````text\n```s\nmovq\n```\n````")

    assert "```s\nmovq\n```" in html


# Excerpts -------------------------------------------------------------------

POST_URL = "/posts/a-post/"


def test_a_post_without_marker_or_excerpt_is_shown_whole():
    rendered = render_post("One.\n\nTwo.", post_id=3, post_url=POST_URL)

    assert rendered.excerpt_html == ""
    assert rendered.continue_text == ""
    assert rendered.body_html == "<p>One.</p>\n<p>Two.</p>"


def test_the_marker_cuts_the_excerpt_and_leaves_an_anchor_in_the_body():
    rendered = render_post("One.\n\n<!--more-->\n\nTwo.", post_id=3, post_url=POST_URL)

    assert rendered.excerpt_html == "<p>One.</p>"
    assert rendered.body_html == '<p>One.</p>\n<span id="more-3"></span>\n<p>Two.</p>'
    assert rendered.continue_text == ""


@pytest.mark.parametrize(
    ("marker", "continue_text"),
    [
        pytest.param("<!--more Keep reading-->", "Keep reading", id="inline-text"),
        pytest.param(
            "<!-- more  The gory details -->", "The gory details", id="spaces"
        ),
        pytest.param("<!--MORE-->", "", id="upper-case"),
        pytest.param(f"<!--more {'x' * 150}-->", "x" * 100, id="too-long"),
    ],
)
def test_the_marker_can_set_the_link_text(marker, continue_text):
    rendered = render_post(f"One.\n\n{marker}\n\nTwo.", post_id=3)

    assert rendered.continue_text == continue_text
    assert rendered.excerpt_html == "<p>One.</p>"


def test_the_excerpt_field_overrides_the_cut():
    rendered = render_post(
        "One.\n\n<!--more Keep reading-->\n\nTwo.",
        excerpt="A *short* summary.",
        post_id=3,
        post_url=POST_URL,
    )

    assert rendered.excerpt_html == "<p>A <em>short</em> summary.</p>"
    assert rendered.continue_text == "Keep reading"
    # The reader saw the summary, not "One.": continue from the start.
    assert rendered.body_html == '<span id="more-3"></span>\n<p>One.</p>\n<p>Two.</p>'


def test_with_an_excerpt_field_and_no_marker_the_anchor_opens_the_body():
    rendered = render_post("One.\n\nTwo.", excerpt="Summary.", post_id=3)

    assert rendered.excerpt_html == "<p>Summary.</p>"
    assert rendered.body_html == '<span id="more-3"></span>\n<p>One.</p>\n<p>Two.</p>'


def test_a_blank_excerpt_field_does_not_override_the_cut():
    rendered = render_post("One.\n\n<!--more-->\n\nTwo.", excerpt="  \n", post_id=3)

    assert rendered.excerpt_html == "<p>One.</p>"


CUTS_INSIDE_BLOCKS = [
    pytest.param(
        "- one\n- two <!--more-->\n- three",
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>",
        id="list",
    ),
    pytest.param(
        # A comment on a line of its own is a raw HTML block; the list stays
        # tight.
        "- one\n- two\n  <!--more-->\n- three",
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>",
        id="list-marker-on-its-own-line",
    ),
    pytest.param(
        "1. one\n\n2. two\n\n    <!--more-->\n\n    still two\n\n3. three",
        "<ol>\n<li>\n<p>one</p>\n</li>\n<li>\n<p>two</p>\n</li>\n</ol>",
        id="loose-ordered-list",
    ),
    pytest.param(
        "> quoted one\n> <!--more-->\n> quoted two\n\nAfter.",
        "<blockquote>\n<p>quoted one</p>\n</blockquote>",
        id="block-quote",
    ),
    pytest.param(
        "> one\n>\n> - a\n> - b <!--more--> c\n\nAfter.",
        "<blockquote>\n<p>one</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n</blockquote>",
        id="list-in-quote",
    ),
    pytest.param(
        "Start *of <!--more--> emphasis* end.",
        "<p>Start <em>of</em></p>",
        id="inline-emphasis",
    ),
]


@pytest.mark.parametrize(("body", "expected_excerpt"), CUTS_INSIDE_BLOCKS)
def test_a_cut_inside_a_block_gives_a_well_formed_excerpt(body, expected_excerpt):
    rendered = render_post(body, post_id=3, post_url=POST_URL)

    assert rendered.excerpt_html == expected_excerpt
    assert unclosed_tags(rendered.excerpt_html) == []
    assert unclosed_tags(rendered.body_html) == []
    assert ids(rendered.body_html) == ["more-3"]


ESCAPES_ABOVE_THE_CUT = [
    pytest.param("Use \\*args here.", "<p>Use *args here.</p>", id="star"),
    pytest.param("snake\\_case", "<p>snake_case</p>", id="underscore"),
    pytest.param("1\\. Not a list.", "<p>1. Not a list.</p>", id="number-dot"),
    pytest.param("[x](/a\\_b)", '<p><a href="/a_b">x</a></p>', id="escape-in-link-url"),
]


@pytest.mark.parametrize(("above", "expected_excerpt"), ESCAPES_ABOVE_THE_CUT)
def test_backslash_escapes_above_the_cut_show_in_the_excerpt(above, expected_excerpt):
    rendered = render_post(f"{above}\n\n<!--more-->\n\nB.", post_id=1)

    assert rendered.excerpt_html == expected_excerpt
    assert rendered.body_html.startswith(expected_excerpt)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("Intro.\n\n```html\n<!--more-->\n```\n\nEnd.", id="fenced-code"),
        pytest.param("Intro.\n\n    <!--more-->\n\nEnd.", id="indented-code"),
        pytest.param("Write `<!--more-->` to cut.", id="code-span"),
    ],
)
def test_a_marker_inside_code_is_shown_not_cut(body):
    rendered = render_post(body, post_id=3)

    assert rendered.excerpt_html == ""
    assert "&lt;!--more--&gt;" in rendered.body_html
    assert "more-3" not in rendered.body_html


def test_only_the_first_marker_cuts_and_later_ones_vanish():
    rendered = render_post(
        "A.\n\n<!--more-->\n\nB.\n\n<!--more Again-->\n\nC.<!--more--> D.", post_id=3
    )

    assert rendered.excerpt_html == "<p>A.</p>"
    assert rendered.continue_text == ""
    assert rendered.body_html == (
        '<p>A.</p>\n<span id="more-3"></span>\n<p>B.</p>\n<p>C. D.</p>'
    )


@pytest.mark.parametrize(
    ("body", "expected_html"),
    [
        pytest.param(
            "inkwellcutmarker5end", "<p>inkwellcutmarker5end</p>", id="typed-token"
        ),
        pytest.param(
            "`inkwellcutmarker3end`",
            "<p><code>inkwellcutmarker3end</code></p>",
            id="typed-token-in-code",
        ),
        pytest.param(
            '![a <!--more "x--> b](/x.png)',
            '<p><img alt="a &lt;!--more &quot;x--&gt; b" src="/x.png"></p>',
            id="in-image-alt-text",
        ),
    ],
)
def test_text_that_looks_like_the_pipelines_own_is_just_text(body, expected_html):
    rendered = render_post(body, post_id=1, post_url=POST_URL)

    assert rendered.body_html == expected_html
    assert rendered.excerpt_html == ""


def test_a_marker_in_a_heading_stays_out_of_its_id_and_permalink():
    rendered = render_post("## Head <!--more--> tail\n\nBody.", post_id=1)

    assert rendered.excerpt_html == '<h2 id="h-1-head-tail">Head</h2>'
    assert rendered.body_html == (
        '<h2 id="h-1-head-tail">Head <span id="more-1"></span> tail '
        '<a aria-label="Link to this section: Head tail" class="heading-permalink" '
        'href="#h-1-head-tail">#</a></h2>\n<p>Body.</p>'
    )


def test_a_marker_in_a_footnote_definition_is_removed_and_does_not_cut():
    rendered = render_post(
        "Text.[^1]\n\n[^1]: A note <!--more--> that goes on.", post_id=1
    )

    assert rendered.excerpt_html == ""
    assert "more-1" not in rendered.body_html
    assert "<p>A note  that goes on.&#160;<a" in rendered.body_html


def test_a_marker_after_one_in_a_footnote_still_cuts():
    rendered = render_post(
        "Text.[^1]\n\n<!--more-->\n\nMore.\n\n[^1]: A <!--more--> note.", post_id=1
    )

    assert rendered.excerpt_html.startswith("<p>Text.<sup")
    assert 'id="more-1"' in rendered.body_html
    assert "<p>A  note.&#160;<a" in rendered.body_html


def test_a_marker_in_raw_html_is_removed_and_does_not_cut():
    rendered = render_post("<div>\n<!--more-->\n</div>", post_id=3)

    assert rendered.excerpt_html == ""
    assert rendered.body_html == "<div>\n\n</div>"


# Footnotes and ids ------------------------------------------------------------

FOOTNOTED = "Claim.[^1]\n\n<!--more-->\n\nMore.[^2]\n\n[^1]: First.\n[^2]: Second."


def test_footnote_ids_carry_the_post_id():
    html = render_post(FOOTNOTED, post_id=12).body_html

    assert (
        '<sup id="fnref-12-1"><a class="footnote-ref" href="#fn-12-1">1</a></sup>'
        in (html)
    )
    assert '<li id="fn-12-1">' in html
    assert (
        '<a class="footnote-backref" href="#fnref-12-1" '
        'title="Back to the text of footnote 1">&#8617;&#xFE0E;</a>'
    ) in html


def test_two_posts_on_one_page_share_no_id():
    first = render_post("## Notes\n\n" + FOOTNOTED, post_id=1).body_html
    second = render_post("## Notes\n\n" + FOOTNOTED, post_id=2).body_html

    assert len(ids(first)) == len(set(ids(first))) == 6
    assert set(ids(first)).isdisjoint(ids(second))


@pytest.mark.parametrize("post_id", [1, 12, 345])
def test_every_id_is_built_on_the_post_id(post_id):
    body = "# Title\n\n" + FOOTNOTED + '\n\n<span id="mine">x</span> again[^1]'
    html = render_post(body, post_id=post_id).body_html

    pattern = re.compile(rf"^(fn|fnref\d*|h|more)-{post_id}(-|$)")
    assert ids(html)
    assert all(pattern.match(element_id) for element_id in ids(html))


def test_every_back_link_and_reference_targets_an_id_on_the_post_page():
    html = render_post(FOOTNOTED + " Again.[^1]", post_id=12).body_html

    targets = [href[1:] for href in HREF.findall(html) if href.startswith("#")]
    assert targets
    assert set(targets) <= set(ids(html))


def test_an_excerpt_footnote_links_to_its_definition_on_the_post_page():
    rendered = render_post(FOOTNOTED, post_id=12, post_url=POST_URL)

    assert rendered.excerpt_html == (
        '<p>Claim.<sup id="fnref-12-1"><a class="footnote-ref" '
        'href="/posts/a-post/#fn-12-1">1</a></sup></p>'
    )


def test_a_footnote_in_the_excerpt_field_stays_in_the_excerpt():
    rendered = render_post(
        "Body.", excerpt="Short.[^n]\n\n[^n]: Note.", post_id=5, post_url=POST_URL
    )

    assert 'href="#fn-5-excerpt-n"' in rendered.excerpt_html
    assert 'id="fn-5-excerpt-n"' in rendered.excerpt_html


# Relative URLs ----------------------------------------------------------------

RELATIVE_URLS = [
    pytest.param(
        "![i](pic.png)", '<img alt="i" src="/posts/a-post/pic.png">', id="image"
    ),
    pytest.param(
        'A <img src="pic.png">', 'A <img src="/posts/a-post/pic.png">', id="raw-img"
    ),
    pytest.param("[a](../b/)", '<a href="/posts/b/">a</a>', id="parent"),
    pytest.param("[a](?page=2)", '<a href="/posts/a-post/?page=2">a</a>', id="query"),
    pytest.param("[a](/about/)", '<a href="/about/">a</a>', id="root-relative"),
    pytest.param(
        "[a](//h.example/x)",
        '<a href="//h.example/x" rel="noopener noreferrer">a</a>',
        id="protocol-relative",
    ),
    pytest.param(
        "[a](https://h.example/x)",
        '<a href="https://h.example/x" rel="noopener noreferrer">a</a>',
        id="absolute",
    ),
    pytest.param(
        "[a](mailto:a@example.com)", '<a href="mailto:a@example.com">a</a>', id="mailto"
    ),
]


@pytest.mark.parametrize(("markdown_text", "expected"), RELATIVE_URLS)
def test_relative_urls_are_resolved_against_the_post_page(markdown_text, expected):
    rendered = render_post(
        f"{markdown_text}\n\n<!--more-->\n\n{markdown_text}",
        post_id=1,
        post_url=POST_URL,
    )

    assert rendered.excerpt_html == f"<p>{expected}</p>"
    assert rendered.body_html.count(expected) == 2


def test_relative_urls_in_the_excerpt_field_are_resolved_too():
    rendered = render_post("Body.", excerpt="![i](pic.png)", post_url=POST_URL)

    assert rendered.excerpt_html == '<p><img alt="i" src="/posts/a-post/pic.png"></p>'


def test_the_preview_leaves_relative_urls_alone():
    assert body_html("![i](pic.png)") == '<p><img alt="i" src="pic.png"></p>'


# Preview, counts --------------------------------------------------------------

SAMPLE = (
    "# Title\n\nText.[^1] <b>bold</b>\n\n<!--more-->\n\n```c\nint x;\n```\n\n[^1]: N."
)


def test_an_unsaved_posts_preview_differs_from_the_saved_body_only_in_ids():
    preview = body_html(SAMPLE)
    saved = render_post(SAMPLE, post_id=9, post_url=POST_URL).body_html

    assert saved.replace("-9", "-preview") == preview


@pytest.mark.parametrize(
    ("body", "words"),
    [
        pytest.param("", 0, id="empty"),
        pytest.param("One *two* three.\n\n<!--more-->\n\nFour five.", 5, id="marker"),
        pytest.param("It's [a link](https://example.com/long/url).", 3, id="link"),
        pytest.param("```c\nint x;\n```", 2, id="code"),
    ],
)
def test_word_count_counts_what_readers_read(body, words):
    assert render_post(body).word_count == words


def test_an_empty_body_renders_to_nothing():
    assert render_post("", post_id=1) == render_post("   \n", post_id=1)
    assert render_post("", post_id=1).body_html == ""


# Description -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "excerpt", "description"),
    [
        pytest.param(
            "## Why\n\nIt's *fast* & small.[^1]\n\n[^1]: Footnote text.",
            "",
            "Why It’s fast & small.",
            id="no-permalink-reference-or-notes",
        ),
        pytest.param("Body words.", "The *excerpt*.", "The excerpt.", id="excerpt"),
        pytest.param("One.\n\n<!--more-->\n\nTwo.", "", "One.", id="cut-excerpt-first"),
        pytest.param(
            "- a\n- b\n\n<script>x()</script>", "", "a b", id="sanitized-blocks"
        ),
        pytest.param(
            " ".join(f"w{i}" for i in range(45)),
            "",
            " ".join(f"w{i}" for i in range(40)) + "…",
            id="forty-words",
        ),
    ],
)
def test_the_description_is_the_opening_as_plain_text(body, excerpt, description):
    assert render_post(body, excerpt=excerpt, post_id=1).description == description


# GitHub's extensions -----------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown_text", "expected_html"),
    [
        pytest.param("~~gone~~", "<p><s>gone</s></p>", id="strikethrough"),
        pytest.param(
            "See https://example.com/a.",
            '<p>See <a href="https://example.com/a" rel="noopener noreferrer">'
            "https://example.com/a</a>.</p>",
            id="bare-url",
        ),
        pytest.param(
            "See www.example.com.",
            '<p>See <a href="http://www.example.com" rel="noopener noreferrer">'
            "www.example.com</a>.</p>",
            id="bare-www",
        ),
        pytest.param(
            "Mail ada@example.com.",
            '<p>Mail <a href="mailto:ada@example.com">ada@example.com</a>.</p>',
            id="bare-email",
        ),
        pytest.param(
            "Edit models.py and example.com.",
            "<p>Edit models.py and example.com.</p>",
            id="file-names-stay-text",
        ),
    ],
)
def test_githubs_extensions(markdown_text, expected_html):
    assert body_html(markdown_text) == expected_html


def test_raw_html_elsewhere_changes_nothing_in_the_markdown_around_it():
    # Without raw HTML the HTML5 parser is skipped; both paths must agree.
    markdown_text = (
        '## A "head"\n\nText & <more> [a](pic.png "t\'s") ![i](/a.png)[^1]\n\n'
        "| a |\n|--:|\n| 1 |\n\n```c\nint x;\n```\n\n[^1]: Note."
    )
    plain = render_post(markdown_text, post_id=2, post_url=POST_URL)
    mixed = render_post(
        markdown_text + "\n\nAnd <kbd>K</kbd>.", post_id=2, post_url=POST_URL
    )

    before_notes, notes = plain.body_html.split('<div class="footnote">')
    assert mixed.body_html == (
        f'{before_notes}<p>And <kbd>K</kbd>.</p>\n<div class="footnote">{notes}'
    )


# Raw HTML regions ----------------------------------------------------------------

REGION_BODIES = [
    pytest.param("A *b*.\n\n<div>\nraw\n</div>\n\nC.", id="raw-block"),
    pytest.param(
        "<details>\n<summary>S</summary>\n\n*md*\n\n</details>\n\nX", id="span"
    ),
    pytest.param("One <b>bold\n\nTwo.\n\n- three", id="unclosed-inline"),
    pytest.param(
        "- a <kbd>k</kbd>\n- b\n\n> q\n\nT[^1]\n\n[^1]: <b>n</b>", id="nested"
    ),
]


@pytest.mark.parametrize("body", REGION_BODIES)
def test_rendering_by_regions_is_rendering_the_whole(body):
    from blog.rendering import markdown, regions

    tokens, env = markdown.parse(body, key="1")
    pieces = [markdown.render(run, env) for _raw, run in regions.runs(tokens)]

    assert "".join(pieces) == markdown.render(tokens, env)


def test_raw_html_spanning_blocks_is_parsed_as_one():
    html = body_html("<details>\n<summary>S</summary>\n\n*md*\n\n</details>\n\nX")

    assert html == (
        "<details>\n<summary>S</summary>\n<p><em>md</em></p>\n</details>\n<p>X</p>"
    )


def test_an_unclosed_inline_tag_carries_on_as_in_a_browser():
    html = body_html("One <b>bold\n\nTwo.")

    # The paragraphs after it are in the region html5lib parses with it.
    assert html == "<p>One <b>bold</b></p><b>\n<p>Two.</p></b>"


def test_headings_past_the_limit_get_no_id_or_permalink(monkeypatch):
    from blog.rendering import ids as ids_module

    monkeypatch.setattr(ids_module, "MAX_HEADING_IDS", 2)

    html = render_post("# A\n\n# B\n\n# C", post_id=4).body_html

    assert ids(html) == ["h-4-a", "h-4-b"]
    assert html.endswith("<h1>C</h1>")
