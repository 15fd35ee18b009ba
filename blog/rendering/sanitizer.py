"""The HTML allowlist: what survives of the HTML that Markdown makes.

bleach is the security boundary. Whatever an author writes (raw HTML,
Markdown links, autolinks, entities), only the tags, attributes and URL
protocols listed here reach a reader. No `style` attribute is allowed, so no
CSS sanitizer is needed: highlighted code is coloured by classes and
static/css/pygments.css.

`sanitized_tokens` returns html5lib's token stream rather than a string, so
the pipeline can rewrite links and serialize it twice (for the site and for
feeds) from one parse. HTML5 parsing is most of a render's time, and only
raw HTML needs it: markdown-it escapes all text and every attribute it
writes. So the blocks without raw HTML (regions.py) go through
`trusted_tokens` instead, which reads markdown-it's own well-formed output
with one regex and applies the same allowlist to it.
"""

import html
import re

from bleach.html5lib_shim import BleachHTMLParser, Filter, getTreeWalker
from bleach.sanitizer import BleachSanitizerFilter
from markdown_it.common.utils import escapeHtml
from pygments.token import STANDARD_TYPES

from blog.rendering.links import IMAGE_PROTOCOLS, url_scheme

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul", "var",
})  # fmt: skip

# Attributes by tag. `id` and `class` are missing on purpose: only ids the
# pipeline made for this post may stay, and only its own classes.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "aria-label"},
    "abbr": {"title"},
    "details": {"open"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}

# `class` by tag: only the classes the pipeline makes, so that an author
# cannot dress text up as the site's own interface (visually-hidden,
# skip-link, ...). Pygments' token classes (and `hll`, a highlighted line)
# are styled only inside `.codehilite`.
_PYGMENTS_CLASSES = "|".join(map(re.escape, filter(None, STANDARD_TYPES.values())))
_TABLE_ALIGNMENT = re.compile(r"align-(?:left|right|center)")
ALLOWED_CLASSES = {
    "a": re.compile(r"footnote-ref|footnote-backref|heading-permalink"),
    "div": re.compile(r"codehilite|code-language|footnote"),
    "p": re.compile(r"footnote-heading"),
    "span": re.compile(rf"(?:{_PYGMENTS_CLASSES}|hll)(?:-\w+)*"),
    "td": _TABLE_ALIGNMENT,
    "th": _TABLE_ALIGNMENT,
}

# Relative URLs (no scheme) are always allowed by bleach.
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Elements whose content is code or data, not text for a reader: they go
# with everything inside them, instead of leaving their script as prose.
DROPPED_WITH_CONTENT = frozenset({
    "iframe", "math", "noembed", "noframes", "noscript", "object", "script",
    "style", "svg", "template", "textarea", "title", "xmp",
})  # fmt: skip

# A start or end tag of one of those elements, as html5lib reads tag names.
_DROPPED_NAMES = "|".join(sorted(DROPPED_WITH_CONTENT))
_DROPPED_TAG = re.compile(rf"<(/?)({_DROPPED_NAMES})(?=[\s/>]|$)", re.IGNORECASE)

_WALKER = getTreeWalker("etree")
# Stands for a `<` this module escapes, until html5lib has parsed the text:
# written as `&lt;` it would cut the text into a token per entity, and
# html5lib appends each to its text node by copying it (quadratic). A
# U+E000 an author wrote comes out as `<` too: text either way.
_LESS_THAN = "\ue000"
_VOID_TAGS = frozenset({"br", "hr", "img"})
_URL_ATTRIBUTES = frozenset({"href", "src"})


def _allowed_attribute_test(id_pattern):
    def allows(tag, name, value):
        if name == "id":
            return bool(id_pattern.match(value))
        if name == "class":
            allowed = ALLOWED_CLASSES.get(tag)
            classes = value.split()
            return bool(allowed and classes) and all(map(allowed.fullmatch, classes))
        if tag == "img" and name == "src":
            return url_scheme(value) in IMAGE_PROTOCOLS | {""}
        return name in ALLOWED_ATTRIBUTES.get(tag, ())

    return allows


