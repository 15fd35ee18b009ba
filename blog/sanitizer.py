"""The HTML allowlist: what survives of the HTML that Markdown makes.

bleach is the security boundary. Whatever an author writes (raw HTML,
Markdown links, autolinks, entities), only the tags, attributes and URL
protocols listed here reach a reader. No `style` attribute is allowed, so no
CSS sanitizer is needed: highlighted code is coloured by classes and
static/css/pygments.css.
"""

import re
from functools import partial
from urllib.parse import urljoin

import bleach
from bleach.html5lib_shim import BleachHTMLParser, Filter
from pygments.token import STANDARD_TYPES

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
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
}

# `class` by tag: only the classes the pipeline makes, so that an author
# cannot dress text up as the site's own interface (visually-hidden,
# skip-link, ...). Pygments' token classes (and `hll`, a highlighted line)
# are styled only inside `.codehilite`.
_PYGMENTS_CLASSES = "|".join(map(re.escape, filter(None, STANDARD_TYPES.values())))
ALLOWED_CLASSES = {
    "a": re.compile(r"footnote-ref|footnote-backref|heading-permalink"),
    "div": re.compile(r"codehilite|footnote"),
    "span": re.compile(rf"(?:{_PYGMENTS_CLASSES}|hll)(?:-\w+)*"),
}

# Relative URLs (no scheme) are always allowed by bleach.
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
IMAGE_PROTOCOLS = frozenset({"http", "https"})

# Elements whose content is code or data, not text for a reader: they go
# with everything inside them, instead of leaving their script as prose.
DROPPED_WITH_CONTENT = frozenset({
    "iframe", "math", "noembed", "noframes", "noscript", "object", "script",
    "style", "svg", "template", "textarea", "title", "xmp",
})  # fmt: skip

# A start or end tag of one of those elements, as html5lib reads tag names.
_DROPPED_NAMES = "|".join(sorted(DROPPED_WITH_CONTENT))
_DROPPED_TAG = re.compile(rf"<(/?)({_DROPPED_NAMES})(?=[\s/>]|$)", re.IGNORECASE)

EXTERNAL_REL = "noopener noreferrer"
TABLE_ALIGNMENTS = frozenset({"left", "right", "center"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
# Browsers ignore these characters inside a URL's scheme.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")


def _as_browsers_read(url):
    # Browsers drop these characters and read `\` as `/` in http(s) URLs,
    # so `/\evil.example/` goes to another host, like `//evil.example/`.
    return _IGNORED_IN_URL.sub("", url).replace("\\", "/")


def url_scheme(url):
    """Return a URL's scheme in lower case, or "" for a relative URL."""
    match = _SCHEME.match(_as_browsers_read(url))
    return match.group(1).lower() if match else ""


def is_external(url):
    """Return whether a link leaves the site (absolute http(s) URLs)."""
    compact = _as_browsers_read(url)
    return url_scheme(compact) in {"http", "https"} or compact.startswith("//")


def is_document_relative(url):
    """Return whether `url` depends on the page showing it (`pic.png`).

    Root-relative (`/a`), protocol-relative (`//host`), fragment-only and
    absolute URLs do not.
    """
    compact = _as_browsers_read(url)
    return bool(compact) and not url_scheme(compact) and compact[0] not in "/#"


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


class _LinkAndIdFilter(Filter):
    """Mark external links, keep only the first element with a given id, and
    resolve relative URLs against `base_url` (when given).

    Runs after the sanitizer, so the rel it adds is ours, never the author's.
    """

    def __init__(self, source, base_url=""):
        super().__init__(source)
        self.base_url = base_url

    def __iter__(self):
        seen_ids = set()
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag"):
                attrs = token["data"]
                self.resolve(attrs)
                element_id = attrs.get((None, "id"))
                if element_id is not None:
                    if element_id in seen_ids:
                        del attrs[(None, "id")]
                    seen_ids.add(element_id)
                if token["name"] == "a" and is_external(attrs.get((None, "href"), "")):
                    attrs[(None, "rel")] = EXTERNAL_REL
                if token["name"] in ("td", "th"):
                    self.align_by_class(attrs)
            yield token

    @staticmethod
    def align_by_class(attrs):
        # HTML5 has no align attribute (the Nu checker calls it obsolete) and
        # no inline style survives; a class that site.css knows does it.
        align = attrs.pop((None, "align"), "").strip().lower()
        if align in TABLE_ALIGNMENTS:
            attrs[(None, "class")] = f"align-{align}"

    def resolve(self, attrs):
        # Stored HTML is shown on the post page, the index and tag pages:
        # `pic.png` must mean the same file on all of them.
        for name in ((None, "href"), (None, "src")):
            url = attrs.get(name)
            if self.base_url and url is not None and is_document_relative(url):
                attrs[name] = urljoin(self.base_url, url.strip())


class _Cleaner(bleach.Cleaner):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # bleach's parser turns a stripped tag into nothing but keeps its
        # text; for script and the like that text is code, not prose. So the
        # parser keeps those elements whole, and a filter drops them with
        # their content before the sanitizer (which still refuses them) runs.
        self.parser = BleachHTMLParser(
            tags=self.tags | DROPPED_WITH_CONTENT,
            strip=self.strip,
            consume_entities=False,
            namespaceHTMLElements=False,
        )
        walk = self.walker
        self.walker = lambda dom: _DropWithContentFilter(walk(dom))


def _escape_unclosed(html):
    """Return `html` with the DROPPED_WITH_CONTENT tags never closed escaped.

    The parser closes such an element only at the end of the document, so
    one left open (an author naming `<style>` in prose) would take the rest
    of the post with it. Escaped, the tag reads as the text the author typed.
    """
    open_at = {}
    for match in _DROPPED_TAG.finditer(html):
        starts = open_at.setdefault(match.group(2).lower(), [])
        if not match.group(1):
            starts.append(match.start())
        elif starts:
            starts.pop()
    for start in sorted(
        (s for starts in open_at.values() for s in starts), reverse=True
    ):
        html = f"{html[:start]}&lt;{html[start + 1 :]}"
    return html


def sanitize(html, *, id_pattern, base_url=""):
    """Return `html` with only allowlisted tags, attributes and URLs left.

    `id_pattern` is a compiled regex: ids it does not match are dropped, so
    an author cannot write an id that collides with another post's.
    Relative URLs are resolved against `base_url` when it is given.
    """
    # A Cleaner holds parser state and is not thread-safe: one per call.
    cleaner = _Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute_test(id_pattern),
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[partial(_LinkAndIdFilter, base_url=base_url)],
    )
    return cleaner.clean(_escape_unclosed(html))
