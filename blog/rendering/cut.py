"""The cut: `<!--more-->` ends the excerpt, `<!--more Keep reading-->` names
the link that continues it.

Works on markdown-it's token stream, where the marker is an `html_block` (on
a line of its own) or an `html_inline` token (in a paragraph, a list item, a
heading), never inside code, which has no HTML tokens. The first marker
outside footnotes becomes an empty anchor (`<span id="more-12">`) in the
body; the excerpt is the stream up to it with every element it leaves open
closed, so it is well-formed however deep the cut falls. Later markers, and
markers in footnotes, are removed; a marker inside a larger raw HTML block
stays a comment there, which the sanitizer removes.
"""

import copy
import re
from dataclasses import dataclass

from markdown_it.token import Token

from blog.rendering import ids

# `<!--more-->`, `<!-- more -->` or `<!--more Keep reading-->`.
MORE_MARKER = re.compile(r"<!--\s*more\b(?P<text>[^\n]*?)-->", re.IGNORECASE)
CONTINUE_TEXT_MAX_LENGTH = 100  # Post.marker_continue_text's max_length


@dataclass(frozen=True)
class Cut:
    body: list  # the block tokens with the anchor in place of the marker
    excerpt: list | None  # the block tokens above the cut, or None
    continue_text: str  # the first marker's link text, or ""


def cut(tokens, *, key, cuts=True):
    """Return the body and excerpt token streams of a document, and its
    marker's link text.

    Without `cuts` (an excerpt field, or a body whose post has one) the
    first marker only names the link and is removed like the others.
    """
    first, others, footnote_depth = None, [], 0
    for index, token in enumerate(tokens):
        footnote_depth += _FOOTNOTE_DEPTH.get(token.type, 0)
        for position, marker in _markers(token):
            # A cut in a footnote would end the excerpt inside the note list.
            if first is None and not footnote_depth:
                first = (index, position, marker)
            else:
                others.append((index, position))
    if first is None:
        return Cut(body=_remove(tokens, others), excerpt=None, continue_text="")
    index, position, marker = first
    continue_text = marker.group("text").strip()[:CONTINUE_TEXT_MAX_LENGTH]
    if not cuts:
        body = _remove(tokens, [*others, (index, position)])
        return Cut(body=body, excerpt=None, continue_text=continue_text)
    excerpt = _excerpt(tokens, index, position)
    if position is None:
        tokens[index] = ids.cut_anchor(key, "html_block")
    else:
        tokens[index].children[position] = ids.cut_anchor(key, "html_inline")
    return Cut(
        body=_remove(tokens, others), excerpt=excerpt, continue_text=continue_text
    )


_FOOTNOTE_DEPTH = {"footnote_block_open": 1, "footnote_block_close": -1}


def _markers(token):
    """Yield (child index or None, match) for each marker `token` is or holds."""
    if token.type == "html_block":
        marker = MORE_MARKER.fullmatch(token.content.strip())
        if marker:
            yield None, marker
    elif token.type == "inline":
        for position, child in enumerate(token.children or ()):
            marker = child.type == "html_inline" and MORE_MARKER.fullmatch(
                child.content
            )
            if marker:
                yield position, marker


def _remove(tokens, places):
    """Return `tokens` without the markers at `places` (index, child index)."""
    dropped = set()
    for index, position in sorted(places, reverse=True, key=_sort_key):
        if position is None:
            dropped.add(index)
        else:
            del tokens[index].children[position]
    return [token for index, token in enumerate(tokens) if index not in dropped]


def _sort_key(place):
    index, position = place
    return index, -1 if position is None else position


def _excerpt(tokens, index, position):
    """Return the tokens before the marker at (index, position), every
    element they open closed, and none the cut left empty.
    """
    excerpt = list(tokens[:index])
    if position is not None:
        inline = tokens[index]
        children = _close_all(list(inline.children[:position]), trim=True)
        if children:
            cut_inline = Token("inline", "", 0)
            cut_inline.children = children
            excerpt.append(cut_inline)
    return _close_all(excerpt)


def _close_all(tokens, trim=False):
    # Whitespace before the cut ("two <!--more-->") is not part of the text.
    if trim:
        _trim_end(tokens)
    open_tokens = []
    for token in tokens:
        if token.nesting == 1:
            open_tokens.append(token)
        elif token.nesting == -1 and open_tokens:
            open_tokens.pop()
    for opened in reversed(open_tokens):
        if tokens and tokens[-1] is opened:
            tokens.pop()  # the cut left it empty
        else:
            closing = Token(opened.type.replace("_open", "_close"), opened.tag, -1)
            closing.markup, closing.hidden = opened.markup, opened.hidden
            closing.block = opened.block
            tokens.append(closing)
        if trim:
            _trim_end(tokens)
    return tokens


def _trim_end(children):
    while children and children[-1].type in ("softbreak", "hardbreak", "text"):
        # A copy: the body shares these tokens with the excerpt.
        last = children[-1] = copy.copy(children[-1])
        if last.type == "text":
            last.content = last.content.rstrip()
            if last.content:
                return
        children.pop()
