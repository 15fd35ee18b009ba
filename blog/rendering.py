"""Markdown to sanitized HTML: the only place Inkwell makes HTML.

A post is rendered once, when it is saved, and the result is stored; the
admin's live preview calls `markdownify`, which runs the same pipeline, so
what the author previews is byte for byte what readers get.

The pipeline, for one document:

1. Python-Markdown parses the body once (fenced code highlighted by Pygments
   into CSS classes, tables, footnotes, heading ids, sane lists, smart
   typography). The first `<!--more-->` marker outside code becomes an empty
   anchor element; the excerpt is a copy of the tree cut at that anchor, so
   it is well-formed however deep the cut falls (in a list, in a quote).
2. Every id is built on the post's id (`fn-12-1`, `fnref-12-1`, `h-12-intro`,
   `more-12`), so posts shown together on one page never share an id. In an
   excerpt, links to ids that are not in the excerpt (footnotes defined
   after the cut) go to the post page.
3. bleach (blog/sanitizer.py) keeps only the allowlist, and only the ids
   this post's pipeline made, and resolves relative URLs against the post's.
4. Each table is wrapped in a focusable region that scrolls sideways.
"""

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.fenced_code import (
    FencedBlockPreprocessor,
    FencedCodeExtension,
)
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from blog import cut_tree
from blog.sanitizer import sanitize

# `<!--more-->`, `<!-- more -->` or `<!--more Keep reading-->`.
MORE_MARKER = re.compile(r"<!--\s*more\b(?P<text>[^\n]*?)-->", re.IGNORECASE)
MORE_TEXT_MAX_LENGTH = 100  # Post.cut_link_text's max_length

# The id key of a document rendered without a post id: the admin preview.
PREVIEW_KEY = "preview"

# Fence languages that Pygments reads differently from what authors of
# technical posts mean: `s` and `asm` are GNU assembler (AT&T syntax) here,
# not the S statistics language.
CODE_LANGUAGE_ALIASES = {"s": "gas", "asm": "gas", "x86": "gas", "x86asm": "gas"}

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_TAG = re.compile(r"<[^>]*>")
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")
_TABLE_START = re.compile(r"<table\b")
_TABLE_WRAP = '<div class="table-wrap" role="region" tabindex="0" aria-label="Table">'


@dataclass(frozen=True)
class RenderedPost:
    body_html: str
    excerpt_html: str
    more_text: str
    word_count: int


def markdownify(text):
    """Return the body HTML of a post not saved yet (ids say "preview").

    django-markdownx's MARKDOWNX_MARKDOWNIFY_FUNCTION. The admin's own
    preview endpoint (blog.editor_views) renders a saved post with its id, as
    saving would store it.
    """
    return render_post(text).body_html


def render_post(body, *, excerpt="", post_id=None, post_url=""):
    """Return a post's stored HTML, excerpt, cut link text and word count.

    `post_id` prefixes every id in the HTML; `post_url` (the post page) is
    where excerpt links to footnotes after the cut point go, and what
    relative URLs (`pic.png`) are resolved against, so that they work on
    the index and tag pages too.
    """
    key = PREVIEW_KEY if post_id is None else str(post_id)
    has_excerpt_field = bool(excerpt.strip())
    document = _render_document(
        body, key=key, post_url=post_url, cuts=not has_excerpt_field
    )
    body_html, excerpt_html = document.body_html, document.excerpt_html
    if has_excerpt_field:
        excerpt_html = _render_document(
            excerpt, key=f"{key}-excerpt", post_url=post_url, is_excerpt=True
        ).body_html
        # The reader has seen none of the body: "Continue reading" lands at
        # its start, wherever a marker is.
        body_html = f'<span id="more-{key}"></span>\n{body_html}'
    return RenderedPost(
        body_html=body_html,
        excerpt_html=excerpt_html,
        more_text=document.more_text,
        word_count=count_words(document.body_html),
    )


@dataclass(frozen=True)
class _Document:
    body_html: str
    excerpt_html: str
    more_text: str