class _DropWithContentFilter(Filter):
    """Leave out the elements in DROPPED_WITH_CONTENT and all they contain."""

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            kind, name = token["type"], token.get("name")
            if depth:
                if kind == "StartTag":
                    depth += 1
                elif kind == "EndTag":
                    depth -= 1
                continue
            if name in DROPPED_WITH_CONTENT and kind in ("StartTag", "EmptyTag"):
                depth = 1 if kind == "StartTag" else 0
                continue
            yield token


def escape_unclosed(html):
    """Return `html` with the DROPPED_WITH_CONTENT tags never closed escaped.

    The parser closes such an element only at the end of the document, so
    one left open (an author naming `<style>` in prose) would take the rest
    of the post with it. Escaped, the tag reads as the text the author typed.
    One pass over the tags, one join: linear in the length of `html`.
    """
    open_at = {}
    for match in _DROPPED_TAG.finditer(html):
        starts = open_at.setdefault(match.group(2).lower(), [])
        if not match.group(1):
            starts.append(match.start())
        elif starts:
            starts.pop()
    unclosed = sorted(start for starts in open_at.values() for start in starts)
    if not unclosed:
        return html
    pieces, position = [], 0
    for start in unclosed:
        pieces += [html[position:start], _LESS_THAN]
        position = start + 1
    pieces.append(html[position:])
    return "".join(pieces)


# Past this depth of open elements html5lib's work per tag grows with the
# depth (quadratic in all): deeper start tags are left out, their text kept.
# (Not escaped: thousands of `&lt;` in one text node are quadratic too.)
MAX_HTML_DEPTH = 100
# A start or end tag: (closing "/", name, self-closing "/").
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "param", "source", "track", "wbr",
})  # fmt: skip
_COMMENT_START = "<!--"


def escape_too_deep(html):
    """Return `html` without the start tags past MAX_HTML_DEPTH, and with a
    comment never closed escaped: it would hide the rest of the post.
    """
    comment = html.find(_COMMENT_START)
    while comment != -1:
        end = html.find("-->", comment + len(_COMMENT_START))
        if end == -1:
            tail = html[comment:].replace(_COMMENT_START, _LESS_THAN + "!--")
            html = html[:comment] + tail
            break
        comment = html.find(_COMMENT_START, end)
    pieces, position, depth = [], 0, 0
    for match in TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if name.lower() in VOID_ELEMENTS or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        elif depth < MAX_HTML_DEPTH:
            depth += 1
        else:
            pieces.append(html[position : match.start()])
            position = match.end()
    if not pieces:
        return html
    pieces.append(html[position:])
    return "".join(pieces)


def sanitized_tokens(html, *, id_pattern):
    """Return html5lib tokens of `html` with only allowlisted tags,
    attributes and URLs left.

    `id_pattern` is a compiled regex: ids it does not match are dropped, so
    an author cannot write an id that collides with another post's.
    """
    if not html:
        return []
    # bleach's parser turns a stripped tag into nothing but keeps its text;
    # for script and the like that text is code, not prose. So the parser
    # keeps those elements whole, and a filter drops them with their content
    # before the sanitizer (which still refuses them) runs. A parser holds
    # state and is not thread-safe: one per call.
    parser = BleachHTMLParser(
        tags=ALLOWED_TAGS | DROPPED_WITH_CONTENT,
        strip=True,
        consume_entities=False,
        namespaceHTMLElements=False,
    )
    dom = parser.parseFragment(escape_too_deep(escape_unclosed(html)))
    return [
        _canonical(token)
        for token in BleachSanitizerFilter(
            source=_DropWithContentFilter(_WALKER(dom)),
            allowed_tags=ALLOWED_TAGS,
            attributes=_allowed_attribute_test(id_pattern),
            strip_disallowed_tags=True,
            strip_html_comments=True,
            allowed_protocols=ALLOWED_PROTOCOLS,
        )
    ]


