"""The Markdown editor in Chromium: kept drafts, the keyboard, the upload
button and its alt-text prompt, and the admin's accessibility.
"""

import re

import pytest
from playwright.sync_api import expect

from blog.models import Post
from tests.browser.accessibility import axe_violations, described
from tests.browser.admin_login import log_in
from tests.factories import PostFactory
from tests.images import image_bytes

pytestmark = pytest.mark.browser

ADD_POST = "/admin/blog/post/add/"
DRAFT_KEY = "inkwell-draft:{path}"


PREVIEW_SCROLLED_HALFWAY = """() => {
    const page = document.querySelector(".field-body iframe.inkwell-preview")
        .contentDocument.scrollingElement;
    const ratio = page.scrollTop / (page.scrollHeight - page.clientHeight);
    return Math.abs(ratio - 0.5) < 0.02;
}"""


def kept_draft(page, path):
    return page.evaluate(
        "key => JSON.parse(localStorage.getItem(key) || 'null')",
        DRAFT_KEY.format(path=path),
    )


def wait_for_draft(page, path, text):
    page.wait_for_function(
        "([key, text]) => (localStorage.getItem(key) || '').includes(text)",
        arg=[DRAFT_KEY.format(path=path), text],
    )


def selected_text(page, selector="#id_body"):
    return page.locator(selector).evaluate(
        "e => e.value.slice(e.selectionStart, e.selectionEnd)"
    )