def _render_document(text, *, key, post_url="", cuts=True, is_excerpt=False):
    """Return one Markdown document rendered and sanitized, with its cut.

    `key` is what every id in the document is built on. Without `cuts`, the
    first marker only sets the link text. With `is_excerpt` the document is
    an excerpt field: links to ids it lacks go to `post_url`.
    """
    cut = _CutExtension(key=key, post_url=post_url, cuts=cuts, is_excerpt=is_excerpt)
    md = markdown.Markdown(
        extensions=[
            FencedCodeExtension(),
            CodeHiliteExtension(guess_lang=False),
            TableExtension(use_align_attribute=True),
            FootnoteExtension(
                SEPARATOR=f"-{key}-",
                # U+FE0E asks for the text arrow, not an emoji.
                BACKLINK_TEXT="&#8617;&#xFE0E;",
                BACKLINK_TITLE="Back to the text of footnote {}",
            ),
            TocExtension(
                marker="",
                slugify=lambda value, separator: (
                    f"h-{key}-{slugify_unicode(value, separator)}"
                ),
            ),
            "sane_lists",
            SmartyExtension(),
            _CodeLanguageExtension(),
            cut,
        ],
        output_format="html",
    )
    body = md.convert(text)
    excerpt = "" if cut.excerpt_root is None else _serialize(md, cut.excerpt_root)
    id_pattern = re.compile(rf"(?:fn|fnref\d*|h|more)-{re.escape(key)}(?:-|$)")
    return _Document(
        body_html=_sanitize(body, id_pattern, post_url),
        excerpt_html=_sanitize(excerpt, id_pattern, post_url),
        more_text=cut.more_text,
    )


def _sanitize(html_text, id_pattern, post_url):
    # Markdown wraps inline raw HTML in a paragraph; when the sanitizer
    # removes all of it, the empty paragraph would be all that is left.
    if not html_text:
        return ""
    cleaned = sanitize(html_text, id_pattern=id_pattern, base_url=post_url)
    return _wrap_tables(_EMPTY_PARAGRAPH.sub("", cleaned).strip())


def _wrap_tables(sanitized_html):
    """Put each table in a region that scrolls sideways and takes focus.

    A wide table must not make a phone's page scroll, and a keyboard user
    must be able to scroll it. This runs on the sanitizer's output, where
    `<table` and `</table>` can only be tags: the sanitizer escapes `<` in
    text and attribute values and drops comments.
    """
    wrapped = _TABLE_START.sub(rf"{_TABLE_WRAP}\n\g<0>", sanitized_html)
    return wrapped.replace("</table>", "</table>\n</div>")


def count_words(body_html):
    """Return how many words a reader sees in `body_html`, code included."""
    return len(_WORD.findall(html.unescape(_TAG.sub(" ", body_html))))


def _serialize(md, root):
    """Return the HTML for `root` as `Markdown.convert` would make it."""
    output = md.serializer(root)
    start, end = output.find(f"<{md.doc_tag}>"), output.rfind(f"</{md.doc_tag}>")
    if start == -1 or end == -1:
        return ""
    output = output[start + len(md.doc_tag) + 2 : end].strip()
    for postprocessor in md.postprocessors:
        output = postprocessor.run(output)
    return output.strip()


class _CodeLanguageExtension(Extension):
    def extendMarkdown(self, md):
        # Before fenced_code (25), which reads the language.
        md.preprocessors.register(_CodeLanguagePreprocessor(md), "inkwell_lang", 26)


class _CodeLanguagePreprocessor(Preprocessor):
    """Rename fence languages by CODE_LANGUAGE_ALIASES (```s is assembly)."""

    def run(self, lines):
        text = "\n".join(lines)
        pieces, position = [], 0
        for match in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(text):
            language = (match.group("lang") or "").lower()
            if language in CODE_LANGUAGE_ALIASES:
                pieces += [text[position : match.start("lang")]]
                pieces += [CODE_LANGUAGE_ALIASES[language]]
                position = match.end("lang")
        pieces.append(text[position:])
        return "".join(pieces).split("\n")


