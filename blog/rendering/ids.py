"""Per-post ids: headings, footnotes, and the one element each id may name.

Every id is built on the document's key, the post's id (`h-12-why`,
`fn-12-1`, `fnref-12-1`, `more-12`), so posts shown together on one page
never share an id; before a post is saved its key is "preview". Each heading
gets a small `#` link to itself, named for screen readers.
"""

import re

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

# U+FE0E asks for the text arrow, not an emoji.
BACKLINK_TEXT = "&#8617;&#xFE0E;"
BACKLINK_TITLE = "Back to the text of footnote {}"

_NOT_IN_SLUG = re.compile(r"[^\w\s-]")
_SEPARATORS = re.compile(r"[-\s]+")
_HEADING_TEXT_TYPES = frozenset({"text", "code_inline"})
# Marks the HTML tokens the pipeline writes itself, as opposed to an
# author's raw HTML: see regions.py.
OWN_HTML = "inkwell_own_html"


def own_html(token_type, content):
    """Return an `html_inline` or `html_block` token the pipeline wrote."""
    token = Token(token_type, "", 0)
    token.content, token.meta = content, {OWN_HTML: True}
    return token


def cut_anchor(key, token_type):
    """Return the empty element the continue link lands on."""
    newline = "\n" if token_type == "html_block" else ""
    return own_html(token_type, f'<span id="more-{key}"></span>{newline}')


def id_pattern(key):
    """Return the regex that every id made for the document `key` matches."""
    return re.compile(rf"(?:fn|fnref\d*|h|more)-{re.escape(key)}(?:-|$)")


def slugify(text):
    """Return `text` as an id fragment, in any script: "Why it's" -> "why-its"."""
    text = _NOT_IN_SLUG.sub("", text).strip().lower()
    return _SEPARATORS.sub("-", text)


# Headings past this many get neither id nor permalink: each one multiplies
# a few bytes of Markdown into a hundred of HTML, and a post of hundreds of
# thousands of them took most of a minute to render.
MAX_HEADING_IDS = 1000


def add_heading_ids(tokens, key):
    """Give each heading an id from its text, and a permalink to itself
    (the first MAX_HEADING_IDS headings).
    """
    seen, made = {}, 0
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        if made == MAX_HEADING_IDS:
            break
        made += 1
        inline = tokens[index + 1]
        name = "".join(
            child.content
            for child in inline.children or ()
            if child.type in _HEADING_TEXT_TYPES
        )
        heading_id = _unique(f"h-{key}-{slugify(name)}", seen)
        token.attrSet("id", heading_id)
        inline.children = [*(inline.children or ()), *_permalink(heading_id, name)]


def _unique(heading_id, seen):
    # The second "Notes" is h-1-notes_1, as Python-Markdown named it before.
    # `seen` maps each id to the last number tried after it, so a thousand
    # "Notes" cost a thousand steps, not half a million.
    candidate, number = heading_id, seen.get(heading_id, 0)
    while candidate in seen:
        number += 1
        candidate = f"{heading_id}_{number}"
    seen[heading_id] = number
    seen.setdefault(candidate, 0)
    return candidate


def _permalink(heading_id, name):
    space = Token("text", "", 0)
    space.content = " "
    link = own_html(
        "html_inline",
        f'<a class="heading-permalink" href="#{escapeHtml(heading_id)}" '
        f'aria-label="Link to this section: {escapeHtml(" ".join(name.split()))}">'
        "#</a>",
    )
    return [space, link]


def footnote_id(env, meta):
    """Return the footnote's name within its document: its label, or number."""
    label = meta.get("label")
    name = label if label is not None else str(meta["id"] + 1)
    return escapeHtml(f"{env['key']}-{name}")


def _reference_id(env, meta):
    # The second reference to note 1 is fnref2-12-1, and so on.
    number = "" if meta["subId"] == 0 else str(meta["subId"] + 1)
    return f"fnref{number}-{footnote_id(env, meta)}"


def _render_footnote_ref(self, tokens, idx, options, env):
    meta = tokens[idx].meta
    return (
        f'<sup id="{_reference_id(env, meta)}"><a class="footnote-ref" '
        f'href="#fn-{footnote_id(env, meta)}">{meta["id"] + 1}</a></sup>'
    )


def _render_footnote_anchor(self, tokens, idx, options, env):
    meta = tokens[idx].meta
    title = BACKLINK_TITLE.format(meta["id"] + 1)
    return (
        f'&#160;<a class="footnote-backref" href="#{_reference_id(env, meta)}" '
        f'title="{title}">{BACKLINK_TEXT}</a>'
    )


def _render_footnote_open(self, tokens, idx, options, env):
    return f'<li id="fn-{footnote_id(env, tokens[idx].meta)}">\n'


# The list reads as part of its post, under a small heading of its own,
# not after a rule, which on the index looked like the line between posts.
_FOOTNOTE_LIST_OPEN = (
    '<div class="footnote">\n<p class="footnote-heading">Notes</p>\n<ol>\n'
)


def add_footnote_render_rules(parser):
    """Render footnotes with per-document ids, in a `div.footnote` list."""
    rules = {
        "footnote_ref": _render_footnote_ref,
        "footnote_anchor": _render_footnote_anchor,
        "footnote_open": _render_footnote_open,
        "footnote_close": lambda *args: "</li>\n",
        "footnote_block_open": lambda *args: _FOOTNOTE_LIST_OPEN,
        "footnote_block_close": lambda *args: "</ol>\n</div>\n",
    }
    for name, rule in rules.items():
        parser.add_render_rule(name, rule)


def keep_first_ids(tokens):
    """Yield sanitized HTML tokens with each id kept on its first element only."""
    seen = set()
    for token in tokens:
        attrs = token.get("data") if token["type"] in ("StartTag", "EmptyTag") else None
        element_id = attrs.get((None, "id")) if attrs else None
        if element_id is not None:
            if element_id in seen:
                token = {**token, "data": {**attrs}}
                del token["data"][(None, "id")]
            seen.add(element_id)
        yield token
