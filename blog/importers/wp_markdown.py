"""WordPress post HTML -> Markdown the author can keep editing in Inkwell.

markdownify does the HTML-to-Markdown work. Around it, the steps only
WordPress knows, in the order WordPress itself applies them when it shows a
post:

1. Text: block-editor comments go (a code block's language is kept), the
   first `<!--more-->` becomes Inkwell's cut marker, `<!--nextpage-->` a
   paragraph break; shortcodes are expanded (shortcodes.py); classic-editor
   text gets its paragraphs (wpautop.py). Code is hidden from all of this.
2. Tree (BeautifulSoup): footnotes become numbered markers
   (wp_footnotes.py); images go through the caller's URL hook; code blocks
   learn their language; iframes, audio and video become links; a table
   Markdown cannot hold stays HTML.
3. markdownify, with Inkwell's conventions (markdown_writer.py).
4. Markers become `<!--more-->` on a line of its own and `[^1]`, and the
   footnote definitions are appended.

What remains is ordinary Markdown, which Inkwell's sanitizer treats like
anything an author types.
"""

import html
import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag

from blog.importers import shortcodes, wp_footnotes
from blog.importers.markdown_writer import MarkdownWriter
from blog.importers.wpautop import hide_pre, wpautop

# `<!-- wp:code {"language":"c"} -->`, `<!-- /wp:paragraph -->`, ...
_BLOCK_COMMENT = re.compile(
    r"<!--\s*/?wp:[\w/-]+(?P<attrs>\s+\{.*?\})?\s*/?-->", re.DOTALL
)
_LANGUAGE_MARK = re.compile(r"<!--inkwell-language:([^>]*?)-->(\s*<pre\b)")
_MORE = re.compile(r"<!--more(?P<text>.*?)-->", re.DOTALL)
_NEXTPAGE = re.compile(r"<!--(?:nextpage|noteaser)-->")
# WordPress turns a URL alone on its line into an embed, or a link.
_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)
_RESIZED = re.compile(r"-\d+x\d+(?=\.\w+(?:[?#]|$))")
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|svg)(?:[?#]|$)", re.I)

_MORE_TOKEN = "InkwellMoreMarker"
_CODE_LANGUAGE_CLASS = re.compile(
    r"(?:^|\s)(?:brush:\s*|language-|lang-|lang:)([\w+#-]+)", re.IGNORECASE
)


@dataclass(frozen=True)
class Conversion:
    markdown: str
    image_urls: tuple[str, ...]  # as found in the post, before the hook


class ExportConverter:
    """Convert the posts and pages of one export, knowing its attachments.

    `image_url` is the hook `convert` takes. Galleries show the export's
    attachments: `[gallery ids="..."]` by id, a bare `[gallery]` the images
    attached to the post, in their menu order.
    """

    def __init__(self, export, image_url=None):
        self.image_url = image_url
        self.attachments = {}
        self.children = defaultdict(list)
        ordered = sorted(
            export.of_type("attachment"), key=lambda a: (a.menu_order, a.wp_id)
        )
        for attachment in ordered:
            if attachment.attachment_url:
                image = shortcodes.AttachedImage(
                    attachment.attachment_url, attachment.alt_text
                )
                self.attachments[attachment.wp_id] = image
                self.children[attachment.parent_id].append(image)

    def body(self, item):
        """Return the Markdown body of a post or page, and its image URLs."""
        return convert(
            item.content,
            footnotes=item.footnotes,
            image_url=self.image_url,
            attachments=self.attachments,
            gallery=self.children.get(item.wp_id, ()),
        )

    def excerpt(self, item):
        """Return the manual excerpt as Markdown ("" when there is none)."""
        if not item.excerpt.strip():
            return Conversion(markdown="", image_urls=())
        return convert(item.excerpt, image_url=self.image_url)


def original_image_url(url):
    """Return the original of a WordPress resized image (`pic-300x200.png`)."""
    return _RESIZED.sub("", url, count=1)


def convert(content, *, footnotes=(), image_url=None, attachments=None, gallery=()):
    """Return WordPress post HTML as Inkwell Markdown, and its image URLs.

    `footnotes` is the post's `footnotes` meta (WordPress 6.3+), as a list
    of {"id", "content"}. `image_url` rewrites each image URL: a callable or
    a mapping (URLs it lacks stay as they are). `attachments` maps
    attachment ids to `shortcodes.AttachedImage` for `[gallery ids=...]`;
    `gallery` is what a bare `[gallery]` shows.
    """
    notes = wp_footnotes.Footnotes()
    context = shortcodes.ShortcodeContext(
        attachments=attachments or {},
        gallery=tuple(gallery),
        add_footnote=lambda note: notes.marker(notes.add(note)),
    )
    text, more_text = _prepare_text(content, context)
    # lxml's parser: the import's conversion spends much of its time
    # parsing, and lxml does it several times faster than html.parser.
    soup = BeautifulSoup(text, "lxml")
    tags = _tags(soup)
    wp_footnotes.core_footnotes(tags, footnotes, notes)
    wp_footnotes.classic_footnotes(tags, notes)
    wp_footnotes.append_notes(soup, notes)
    tags = _tags(soup)
    found = _rewrite_images(tags, _url_hook(image_url))
    _prepare_tree(soup, tags)
    markdown = MarkdownWriter().convert_soup(soup)
    markdown = _finish(markdown, more_text, notes)
    return Conversion(markdown=markdown, image_urls=tuple(found))


def _prepare_text(content, context):
    """Return the post's HTML as WordPress would show it, and the more text."""
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    is_blocks = "<!-- wp:" in text
    text = _BLOCK_COMMENT.sub(_block_comment, text)
    text = _LANGUAGE_MARK.sub(
        lambda m: m.group(2) + f' data-language="{html.escape(m.group(1))}"', text
    )
    # Code written in <pre> is code even when it shows a shortcode.
    text, hidden_pre = hide_pre(text, marker="inkwell-pre")
    text, hidden = hide_pre(shortcodes.expand_code(text), marker="inkwell-code")
    hidden.update(hidden_pre)
    more = _MORE.search(text)
    more_text = html.unescape(more.group("text").strip()) if more else None
    if more:
        text = text[: more.start()] + f"\n\n{_MORE_TOKEN}\n\n" + text[more.end() :]
    text = _NEXTPAGE.sub("\n\n", _MORE.sub("", text))
    text = _BARE_URL_LINE.sub(lambda m: shortcodes.link_paragraph(m.group(1)), text)
    text = shortcodes.expand(text, context)
    if not is_blocks:
        text = wpautop(text)
    for placeholder, block in hidden.items():
        text = text.replace(placeholder, block)
    return text, more_text


def _block_comment(match):
    # A code block's language lives in its comment; the `<pre>` below it
    # gets it as an attribute before the comment goes.
    try:
        attributes = json.loads(match.group("attrs") or "{}")
    except ValueError:
        return ""
    if not isinstance(attributes, dict):
        return ""
    language = attributes.get("language") or attributes.get("lang")
    return f"<!--inkwell-language:{language}-->" if language else ""


def _tags(soup):
    """Return the soup's elements by tag name, and all under None, in
    document order: one walk of the tree instead of a search per step.
    """
    tags = defaultdict(list)
    for element in soup.descendants:
        if isinstance(element, Tag):
            tags[element.name].append(element)
            tags[None].append(element)
    return tags


def _url_hook(image_url):
    if image_url is None:
        return lambda url: url
    if isinstance(image_url, Mapping):
        return lambda url: image_url.get(url, url)
    return image_url


def _rewrite_images(tags, hook):
    """Point every image (and link to an image file) through `hook`."""
    found = []
    for element, attribute in _image_references(tags[None]):
        url = element[attribute].strip()
        if url not in found:
            found.append(url)
        element[attribute] = hook(url)
        for responsive in ("srcset", "sizes"):
            element.attrs.pop(responsive, None)
    return found


def _image_references(elements):
    for element in elements:
        if element.name == "img" and element.get("src"):
            yield element, "src"
        elif element.name == "a" and _IMAGE_FILE.search(element.get("href", "")):
            yield element, "href"


def _prepare_tree(soup, tags):
    for pre in tags["pre"]:
        if "wp-block-verse" in (pre.get("class") or []):
            _verse_to_paragraph(soup, pre)
        else:
            pre["data-language"] = _code_language(pre)
    players = ("iframe", "audio", "video", "embed", "object")
    for element in [el for name in players for el in tags[name]]:
        if element.decomposed or element.parent is None:
            continue
        url = _media_url(element)
        link = BeautifulSoup(shortcodes.link_paragraph(url), "html.parser")
        element.replace_with(link if url else "")
    for table in tags["table"]:
        if _needs_html(table):
            table["data-inkwell-html"] = "1"
        else:
            _footer_rows_into_body(table)


def _code_language(pre):
    code = pre.find("code")
    candidates = [
        pre.get("data-language"),
        pre.get("lang"),
        " ".join(pre.get("class") or []),
        " ".join(code.get("class") or []) if code else "",
    ]
    for candidate in filter(None, candidates):
        match = _CODE_LANGUAGE_CLASS.search(candidate)
        if match:
            return shortcodes.normalize_language(match.group(1))
        if candidate in (pre.get("data-language"), pre.get("lang")):
            return shortcodes.normalize_language(candidate)
    return ""


def _verse_to_paragraph(soup, pre):
    # A verse block is a poem in `<pre>`: its line breaks are the poem's.
    for text in list(pre.find_all(string=True)):
        lines = str(text).split("\n")
        if len(lines) == 1:
            continue
        pieces = []
        for index, line in enumerate(lines):
            if index:
                pieces.append(soup.new_tag("br"))
            pieces.append(NavigableString(line))
        text.replace_with(*pieces)
    pre.name = "p"
    pre.attrs = {}


def _media_url(element):
    source = element.find("source", src=True)
    url = element.get("src") or element.get("data") or (source and source["src"])
    return url if url and url.startswith(("http://", "https://", "/")) else ""


def _footer_rows_into_body(table):
    # A pipe table has a header and a body; footer rows go last in the body.
    body = table.find_all("tbody")[-1:] or [table]
    for footer in table.find_all("tfoot"):
        for row in footer.find_all("tr"):
            body[0].append(row.extract())
        footer.decompose()


def _needs_html(table):
    """Return whether Markdown's pipe tables cannot hold this table."""
    for cell in table.find_all(["td", "th"]):
        spans = (cell.get("colspan", "1"), cell.get("rowspan", "1"))
        if any(span not in ("", "1") for span in spans):
            return True
        if cell.find(["p", "ul", "ol", "pre", "table", "br", "blockquote"]):
            return True
    return False


def _finish(markdown, more_text, notes):
    if more_text is not None:
        marker = f"<!--more {more_text}-->" if more_text else "<!--more-->"
        markdown = re.sub(rf"[ \t]*{_MORE_TOKEN}[ \t]*", f"\n\n{marker}\n\n", markdown)
    markdown, definitions = wp_footnotes.definitions(markdown)
    if definitions:
        markdown = markdown.rstrip() + "\n\n" + "\n\n".join(definitions)
    return _tidy(markdown)


def _tidy(markdown):
    lines = []
    for line in markdown.split("\n"):
        stripped = line.rstrip()
        # Two trailing spaces are a line break; more are noise.
        lines.append(stripped + "  " if line.endswith("  ") and stripped else stripped)
    markdown = "\n".join(lines)
    markdown = re.sub(r"  \n(?=\n|$)", "\n", markdown)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    return markdown + "\n" if markdown else ""
