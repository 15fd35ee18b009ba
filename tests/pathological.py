"""Pathological Markdown: inputs that make parsers slow, deep or lossy.

Each case makes about `size` bytes of one shape. The tests render them small
(tests/test_pathological.py); bench/bench_render.py renders them at the size
limit (INKWELL_MAX_BODY_KB) and prints each one's time.
"""

import math

# Every case ends with this paragraph: no input may make it vanish.
TRAILING_TEXT = "Trailing words stay visible."


def _repeat(piece, size):
    return piece * max(1, size // len(piece))


def _table(size):
    side = max(2, math.isqrt(size // 4))
    header = "|" + "|".join("h" for _ in range(side)) + "|"
    rule = "|" + "|".join("-" for _ in range(side)) + "|"
    row = "|" + "|".join("x" for _ in range(side)) + "|"
    return "\n".join([header, rule, *[row] * side])


def _footnotes(size):
    count = max(1, size // 24)
    references = " ".join(f"a[^{i}]" for i in range(count))
    definitions = "\n".join(f"[^{i}]: Note {i}." for i in range(count))
    return f"{references}\n\n{definitions}"


def _nested(opening, closing, size):
    count = max(1, size // (len(opening) + len(closing) + 1))
    return opening * count + "x" + closing * count


CASES = {
    "open-brackets": lambda size: _repeat("[", size),
    "bracket-parens": lambda size: _repeat("[](", size),
    "nested-brackets": lambda size: _nested("[", "](/x)", size),
    "nested-emphasis": lambda size: _nested("*", "*", size),
    "emphasis-line": lambda size: _repeat("*a **b _c __d ", size),
    "nested-lists": lambda size: _repeat("- ", size) + "x",
    "nested-ordered-lists": lambda size: _repeat("1. ", size) + "x",
    "nested-quotes": lambda size: _repeat(">", size) + " x",
    "nested-divs": lambda size: _nested("<div>", "</div>", size),
    "unclosed-divs": lambda size: _repeat("<div>", size),
    "unclosed-inline-tags": lambda size: _repeat("<b><i>", size),
    "unclosed-links": lambda size: "x " + _repeat('<a href="/a">', size),
    "unclosed-style": lambda size: "x " + _repeat("<style>", size),
    "unclosed-style-block": lambda size: _repeat("<style>\n", size),
    "unclosed-math": lambda size: "x " + _repeat("<math>", size),
    "unclosed-svg": lambda size: "x " + _repeat("<svg>", size),
    "unclosed-table": lambda size: _repeat("<table>\n\n", size),
    "unclosed-textarea": lambda size: "x " + _repeat("<textarea>", size),
    "footnotes": _footnotes,
    "footnote-references": lambda size: _repeat("[^1]", size) + "\n\n[^1]: N.",
    "headings": lambda size: _repeat("# Heading\n\n", size),
    "same-headings": lambda size: _repeat("## A\n", size),
    "links": lambda size: _repeat("[a](/b) ", size),
    "bare-urls": lambda size: _repeat("https://e.example/a www.e.example ", size),
    "url-schemes": lambda size: _repeat("http: www. a@ ", size),
    "entities": lambda size: _repeat("&amp;&#x41;&copy; ", size),
    "markers": lambda size: _repeat("<!--more-->\n\n", size),
    "inline-markers": lambda size: _repeat("a <!--more x--> ", size),
    "table": _table,
    "long-line": lambda size: _repeat("word ", size),
    "backticks": lambda size: _repeat("`a``", size),
    "html-comments": lambda size: _repeat("<!-- ", size),
    "link-references": lambda size: _repeat("[a]: /b\n", size) + "[a]",
    # Many short blocks each within bounds: they meet the budgets per
    # document (blog/rendering/budget.py), not the bounds per paragraph.
    "markup-paragraphs": lambda size: _repeat(
        "*a* **b** `c` [d](/e) &amp; www.g.example\n\n", size
    ),
    "raw-html-paragraphs": lambda size: _repeat("a <b>b</b> <i>c</i>\n\n", size),
    "small-tables": lambda size: _repeat("|a|b|\n|-|-|\n|c|d|\n\n", size),
}


def pathological(name, size):
    """Return the case `name` at about `size` bytes, then TRAILING_TEXT."""
    return f"{CASES[name](size)}\n\n{TRAILING_TEXT}"
