"""WordPress post HTML -> Markdown the author can keep editing in Inkwell.

markdownify does the HTML-to-Markdown work. Around it, the steps only
WordPress knows, in the order WordPress itself applies them when it shows a
post:

1. Text: block-editor comments go (a code block's language is kept), the
   first `<!--more-->` becomes Inkwell's cut marker, `<!--nextpage-->` a
   paragraph break; shortcodes are expanded (shortcodes.py); classic-editor
   text gets its paragraphs (wpautop.py). Code is hidden from all of this.
2. Tree (BeautifulSoup): footnotes (WordPress 6.3 core footnotes and
   classic footnote lists) become numbered markers; images go through the
   caller's URL hook; code blocks learn their language; iframes, audio and
   video become links; a table Markdown cannot hold stays HTML.
3. markdownify, with Inkwell's conventions: `#` headings, `-` lists whose
   content is indented four spaces (read alike by Python-Markdown and
   CommonMark), fenced code, the raw HTML Inkwell allows kept as HTML.
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

from bs4 import BeautifulSoup, NavigableString
from markdownify import MarkdownConverter

from blog.importers import shortcodes
from blog.importers.wpautop import wpautop

# `<!-- wp:code {"language":"c"} -->`, `<!-- /wp:paragraph -->`, ...
_BLOCK_COMMENT = re.compile(
    r"<!--\s*/?wp:[\w/-]+(?P<attrs>\s+\{.*?\})?\s*/?-->", re.DOTALL
)
_LANGUAGE_MARK = re.compile(r"<!--inkwell-language:([^>]*?)-->(\s*<pre\b)")
_MORE = re.compile(r"<!--more(?P<text>.*?)-->", re.DOTALL)
_NEXTPAGE = re.compile(r"<!--(?:nextpage|noteaser)-->")
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
# WordPress turns a URL alone on its line into an embed, or a link.
_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)
_RESIZED = re.compile(r"-\d+x\d+(?=\.\w+(?:[?#]|$))")
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|svg)(?:[?#]|$)", re.I)

MORE_TOKEN = "InkwellMoreMarker"
_FOOTNOTE_TOKEN = re.compile(r"InkwellFootnote(\d+)Ref")
_CODE_LANGUAGE_CLASS = re.compile(
    r"(?:^|\s)(?:brush:\s*|language-|lang-|lang:)([\w+#-]+)", re.IGNORECASE
)
# Inline HTML that Inkwell allows and Markdown has no syntax for.
KEPT_INLINE = {
    "kbd": (),
    "sup": (),
    "sub": (),
    "mark": (),
    "ins": (),
    "del": (),
    "s": (),
    "strike": (),
    "small": (),
    "var": (),
    "samp": (),
    "abbr": ("title",),
}
_KEPT_ATTRIBUTES = (
    "colspan",
    "rowspan",
    "scope",
    "align",
    "href",
    "title",
    "src",
    "alt",
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
    notes = _Footnotes()
    context = shortcodes.ShortcodeContext(
        attachments=attachments or {},
        gallery=tuple(gallery),
        add_footnote=lambda note: notes.marker(notes.add(note)),
    )
    text, more_text = _prepare_text(content, context)
    soup = BeautifulSoup(text, "html.parser")
    _core_footnotes(soup, footnotes, notes)
    _classic_footnotes(soup, notes)
    found = _rewrite_images(soup, _url_hook(image_url))
    _prepare_tree(soup)
    markdown = _Converter().convert_soup(soup)
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
    text = shortcodes.expand_code(text)
    text, hidden = _hide(_PRE, text)
    more = _MORE.search(text)
    more_text = html.unescape(more.group("text").strip()) if more else None
    if more:
        text = text[: more.start()] + f"\n\n{MORE_TOKEN}\n\n" + text[more.end() :]
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


def _hide(pattern, text):
    hidden = {}

    def hide(match):
        placeholder = f'<pre data-inkwell-hidden="{len(hidden)}"></pre>'
        hidden[placeholder] = match.group(0)
        return placeholder

    return pattern.sub(hide, text), hidden


class _Footnotes:
    """Footnotes in the order readers meet them, numbered from 1."""

    def __init__(self):
        self.texts = []  # HTML, or Markdown once converted
        self.numbers = {}  # WordPress footnote id -> number

    def marker(self, number):
        return f"InkwellFootnote{number}Ref"

    def add(self, note_html, key=None):
        if key is not None and key in self.numbers:
            return self.numbers[key]
        self.texts.append(note_html)
        number = len(self.texts)
        if key is not None:
            self.numbers[key] = number
        return number


def _core_footnotes(soup, footnotes, notes):
    """WordPress 6.3+: `<sup data-fn="ID">` in the text, notes in post meta."""
    by_id = {note["id"]: str(note.get("content", "")) for note in footnotes or ()}
    for sup in soup.find_all("sup", attrs={"data-fn": True}):
        key = sup["data-fn"]
        if key in by_id:
            sup.replace_with(notes.marker(notes.add(by_id[key], key=key)))
        else:
            sup.attrs = {}
    # The footnotes block is rendered by WordPress from the meta; an export
    # may also hold a rendered copy.
    for block in soup.find_all(class_="wp-block-footnotes"):
        block.decompose()


def _classic_footnotes(soup, notes):
    """A list of notes whose items are targets of links in the text.

    Plugins and Markdown-to-HTML tools write footnotes as `<sup><a
    href="#fn1">1</a></sup>` and, at the end, `<ol><li id="fn1">...`,
    with a back-link in each item.
    """
    for ordered_list in soup.find_all("ol"):
        items = {li["id"]: li for li in ordered_list.find_all("li", id=True)}
        references = [
            link
            for link in soup.find_all("a", href=True)
            if link["href"].startswith("#")
            and link["href"][1:] in items
            and ordered_list not in link.parents
        ]
        if not references:
            continue
        back_targets = set()
        for link in references:
            holder = link.parent if link.parent.name == "sup" else link
            back_targets.update(filter(None, [link.get("id"), holder.get("id")]))
            key = "classic:" + link["href"][1:]
            note = items[link["href"][1:]]
            number = notes.add(_note_html(note, back_targets), key=key)
            holder.replace_with(notes.marker(number))
        container = ordered_list.parent
        ordered_list.decompose()
        if container and "footnotes" in (container.get("class") or []):
            container.decompose()


def _note_html(item, back_targets):
    for link in item.find_all("a", href=True):
        target = link["href"].lstrip("#")
        if link["href"].startswith("#") and (
            target in back_targets or target.startswith(("fnref", "ref"))
        ):
            link.decompose()
    return item.decode_contents()


def _url_hook(image_url):
    if image_url is None:
        return lambda url: url
    if isinstance(image_url, Mapping):
        return lambda url: image_url.get(url, url)
    return image_url


def _rewrite_images(soup, hook):
    """Point every image (and link to an image file) through `hook`."""
    found = []
    for element, attribute in _image_references(soup):
        url = element[attribute].strip()
        if url not in found:
            found.append(url)
        element[attribute] = hook(url)
        for responsive in ("srcset", "sizes"):
            element.attrs.pop(responsive, None)
    return found


def _image_references(soup):
    for element in soup.find_all(["img", "a"]):
        if element.name == "img" and element.get("src"):
            yield element, "src"
        elif element.name == "a" and _IMAGE_FILE.search(element.get("href", "")):
            yield element, "href"


def _prepare_tree(soup):
    for pre in soup.find_all("pre"):
        if "wp-block-verse" in (pre.get("class") or []):
            _verse_to_paragraph(soup, pre)
        else:
            pre["data-language"] = _code_language(pre)
    for element in soup.find_all(["iframe", "audio", "video", "embed", "object"]):
        url = _media_url(element)
        link = BeautifulSoup(shortcodes.link_paragraph(url), "html.parser")
        element.replace_with(link if url else "")
    for table in soup.find_all("table"):
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


class _Converter(MarkdownConverter):
    def __init__(self):
        super().__init__(
            heading_style="ATX",
            bullets="-",
            escape_asterisks=False,
            escape_underscores=False,
            keep_inline_images_in=["a", "td", "th", "h1", "h2", "h3", "h4"],
        )

    def escape(self, text, parent_tags):
        if parent_tags & {"td", "th"}:
            # A cell is never at the start of a line; a pipe would end it.
            return escape_inline(text).replace("|", r"\|")
        return escape_markdown(text)

    def convert_li(self, el, text, parent_tags):
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start", "1"))
            first = int(start) if start.isdigit() else 1
            bullet = f"{first + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        # Four spaces: the indent Python-Markdown needs and CommonMark reads.
        lines = text.split("\n")
        rest = [f"    {line}" if line.strip() else "" for line in lines[1:]]
        # An item of several blocks ends with a blank line, or
        # Python-Markdown reads the next item as part of its last paragraph.
        end = "\n\n" if "\n\n" in text else "\n"
        return "\n".join([f"{bullet} {lines[0]}", *rest]) + end

    def convert_pre(self, el, text, parent_tags):
        for br in el.find_all("br"):
            br.replace_with("\n")
        return "\n\n" + fenced_code(el.get_text(), el.get("data-language", "")) + "\n\n"

    def convert_details(self, el, text, parent_tags):
        return f"\n\n<details>\n{text.strip()}\n\n</details>\n\n"

    def convert_summary(self, el, text, parent_tags):
        return f"<summary>{text.strip()}</summary>\n\n"

    def convert_table(self, el, text, parent_tags):
        if el.get("data-inkwell-html"):
            return f"\n\n{block_html(el)}\n\n"
        return super().convert_table(el, text, parent_tags)

    def convert_dl(self, el, text, parent_tags):
        # Neither Markdown dialect Inkwell reads has definition lists.
        return f"\n\n{block_html(el)}\n\n"

    def convert_cite(self, el, text, parent_tags):
        return f"*{text.strip()}*" if text.strip() else ""

    def convert_figcaption(self, el, text, parent_tags):
        return f"\n\n{text.strip()}\n\n"

    def convert_a(self, el, text, parent_tags):
        if not el.get("href"):
            return text
        return super().convert_a(el, text, parent_tags)


def _keep_inline(tag, attributes):
    def convert(self, el, text, parent_tags):
        if "_noformat" in parent_tags or not text.strip():
            return text
        kept = "".join(
            f' {name}="{html.escape(el[name])}"' for name in attributes if el.get(name)
        )
        name = "del" if tag in ("s", "strike") else tag
        return f"<{name}{kept}>{text}</{name}>"

    return convert


for _tag, _attributes in KEPT_INLINE.items():
    setattr(_Converter, f"convert_{_tag}", _keep_inline(_tag, _attributes))


def escape_markdown(text):
    """Return prose with what Markdown would read as syntax escaped.

    Kept light, so that the author can still read and edit the text: only
    characters that would change how a line reads are escaped.
    """
    text = escape_inline(text)
    # At the start of a line: quotes, headings, list items, rules. A line
    # of `=` takes an entity: Python-Markdown has no `\=` escape.
    text = re.sub(r"(^|\n)([ \t]*)=(?==*[ \t]*(?:\n|$))", r"\1\2&#61;", text)
    text = re.sub(r"(^|\n)([ \t]*)(>|-+(?=[ \t]*(?:\n|$)))", r"\1\2\\\3", text)
    text = re.sub(r"(^|\n)([ \t]*)(#|[-+](?=\s))", r"\1\2\\\3", text)
    return re.sub(r"(^|\n)([ \t]*\d{1,9})([.)])(?=\s)", r"\1\2\\\3", text)


def escape_inline(text):
    """Return text with what Markdown reads as inline syntax escaped."""
    text = re.sub(r"\\(?=[!-/:-@\[-`{-~])", r"\\\\", text)
    text = text.replace("*", r"\*").replace("`", r"\`")
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\_", text)
    text = re.sub(r"&(?=#\d+;|#x[0-9a-fA-F]+;|\w+;)", "&amp;", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    if re.search(r"\]\(|\]\[|\[\^|\]:", text):
        text = text.replace("[", r"\[").replace("]", r"\]")
    return text


def fenced_code(code, language=""):
    """Return `code` fenced, with a fence longer than any backticks in it."""
    code = re.sub(r"^\n+|\n+$", "", code)
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code}\n{fence}"


def block_html(element):
    """Return a block as compact HTML that Markdown passes through whole.

    Markdown ends a block of raw HTML at a blank line, so it has none.
    """
    for node in [element, *element.find_all(True)]:
        node.attrs = {
            name: value
            for name, value in node.attrs.items()
            if name in _KEPT_ATTRIBUTES
        }
    return re.sub(r"\n\s*\n", "\n", str(element)).strip()


def _finish(markdown, more_text, notes):
    if more_text is not None:
        marker = f"<!--more {more_text}-->" if more_text else "<!--more-->"
        markdown = re.sub(rf"[ \t]*{MORE_TOKEN}[ \t]*", f"\n\n{marker}\n\n", markdown)
    markdown = _FOOTNOTE_TOKEN.sub(r"[^\1]", markdown)
    definitions = [
        _footnote_definition(number, note)
        for number, note in enumerate(notes.texts, start=1)
    ]
    if definitions:
        markdown = markdown.rstrip() + "\n\n" + "\n\n".join(definitions)
    return _tidy(markdown)


def _footnote_definition(number, note_html):
    body = _Converter().convert(note_html).strip()
    body = _FOOTNOTE_TOKEN.sub(r"[^\1]", body)
    lines = body.split("\n")
    rest = [f"    {line}" if line.strip() else "" for line in lines[1:]]
    return "\n".join([f"[^{number}]: {lines[0]}", *rest])


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
