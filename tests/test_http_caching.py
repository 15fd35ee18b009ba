"""HTTP caching of public pages: validators from the content version, 304s,
and Cache-Control for browsers, shared proxies and signed-in people.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from blog import services
from blog.models import ContentVersion, Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

# After any real date the test database was made at: a change is never
# dated before the one it follows.
NOW = datetime(2031, 3, 10, 12, 0, 0, 500_000, tzinfo=UTC)


@pytest.fixture(autouse=True)
def later(site_identity):
    """Time, stopped five minutes after the post was written."""
    with time_machine.travel(NOW - timedelta(minutes=5), tick=False) as traveller:
        PostFactory(title="First light", slug="first-light")
        traveller.move_to(NOW)
        yield traveller


@pytest.fixture
def blog(later):
    return Post.objects.get(slug="first-light")


def test_a_public_page_may_be_kept_briefly_by_proxies_and_revalidated(client):
    response = client.get("/")

    cache_control = set(response["Cache-Control"].split(", "))
    assert cache_control == {"public", "max-age=0", "s-maxage=10"}
    assert response["ETag"].startswith('W/"')
    assert "Cookie" in response["Vary"]


def test_the_proxy_window_comes_from_the_setting(client, settings):
    settings.INKWELL_PROXY_CACHE_SECONDS = 60

    assert "s-maxage=60" in client.get("/posts/first-light/")["Cache-Control"]


def test_a_matching_etag_gets_304_from_one_query(client):
    etag = client.get("/posts/first-light/")["ETag"]

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/posts/first-light/", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "s-maxage=10" in response["Cache-Control"]
    assert len(queries) == 1


def test_a_change_makes_the_old_etag_fetch_the_page_again(client, blog):
    etag = client.get("/posts/first-light/")["ETag"]

    blog.title = "Second light"
    services.post_save(post=blog)
    response = client.get("/posts/first-light/", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert "Second light" in response.content.decode()
    assert response["ETag"] != etag


def test_each_address_has_its_own_etag(client):
    assert client.get("/")["ETag"] != client.get("/posts/first-light/")["ETag"]


def test_last_modified_is_the_last_change_and_answers_if_modified_since(client, later):
    response = client.get("/")

    changed_at = ContentVersion.objects.get().changed_at
    assert changed_at < NOW - timedelta(minutes=4)
    assert response["Last-Modified"] == http_date(changed_at.timestamp())
    again = client.get("/", headers={"If-Modified-Since": response["Last-Modified"]})
    assert again.status_code == 304
    older = http_date((NOW - timedelta(minutes=6)).timestamp())
    assert client.get("/", headers={"If-Modified-Since": older}).status_code == 200


def test_a_change_makes_if_modified_since_fetch_the_page_again(client, later, blog):
    last_modified = client.get("/")["Last-Modified"]
    later.shift(timedelta(seconds=2))

    blog.title = "Second light"
    services.post_save(post=blog)
    later.shift(timedelta(seconds=2))
    response = client.get("/", headers={"If-Modified-Since": last_modified})

    assert response.status_code == 200
    assert "Second light" in response.content.decode()


def test_a_change_always_has_a_later_date_than_the_one_before(client, later, blog):
    # Two app servers whose clocks are a second apart (or a transaction
    # that took its time to commit): a change made after a reader's fetch
    # may carry an earlier time than the fetch, within the previous date's
    # second.
    later.move_to(NOW + timedelta(seconds=1.1))  # 12:00:01.6
    blog.title = "Second light"
    services.post_save(post=blog)
    later.move_to(NOW + timedelta(seconds=4))
    fetched = client.get("/")
    assert "Second light" in fetched.content.decode()

    later.move_to(NOW + timedelta(seconds=1.4))  # the other server's clock
    blog.title = "Third light"
    services.post_save(post=blog)
    later.move_to(NOW + timedelta(seconds=5))
    response = client.get("/", headers={"If-Modified-Since": fetched["Last-Modified"]})

    assert response.status_code == 200
    assert "Third light" in response.content.decode()


def test_head_gets_the_headers_of_get_and_no_body(client):
    got = client.get("/posts/first-light/")
    head = client.head("/posts/first-light/")

    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == got["ETag"]
    assert head["Content-Type"] == got["Content-Type"]
    etag = got["ETag"]
    assert (
        client.head("/posts/first-light/", headers={"If-None-Match": etag}).status_code
        == 304
    )


def test_feeds_keep_their_own_validators_and_reader_max_age(client):
    response = client.get("/feed/")

    assert response["ETag"].startswith('"')
    assert "max-age=300" in response["Cache-Control"]
    assert "s-maxage=10" in response["Cache-Control"]
    kept = client.get("/feed/", headers={"If-None-Match": response["ETag"]})
    assert kept.status_code == 304
    assert kept["ETag"] == response["ETag"]


def test_a_missing_page_may_be_kept_by_proxies_but_has_no_validators(client):
    response = client.get("/posts/nowhere/")

    assert response.status_code == 404
    assert "s-maxage=10" in response["Cache-Control"]
    assert "ETag" not in response


def test_signed_in_pages_are_private_and_never_revalidated(client, author):
    etag = client.get("/posts/first-light/")["ETag"]
    client.force_login(author)

    response = client.get("/posts/first-light/", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "ETag" not in response


def test_the_security_headers_come_with_kept_pages(client):
    first = client.get("/")
    kept = client.get("/")

    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
    ):
        assert kept[header] == first[header], header
