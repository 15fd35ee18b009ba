import pytest

pytestmark = pytest.mark.browser


def test_chromium_loads_the_index_without_console_errors(
    transactional_db, live_server, page, demo_blog
):
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("requestfailed", lambda request: errors.append(request.url))

    response = page.goto(live_server.url + "/")

    assert response.status == 200
    assert page.locator("article").count() >= 10
    assert errors == []
