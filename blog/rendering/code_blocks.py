"""Code blocks scroll sideways, and the keyboard can reach them to do so.

A long line of code must neither wrap mid-word (it would read as two
lines) nor widen a phone's page: the block scrolls (site.css). To scroll
it, a keyboard user must be able to focus it: each `pre`, raw HTML ones
too, gets `tabindex="0"`. Runs after the sanitizer, which refuses
`tabindex` from an author.
"""

_FOCUSABLE = {(None, "tabindex"): "0"}


def focusable_blocks(tokens):
    """Yield sanitized HTML tokens with each `pre` focusable."""
    for token in tokens:
        if token.get("name") == "pre" and token["type"] == "StartTag":
            token = {**token, "data": {**token.get("data", {}), **_FOCUSABLE}}
        yield token