def test_unsaved_text_is_kept_asked_about_offered_back_and_saved_with_ctrl_s(
    author, live_server, page
):
    post = PostFactory(title="Registers", body="Saved text.")
    change = f"/admin/blog/post/{post.pk}/change/"
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    log_in(page, live_server)

    page.goto(live_server.url + change)
    body = page.locator("#id_body")
    body.press("End")
    body.press_sequentially(" Typed, not saved.")
    wait_for_draft(page, change, "Typed, not saved.")

    # Leaving asks first; going anyway keeps the text in the browser.
    page.goto(f"{live_server.url}/admin/")
    assert dialogs == ["beforeunload"]
    page.goto(live_server.url + change)

    notice = page.get_by_role("status").filter(has_text="did not save")
    expect(notice).to_be_visible()
    expect(notice.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
    expect(body).to_have_value("Saved text.")
    notice.get_by_role("button", name="Restore").click()
    expect(body).to_have_value("Saved text. Typed, not saved.")
    expect(notice).to_have_count(0)

    # Ctrl+S is "Save and continue editing": no question, the draft is gone.
    body.press("Control+s")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert page.url == live_server.url + change
    assert dialogs == ["beforeunload"]
    post.refresh_from_db()
    assert post.body == "Saved text. Typed, not saved."
    assert kept_draft(page, change) is None

    # A kept copy that says what is saved is not offered, and goes.
    body.press_sequentially(" More.")
    wait_for_draft(page, change, "More.")
    page.evaluate(
        """([key, text]) => {
            const draft = JSON.parse(localStorage.getItem(key));
            draft.fields.body = text;
            localStorage.setItem(key, JSON.stringify(draft));
        }""",
        [DRAFT_KEY.format(path=change), post.body],
    )
    page.reload()
    expect(page.locator(".field-body .inkwell-preview")).to_be_visible()
    expect(page.locator(".inkwell-draft-notice")).to_have_count(0)
    assert kept_draft(page, change) is None

    # "Discard" drops a copy the author does not want.
    body.press_sequentially(" Unwanted.")
    wait_for_draft(page, change, "Unwanted.")
    page.reload()
    page.get_by_role("button", name="Discard").click()
    assert kept_draft(page, change) is None
    expect(body).to_have_value("Saved text. Typed, not saved.")


def test_tab_leaves_the_editor_shortcuts_format_and_the_upload_button_uploads(
    author, live_server, page
):
    log_in(page, live_server)
    page.goto(live_server.url + ADD_POST)
    body = page.locator("#id_body")
    body.fill("make this bold")

    # Tab moves on, and types nothing; Shift+Tab comes back.
    body.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") != "id_body"
    expect(body).to_have_value("make this bold")
    page.keyboard.press("Shift+Tab")
    expect(body).to_be_focused()

    body.evaluate("e => e.setSelectionRange(10, 14)")
    body.press("Control+b")
    expect(body).to_have_value("make this **bold**")
    assert selected_text(page) == "bold"
    # Undone like typing.
    body.press("Control+z")
    expect(body).to_have_value("make this bold")

    body.evaluate("e => e.setSelectionRange(5, 9)")
    body.press("Control+i")
    expect(body).to_have_value("make *this* bold")

    body.evaluate("e => e.setSelectionRange(0, 4)")
    body.press("Control+k")
    expect(body).to_have_value("[make](url) *this* bold")
    assert selected_text(page) == "url"

    # Indenting is Ctrl+] and Ctrl+[ over the selected lines.
    body.fill("one\ntwo\nthree")
    body.evaluate("e => e.setSelectionRange(1, 5)")
    body.press("Control+]")
    expect(body).to_have_value("    one\n    two\nthree")
    body.press("Control+[")
    expect(body).to_have_value("one\ntwo\nthree")

    # The upload button puts the image where the caret is, and the caret
    # where its description goes.
    body.fill("Intro.\n\n")
    body.evaluate("e => e.setSelectionRange(e.value.length, e.value.length)")
    button = page.locator(".field-body").get_by_label("Upload image")
    # It is on the keyboard's path: Shift+Tab from the editor reaches it.
    body.focus()
    page.keyboard.press("Shift+Tab")
    expect(button).to_be_focused()
    button.set_input_files(
        files=[
            {
                "name": "chart.png",
                "mimeType": "image/png",
                "buffer": image_bytes("PNG", size=(60, 40), color="navy"),
            }
        ]
    )

    expect(body).to_have_value(
        re.compile(r"^Intro\.\n\n!\[\]\(/media/images/\d{4}/\d{2}/[0-9a-f]{32}\.png\)$")
    )
    expect(body).to_be_focused()
    caret = body.evaluate("e => [e.selectionStart, e.selectionEnd]")
    assert caret == [len("Intro.\n\n![")] * 2
    prompt = page.locator(".field-body .inkwell-alt-prompt")
    expect(prompt).to_have_attribute("aria-live", "polite")
    expect(prompt).to_contain_text("Describe it")

    # Describing it ends the prompt.
    page.keyboard.type("A navy chart")
    expect(body).to_have_value(re.compile(r"!\[A navy chart\]\(/media/"))
    expect(prompt).to_have_text("")

    # The preview follows the editor's scroll, in proportion.
    body.fill("".join(f"Paragraph {n}.\n\n" for n in range(150)))
    preview = page.frame_locator(".field-body iframe.inkwell-preview")
    expect(preview.get_by_text("Paragraph 149.")).to_have_count(1)
    body.evaluate("e => { e.scrollTop = (e.scrollHeight - e.clientHeight) / 2; }")
    page.wait_for_function(PREVIEW_SCROLLED_HALFWAY)


def test_axe_finds_no_violations_on_the_post_form_and_list(author, live_server, page):
    PostFactory(title="Registers", status=Post.Status.PUBLISHED)
    log_in(page, live_server)

    violations = {}
    for path in (ADD_POST, "/admin/blog/post/"):
        page.goto(live_server.url + path)
        violations[path] = described(axe_violations(page))

    assert violations == {ADD_POST: [], "/admin/blog/post/": []}


def test_a_refused_save_keeps_the_draft_and_a_saved_one_forgets_it(
    author, live_server, page
):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    log_in(page, live_server)
    page.goto(live_server.url + ADD_POST)
    page.locator("#id_body").press_sequentially("Words before the title.")
    wait_for_draft(page, ADD_POST, "Words before the title.")

    # No title: the form comes back with its errors, and the text is still
    # saved nowhere but in the browser.
    page.click("input[name=_save]")
    expect(page.get_by_text("Please correct the error below.")).to_be_visible()
    assert "Words before the title." in kept_draft(page, ADD_POST)["fields"]["body"]

    # Saved from there, it lands on the list, which forgets the draft.
    page.locator("#id_title").press_sequentially("Titled at last")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert page.url == f"{live_server.url}/admin/blog/post/"
    assert kept_draft(page, ADD_POST) is None
    assert dialogs == []
