"""Highlighted code reads well in both colour schemes: every Pygments colour
at WCAG AA contrast on its block, distinct colours for the kinds of token
the README names, a block that stands out from the page, and a stylesheet
that is what blog/code_colours.py makes. Pure: no database, no browser.
"""

import re
from pathlib import Path

import pytest
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES, Text, Whitespace

from blog.code_colours import DarkCode, LightCode, stylesheet
from tests.code_samples import SAMPLES

STATIC = Path(__file__).resolve().parent.parent / "static" / "css"
AA = 4.5
STYLES = [pytest.param(LightCode, id="light"), pytest.param(DarkCode, id="dark")]


def luminance(colour):
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(digit * 2 for digit in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def site_colours(scheme):
    """Return the custom properties of site.css for `scheme`."""
    css = (STATIC / "site.css").read_text()
    dark_start = css.index("@media (prefers-color-scheme: dark)")
    block = css[:dark_start] if scheme == "light" else css[dark_start:]
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", block))


def colour_of(style, token_type):
    """Return the colour `style` gives `token_type` (its own or inherited),
    or None when it is the page's text colour.
    """
    colour = style.style_for_token(token_type)["color"]
    return f"#{colour}".lower() if colour else None


def test_the_stylesheet_is_what_code_colours_makes():
    assert (STATIC / "pygments.css").read_text() == stylesheet()


@pytest.mark.parametrize("style", STYLES)
def test_every_colour_is_at_aa_contrast_on_its_block(style):
    background = style.background_color
    scheme = "dark" if style is DarkCode else "light"
    colours = {
        name: f"#{style.style_for_token(token_type)['color']}"
        for token_type, name in STANDARD_TYPES.items()
        if style.style_for_token(token_type)["color"]
    }
    # Text Pygments leaves uncoloured, and the language label, take the
    # page's text and muted colours.
    colours["text"] = site_colours(scheme)["fg"]
    colours["label"] = site_colours(scheme)["muted"]

    low = {
        name: round(contrast(colour, background), 2)
        for name, colour in colours.items()
        if contrast(colour, background) < AA
    }

    assert low == {}


# The kinds of token that must look different from each other, by language.
DISTINCT_KINDS = {
    "gas": {"label": "nl", "instruction": "nf", "register": "nv", "comment": "c1"},
    "nasm": {"label": "nl", "instruction": "nf", "register": "nb", "comment": "c1"},
    "c": {
        "preprocessor": "cp",
        "comment": "cm",
        "type": "kt",
        "function": "nf",
        "string": "s",
    },
    "sh": {"builtin": "nb", "variable": "nv", "string": "s2", "comment": "c1"},
    "diff": {"added": "gi", "removed": "gd", "hunk": "gu"},
}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("language", sorted(DISTINCT_KINDS))
def test_each_kind_of_token_has_a_colour_of_its_own(style, language):
    # The sample really has each kind: the lexer makes those token types.
    made = {
        STANDARD_TYPES.get(token_type)
        for token_type, _text in get_lexer_by_name(language).get_tokens(
            SAMPLES[language]
        )
        if token_type not in (Text, Whitespace)
    }
    kinds = DISTINCT_KINDS[language]
    assert set(kinds.values()) <= made
    types = {name: token_type for token_type, name in STANDARD_TYPES.items()}

    colours = {kind: colour_of(style, types[name]) for kind, name in kinds.items()}

    assert None not in colours.values(), colours
    assert len(set(colours.values())) == len(colours), colours


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_block_stands_out_from_the_page_in_both_schemes(scheme):
    page = site_colours(scheme)["bg"]
    block = {"light": LightCode, "dark": DarkCode}[scheme].background_color
    dark_mode_difference = contrast(
        site_colours("dark")["bg"], DarkCode.background_color
    )

    # A block is set off from the page at least as clearly as in dark mode
    # (which readers found clear), and by the border in site.css.
    assert contrast(page, block) >= dark_mode_difference * 0.95
    assert re.search(
        r"\.codehilite \{[^}]*border: 1px solid", (STATIC / "site.css").read_text()
    )
