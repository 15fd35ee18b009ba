"""Code blocks in Chromium: every kind in one post, at a desktop's and a
phone's width, in both colour schemes. axe checks the contrast of every
highlighted token against the block as drawn; the page never scrolls
sideways, a long line scrolls inside its block, and the keyboard reaches
the block to scroll it.
"""

import pytest

from tests.browser.accessibility import SERIOUS, axe_violations
from tests.code_samples import EVERY_CODE_BLOCK
from tests.factories import PostFactory

pytestmark = pytest.mark.browser

WIDTHS_AND_SCHEMES = [(1280, "light"), (1280, "dark"), (375, "light"), (375, "dark")]


def test_every_kind_of_code_block_reads_well_on_every_screen(
    transactional_db, live_server, page
):
    post = PostFactory(title="Every code block", body=EVERY_CODE_BLOCK)
    problems = {}
    # Loaded once, redrawn at each width and scheme (accessibility.py).
    page.goto(live_server.url + post.get_absolute_url())

    for width, scheme in WIDTHS_AND_SCHEMES:
        page.set_viewport_size({"width": width, "height": 800})
        page.emulate_media(color_scheme=scheme)
        where = f"{width}px {scheme}"

        violations = [
            f"{v['id']}: {[node['target'] for node in v['nodes']][:3]}"
            for v in axe_violations(page)
            if v["impact"] in SERIOUS
        ]
        if violations:
            problems[where] = violations
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, where
        # The long line is one line, scrolled inside its block.
        long_block = page.locator("pre", has_text="value_59")
        assert long_block.evaluate("pre => pre.scrollWidth > pre.clientWidth"), where
        assert long_block.evaluate("pre => getComputedStyle(pre).whiteSpace") == "pre"

    assert problems == {}
    labels = page.locator(".code-language").all_inner_texts()
    assert labels == ["GAS", "NASM", "C", "Bash", "Diff", "Python", "klingon"]


def test_the_keyboard_reaches_a_code_block_and_scrolls_it(
    transactional_db, live_server, page
):
    post = PostFactory(title="Every code block", body=EVERY_CODE_BLOCK)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + post.get_absolute_url())
    long_block = page.locator("pre", has_text="value_59")

    long_block.focus()
    focused = page.evaluate("document.activeElement.textContent.includes('value_59')")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")

    assert focused
    assert long_block.evaluate("pre => pre.scrollLeft") > 0
    # And it is in the Tab order: no tabindex below zero.
    assert long_block.get_attribute("tabindex") == "0"
