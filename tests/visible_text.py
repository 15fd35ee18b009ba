"""What a reader sees of a post, as text: for comparing an imported post
with the WordPress page it came from.

Both sides are folded the same way where Inkwell and WordPress differ in
ways no reader takes for different text: typography (each makes its own
curly quotes and dashes), the arrows of footnote back-links, Inkwell's `#`
heading links, code blocks' language labels and the notes' heading, and
whitespace.
"""

import re

from bs4 import BeautifulSoup

from blog.importers.wpautop import wpautop

_TYPOGRAPHY = str.maketrans({
    "‘": "'", "’": "'", "“": '"', "”": '"', "–": "--", "—": "---",
    "…": "...", "\xa0": " ", "↩": "", "\ufe0e": "", "\ufe0f": "",
})  # fmt: skip
_SHORTCODE_TAG = re.compile(r"\[/?[a-z_][\w-]*(?:\s[^\]]*)?\]")
_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)


def visible_text(html_text):
    """Return the text a reader sees in `html_text`, whitespace folded."""
    soup = BeautifulSoup(html_text, "html.parser")
    labels = ".code-language, .footnote-heading"
    for link in soup.select(f"a.heading-permalink, a.footnote-backref, {labels}"):
        link.decompose()
    # An embedded player shows no text; where it cannot load, WordPress
    # (and the import) shows its address.
    for player in soup.find_all(["iframe", "audio", "video"]):
        source = player.find("source", src=True) or player
        player.replace_with(f" {source.get('src', '')} ")
    # Browsers show a quotation in quotation marks.
    for quotation in soup.find_all("q"):
        quotation.replace_with(f'"{quotation.get_text()}"')
    # Highlighted code is a run of spans: its text is joined as it stands.
    for code in soup.find_all("pre"):
        for line_break in code.find_all("br"):
            line_break.replace_with("\n")
        code.replace_with(f" {code.get_text()} ")
    text = soup.get_text(" ").translate(_TYPOGRAPHY)
    text = re.sub(r"(?<=\w) (?=[.,;:!?)])|(?<=\() ", "", " ".join(text.split()))
    return text


def wordpress_html(content, footnotes=()):
    """Return post HTML as WordPress shows it on the post's own page.

    Classic posts get their paragraphs (wpautop). Shortcodes show what
    their plugins show: their content (a caption's text, the code), or
    nothing (a gallery's images have no text). Core footnotes are listed
    where the footnotes block is.
    """
    if "<!-- wp:" not in content:
        content = wpautop(content)
    notes = "".join(f"<li>{note['content']} ↩︎</li>" for note in footnotes)
    content = content.replace("<!-- wp:footnotes /-->", f"<ol>{notes}</ol>")
    content = re.sub(r"<!--.*?-->", "", content, flags=re.DOTALL)
    content = re.sub(r"\[caption[^\]]*caption=\"([^\"]*)\"[^\]]*\]", r"\1 ", content)
    return _SHORTCODE_TAG.sub(" ", content)
