"""The colours of highlighted code, light and dark, and the stylesheet made
from them (static/css/pygments.css).

Pygments' own styles miss two things a technical blog needs: in light mode
(xcode) assembly labels, instructions and registers are all black, and a
diff's added and removed lines have no colour; in dark mode (github-dark)
labels and registers share one blue. These styles start from those two and
give each of those kinds a colour of its own, every one at WCAG AA
contrast (4.5:1) on its block's background, which differs from the page's
so that a block stands out in both schemes. tests/test_code_colours.py
checks the contrast, the distinct colours and that the stylesheet is
current. To write the stylesheet again, from the project folder:

    .venv/bin/python -m blog.code_colours > static/css/pygments.css
"""

from pygments.formatters import HtmlFormatter
from pygments.styles.gh_dark import GhDarkStyle
from pygments.styles.xcode import XcodeStyle
from pygments.token import (
    Comment,
    Generic,
    Keyword,
    Literal,
    Name,
    String,
    Whitespace,
)


class LightCode(XcodeStyle):
    name = "inkwell-light"
    # A shade darker than the page (--bg in site.css), as dark mode's block
    # is a shade darker than its page.
    background_color = "#f1efe7"
    styles = {
        **XcodeStyle.styles,
        Comment: "#3d6b21",
        Comment.Preproc: "#6b3d1c",
        Keyword: "#8e1b8e",
        Name.Attribute: "#735c16",
        Name.Builtin: "#8e1b8e",
        Name.Function: "#1c4fa0",
        Name.Label: "#a1330b",
        Name.Variable: "#0a6461",
        Name.Constant: "#0a6461",
        Literal: "#3b17b5",
        String: "#b01d17",
        Generic.Inserted: "#1b6e20",
        Generic.Deleted: "#b01d17",
        Generic.Subheading: "bold #5b3a9e",
        Generic.Heading: "bold #5b3a9e",
    }


class DarkCode(GhDarkStyle):
    name = "inkwell-dark"
    styles = {
        **GhDarkStyle.styles,
        Name.Label: "#ffa657",
        Name.Function: "#d2a8ff",
        Name.Variable: "#79c0ff",
        Comment: "#939ba5",
        Comment.Special: "#939ba5",
        Comment.Preproc: "#e3b341",
        Comment.PreprocFile: "#a5d6ff",
        # Spaces have no glyph, but a checker reads their colour too.
        Whitespace: "#939ba5",
    }


HEADER = """\
/* Pygments colours for highlighted code: light by default, dark when the
   reader's system asks for it. Written by blog/code_colours.py, not by
   hand: `.venv/bin/python -m blog.code_colours > static/css/pygments.css`.
*/
"""


def stylesheet():
    """Return static/css/pygments.css: the light rules, then the dark ones
    inside a `prefers-color-scheme: dark` query.
    """
    light = _rules(LightCode)
    dark = "\n".join(f"  {rule}" for rule in _rules(DarkCode).splitlines())
    return f"{HEADER}\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


def _rules(style):
    # Only the .codehilite rules: no line numbers are used.
    css = HtmlFormatter(style=style).get_style_defs(".codehilite")
    lines = css.splitlines()
    return "\n".join(line for line in lines if line.startswith(".codehilite"))


if __name__ == "__main__":
    print(stylesheet(), end="")
