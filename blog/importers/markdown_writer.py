"""Markdown as Inkwell's editor keeps it, written from HTML by markdownify.

markdownify does the work; `MarkdownWriter` sets Inkwell's conventions:
`#` headings, `-` lists whose content is indented four spaces (read alike
by Python-Markdown and CommonMark), fenced code with a fence longer than
any backticks inside, the raw HTML Inkwell allows kept as HTML, and prose
escaped only where Markdown would otherwise read it as syntax.
"""

import html
import re

from markdownify import MarkdownConverter

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


class MarkdownWriter(MarkdownConverter):
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
    setattr(MarkdownWriter, f"convert_{_tag}", _keep_inline(_tag, _attributes))


def escape_markdown(text):
    """Return prose with what Markdown would read as syntax escaped.

    Kept light, so that the author can still read and edit the text: only
    characters that would change how a line reads are escaped.
    """
    text = escape_inline(text)
    if not _LINE_START.search(text):
        return text
    # At the start of a line: quotes, headings, list items, rules. A line
    # of `=` takes an entity: Python-Markdown has no `\=` escape.
    text = _SETEXT_EQUALS.sub(r"\1\2&#61;", text)
    text = _BLOCK_MARKER.sub(r"\1\2\\\3", text)
    return _ORDERED_MARKER.sub(r"\1\2\\\3", text)


def escape_inline(text):
    """Return text with what Markdown reads as inline syntax escaped."""
    if not _INLINE_SPECIAL.search(text):
        return text
    text = _ESCAPABLE_BACKSLASH.sub(r"\\\\", text)
    text = text.replace("*", r"\*").replace("`", r"\`")
    text = _EDGE_UNDERSCORE.sub(r"\_", text)
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = _TAG_LIKE.sub("&lt;", text)
    if _LINK_LIKE.search(text):
        text = text.replace("[", r"\[").replace("]", r"\]")
    return text


_INLINE_SPECIAL = re.compile(r"[\\*`_&<\]]")
_ESCAPABLE_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_ENTITY_LIKE = re.compile(r"&(?=#\d+;|#x[0-9a-fA-F]+;|\w+;)")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_LINK_LIKE = re.compile(r"\]\(|\]\[|\[\^|\]:")
_LINE_START = re.compile(r"(?:^|\n)[ \t]*(?:[=>#+-]|\d{1,9}[.)])")
_SETEXT_EQUALS = re.compile(r"(^|\n)([ \t]*)=(?==*[ \t]*(?:\n|$))")
_BLOCK_MARKER = re.compile(r"(^|\n)([ \t]*)(>|#|-+(?=[ \t]*(?:\n|$))|[-+](?=\s))")
_ORDERED_MARKER = re.compile(r"(^|\n)([ \t]*\d{1,9})([.)])(?=\s)")


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
