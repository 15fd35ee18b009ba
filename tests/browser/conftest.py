"""Chromium for browser tests: Debian's build, driven by Playwright.

Never `playwright install`: the browser comes from apt-get. Debian's
chromium-headless-shell comes first: the same Blink, but the old headless
mode, without the full browser that `chromium --headless` starts since
Chromium 132; the browser tests take about a quarter less time and CPU in it.
Plain chromium is the fallback. Where neither is installed the tests skip,
except under CI, where .ci/run installs both and a missing browser is a
failure.
"""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # This machine has no network; without these Chromium keeps trying to
    # reach Google's services and floods the log with refused connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    for name in ("chromium-headless-shell", "chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = (
            "Chromium is not installed "
            "(apt-get install chromium-headless-shell, or chromium)."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the live
    # server's database work happens in another thread, but Django's guard
    # also trips on the test's own ORM calls here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def author(transactional_db, django_user_model):
    """The superuser who logs in to the admin (admin_login.log_in)."""
    from tests.browser.admin_login import PASSWORD, USERNAME

    return django_user_model.objects.create_superuser(USERNAME, password=PASSWORD)
