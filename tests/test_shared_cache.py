"""A cache server that cannot be reached is a miss, never a 500
(blog.shared_cache): readers get the same pages, made without it.
"""

import logging
import socket
import threading

import pytest
from django.core.handlers.wsgi import WSGIHandler

from blog import shared_cache
from blog.page_cache import KeptPageApplication
from tests.factories import PostFactory
from tests.test_kept_page_application import fetch

pytestmark = pytest.mark.django_db


class RefusingServer:
    """A port that accepts connections and closes them at once, counting
    them: a cache server that is there and answers nothing.
    """

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self):
        self.listener.close()


@pytest.fixture
def away_cache(settings):
    server = RefusingServer()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield server
    server.close()


@pytest.fixture
def post(site_identity):
    return PostFactory(title="Written without a cache", slug="no-cache")


def test_readers_get_their_pages_while_the_cache_is_away(
    client, away_cache, post, site_identity
):
    pages = {
        "/": post.title,
        post.get_absolute_url(): post.title,
        "/feed/": post.title,
        "/tags/": site_identity.title,
        "/archive/": site_identity.title,
    }
    for path, text in pages.items():
        shared_cache.resume()  # each page tries the cache itself
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.content.decode(), path
    assert away_cache.connections > 0


def test_kept_pages_go_to_django_while_the_cache_is_away(away_cache, post):
    application = KeptPageApplication(WSGIHandler())

    for _ in range(2):
        answer = fetch(application, post.get_absolute_url())
        assert answer.status == "200 OK"
        assert answer.handled_by_django


def test_a_failure_is_logged_once_and_the_cache_left_alone(away_cache, caplog):
    caplog.set_level(logging.WARNING, logger="blog.shared_cache")

    assert shared_cache.get("a") is None
    tried = away_cache.connections
    assert shared_cache.get_many(["a", "b"]) == {}
    shared_cache.set("a", 1, 60)
    shared_cache.set_many({"b": 2}, 60)

    assert tried > 0
    # Paused: no further attempt, and one warning.
    assert away_cache.connections == tried
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1
    assert "could not be reached" in warnings[0]


def test_the_cache_is_tried_again_after_the_pause(away_cache, monkeypatch):
    monkeypatch.setattr(shared_cache, "PAUSE_SECONDS", 0)
    shared_cache.get("a")
    tried = away_cache.connections

    shared_cache.get("a")  # the pause is over at once

    assert away_cache.connections > tried
