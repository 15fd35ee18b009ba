"""The archive, year and month pages."""

import re
from datetime import UTC, datetime

import pytest

from tests.factories import (
    PostFactory,
)
from tests.html import titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated_posts():
    dates = [
        datetime(2023, 11, 2, tzinfo=UTC),
        datetime(2024, 1, 5, tzinfo=UTC),
        datetime(2024, 1, 20, tzinfo=UTC),
        datetime(2024, 3, 9, tzinfo=UTC),
    ]
    posts = [PostFactory(title=f"On {at:%Y-%m-%d}", published_at=at) for at in dates]
    PostFactory(title="Draft in 2024", published_at=dates[1], draft=True)
    return posts


def test_the_archive_lists_years_and_months_with_counts(client, dated_posts):
    page = client.get("/archive/").content.decode()

    text = re.sub(r"<[^>]+>", "", page)
    text = " ".join(text.split())
    assert "2024 (3 posts) March (1) January (2) 2023 (1 post) November (1)" in text
    assert '<a href="/archive/2024/01/">January</a>' in page
    assert '<a href="/archive/2023/">2023</a>' in page


def test_a_year_archive_lists_that_years_posts_and_months(client, dated_posts):
    response = client.get("/archive/2024/")

    assert titles(response) == ["On 2024-03-09", "On 2024-01-20", "On 2024-01-05"]
    assert '<a href="/archive/2024/03/">March</a>' in response.content.decode()


def test_a_month_archive_lists_that_months_posts(client, dated_posts):
    response = client.get("/archive/2024/01/")

    assert titles(response) == ["On 2024-01-20", "On 2024-01-05"]


def test_archive_months_follow_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    PostFactory(
        title="New Year's Eve in UTC",
        published_at=datetime(2023, 12, 31, 23, 30, tzinfo=UTC),
    )

    assert titles(client.get("/archive/2024/01/")) == ["New Year's Eve in UTC"]
    assert client.get("/archive/2023/").status_code == 404


def test_a_year_archive_is_paginated(client, settings, dated_posts):
    settings.INKWELL_PAGE_SIZE = 2

    assert titles(client.get("/archive/2024/page/2/")) == ["On 2024-01-05"]
    assert client.get("/archive/2024/page/3/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2022/",
        "/archive/2024/02/",
        "/archive/0000/",
        "/archive/9999/",
        "/archive/9999/12/",
        "/archive/2024/13/",
        "/archive/2024/00/",
        "/archive/2024/1/",
        "/archive/24/",
        "/archive/abcd/",
        "/archive/20245/",
    ],
)
def test_an_archive_without_posts_or_with_a_bad_date_is_a_404(client, dated_posts, url):
    assert client.get(url).status_code == 404
