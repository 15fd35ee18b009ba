"""Which parts of a document need the HTML5 parser.

Only an author's raw HTML does: markdown-it escapes all it writes, so its
own output is read by sanitizer.trusted_tokens, and parsing with html5lib
was most of a render's time. A document is cut into runs of top-level
blocks: a block with raw HTML, and the blocks after it until the elements
its raw HTML opened are closed again, go to bleach together, so each run is
whole HTML for the parser; the other blocks are read as markdown-it's own.
Text past a work budget (budget.py) is never in a run with raw HTML: the
elements left open before it are closed there.
"""

from blog.rendering import budget, ids
from blog.rendering.sanitizer import TAG, VOID_ELEMENTS


def runs(tokens):
    """Yield (has_raw_html, tokens) for consecutive runs of top-level blocks."""
    run, run_is_raw, open_elements = [], False, 0
    for block in _top_level_blocks(tokens):
        if any(token.type == budget.PLAIN_BLOCK for token in block):
            open_elements = 0  # plain text ends the elements left open
        raw_html = list(_raw_html(block))
        is_raw = bool(raw_html) or open_elements > 0
        if run and is_raw != run_is_raw:
            yield run_is_raw, run
            run = []
        run.extend(block)
        run_is_raw = is_raw
        open_elements = max(0, open_elements + sum(map(_opened, raw_html)))
    if run:
        yield run_is_raw, run


def _top_level_blocks(tokens):
    start, depth = 0, 0
    for index, token in enumerate(tokens):
        depth += token.nesting
        if depth == 0:
            yield tokens[start : index + 1]
            start = index + 1
    if start < len(tokens):
        yield tokens[start:]


def _raw_html(block):
    """Yield the author's raw HTML in `block` (not the pipeline's own)."""
    for token in block:
        if token.type == "html_block" and not token.meta.get(ids.OWN_HTML):
            yield token.content
        elif token.type == "inline":
            for child in token.children or ():
                if child.type == "html_inline" and not child.meta.get(ids.OWN_HTML):
                    yield child.content


def _opened(raw_html):
    """Return how many elements `raw_html` opens and leaves open (or closes,
    when negative).
    """
    count = 0
    for closing, name, self_closing in TAG.findall(raw_html):
        if name.lower() in VOID_ELEMENTS or self_closing:
            continue
        count += -1 if closing else 1
    return count
