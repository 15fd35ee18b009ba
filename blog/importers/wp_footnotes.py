"""Footnotes of a WordPress post, as Markdown footnotes `[^1]`.

WordPress 6.3+ core footnotes (`<sup data-fn="ID">` in the text, the notes
as JSON in the `footnotes` post meta), classic footnote lists (a `<sup>`
link to an item of an `<ol>` at the end) and in-place footnote shortcodes
all become numbered markers in the tree, and their notes are converted with
the text in one pass, behind tokens that `definitions` cuts out again.
"""

import re

from bs4 import BeautifulSoup

_FOOTNOTE_TOKEN = re.compile(r"InkwellFootnote(\d+)Ref")
_NOTE_TOKEN = "InkwellNote{}Start"
_NOTE_START = re.compile(r"InkwellNote\d+Start")


class Footnotes:
    """Footnotes in the order readers meet them, numbered from 1."""

    def __init__(self):
        self.texts = []  # each note's HTML
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


def core_footnotes(tags, footnotes, notes):
    """WordPress 6.3+: `<sup data-fn="ID">` in the text, notes in post meta."""
    by_id = {note["id"]: str(note.get("content", "")) for note in footnotes or ()}
    for sup in tags["sup"]:
        key = sup.get("data-fn")
        if key is None:
            continue
        if key in by_id:
            sup.replace_with(notes.marker(notes.add(by_id[key], key=key)))
        else:
            sup.attrs = {}
    # The footnotes block is rendered by WordPress from the meta; an export
    # may also hold a rendered copy.
    for block in tags["ol"] + tags["div"]:
        if "wp-block-footnotes" in (block.get("class") or []):
            block.decompose()


def classic_footnotes(tags, notes):
    """A list of notes whose items are targets of links in the text.

    Plugins and Markdown-to-HTML tools write footnotes as `<sup><a
    href="#fn1">1</a></sup>` and, at the end, `<ol><li id="fn1">...`,
    with a back-link in each item.
    """
    anchor_links = [a for a in tags["a"] if a.get("href", "").startswith("#")]
    for ordered_list in tags["ol"]:
        if ordered_list.decomposed:
            continue
        items = {li["id"]: li for li in ordered_list.find_all("li", id=True)}
        references = [
            link
            for link in anchor_links
            if link["href"][1:] in items
            and not link.decomposed
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


def append_notes(soup, notes):
    """Put the notes after the text, each behind a token, to be converted
    with it in one pass; `_finish` cuts them out again.
    """
    if notes.texts:
        tail = "".join(
            f"<p>{_NOTE_TOKEN.format(number)}</p><div>{note}</div>"
            for number, note in enumerate(notes.texts, start=1)
        )
        soup.append(BeautifulSoup(tail, "html.parser"))


def _note_html(item, back_targets):
    for link in item.find_all("a", href=True):
        target = link["href"].lstrip("#")
        if link["href"].startswith("#") and (
            target in back_targets or target.startswith(("fnref", "ref"))
        ):
            link.decompose()
    return item.decode_contents()


def definitions(markdown):
    """Return the Markdown without its notes, and the notes as definitions."""
    markdown = _FOOTNOTE_TOKEN.sub(r"[^\1]", markdown)
    markdown, *note_texts = _NOTE_START.split(markdown)
    return markdown, [
        _footnote_definition(number, note.strip())
        for number, note in enumerate(note_texts, start=1)
    ]


def _footnote_definition(number, body):
    lines = body.split("\n")
    rest = [f"    {line}" if line.strip() else "" for line in lines[1:]]
    return "\n".join([f"[^{number}]: {lines[0]}", *rest])
