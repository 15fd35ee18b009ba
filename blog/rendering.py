"""Markdown to sanitized HTML: the only place Inkwell makes HTML.

A first cut; the full pipeline (excerpts, footnote ids, highlighting, the
allowlist) is issue 3's.
"""

import re
from dataclasses import dataclass

import bleach
import markdown

MORE_MARKER = re.compile(r"<!--\s*more(?P<text>[^>]*?)\s*-->", re.IGNORECASE)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "h1",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p",
    "pre", "span", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": ["id", "class"],
    "a": ["href", "title", "rel"],
    "img": ["src", "alt", "title"],
}
ALLOWED_PROTOCOLS = {"http", "https", "mailto"}


@dataclass(frozen=True)
class RenderedPost:
    body_html: str
    excerpt_html: str
    more_text: str
    word_count: int


def markdownify(text):
    """Return the sanitized HTML for a piece of Markdown."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"])
    return bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
    )


def render_post(body, *, excerpt="", post_id=None, post_url=""):
    """Return a post's stored HTML, excerpt and counts."""
    match = MORE_MARKER.search(body)
    more_text = match.group("text").strip() if match else ""
    if excerpt.strip():
        excerpt_html = markdownify(excerpt)
    elif match:
        excerpt_html = markdownify(body[: match.start()])
    else:
        excerpt_html = ""
    return RenderedPost(
        body_html=markdownify(body),
        excerpt_html=excerpt_html,
        more_text=more_text,
        word_count=len(re.findall(r"\w+", MORE_MARKER.sub("", body))),
    )
