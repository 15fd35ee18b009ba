"""Tables: column alignment by class, and a region that scrolls sideways.

HTML5 has no align attribute (the Nu checker calls it obsolete) and no
inline style survives the sanitizer: a class that site.css knows aligns a
column. A wide table must not make a phone's page scroll, and a keyboard
user must be able to scroll it: each table, raw HTML ones too, goes in a
focusable labelled region.
"""

_ALIGNMENTS = {
    f"text-align:{side}": f"align-{side}" for side in ("left", "right", "center")
}
_WRAP_ATTRIBUTES = {
    (None, "class"): "table-wrap",
    (None, "role"): "region",
    (None, "tabindex"): "0",
    (None, "aria-label"): "Table",
}
_NEWLINE = {"type": "SpaceCharacters", "data": "\n"}


def align_by_class(tokens):
    """Turn markdown-it's `style="text-align:..."` on cells into a class."""
    for token in tokens:
        if token.type in ("th_open", "td_open"):
            side = _ALIGNMENTS.get(token.attrs.pop("style", ""))
            if side:
                token.attrSet("class", side)


def wrap_tables(tokens):
    """Yield sanitized HTML tokens with each table inside its region.

    Runs after the sanitizer, which would refuse the region's attributes
    from an author.
    """
    for token in tokens:
        name, kind = token.get("name"), token["type"]
        if name == "table" and kind == "StartTag":
            yield {"type": "StartTag", "name": "div", "namespace": None,
                   "data": dict(_WRAP_ATTRIBUTES)}  # fmt: skip
            yield _NEWLINE
            yield token
        elif name == "table" and kind == "EndTag":
            yield token
            yield _NEWLINE
            yield {"type": "EndTag", "name": "div", "namespace": None}
        else:
            yield token