def _canonical(token):
    # Attributes in one order whatever order the author or markdown-it wrote,
    # their values escaped once, as markdown-it writes them (bleach's parser
    # leaves an author's `&amp;` or `&#39;` as written).
    if token["type"] in ("StartTag", "EmptyTag") and token["data"]:
        values = {
            key: html.unescape(value).replace(_LESS_THAN, "<")
            for key, value in sorted(token["data"].items())
        }
        # bleach judged each URL before decoding what it does not know as
        # an entity (`&colon;`, `&#x6A` without its `;`), which a browser
        # does decode: `javascript&colon;...` passed as a relative URL.
        # Judge the URL again as the browser will read it.
        token["data"] = {
            key: escapeHtml(value)
            for key, value in values.items()
            if key[1] not in _URL_ATTRIBUTES or _allowed_url(value)
        }
    elif token["type"] == "Characters" and _LESS_THAN in token["data"]:
        token["data"] = token["data"].replace(_LESS_THAN, "<")
    return token


def trusted_tokens(html, *, id_pattern):
    """Return html5lib-style tokens of HTML that markdown-it made without
    any raw HTML, with the allowlist applied as `sanitized_tokens` would.

    markdown-it, Pygments and the pipeline's own rules write tags one way
    (double-quoted, escaped values) and escape every `&` and `<` in text,
    so one regex reads them; a stray `<` or `&` would be read as text.
    """
    allows, tokens = _allowed_attribute_test(id_pattern), []
    for match in _MARKDOWN_IT_HTML.finditer(html):
        text, entity, closing, tag = match.group("text", "entity", "closing", "tag")
        if text is not None:
            tokens.append({"type": "Characters", "data": _unescape_text(text)})
        elif entity is not None:
            tokens.append({"type": "Entity", "name": entity})
        elif tag is None:
            tokens.append({"type": "Characters", "data": match[0]})
        elif tag not in ALLOWED_TAGS:
            continue
        elif closing:
            if tag not in _VOID_TAGS:
                tokens.append({"type": "EndTag", "name": tag, "namespace": None})
        else:
            tokens.append(_start_tag(tag, match["attributes"], allows))
    return tokens


# Text takes in the escapes markdown-it writes for `<`, `>` and `&`, which
# the serializer writes back as they were: as entity tokens, a paragraph
# of `<` signs was a token each for every later step.
_MARKDOWN_IT_HTML = re.compile(
    r"(?P<text>(?:[^<&]+|&(?:lt|gt|amp);)+)"
    r"|&(?P<entity>#?[a-zA-Z0-9]+);"
    r"|<(?P<closing>/?)(?P<tag>[a-z][a-z0-9]*)"
    r'(?P<attributes>(?:\s+[^\s"=/>]+(?:="[^"]*")?)*)\s*/?>'
    r"|[<&]"
)


def _unescape_text(text):
    if "&" not in text:
        return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


_ATTRIBUTE = re.compile(r'([^\s"=/>]+)(?:="([^"]*)")?')


def _start_tag(tag, attributes, allows):
    data = {}
    for name, value in sorted(_ATTRIBUTE.findall(attributes)):
        # Stored as written (escaped, as on bleach's path); checked as a
        # browser would read it.
        plain = html.unescape(value) if "&" in value else value
        if allows(tag, name, plain) and (
            name not in _URL_ATTRIBUTES or _allowed_url(plain)
        ):
            data[(None, name)] = value
    kind = "EmptyTag" if tag in _VOID_TAGS else "StartTag"
    return {"type": kind, "name": tag, "namespace": None, "data": data}


def _allowed_url(url):
    return url_scheme(url) in ALLOWED_PROTOCOLS | {""}
