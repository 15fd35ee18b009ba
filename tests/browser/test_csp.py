"""The Content-Security-Policy in Chromium: it breaks nothing, and it blocks.

Every CSP violation a page or any of its frames meets is recorded, both as
the browser's console report and as the `securitypolicyviolation` event. The
admin's editor (typing, the live preview), the list of posts and a public
post must report none. Two controls prove the recorder and the policies
work: a public page with a script injected, as if the sanitizer had let one
through, and a preview fragment with an event handler, which markdownx
writes into the admin page itself, outside the sandboxed frame.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.admin_login import log_in, log_in_through_the_form
from tests.factories import PostFactory

pytestmark = pytest.mark.browser

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
# What a script would leave behind if it ran.
RAN = "document.documentElement.dataset.ran = 'yes'"


@pytest.fixture
def violations(page):
    """Return a list that collects every CSP violation the page meets."""
    found = []
    page.expose_binding(
        "reportViolation", lambda source, text: found.append(f"event: {text}")
    )
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and found.append(f"console: {message.text}")
        ),
    )
    return found


def has_run(page):
    return page.evaluate("document.documentElement.dataset.ran") == "yes"


def test_the_editor_the_post_list_and_a_post_meet_no_violation(
    author, live_server, page, violations
):
    PostFactory(
        title="Hello",
        slug="hello",
        body="Text with a [link](https://example.com/) and `code`.[^1]\n\n"
        "[^1]: A note.",
    )
    log_in_through_the_form(page, live_server)

    page.goto(f"{live_server.url}/admin/blog/post/add/")
    page.locator("#id_title").press_sequentially("Registers")
    expect(page.locator("#id_slug")).to_have_value("registers")
    page.locator("#id_body").press_sequentially("Fast *memory*.[^1]\n\n[^1]: Very.")
    preview = page.frame_locator(".field-body iframe.inkwell-preview")
    expect(preview.locator("em")).to_have_text("memory")
    expect(preview.locator("sup a")).to_have_text("1")
    # The preview frame is styled by the site's stylesheet, which it loaded.
    assert preview.locator("body").evaluate(
        "body => getComputedStyle(body).fontFamily"
    ) != page.evaluate("getComputedStyle(document.body).fontFamily")

    page.goto(f"{live_server.url}/admin/blog/post/")
    expect(page.locator("#result_list")).to_contain_text("Hello")
    page.goto(f"{live_server.url}/posts/hello/")
    expect(page.locator("article")).to_contain_text("A note.")

    assert violations == []


def test_control_a_script_injected_into_a_public_page_is_blocked_and_reported(
    transactional_db, live_server, page, violations
):
    PostFactory(title="Hello", slug="hello")
    url = f"{live_server.url}/posts/hello/"
    # The real page and its real headers, with what a sanitizer bypass would
    # let through added to the body.
    real = page.request.get(url)
    assert "script-src 'none'" in real.headers["content-security-policy"]
    injected = real.text().replace(
        "</article>",
        f'<script>{RAN}</script><img src=/x onerror="{RAN}"></article>',
    )
    page.route(url, lambda route: route.fulfill(body=injected, headers=real.headers))

    page.goto(url)

    expect(page.locator("article")).to_be_visible()
    page.wait_for_function("() => true")
    assert not has_run(page)
    assert any("event: script-src-elem inline" in text for text in violations)
    assert any("event: script-src-attr inline" in text for text in violations)
    assert any(text.startswith("console:") for text in violations)


def test_control_an_event_handler_in_the_preview_does_not_run_in_the_admin(
    author, live_server, page, violations
):
    log_in(page, live_server)
    # The preview endpoint answers as if the sanitizer had let a handler
    # through; markdownx writes the answer into the admin page itself.
    page.route(
        "**/markdownx/markdownify/**",
        lambda route: route.fulfill(
            body=f'<p>Bypass</p><img src="/x" onerror="{RAN}">',
            content_type="text/html; charset=utf-8",
        ),
    )

    page.goto(f"{live_server.url}/admin/blog/post/add/")
    page.locator("#id_body").press_sequentially("Anything")
    expect(page.locator(".field-body .markdownx-preview")).to_contain_text("Bypass")

    page.wait_for_function("() => true")
    assert not has_run(page)
    assert any("event: script-src-attr inline" in text for text in violations)
