"""Reordering featured slots in the admin, in Chromium against a live server."""

import pytest
from playwright.sync_api import expect

from blog.models import FeaturedSlot
from tests.browser.admin_login import log_in
from tests.factories import FeaturedSlotFactory, PostFactory

pytestmark = pytest.mark.browser

TITLES = ["Alpha slot", "Beta slot", "Gamma slot"]


def index_order(reader, live_server):
    reader.goto(f"{live_server.url}/")
    tops = {
        title: reader.get_by_role("link", name=title).first.bounding_box()["y"]
        for title in TITLES
    }
    return sorted(TITLES, key=tops.get)


def test_pressing_up_moves_a_slot_to_the_top_of_the_index(
    author, live_server, page, browser
):
    for position, title in enumerate(TITLES, start=1):
        FeaturedSlotFactory(position=position, post=PostFactory(title=title))
    reader = browser.new_context().new_page()
    assert index_order(reader, live_server) == TITLES
    log_in(page, live_server)

    page.goto(f"{live_server.url}/admin/blog/featuredslot/")
    for _ in range(2):
        page.get_by_role("button", name="Move “Gamma slot” up").click()
        expect(page.locator(".messagelist")).to_contain_text("“Gamma slot” moved")

    rows = page.locator("#result_list tbody tr")
    expect(rows.first).to_contain_text("Gamma slot")
    assert list(FeaturedSlot.objects.values_list("post__title", flat=True)) == [
        "Gamma slot",
        "Alpha slot",
        "Beta slot",
    ]
    assert index_order(reader, live_server) == ["Gamma slot", "Alpha slot", "Beta slot"]
    reader.context.close()
