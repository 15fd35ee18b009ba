"""Images in a post's Markdown that say nothing to readers who cannot see them.

Read from the Markdown itself, line by line, in time linear in its length
(a body may be a megabyte of hostile text): a Markdown image with an empty
or blank description (`![](url)`, `![ ][ref]`), and a raw `<img>` with no
`alt` attribute at all. A raw `<img alt="">` is left alone: in HTML an
empty alt is the author's way to mark an image as decoration. Images shown
as code (fenced blocks, `code spans`) and an escaped `\\![](url)` are not
images.
"""

import re
from bisect import bisect_right

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# `![` with nothing but spaces before `]`, then an inline `(` or a reference
# `[`; the address, when inline, is captured for the message.
_EMPTY_MARKDOWN_ALT = re.compile(
    r"(?<!\\)!\[[ \t]*\](?:\([ \t]*(?:<([^<>]*)>|([^)\s]*))|\[)"
)
# One raw tag, up to its end (or the end of the line); the attributes are
# looked at separately so no pattern backtracks over a long line.
_IMG_TAG = re.compile(r"<img\b[^>]*>?", re.IGNORECASE)
_ALT_ATTRIBUTE = re.compile(r"\salt\s*=", re.IGNORECASE)
_SRC_ATTRIBUTE = re.compile(r"""\ssrc\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"(`+)")

# How many addresses the admin's warning names before "and N more".
NAMED_IN_WARNING = 3


def images_without_alt(markdown):
    """Return the address of each image in `markdown` that has no description,
    in order ("" for a reference-style image, whose address is elsewhere).
    """
    found = []
    for line in _prose_lines(markdown):
        for match in _EMPTY_MARKDOWN_ALT.finditer(line):
            found.append(match.group(1) or match.group(2) or "")
        for tag in _IMG_TAG.finditer(line):
            if not _ALT_ATTRIBUTE.search(tag.group()):
                src = _SRC_ATTRIBUTE.search(tag.group())
                found.append(src.group(1) if src else "")
    return found


def missing_alt_warning(*texts):
    """Return the admin's warning about the images in `texts` that have no
    description, or "" when every image has one.
    """
    missing = [address for text in texts for address in images_without_alt(text)]
    if not missing:
        return ""
    named = ", ".join(address for address in missing[:NAMED_IN_WARNING] if address)
    message = ngettext(
        "%(count)d image in this post has no alt text, so readers who cannot "
        "see it get nothing. Describe it between the square brackets: "
        "![A description](…).",
        "%(count)d images in this post have no alt text, so readers who cannot "
        "see them get nothing. Describe each between the square brackets: "
        "![A description](…).",
        len(missing),
    ) % {"count": len(missing)}
    if named:
        message += " " + _("Without alt text: %(addresses)s") % {"addresses": named}
        if len(missing) > NAMED_IN_WARNING:
            message += " " + _("and %(count)d more.") % {
                "count": len(missing) - NAMED_IN_WARNING
            }
    return message


def _prose_lines(markdown):
    """Yield each line of `markdown` outside fenced code, without its code
    spans.
    """
    fence = None
    for line in markdown.splitlines():
        opening = _FENCE.match(line)
        if fence is not None:
            closes = (
                opening
                and opening.group(1)[0] == fence[0]
                and len(opening.group(1)) >= len(fence)
                and not line[opening.end() :].strip()
            )
            if closes:
                fence = None
            continue
        # A backtick fence's info string may hold no backtick.
        info = line[opening.end() :] if opening else ""
        if opening and not (opening.group(1)[0] == "`" and "`" in info):
            fence = opening.group(1)
            continue
        yield _without_code_spans(line)


def _without_code_spans(line):
    """Return `line` with its code spans taken out; a backtick run that no run
    of the same length closes stays as text, as CommonMark reads it.
    """
    parts = _BACKTICKS.split(line)
    # parts alternates text and backtick runs: text, run, text, run, text...
    runs_at = {}
    for index in range(1, len(parts), 2):
        runs_at.setdefault(parts[index], []).append(index)
    kept = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if index % 2 == 0:
            kept.append(part)
            index += 1
            continue
        # The next run of the same length closes the span.
        same = runs_at[part]
        following = bisect_right(same, index)
        if following == len(same):
            kept.append(part)
            index += 1
        else:
            index = same[following] + 1
    return "".join(kept)
