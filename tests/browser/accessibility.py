"""axe (axe-core, through axe-playwright-python) on the page as drawn now.

axe goes into a document once: a test that checks one page at several
widths or colour schemes changes them in place (the reader's pages have no
script of their own; their media queries follow at once) and runs axe
again, instead of reloading the page and parsing axe's half a megabyte of
script each time.
"""

from axe_playwright_python.base import AXE_SCRIPT

SERIOUS = {"serious", "critical"}


def axe_violations(page):
    """Return axe's violations on `page` as it is drawn now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("() => axe.run({resultTypes: ['violations']})")
    return results["violations"]


def described(violations, *, impacts=None):
    """Return one line per violation (of `impacts` only, if given): its rule,
    impact, help and first three targets.
    """
    return [
        f"{v['id']} ({v['impact']}): {v['help']} "
        f"{[node['target'] for node in v['nodes']][:3]}"
        for v in violations
        if impacts is None or v["impact"] in impacts
    ]
