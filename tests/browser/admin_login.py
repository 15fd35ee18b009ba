"""Logging in to the admin as the browser tests' author (see conftest).

`log_in` hands the browser a session cookie, as Django's test client's
force_login makes one: the tests are about what comes after the login, and
the form costs two page loads a test. `log_in_through_the_form` types the
password into the login page, as a person does (tests/browser/test_csp.py
goes that way, so the login page and the admin's first page meet the
policy in Chromium too).
"""

from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

USERNAME = "author"
PASSWORD = "pw-author"


def log_in(page, live_server, user=None):
    """Log the page's browser context in as `user` (the author if None)."""
    user = user or get_user_model().objects.get(username=USERNAME)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


def log_in_through_the_form(page, live_server):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
