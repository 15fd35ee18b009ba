"""WordPress shortcodes (`[caption]`, `[gallery]`, `[code]`...) as plain HTML.

WordPress expands shortcodes when it shows a post; an export holds them as
typed. Each known shortcode becomes the HTML a reader saw, which the
Markdown converter then reads like any other HTML: code becomes a `<pre>`
with its language, a caption a figure, a gallery its images, an embed or a
media file a plain link. An unknown shortcode that encloses text leaves the
text; one with attributes and no text goes. A bracketed word with neither
(`[sic]`) is prose, and stays, as it does in WordPress.
"""

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# WordPress's get_shortcode_regex() for any name: `[name attrs]`,
# `[name attrs /]` or `[name attrs]content[/name]`; `[[name]]` is escaped.
SHORTCODE = re.compile(
    r"\[(?P<open>\[?)(?P<name>[\w-]+)(?![\w-])"
    r"(?P<attrs>[^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(?P<closed>/)\]|\](?:(?P<content>[^\[]*(?:\[(?!/(?P=name)\])[^\[]*)*)"
    r"\[/(?P=name)\])?)(?P<close>\]?)",
    re.DOTALL,
)

# WordPress's shortcode_parse_atts(): name="v", name='v', name=v, "v", v.
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)"""
    r"""|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)

# SyntaxHighlighter Evolved and its kin: `[code]`, `[sourcecode]`, and one
# shortcode per language (`[c]`, `[python]`), each with a closing tag.
CODE_SHORTCODES = frozenset({"code", "sourcecode", "source"})
LANGUAGE_SHORTCODES = frozenset({
    "as3", "actionscript3", "bash", "c", "cpp", "csharp", "c-sharp", "css",
    "delphi", "diff", "erlang", "go", "groovy", "haskell", "html", "java",
    "javascript", "js", "jscript", "latex", "lua", "matlab", "objc", "pascal",
    "patch", "perl", "php", "plain", "powershell", "ps", "py", "python", "r",
    "ruby", "rust", "sass", "scala", "scss", "shell", "sql", "swift", "text",
    "ts", "typescript", "vb", "xml", "yaml",
})  # fmt: skip

# SyntaxHighlighter's brush names that Pygments spells otherwise.
LANGUAGE_NAMES = {
    "as3": "actionscript3",
    "c-sharp": "csharp",
    "jscript": "javascript",
    "pas": "pascal",
    "patch": "diff",
    "pl": "perl",
    "plain": "text",
    "ps": "powershell",
    "shell": "sh",
    "vb": "vbnet",
}

# Plugins that write a footnote in place: `text[footnote]The note.[/footnote]`.
FOOTNOTE_SHORTCODES = frozenset({"footnote", "ref", "efn_note", "fn"})
MEDIA_SHORTCODES = frozenset({"audio", "video"})
MEDIA_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "mp3", "m4a", "ogg", "wav")


@dataclass(frozen=True)
class AttachedImage:
    """An image a gallery shows: its address and alternative text."""

    url: str
    alt: str = ""


@dataclass(frozen=True)
class ShortcodeContext:
    """What expanding a post's shortcodes needs to know.

    `attachments` maps WordPress attachment ids to images (for
    `[gallery ids="..."]`); `gallery` is what a bare `[gallery]` shows: the
    images attached to the post. `add_footnote(html)` takes an in-place
    footnote's text and returns the marker that stands for it.
    """

    attachments: Mapping = field(default_factory=dict)
    gallery: tuple = ()
    add_footnote: Callable | None = None


def parse_attributes(text):
    """Return a shortcode's attributes: {name: value} and positional ones."""
    named, positional = {}, []
    for match in _ATTRIBUTE.finditer(text.replace("\xa0", " ")):
        if match.group(1):
            named[match.group(1).lower()] = match.group(2)
        elif match.group(3):
            named[match.group(3).lower()] = match.group(4)
        elif match.group(5):
            named[match.group(5).lower()] = match.group(6)
        else:
            value = match.group(7) or match.group(8) or match.group(9) or ""
            positional.append(value)
    return named, positional


