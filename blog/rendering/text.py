"""What a post says in plain text: its word count, its description and
its whole text for the search index.

Both read the sanitized token stream, so they count what a reader sees
(code included) and nothing the sanitizer removed.
"""

import html
import re

DESCRIPTION_WORDS = 40

_WORD = re.compile(r"\w+(?:['’]\w+)*")
# Labels the pipeline writes: a code block's language, the footnotes' heading.
_LABELS = frozenset({"code-language", "footnote-heading"})
_TEXT_TOKENS = frozenset({"Characters", "SpaceCharacters"})
# Elements that break a line: their edges separate words in a description;
# inline ones (`<em>words</em>.`) do not.
_BLOCK_TAGS = frozenset({
    "blockquote", "br", "dd", "details", "div", "dl", "dt", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "summary", "table", "td",
    "th", "tr", "ul",
})  # fmt: skip


def _text(token):
    # A tag separates words, as a browser's layout usually does.
    if token["type"] in _TEXT_TOKENS:
        return token["data"]
    if token["type"] == "Entity":
        return html.unescape(f"&{token['name']};")
    return " "


def count_words(tokens):
    """Return how many words a reader sees in the sanitized `tokens`, less
    the labels the pipeline wrote.
    """
    return len(_WORD.findall("".join(map(_text, _without_labels(tokens)))))


def _without_labels(tokens):
    skip_depth = 0
    for token in tokens:
        if skip_depth:
            skip_depth += {"StartTag": 1, "EndTag": -1}.get(token["type"], 0)
        elif token["type"] == "StartTag" and _LABELS.intersection(_classes(token)):
            skip_depth = 1
        else:
            yield token


def description(tokens):
    """Return the opening of the sanitized `tokens` as one line of plain
    text, at most DESCRIPTION_WORDS words, for meta and OpenGraph tags.

    Footnote references, the footnote list and the `#` links of headings
    are not part of it.
    """
    pieces, skip_depth, words_so_far = [], 0, 0
    for token in tokens:
        if words_so_far > DESCRIPTION_WORDS:
            break  # enough: a long post need not be read to its end
        kind, classes = token["type"], _classes(token)
        if kind == "StartTag" and "footnote" in classes:
            break  # the footnote list ends the text
        if skip_depth:
            skip_depth += {"StartTag": 1, "EndTag": -1}.get(kind, 0)
            continue
        if kind == "StartTag" and _is_apparatus(token, classes):
            skip_depth = 1
            continue
        if kind in _TEXT_TOKENS or kind == "Entity" or token["name"] in _BLOCK_TAGS:
            pieces.append(_text(token))
            words_so_far += len(pieces[-1].split())
    words = "".join(pieces).split()
    text = " ".join(words[:DESCRIPTION_WORDS])
    return text + "…" if len(words) > DESCRIPTION_WORDS else text


def plain_text(tokens):
    """Return everything a reader reads in the sanitized `tokens` as one
    line of plain text (footnotes included), for the search index.

    Heading permalinks and footnote reference numbers are left out: they
    are apparatus, not words the author wrote.
    """
    pieces, skip_depth = [], 0
    for token in tokens:
        kind = token["type"]
        if skip_depth:
            skip_depth += {"StartTag": 1, "EndTag": -1}.get(kind, 0)
            continue
        if kind == "StartTag" and _is_apparatus(token, _classes(token)):
            skip_depth = 1
            continue
        if kind in _TEXT_TOKENS or kind == "Entity" or token["name"] in _BLOCK_TAGS:
            pieces.append(_text(token))
    return " ".join("".join(pieces).split())


def _classes(token):
    if token["type"] not in ("StartTag", "EmptyTag"):
        return ()
    return token["data"].get((None, "class"), "").split()


def _is_apparatus(token, classes):
    # A footnote reference is the pipeline's <sup id="fnref-...">.
    if token["name"] == "sup":
        return token["data"].get((None, "id"), "").startswith("fnref")
    return (
        "heading-permalink" in classes
        or "footnote-backref" in classes
        or bool(_LABELS.intersection(classes))
    )
