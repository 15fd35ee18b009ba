"""Read a WordPress export (WXR 1.0, 1.1 or 1.2) into plain dataclasses.

WXR is RSS 2.0 with WordPress's own elements (`wp:post_id`, `wp:status`,
`content:encoded`, ...). The file is read with defusedxml: a document type
declaration, and so any entity that could expand or load another file, is
refused. Items are read one at a time and dropped from the tree once read,
so a large export is held in memory once, as dataclasses.

`read_export(path)` returns the whole export or raises `WXRError`: an import
built on it sees nothing until the last byte has parsed. `iter_items` reads
lazily, for a caller that can act on each item as it comes.
"""

import html
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from blog.importers.wxr_export import Author, Export, Item, ItemTerm, Site, Term

# WordPress's "no date": a draft never published has it as its GMT date.
NO_DATE = "0000-00-00 00:00:00"
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
_WXR_VERSION = re.compile(r"\d+\.\d+")
_CHUNK_SIZE = 64 * 1024
_EXPORT_AGAIN = "Export it again from WordPress (Tools → Export)."

# The WordPress namespaces changed with each WXR version (and one export in
# the wild uses https); the prefix is what stays the same.
_WP_NAMESPACE = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/")
_NAMESPACE_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content:",
    "http://purl.org/dc/elements/1.1/": "dc:",
}


class WXRError(Exception):
    """The file is not a WordPress export Inkwell can read; says why."""


def read_export(path, progress=None):
    """Return the whole export at `path`, or raise WXRError.

    `progress(bytes_read, total_bytes)` is called after each item. Dates
    that only had a local time are moved by the site's UTC offset, learnt
    from the items that have both.
    """
    reader = WXRReader(path, progress=progress)
    items = tuple(reader.items())
    offset = _site_utc_offset(items)
    if offset:
        items = tuple(_shift_local_date(item, offset) for item in items)
    return Export(
        site=reader.site,
        authors=tuple(reader.authors),
        terms=tuple(reader.terms),
        items=items,
    )


def iter_items(path, progress=None):
    """Yield the export's items one by one; raise WXRError when it breaks."""
    yield from WXRReader(path, progress=progress).items()