class _CutExtension(Extension):
    """Turn the first `<!--more-->` into an anchor and copy the tree above it.

    After `convert`, `more_text` is the marker's link text and
    `excerpt_root` the tree up to the cut (None when there is no cut).
    Without `cuts` the marker only names the link. With `is_excerpt` the
    document is an excerpt field: links to ids it lacks go to the post page.
    """

    def __init__(self, *, key, post_url, cuts, is_excerpt):
        super().__init__()
        self.key = key
        self.post_url = post_url
        self.cuts = cuts
        self.is_excerpt = is_excerpt
        self.more_text = ""
        self.excerpt_root = None

    def extendMarkdown(self, md):
        # After toc (5) has given headings their ids, and after unescape (0)
        # has turned backslash escapes (`\*`) back into the characters: the
        # excerpt is a copy, which unescape would never see.
        md.treeprocessors.register(_CutTreeprocessor(md, self), "inkwell_cut", -1)


class _CutTreeprocessor(Treeprocessor):
    def __init__(self, md, cut):
        super().__init__(md)
        self.cut = cut

    def run(self, root):
        _add_permalinks(root, self.md.toc_tokens)
        anchor = self.replace_markers(root)
        if self.cut.is_excerpt:
            cut_tree.link_missing_targets(root, self.cut.post_url)
        elif anchor is not None:
            self.cut.excerpt_root = cut_tree.excerpt_tree(root, anchor.get("id"))
            cut_tree.link_missing_targets(self.cut.excerpt_root, self.cut.post_url)

    def replace_markers(self, root):
        """Put the cut anchor where the first marker is, remove the others.

        Return the anchor, or None. An excerpt has no cut of its own, and
        footnotes have none: their markers just vanish. Without `cuts` the
        first marker only sets the link text. Markdown keeps each
        HTML comment it meets in prose in its stash of raw HTML and leaves a
        placeholder in the tree; never in code, so a marker in code stays
        text. A marker inside a raw
        HTML block is stashed with the block: it stays a comment there,
        which the sanitizer removes.
        """
        anchor, seen = None, False
        # A cut in a footnote would end the excerpt inside the footnote list.
        footnotes = cut_tree.footnote_elements(root)
        for owner, attribute in list(cut_tree.text_slots(root)):
            pieces, markers = self.split_at_markers(getattr(owner, attribute))
            if not markers:
                continue
            if seen or self.cut.is_excerpt or owner in footnotes:
                setattr(owner, attribute, "".join(pieces))
                continue
            seen = True
            more_text = markers[0].group("text").strip()
            self.cut.more_text = more_text[:MORE_TEXT_MAX_LENGTH]
            if not self.cut.cuts:
                setattr(owner, attribute, "".join(pieces))
                continue
            anchor = etree.Element("span", id=f"more-{self.cut.key}")
            setattr(owner, attribute, pieces[0])
            anchor.tail = "".join(pieces[1:])
            cut_tree.insert_after_slot(root, owner, attribute, anchor)
        return None if anchor is None else cut_tree.unwrap_lone_anchor(root, anchor)

    def split_at_markers(self, text):
        """Return the pieces of `text` around its markers, and the markers."""
        pieces, markers, start = [], [], 0
        stash = self.md.htmlStash.rawHtmlBlocks
        for match in HTML_PLACEHOLDER_RE.finditer(text or ""):
            index = int(match.group(1))
            marker = index < len(stash) and MORE_MARKER.fullmatch(stash[index].strip())
            if marker:
                pieces.append(text[start : match.start()])
                markers.append(marker)
                start = match.end()
        pieces.append((text or "")[start:])
        return pieces, markers


def _add_permalinks(root, toc_tokens):
    """Give each heading a small link to itself, named for screen readers."""
    names = dict(_heading_names(toc_tokens))
    for heading in [el for el in root.iter() if el.tag in _HEADING_TAGS]:
        heading_id = heading.get("id")
        if not heading_id:
            continue
        link = etree.SubElement(heading, "a")
        link.set("class", "heading-permalink")
        link.set("href", f"#{heading_id}")
        name = html.unescape(names.get(heading_id, ""))
        link.set("aria-label", f"Link to this section: {name}")
        link.text = "#"
        if len(heading) == 1 and heading.text is not None:
            heading.text = heading.text.rstrip() + " "
        elif len(heading) > 1:
            previous = heading[-2]
            previous.tail = (previous.tail or "").rstrip() + " "


def _heading_names(toc_tokens):
    for token in toc_tokens:
        yield token["id"], token["name"]
        yield from _heading_names(token["children"])
