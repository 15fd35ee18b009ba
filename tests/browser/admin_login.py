"""Logging in to the admin as the browser tests' author (see conftest)."""

from playwright.sync_api import expect

USERNAME = "author"
PASSWORD = "pw-author"


def log_in(page, live_server):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