class WXRReader:
    """Stream a WXR file: `items()` yields items, and fills in the site,
    authors and terms (which WordPress writes before the items) as it goes.
    """

    def __init__(self, path, progress=None):
        self.path = Path(path)
        self.progress = progress
        self.site = Site()
        self.authors = []
        self.terms = []
        self._site_fields = {}

    def items(self):
        parser = DefusedXMLParser(
            target=ElementTree.TreeBuilder(),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        pull = ElementTree.XMLPullParser(events=("start", "end"), _parser=parser)
        try:
            with self.path.open("rb") as source:
                total = self.path.stat().st_size
                yield from self._read(source, pull, parser, total)
        except OSError as error:
            raise WXRError(
                f"Inkwell cannot read {self.path}: {error.strerror}. "
                "Check the path and that the file is readable."
            ) from error

    def _read(self, source, pull, parser, total):
        stack = []
        channel = None
        for event, element in _events(source, pull, parser):
            if event == "start":
                stack.append(element)
                self._check_structure(stack)
                if len(stack) == 2:
                    channel = element
                continue
            stack.pop()
            if len(stack) != 2:
                continue
            item = self._read_channel_child(element)
            channel.remove(element)
            if item is not None:
                if self.progress:
                    self.progress(source.tell(), total)
                yield item
        self._finish()

    def _check_structure(self, stack):
        element = stack[-1]
        if len(stack) == 1 and element.tag != "rss":
            raise WXRError(
                "The file is XML but not a WordPress export: its root element "
                f"is <{_local_name(element.tag)}>, where an export has <rss>. "
                f"{_EXPORT_AGAIN}"
            )
        if len(stack) == 2 and element.tag != "channel":
            raise WXRError(
                "The file is not a WordPress export: <rss> holds "
                f"<{_local_name(element.tag)}> where an export has <channel>. "
                f"{_EXPORT_AGAIN}"
            )
        if len(stack) == 3 and element.tag == "item":
            self._check_version()

    def _check_version(self):
        version = self._site_fields.get("wp:wxr_version", "")
        if not _WXR_VERSION.fullmatch(version):
            found = f'"{version}"' if version else "none"
            raise WXRError(
                "The file is not a WordPress export: it has no valid WXR "
                f"version (<wp:wxr_version>; found {found}). {_EXPORT_AGAIN}"
            )

    def _finish(self):
        self._check_version()
        fields = self._site_fields
        self.site = Site(
            title=fields.get("title", ""),
            link=fields.get("link", ""),
            base_site_url=fields.get("wp:base_site_url", ""),
            base_blog_url=fields.get("wp:base_blog_url", ""),
            wxr_version=fields["wp:wxr_version"],
            language=fields.get("language", ""),
        )

    def _read_channel_child(self, element):
        name = _name(element.tag)
        if name == "item":
            return _item(element)
        if name == "wp:author":
            self.authors.append(_author(element))
        elif name in _TERM_FIELDS:
            self.terms.append(_term(element, name))
        else:
            self._site_fields[name] = (element.text or "").strip()
            if name == "wp:wxr_version":
                self.site = replace(self.site, wxr_version=self._site_fields[name])
        return None


def _events(source, pull, parser):
    """Yield the parser's (event, element) pairs, chunk by chunk."""
    while chunk := source.read(_CHUNK_SIZE):
        yield from _parse(pull, parser, chunk)
    yield from _parse(pull, parser, None)


def _parse(pull, parser, chunk):
    try:
        if chunk is None:
            pull.close()
        else:
            pull.feed(chunk)
        # The pull parser keeps a syntax error for read_events to raise.
        return list(pull.read_events())
    except ElementTree.ParseError as error:
        raise _not_well_formed(error) from error
    except DefusedXmlException as error:
        raise _forbidden(parser) from error


def _name(tag):
    """Return `prefix:local` for a namespaced tag, whatever WXR version."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if _WP_NAMESPACE.fullmatch(namespace):
        return f"wp:{local}"
    if _WP_NAMESPACE.match(namespace) and namespace.endswith("/excerpt/"):
        return f"excerpt:{local}"
    return _NAMESPACE_PREFIXES.get(namespace, "") + local


def _local_name(tag):
    return tag.rsplit("}", 1)[-1]


def _children(element):
    """Return {name: text} of an element's children (the first of each)."""
    fields = {}
    for child in element:
        fields.setdefault(_name(child.tag), child.text or "")
    return fields


def _author(element):
    fields = _children(element)
    return Author(
        login=fields.get("wp:author_login", "").strip(),
        display_name=fields.get("wp:author_display_name", "").strip(),
        first_name=fields.get("wp:author_first_name", "").strip(),
        last_name=fields.get("wp:author_last_name", "").strip(),
        email=fields.get("wp:author_email", "").strip(),
    )


# Element name -> (taxonomy or None to read it, slug, name, parent, description)
_TERM_FIELDS = {
    "wp:category": (
        "category",
        "wp:category_nicename",
        "wp:cat_name",
        "wp:category_parent",
        "wp:category_description",
    ),
    "wp:tag": ("post_tag", "wp:tag_slug", "wp:tag_name", "", "wp:tag_description"),
    "wp:term": (
        None,
        "wp:term_slug",
        "wp:term_name",
        "wp:term_parent",
        "wp:term_description",
    ),
}


def _term(element, name):
    taxonomy, slug, term_name, parent, description = _TERM_FIELDS[name]
    fields = _children(element)
    return Term(
        taxonomy=taxonomy or fields.get("wp:term_taxonomy", "").strip(),
        slug=unquote(fields.get(slug, "").strip()),
        name=html.unescape(fields.get(term_name, "").strip()),
        parent_slug=unquote(fields.get(parent, "").strip()),
        description=fields.get(description, "").strip(),
    )


def _item(element):
    fields = _children(element)

    def text(name):
        return fields.get(name, "").strip()

    published_gmt = _date(text("wp:post_date_gmt"))
    published_local = _date(text("wp:post_date"))
    return Item(
        wp_id=_integer(text("wp:post_id")),
        post_type=text("wp:post_type") or "post",
        status=text("wp:status"),
        # Titles and term names are exported as HTML: `&#8220;` for a quote.
        title=html.unescape(text("title")),
        slug=unquote(text("wp:post_name")),
        link=text("link"),
        guid=text("guid"),
        author_login=text("dc:creator"),
        published_at=published_gmt or published_local,
        local_date=published_local and published_local.replace(tzinfo=None),
        is_date_local=published_gmt is None and published_local is not None,
        modified_at=(
            _date(text("wp:post_modified_gmt")) or _date(text("wp:post_modified"))
        ),
        parent_id=_integer(text("wp:post_parent")),
        menu_order=_integer(text("wp:menu_order")),
        is_sticky=text("wp:is_sticky") == "1",
        password=fields.get("wp:post_password", ""),
        content=fields.get("content:encoded", ""),
        excerpt=fields.get("excerpt:encoded", ""),
        terms=tuple(_item_terms(element)),
        meta=tuple(_item_meta(element)),
        attachment_url=text("wp:attachment_url"),
        comment_count=sum(1 for child in element if _name(child.tag) == "wp:comment"),
    )


def _item_terms(element):
    # As WordPress's importer: only <category> with a nicename counts (WXR
    # 1.0 also lists each term bare), and 1.0 calls tags "tag".
    seen = set()
    for child in element:
        if child.tag != "category" or child.get("nicename") is None:
            continue
        taxonomy = child.get("domain", "category")
        term = ItemTerm(
            taxonomy="post_tag" if taxonomy == "tag" else taxonomy,
            slug=unquote(child.get("nicename")),
            name=html.unescape((child.text or "").strip()),
        )
        if (term.taxonomy, term.slug) not in seen:
            seen.add((term.taxonomy, term.slug))
            yield term


def _item_meta(element):
    for child in element:
        if _name(child.tag) == "wp:postmeta":
            fields = _children(child)
            yield fields.get("wp:meta_key", "").strip(), fields.get("wp:meta_value", "")


def _date(value):
    """Return a WordPress date as an aware UTC datetime, or None."""
    if not value or value == NO_DATE:
        return None
    try:
        return datetime.strptime(value, _DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def _integer(value):
    try:
        return int(value)
    except ValueError:
        return 0


def _site_utc_offset(items):
    """Return the site's most common UTC offset (local date - GMT date).

    A WXR file does not say the site's time zone; a draft has only a local
    date. The items that have both dates tell the offset they were saved
    with.
    """
    offsets = Counter(
        item.local_date - item.published_at.replace(tzinfo=None)
        for item in items
        if item.local_date and item.published_at and not item.is_date_local
    )
    return offsets.most_common(1)[0][0] if offsets else timedelta(0)


def _shift_local_date(item, offset):
    if not item.is_date_local:
        return item
    return replace(item, published_at=item.published_at - offset)


def _not_well_formed(error):
    line = error.position[0] if getattr(error, "position", None) else None
    reason = (
        str(error)
        .split(":", 1)[0]
        .replace("not well-formed (invalid token)", "a character or markup XML forbids")
    )
    where = f" at line {line}" if line else ""
    if reason.startswith("no element found"):
        reason = "it ends before its last element is closed (is it truncated?)"
    return WXRError(
        f"The file is not well-formed XML: {reason}{where}. {_EXPORT_AGAIN}"
    )


def _forbidden(parser):
    line = parser.parser.CurrentLineNumber
    return WXRError(
        f"The file declares a document type or entities at line {line}, which "
        "a WordPress export never does; Inkwell refuses them so that nothing "
        f"in the file can expand or load other files. {_EXPORT_AGAIN}"
    )
