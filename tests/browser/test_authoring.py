"""The author's whole path through the admin, in Chromium against a live server."""

import re

import pytest
from playwright.sync_api import expect

from blog.models import Post
from tests.browser.admin_login import log_in
from tests.factories import PageFactory, PostFactory
from tests.images import image_bytes

pytestmark = pytest.mark.browser

BODY = """\
Registers are the fastest memory a program has.[^1]

<!--more Keep reading-->

Here is the smallest C program:

```c
int main(void)
{
    return 0;
}
```

[^1]: Faster than any cache.
"""

DROP_FILE = """([bytes, name, type]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], name, {type}));
    return transfer;
}"""


def body_preview(page):
    return page.frame_locator(".field-body iframe.inkwell-preview")


def excerpt_preview(page):
    return page.frame_locator(".field-excerpt iframe.inkwell-preview")


def drop_image(page, selector, data, name="diagram.png"):
    transfer = page.evaluate_handle(DROP_FILE, [list(data), name, "image/png"])
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


def record_previews(page):
    """Return a list that collects the query string of each preview request."""
    previews = []
    page.on(
        "request",
        lambda request: (
            "/markdownx/markdownify/" in request.url
            and previews.append(request.url.split("?", 1)[-1])
        ),
    )
    return previews


def save_and_continue(page):
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_an_author_writes_previews_illustrates_publishes_features_and_renames(
    author, live_server, page, browser
):
    reader = browser.new_context().new_page()
    PostFactory(title="Newer news", body="Just in.")
    log_in(page, live_server)

    # Write: the slug follows the title, the preview follows the body.
    page.goto(f"{live_server.url}/admin/blog/post/add/")
    page.locator("#id_title").press_sequentially("Hello, registers")
    expect(page.locator("#id_slug")).to_have_value("hello-registers")
    page.fill("#id_body", BODY)
    preview = body_preview(page)
    expect(preview.locator("pre code")).to_contain_text("int main(void)")
    expect(preview.locator("sup a")).to_have_text("1")
    expect(preview.locator("li", has_text="Faster than any cache.")).to_be_visible()
    # Unsaved, the post has no id yet: the preview's ids say so.
    expect(preview.locator("sup")).to_have_attribute("id", "fnref-preview-1")

    # Illustrate: drop a PNG into the editor; its Markdown goes in, the
    # preview shows it.
    page.locator("#id_body").evaluate("e => e.setSelectionRange(0, 0)")
    drop_image(page, "#id_body", image_bytes("PNG", size=(120, 80), color="orange"))
    expect(page.locator("#id_body")).to_have_value(
        re.compile(r"^!\[\]\(/media/images/\d{4}/\d{2}/[0-9a-f]{32}\.png\)")
    )
    image = preview.locator("img[src^='/media/images/']")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 120

    # Save as a draft: readers get a 404. From now on the preview's ids are
    # the stored post's.
    save_and_continue(page)
    assert reader.goto(f"{live_server.url}/posts/hello-registers/").status == 404
    post = Post.objects.get(slug="hello-registers")
    expect(preview.locator("sup")).to_have_attribute("id", f"fnref-{post.pk}-1")

    # Publish, then feature it first.
    page.select_option("#id_status", "published")
    save_and_continue(page)
    page.fill("#id_featured_slot-0-position", "1")
    save_and_continue(page)
    assert reader.goto(f"{live_server.url}/posts/hello-registers/").status == 200

    # The index shows it on top, under "Featured post", cut at the marker.
    reader.goto(f"{live_server.url}/")
    label = reader.get_by_text("Featured post", exact=True).first
    title = reader.get_by_role("link", name="Hello, registers").first
    more = reader.get_by_role("link", name="Keep reading")
    newer = reader.get_by_role("link", name="Newer news")
    tops = [locator.bounding_box()["y"] for locator in (label, title, more, newer)]
    assert tops == sorted(tops)
    expect(reader.get_by_text("Here is the smallest C program")).to_have_count(0)
    more.click()
    expect(reader).to_have_url(re.compile(r"/posts/hello-registers/#more-\d+$"))

    # Rename it: the old address leads to the new one.
    page.fill("#id_slug", "registers-are-fast")
    save_and_continue(page)
    response = reader.goto(f"{live_server.url}/posts/hello-registers/")
    assert response.request.redirected_from.url.endswith("/posts/hello-registers/")
    assert reader.url == f"{live_server.url}/posts/registers-are-fast/"
    assert response.status == 200
    reader.context.close()


def test_a_refused_upload_shows_its_reason_and_leaves_the_text_alone(
    author, live_server, page
):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/blog/post/add/")
    page.fill("#id_body", "Before the picture.")

    page.locator("#id_body").evaluate("e => e.setSelectionRange(0, 0)")
    drop_image(page, "#id_body", b"<svg onload='alert(1)'/>", name="evil.png")

    expect(page.locator(".field-body [role=alert]")).to_contain_text(
        "not a JPEG, PNG, GIF or WebP image"
    )
    expect(page.locator("#id_body")).to_have_value("Before the picture.")


def test_the_preview_highlights_code_as_the_published_page_does(
    author, live_server, page
):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/blog/post/add/")

    page.fill("#id_body", BODY)

    preview = body_preview(page)
    highlighted = preview.locator(":is(.highlight, .codehilite) pre span[class]")
    expect(highlighted.first).to_be_visible(timeout=3_000)


def test_a_saved_posts_previews_carry_its_id_as_its_stored_html_does(
    author, live_server, page
):
    post = PostFactory(title="Registers", body=BODY)
    log_in(page, live_server)
    previews = record_previews(page)
    page.goto(f"{live_server.url}/admin/blog/post/{post.pk}/change/")

    body = body_preview(page)
    expect(body.locator("sup")).to_have_attribute("id", f"fnref-{post.pk}-1")
    expect(body.locator(f"#more-{post.pk}")).to_have_count(1)

    # The excerpt is previewed as the excerpt it will be stored as: its own
    # footnote ids, and no cut anchor.
    page.fill("#id_excerpt", "Why registers matter.[^1]\n\n[^1]: In short.")
    excerpt = excerpt_preview(page)
    expect(excerpt.locator("sup")).to_have_attribute("id", f"fnref-{post.pk}-excerpt-1")
    expect(excerpt.locator("[id^=more-]")).to_have_count(0)
    # Every preview, the first ones on page load included, named its post.
    assert set(previews) == {
        f"field={name}&post={post.pk}" for name in ("body", "excerpt")
    }


def test_a_saved_pages_preview_carries_the_pages_own_ids(author, live_server, page):
    about = PageFactory(title="About", slug="about", body=BODY)
    log_in(page, live_server)
    previews = record_previews(page)
    page.goto(f"{live_server.url}/admin/blog/page/{about.pk}/change/")

    body = body_preview(page)
    expect(body.locator("sup")).to_have_attribute("id", f"fnref-page-{about.pk}-1")
    assert set(previews) == {f"field=body&page={about.pk}"}
