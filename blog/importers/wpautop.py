"""A port of WordPress's `wpautop`: paragraphs from blank lines.

The classic editor stores text without `<p>`: WordPress makes paragraphs
from blank lines, and `<br />` from single line breaks, each time it shows
the post. Block-editor posts carry their own `<p>` and skip this.

Ported from wp-includes/formatting.php (WordPress 6.x), keeping what shapes
paragraphs; left out are its special cases for `<option>`, `<object>`,
`<source>` and `<track>`, which do not reach Inkwell's sanitized HTML.
"""

import re

# Block-level elements: wpautop never wraps these in a paragraph.
ALL_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|"
    r"ul|ol|li|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|"
    r"fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|"
    r"figcaption|details|menu|summary)"
)
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>")
_BLOCK_OPEN = re.compile(rf"(<{ALL_BLOCKS}[\s/>])")
_BLOCK_CLOSE = re.compile(rf"(</{ALL_BLOCKS}>)")
_HR = re.compile(r"(<hr\s*?/?>)")
_TAG = re.compile(r"<[^>]*>")
_NEWLINE_KEEPERS = re.compile(r"<(script|style|svg|math)\b.*?</\1>", re.DOTALL)
_NEWLINE_PLACEHOLDER = " <!-- wpnl --> "
_KEPT_NEWLINE = "<WPPreserveNewline />"


def wpautop(text, br=True):
    """Return `text` with paragraphs (and `<br />`) as WordPress makes them."""
    if not text.strip():
        return ""
    text, pre_blocks = hide_pre(text + "\n")
    text = _DOUBLE_BR.sub("\n\n", text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = _HR.sub(r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A line break inside a tag (between attributes) is not a paragraph.
    text = _TAG.sub(lambda tag: tag.group(0).replace("\n", _NEWLINE_PLACEHOLDER), text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    text = _unwrap_blocks(text)
    if br:
        text = _NEWLINE_KEEPERS.sub(
            lambda m: m.group(0).replace("\n", _KEPT_NEWLINE), text
        )
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
        text = text.replace(_KEPT_NEWLINE, "\n")
    text = re.sub(rf"(</?{ALL_BLOCKS}[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(
        r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text
    )
    text = re.sub(r"\n</p>$", "</p>", text)
    for placeholder, block in pre_blocks.items():
        text = text.replace(placeholder, block)
    return text.replace(_NEWLINE_PLACEHOLDER, "\n").replace("<!-- wpnl -->", "\n")


def hide_pre(text, marker="wp-pre-tag"):
    """Return `text` with a placeholder for each `<pre>` block, and
    {placeholder: block}, so that nothing rewrites code.
    """
    blocks = {}

    def hide(match):
        placeholder = f"<pre {marker}-{len(blocks)}></pre>"
        blocks[placeholder] = match.group(0)
        return placeholder

    return _PRE.sub(hide, text), blocks


def _unwrap_blocks(text):
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?{ALL_BLOCKS}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?{ALL_BLOCKS}[^>]*>)", r"\1", text)
    return re.sub(rf"(</?{ALL_BLOCKS}[^>]*>)\s*</p>", r"\1", text)