def expand_code(text):
    """Return `text` with code shortcodes made `<pre>` blocks.

    This runs first, so that nothing else reads inside code.
    """

    def replace(match):
        name = match.group("name").lower()
        is_code = name in CODE_SHORTCODES or name in LANGUAGE_SHORTCODES
        if match.group("open") or not is_code or match.group("content") is None:
            return match.group(0)
        named, positional = parse_attributes(match.group("attrs"))
        language = named.get("language") or named.get("lang") or ""
        if not language and name in LANGUAGE_SHORTCODES:
            language = name
        if not language and positional and name in CODE_SHORTCODES:
            language = positional[0]
        return code_block(_code_text(match.group("content")), language)

    return SHORTCODE.sub(replace, text)


def code_block(code, language):
    language = normalize_language(language)
    attribute = f' data-language="{html.escape(language)}"' if language else ""
    return f"<pre{attribute}>{html.escape(code, quote=False)}</pre>"


def normalize_language(language):
    language = (language or "").strip().lower()
    return LANGUAGE_NAMES.get(language, language)


def _code_text(content):
    # The visual editor stores code HTML-escaped, the text editor as typed:
    # text with entities and no tag was escaped.
    if "<" not in content and re.search(r"&(?:#\d+|#x[0-9a-f]+|\w+);", content):
        content = html.unescape(content)
    return re.sub(r"^\r?\n|\r?\n$", "", content)


def expand(text, context):
    """Return `text` with every other shortcode expanded as WordPress shows it."""

    def replace(match):
        if match.group("open") and match.group("close"):
            return match.group(0)[1:-1]  # [[gallery]] is the text [gallery]
        name = match.group("name").lower()
        named, positional = parse_attributes(match.group("attrs"))
        content = match.group("content")
        handler = _HANDLERS.get(name)
        if handler is not None:
            return handler(named, content, context)
        if content is not None:
            return expand(content, context)
        if named or positional or match.group("closed"):
            return ""
        return match.group(0)

    return SHORTCODE.sub(replace, text)


def _caption(named, content, context):
    content = expand(content or "", context)
    # Before WordPress 3.4 the caption was an attribute; since, it is the
    # text after the image.
    image = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)", content)
    if image:
        caption = named.get("caption") or content[image.end() :]
        image = image.group(1)
    else:
        image, caption = "", named.get("caption") or content
    caption = caption.strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{image}{figcaption}</figure>\n\n"


def _gallery(named, content, context):
    ids = named.get("ids") or named.get("include") or ""
    if ids:
        wanted = [int(i) for i in re.findall(r"\d+", ids)]
        images = [context.attachments[i] for i in wanted if i in context.attachments]
    else:
        images = list(context.gallery)
    return "".join(
        f'\n\n<p><img src="{html.escape(image.url)}" '
        f'alt="{html.escape(image.alt)}"></p>\n\n'
        for image in images
    )


def _embed(named, content, context):
    url = (content or named.get("src") or "").strip()
    return link_paragraph(url) if url else ""


def _media(named, content, context):
    url = next((named[key] for key in MEDIA_SOURCES if named.get(key)), "")
    return link_paragraph(url) if url else ""


def _footnote(named, content, context):
    if content is None or context.add_footnote is None:
        return ""
    return context.add_footnote(expand(content, context).strip())


def link_paragraph(url):
    """Return a paragraph holding one link whose text is its address."""
    url = html.escape(html.unescape(url))
    return f'\n\n<p><a href="{url}">{url}</a></p>\n\n'


_HANDLERS = {
    "caption": _caption,
    "wp_caption": _caption,
    "gallery": _gallery,
    "embed": _embed,
    "playlist": lambda named, content, context: "",
    **{name: _media for name in MEDIA_SHORTCODES},
    **{name: _footnote for name in FOOTNOTE_SHORTCODES},
}
