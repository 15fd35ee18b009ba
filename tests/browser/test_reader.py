import pytest

from blog.models import Post
from tests.browser.accessibility import SERIOUS, axe_violations, described

pytestmark = pytest.mark.browser


def watch_for_errors(page):
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and errors.append(f"{response.status}: {response.url}")
        ),
    )
    return errors


def test_the_index_and_a_post_load_cleanly_on_a_phone_and_a_desktop_in_any_theme(
    transactional_db, live_server, page, demo_blog
):
    errors = watch_for_errors(page)
    post = Post.objects.published().featured().first()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        for path in ("/", post.get_absolute_url()):
            response = page.goto(live_server.url + path)
            assert response.status == 200
            # Let the favicon arrive: going on at once would abort it, which
            # reads as a failed request.
            page.wait_for_load_state("networkidle")
            # Readable: nothing wider than the screen makes the page scroll
            # sideways (wide code blocks scroll inside themselves).
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, (width, path, overflow)

    # The theme follows the reader's colour scheme, and print leaves the
    # navigation out (the post page, as loaded last).
    background = "getComputedStyle(document.body).backgroundColor"
    page.emulate_media(color_scheme="light")
    light = page.evaluate(background)
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate(background)
    page.emulate_media(media="print")
    nav_display = page.evaluate(
        "getComputedStyle(document.querySelector('.site-nav')).display"
    )

    assert errors == []
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert light != dark
    assert nav_display == "none"


def test_axe_finds_no_serious_accessibility_problems(
    transactional_db, live_server, page, demo_blog
):
    post = Post.objects.published().featured().first()
    paths = ["/", post.get_absolute_url(), "/tags/c/", "/archive/", "/search/?q=cache"]
    problems = {}
    # Both themes on a desktop, and a phone's width, where wide tables and
    # code must stay reachable by keyboard. Each page loads once and is
    # redrawn at each width and scheme (accessibility.py).
    for path in paths:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.emulate_media(color_scheme="light")
        page.goto(live_server.url + path)
        for width, scheme in (
            (1280, "light"),
            (1280, "dark"),
            (360, "light"),
            (360, "dark"),
        ):
            page.set_viewport_size({"width": width, "height": 800})
            page.emulate_media(color_scheme=scheme)
            serious = described(axe_violations(page), impacts=SERIOUS)
            if serious:
                problems[f"{width}px {scheme} {path}"] = serious

    assert problems == {}
